// drsui: progressive enhancement only; every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setTimeZone(root) {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    root.querySelectorAll("input.js-tz").forEach(function (el) { el.value = tz; });
  }

  function focusFirstError(root) {
    var el = root.querySelector("[aria-invalid=true]") || root.querySelector("#error-summary");
    if (el) { el.focus(); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-copy");
    if (!button) { return; }
    var source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setTimeZone(document);
    focusFirstError(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.querySelector && event.target.querySelector("#error-summary")) {
      focusFirstError(event.target);
    }
  });
})();
