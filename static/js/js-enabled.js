// GOV.UK Frontend's start-up check, kept in a file so the Content-Security-Policy allows no
// inline script. Loaded (blocking) first thing in <body>, as the Design System asks.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
