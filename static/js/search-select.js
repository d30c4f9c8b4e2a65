// Suggestions for the search boxes that choose a setting or a child (cases/fields.py).
// Progressive enhancement only: without this file the box is a search step (type, submit,
// choose from the matches). With it, the box suggests matches as you type, through the
// browser's own list (a <datalist>); a suggestion is text the form resolves exactly.

const WAIT_MS = 250;
const MIN_LENGTH = 2;

function enhance(input) {
  const source = input.dataset.source;
  if (!source || input.dataset.searchSelectReady) {
    return;
  }
  input.dataset.searchSelectReady = "true";
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);

  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_LENGTH || text === asked) {
      return;
    }
    timer = window.setTimeout(async () => {
      asked = text;
      try {
        const response = await fetch(`${source}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          return;
        }
        const { results } = await response.json();
        list.replaceChildren(
          ...results.map(({ value, label }) => {
            const option = document.createElement("option");
            option.value = value;
            if (label !== value) {
              option.label = label;
            }
            return option;
          }),
        );
      } catch {
        // No suggestions: the form still searches when it is submitted.
      }
    }, WAIT_MS);
  });
}

export function initSearchSelects(scope = document) {
  scope.querySelectorAll('[data-module="search-select"]').forEach(enhance);
}
