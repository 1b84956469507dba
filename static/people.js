// The language switcher and the browser's time zone (drsui.people). No words of its own.
(function () {
  "use strict";
  // The switcher submits itself on change; without JavaScript its button does.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  // The server renders times in this zone until the person chooses one (Preferences).
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) {
    var cookie = "drsui_tz=" + encodeURIComponent(zone);
    if (document.cookie.split("; ").indexOf(cookie) === -1) {
      document.cookie = cookie + "; path=/; max-age=31536000; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
    }
  }
})();
