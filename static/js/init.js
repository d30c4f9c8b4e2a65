// Progressive enhancement only: every core flow works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
