// drsui: progressive enhancement only; every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Every word shown comes from the page (base.html's #drsui-words), in the person's language.
  function word(key, values) {
    var words = document.getElementById("drsui-words");
    var text = (words && words.dataset[key]) || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(values[name]);
    });
    return text;
  }

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
        button.textContent = word("copied");
      });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setTimeZone(document);
    focusFirstError(document);
    // A new task's first save answered with its form (a problem to fix): the address is the
    // draft's now, so a reload opens it rather than a new task.
    var form = document.getElementById("step-form");
    var action = form && form.getAttribute("action");
    if (action && action !== location.pathname) { history.replaceState(null, "", action); }
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

  // Autosave: what is typed is saved after a pause, and when the page is hidden or left,
  // without validating or re-rendering. Each save bumps the draft's version: the answer's is
  // carried into the form, so this tab's next save is not taken for another tab's. One
  // request at a time: a re-render or a Save waits for an autosave in flight, an autosave
  // waits for the form's re-renders in flight (each saves, and brings the version to send).
  var AUTOSAVE_DELAY = 1000;
  var autosave = {timer: null, dirty: false, inflight: null, waiting: false,
                  rerenders: new Set()};

  function stepForm() { return document.getElementById("step-form"); }

  // This tab's id, kept across reloads (sessionStorage) and sent with the step's form as
  // `_tab`: a save whose version is older only because of this tab's own saves (a reload
  // that raced the last autosave of the page before) is not taken for another tab's.
  function tabId(fresh) {
    try {
      var id = sessionStorage.getItem("drsui-tab");
      if (!id || fresh) {
        id = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
          return b.toString(16).padStart(2, "0");
        }).join("");
        sessionStorage.setItem("drsui-tab", id);
      }
      return id;
    } catch (e) {
      return "";  // no storage: every save of the tab is checked by its version alone
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = stepForm();
    var id = form && tabId(false);
    if (!id) { return; }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "_tab";
    input.value = id;
    form.appendChild(input);  // outside #step-form-body: a re-render keeps it
    // A tab the browser duplicated starts with a copy of the sessionStorage, its id too: an
    // open wizard page holding the id it asks about answers, and the asking tab takes a new one.
    if (!window.BroadcastChannel) { return; }
    var channel = new BroadcastChannel("drsui-tab");
    channel.onmessage = function (event) {
      if (event.data.ask === input.value) { channel.postMessage({held: input.value}); }
      if (event.data.held === input.value) { input.value = tabId(true); }
    };
    channel.postMessage({ask: id});
  });

  // A new task's key goes into the address at the first keystroke, so a reload (even one
  // racing the autosave that creates the draft) opens the same task, not a blank one.
  function keepNewTaskKey(form) {
    var key = form.querySelector("input[name=_new_key]");
    if (!key || new URL(form.action).pathname !== location.pathname) { return; }
    var url = new URL(location.href);
    if (url.searchParams.get("key") === key.value) { return; }
    url.searchParams.set("key", key.value);
    history.replaceState(null, "", url);
  }

  function showSaved(text, failed) {
    var el = document.getElementById("saved-at");
    if (!el) { return; }
    el.setAttribute("role", "status");
    el.textContent = text;
    el.classList.toggle("text-danger", !!failed);
  }

  // Why an autosave did not save, as the whole sentence shown.
  function notSavedError(text) {
    var error = new Error(text);
    error.shown = text;
    return error;
  }

  function notSaved(response) {
    if (response.redirected) { return word("loggedOut"); }
    if (response.status === 404) { return word("gone"); }
    return word("answered", {status: response.status});
  }

  function autosaveAnswer(form, response) {
    var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
    if (!json || response.redirected) { throw notSavedError(notSaved(response)); }
    return response.json().then(function (answer) {
      if (!response.ok || !answer.version) {
        throw notSavedError(answer.error ? word("notSaved", {reason: answer.error}) : notSaved(response));
      }
      form.querySelector("input[name=_version]").value = answer.version;
      var unsaved = form.querySelector("input[name=_rows_unsaved]");
      if (unsaved) { unsaved.remove(); }  // the rows shown are the stored ones now
      if (answer.url !== form.getAttribute("action")) {  // a new task's draft was created
        form.setAttribute("action", answer.url);
        history.replaceState(null, "", answer.url);
      }
      showSaved(word("saved", {time: answer.saved_at}));
    });
  }

  function autosaveNow(leaving) {
    var form = stepForm();
    clearTimeout(autosave.timer);
    if (!form || !autosave.dirty || autosave.inflight) { return; }
    if (autosave.rerenders.size && !leaving) { return; }  // scheduled again when they end
    var data = new FormData(form);
    data.set("_action", "autosave");
    form.querySelectorAll("input[type=file]").forEach(function (el) { data.delete(el.name); });
    autosave.dirty = false;
    showSaved(word("saving"));
    var failed = false;
    autosave.inflight = fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return autosaveAnswer(form, response);
    }).catch(function (error) {
      failed = true;
      autosave.dirty = true;  // tried again at the next keystroke, or when the page is left
      showSaved(error.shown || (error instanceof TypeError ? word("offline")
                                : word("notSaved", {reason: error.message})), true);
    }).finally(function () {
      autosave.inflight = null;
      if (autosave.dirty && !failed) { scheduleAutosave(); }  // typed while it was in flight
    });
  }

  function scheduleAutosave() {
    clearTimeout(autosave.timer);
    autosave.timer = setTimeout(autosaveNow, AUTOSAVE_DELAY);
  }

  document.addEventListener("input", function (event) {
    var form = stepForm();
    var el = event.target;
    if (!form || !(form.contains(el) || el.form === form) || el.type === "file") { return; }
    autosave.dirty = true;
    keepNewTaskKey(form);
    scheduleAutosave();
    if (el.name === "base_info.name") {  // the header shows the name as typed
      var name = document.getElementById("task-name");
      if (name) { name.textContent = el.value.trim() || word("newTask"); }
    }
  });

  // Save, Next, Back, a step link: the form carries everything typed, so no autosave is due;
  // one in flight is waited for, as it brings the version to send.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form !== stepForm()) { return; }
    clearTimeout(autosave.timer);
    autosave.dirty = false;
    if (autosave.inflight) {
      event.preventDefault();
      if (autosave.waiting) { return; }  // a second click while waiting
      autosave.waiting = true;
      var submitter = event.submitter;
      autosave.inflight.then(function () {
        autosave.waiting = false;
        form.requestSubmit(submitter);
      });
    }
  });

  // A re-render of the step's form saves what it holds (a new task's does not: its draft is
  // created by a save) and goes where the form posts (a new task's draft's own address once
  // an autosave created it); it waits for an autosave in flight.
  document.addEventListener("htmx:confirm", function (event) {
    var form = stepForm();
    var elt = event.detail.elt;
    if (!form || !form.contains(elt) || elt.id === "json-preview") { return; }
    clearTimeout(autosave.timer);
    if (autosave.inflight) {
      event.preventDefault();
      autosave.inflight.then(function () { event.detail.issueRequest(true); });
      return;
    }
    if (form.querySelector("input[name=_version]").value !== "0") { autosave.dirty = false; }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = stepForm();
    var elt = event.detail.elt;
    if (form && form.contains(elt) && elt.id !== "json-preview") {
      autosave.rerenders.add(event.detail.xhr);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!autosave.rerenders.delete(event.detail.xhr)) { return; }
    if (!autosave.rerenders.size && autosave.dirty) { scheduleAutosave(); }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var form = stepForm();
    if (form && form.contains(event.detail.elt)) { event.detail.path = form.getAttribute("action"); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "step-form-body" && autosave.dirty) { scheduleAutosave(); }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosaveNow(true); }
  });
  window.addEventListener("pagehide", function () { autosaveNow(true); });
  window.addEventListener("pageshow", function (event) {
    // Back from the browser's cache while a save was on its way: its version never reached
    // this copy of the page, which would be taken for another tab's.
    if (event.persisted && autosave.inflight) { location.reload(); }
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
