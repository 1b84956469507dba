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

  // Arrow keys (or typing a letter) change a closed select at every press. A deciding select
  // re-renders the form on change: changed by keys, it does so once, on Enter or on leaving it;
  // a pick with the mouse re-renders at once.
  var byKeys = false;  // the next change of a deciding select comes from a key
  var heldSelect = null;  // a deciding select changed by keys, not re-rendered yet

  function decides(el) { return el && el.tagName === "SELECT" && el.hasAttribute("hx-post"); }

  function rerender(select) {
    heldSelect = null;
    byKeys = false;
    select.dataset.release = "1";
    select.dispatchEvent(new Event("change", { bubbles: true }));  // htmx's trigger
    delete select.dataset.release;
  }

  document.addEventListener("keydown", function (event) {
    if (!decides(event.target)) { return; }
    if (event.key === "Enter" && heldSelect === event.target) {
      event.preventDefault();
      rerender(event.target);
    } else if (event.key !== "Tab" && event.key !== "Enter") {
      byKeys = true;
    }
  }, true);

  document.addEventListener("pointerdown", function () { byKeys = false; }, true);

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!decides(el) || !byKeys || el.dataset.release) { return; }
    event.stopImmediatePropagation();  // before htmx hears it: held until Enter or leaving
    heldSelect = el;
  }, true);

  // Its input event too: nothing acts on the change (a save, the preview) before the re-render,
  // which saves it and names what it took out.
  document.addEventListener("input", function (event) {
    if (decides(event.target) && byKeys) { event.stopImmediatePropagation(); }
  }, true);

  document.addEventListener("focusout", function (event) {
    var select = event.target;
    if (select !== heldSelect) { return; }
    var next = event.relatedTarget;
    if (next && next.type === "submit" && next.form === select.form) {
      heldSelect = null;  // the button posts the form, the select's value with it
      return;
    }
    // After focus has moved: the re-render puts it back on the field the person went to.
    setTimeout(function () { if (select.isConnected) { rerender(select); } }, 0);
  }, true);
})();
