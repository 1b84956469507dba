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

  // The JSON panel shows first the part of the body the step edits (marked .json-owned), on
  // load and after each refresh of the panel (a typing preview, a re-render's copy of it).
  function scrollJsonToStep() {
    var pre = document.getElementById("json-body");
    var part = pre && pre.querySelector(".json-owned");
    if (!part) { return; }
    var padding = parseFloat(getComputedStyle(pre).paddingTop) || 0;
    pre.scrollTop += part.getBoundingClientRect().top - pre.getBoundingClientRect().top - padding;
  }

  // A row's "More" menu (a details element) closes when another opens or on a click outside.
  document.addEventListener("click", function (event) {
    document.querySelectorAll(".row-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });

  document.addEventListener("DOMContentLoaded", scrollJsonToStep);
  document.addEventListener("htmx:afterSettle", scrollJsonToStep);
  document.addEventListener("htmx:oobAfterSwap", scrollJsonToStep);

  // Typing shows its meaning in the JSON panel after a pause. A deciding field (one that
  // re-renders the form, which brings the panel too) and a file (uploaded on change) do not.
  var previewTimer = null;

  document.addEventListener("input", function (event) {
    var preview = document.getElementById("json-preview");
    var el = event.target;
    if (!preview || !preview.closest("form").contains(el)) { return; }
    if (el.hasAttribute("hx-post") || el.type === "file") { return; }
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () { htmx.trigger(preview, "drsui:preview"); }, 400);
  });

  // A re-render replaces the step's form: put focus back where the person was (the same
  // field, the new row after "Add", the list after "Remove"), opening its section if need be.
  var focusKey = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var body = document.getElementById("step-form-body");
    var trigger = event.detail.elt;
    if (!body || !body.contains(trigger)) { return; }  // not a re-render (the JSON preview)
    var el = document.activeElement;
    focusKey = {
      id: el && body.contains(el) ? el.id : "",
      value: trigger.tagName === "BUTTON" ? trigger.value : ""
    };
  });

  function focusTarget(key) {
    var action = key.value || "";
    if (action.indexOf("drop:") === 0) {  // the removed field's button is gone
      return document.querySelector("#step-form-body input:not([type=hidden]), #step-form-body select");
    }
    var path = action.replace(/^(add|remove):/, "").replace(/\.\d+$/, "");
    if (action.indexOf("add:") === 0 || action.indexOf("remove:") === 0) {
      var rows = document.querySelectorAll('[name^="' + path + '."]:not([type=hidden])');
      if (action.indexOf("add:") === 0 && rows.length) {
        var last = rows[rows.length - 1].closest(".row-line");
        return last ? last.querySelector("input, select") : rows[rows.length - 1];
      }
      return document.querySelector('button[value="add:' + path + '"]') || rows[0] || null;
    }
    return key.id ? document.getElementById(key.id) : null;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var body = document.getElementById("step-form-body");
    if (!body || event.target !== body) { return; }  // not the form (the JSON panel, a poll)
    var key = focusKey;
    focusKey = null;
    if (body.querySelector("#error-summary")) {
      focusFirstError(body);
      return;
    }
    var now = document.activeElement;
    if (!key || (now && now !== document.body && !body.contains(now))) { return; }
    var el = focusTarget(key);
    if (!el) { return; }
    var section = el.closest("details");
    if (section) { section.open = true; }
    el.focus();
  });
})();
