/* Autosave of a draft while the citizen types (progressive enhancement: without it, every step is
   saved when it is posted). A form marked data-autosave="applicant" or "fields" is sent to the draft's
   JSON API (PATCH data-autosave-url, the session's CSRF token) a moment after the last change, and
   when the page is left; the result is announced in the data-autosave-status live region.
   No inline script, same origin only (CSP: script-src 'self'; connect-src 'self'). */
(function () {
  "use strict";
  var PREFIX = "f_";

  function payload(form, part) {
    var out = {};
    var elements = form.elements;
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var name = el.name;
      if (!name || el.disabled || name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "file") { continue; }
      if (part === "fields") {
        if (name.indexOf(PREFIX) !== 0) { continue; }
        name = name.slice(PREFIX.length);
      }
      if (el.type === "checkbox") {
        out[name] = part === "fields" ? el.checked : (el.checked ? el.value : "");
      } else if (el.type === "radio") {
        if (el.checked) { out[name] = el.value; } else if (!(name in out)) { out[name] = ""; }
      } else {
        out[name] = el.value;
      }
    }
    var body = {};
    body[part] = out;
    return JSON.stringify(body);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function setup(form) {
    var part = form.getAttribute("data-autosave");
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    var delay = parseInt(form.getAttribute("data-autosave-delay"), 10) || 1500;
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!part || !url || !status || !tokenInput || !window.fetch) { return; }
    var timer = null;
    var last = payload(form, part);
    var submitting = false;

    function say(text) { status.textContent = text; }

    function save(leaving) {
      timer = null;
      if (submitting) { return; }
      var body = payload(form, part);
      if (body === last) { return; }
      var sent = body;
      say(status.getAttribute("data-saving"));
      window.fetch(url, {
        method: "PATCH",
        credentials: "same-origin",
        keepalive: !!leaving,
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": tokenInput.value
        },
        body: sent
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        last = sent;
        var now = new Date();
        say(status.getAttribute("data-saved").replace("{time}", pad(now.getHours()) + ":" + pad(now.getMinutes())));
      }).catch(function () {
        say(status.getAttribute("data-failed"));
      });
    }

    function schedule() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, delay);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) { window.clearTimeout(timer); timer = null; }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer) {
        window.clearTimeout(timer);
        save(true);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) { setup(forms[i]); }
  });
})();
