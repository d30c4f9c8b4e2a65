// Progressive enhancement only: every core flow works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initSearchSelects } from "/static/js/search-select.js";

initAll();
initSearchSelects();
