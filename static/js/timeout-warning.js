// The GOV.UK timeout warning: two minutes before the session would end for want of activity, a
// modal dialog offers "Stay signed in". Progressive enhancement only: without JavaScript the
// server still ends the session after the idle timeout, and the next page asks to sign in again.
// Before warning and before signing out it asks the server how long is left (asking is not
// activity), so work in another tab keeps this one signed in.

const dialog = document.getElementById("timeout-warning");

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

if (dialog && typeof dialog.showModal === "function") {
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const keepForm = dialog.querySelector("[data-timeout-keep]");
  const signedOutForm = document.getElementById("timeout-signed-out");
  let deadline = 0;
  let waiting = null;
  let ticking = null;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));

  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    clearTimeout(waiting);
    waiting = setTimeout(check, Math.max(0, seconds - warnSeconds) * 1000);
  }

  async function serverSecondsLeft() {
    const response = await fetch(dialog.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.includes("application/json")) {
      return 0; // already signed out on the server
    }
    return (await response.json()).seconds_left;
  }

  async function check() {
    const left = await serverSecondsLeft().catch(() => secondsLeft());
    if (left > warnSeconds + 5) {
      close();
      schedule(left);
    } else if (left <= 0) {
      signedOutForm.submit();
    } else {
      deadline = Date.now() + left * 1000;
      open();
    }
  }

  function open() {
    if (!dialog.open) {
      dialog.showModal();
      announce.textContent = `For your security, we will sign you out in ${words(secondsLeft())}.`;
    }
    tick();
    clearInterval(ticking);
    ticking = setInterval(tick, 1000);
  }

  function close() {
    clearInterval(ticking);
    if (dialog.open) {
      dialog.close();
    }
  }

  function tick() {
    const left = secondsLeft();
    countdown.textContent = words(left);
    if (left > 0 && left % 20 === 0) {
      announce.textContent = `We will sign you out in ${words(left)}.`;
    }
    if (left <= 0) {
      clearInterval(ticking);
      check();
    }
  }

  async function staySignedIn() {
    const response = await fetch(keepForm.action, {
      method: "POST",
      body: new FormData(keepForm),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).catch(() => null);
    if (!response || !response.ok) {
      window.location.reload();
      return;
    }
    close();
    schedule((await response.json()).seconds_left);
  }

  keepForm.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.getAttribute("form") === "timeout-sign-out") {
      return;
    }
    event.preventDefault();
    staySignedIn();
  });
  // Escape closes the dialog: as the pattern asks, that counts as staying signed in.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });

  schedule(Number(dialog.dataset.secondsLeft));
}
