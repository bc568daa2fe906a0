// The forum's one script. Progressive enhancement only: every page works without it.
//  - textarea[data-editor]: a live preview rendered by the server (POST /preview) and an unsent
//    draft kept in localStorage (keyed by page, form and field), cleared when the form is sent.
//  - time[data-relative]: the exact local time on hover, relative text kept fresh.
//  - select[name=body_format]: a format's own fields (fieldset.format-fields[data-format], e.g.
//    the interview's speakers and turns) show only while that format is chosen. Without the
//    script they all show, each labelled with the format it belongs to.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The page's words for this script, in its language (JSON in base.html's
  // <meta name="forum-words">: no inline code, so the CSP holds); English when it is missing.
  var WORDS = (function () {
    try {
      var meta = document.querySelector('meta[name="forum-words"]');
      return (meta && JSON.parse(meta.getAttribute("content"))) || {};
    } catch (e) {
      return {};
    }
  })();
  function t(text) { return WORDS[text] || text; }

  var DRAFT_PREFIX = "forum-draft:";
  var SENT_PREFIX = "forum-draft-sent:";
  var DRAFT_MAX_AGE = 30 * 24 * 3600 * 1000;

  function storage(kind) {
    try {
      var s = window[kind];
      var probe = "__forum__";
      s.setItem(probe, probe);
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null; // private mode or storage disabled: no drafts, nothing breaks
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function draftKey(textarea) {
    var form = textarea.form;
    var action = form ? (form.getAttribute("action") || "") : "";
    return location.pathname + "|" + action + "|" + (textarea.name || textarea.id);
  }

  function readDraft(key) {
    if (!local) { return null; }
    try {
      var draft = JSON.parse(local.getItem(DRAFT_PREFIX + key));
      if (draft && typeof draft.text === "string" && Date.now() - draft.saved < DRAFT_MAX_AGE) {
        return draft.text;
      }
    } catch (e) { /* a corrupt draft is dropped below */ }
    local.removeItem(DRAFT_PREFIX + key);
    return null;
  }

  function writeDraft(key, text) {
    if (!local) { return; }
    try {
      if (text.trim()) {
        local.setItem(DRAFT_PREFIX + key, JSON.stringify({ text: text, saved: Date.now() }));
      } else {
        local.removeItem(DRAFT_PREFIX + key);
      }
    } catch (e) { /* quota exceeded: the text is still in the field */ }
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    if (input) { return input.value; }
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var editorCount = 0;

  function enhanceEditor(textarea) {
    if (textarea.dataset.enhanced) { return; }
    textarea.dataset.enhanced = "1";
    editorCount += 1;
    var form = textarea.form;
    var key = draftKey(textarea);
    var previewId = "editor-preview-" + editorCount;

    var pane = el("section", { "class": "editor-preview", "id": previewId,
                                "aria-labelledby": previewId + "-title" });
    var title = el("p", { "class": "editor-preview-title", "id": previewId + "-title" }, t("Live preview"));
    var status = el("p", { "class": "editor-status", "role": "status" });
    var body = el("div", { "class": "editor-preview-body prose" });
    body.appendChild(el("p", { "class": "muted" }, t("Your formatted text appears here as you type.")));
    pane.appendChild(title);
    pane.appendChild(body);
    var field = textarea.closest(".field") || textarea.parentNode;
    field.appendChild(status);
    field.appendChild(pane);

    // Restore an unsent draft (the server's own text, e.g. after a form error, wins).
    var draft = readDraft(key);
    var sent = session && session.getItem(SENT_PREFIX + key);
    if (session) { session.removeItem(SENT_PREFIX + key); }
    var hasError = field.classList.contains("has-error") ||
      (form && form.querySelector(".has-error, .error"));
    if (!textarea.value.trim() && draft) {
      textarea.value = draft;
      showRestored();
    } else if (!textarea.value.trim() && sent && hasError) {
      textarea.value = sent;
      writeDraft(key, sent);
      showRestored();
    } else if (textarea.value.trim() && hasError) {
      writeDraft(key, textarea.value);
    }

    function showRestored() {
      status.textContent = t("Restored your unsent draft. ");
      var discard = el("button", { "type": "button", "class": "link-button" }, t("Discard it"));
      discard.addEventListener("click", function () {
        textarea.value = "";
        writeDraft(key, "");
        status.textContent = t("Draft discarded.");
        render();
        textarea.focus();
      });
      status.appendChild(discard);
    }

    var timer = null;
    var inflight = null;
    var lastSent = null;

    function render() {
      var text = textarea.value;
      if (text === lastSent) { return; }
      lastSent = text;
      if (!text.trim()) {
        body.replaceChildren(el("p", { "class": "muted" }, t("Your formatted text appears here as you type.")));
        pane.classList.remove("has-error");
        return;
      }
      if (inflight) { inflight.abort(); }
      inflight = new AbortController();
      var data = new FormData();
      data.append("body", text);
      data.append("kind", textarea.dataset.editor || "comment");
      var format = form && form.querySelector("[name=body_format]");
      if (format && format.value) { data.append("format", format.value); }
      fetch(textarea.dataset.previewUrl || "/preview", {
        method: "POST", body: data, credentials: "same-origin", signal: inflight.signal,
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      }).then(function (result) {
        if (result.ok) {
          // Sanitised by the server's own pipeline (bleach), exactly as it would be stored.
          body.innerHTML = result.json.html;
          pane.classList.remove("has-error");
        } else {
          body.replaceChildren(el("p", { "class": "error" },
            result.json.detail || t("The preview could not be made.")));
          pane.classList.add("has-error");
          lastSent = null;
        }
      }).catch(function (err) {
        if (err && err.name === "AbortError") { return; }
        body.replaceChildren(el("p", { "class": "error" }, t("The preview is unavailable right now; your text is safe.")));
        lastSent = null;
      });
    }

    textarea.addEventListener("input", function () {
      writeDraft(key, textarea.value);
      clearTimeout(timer);
      timer = setTimeout(render, 350);
    });
    if (textarea.value.trim()) { render(); }

    if (form) {
      form.addEventListener("submit", function () {
        // Cleared on sending; kept for this tab only in case the server sends the form back.
        if (session && textarea.value.trim()) { session.setItem(SENT_PREFIX + key, textarea.value); }
        writeDraft(key, "");
      });
      // Ctrl/Cmd+Enter sends the form from the editor, as in most writing tools.
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }
      });
    }
  }

  // Relative dates: the server writes "3 days ago" with the UTC time in the title; show the
  // reader's local time on hover instead, and keep the text fresh on a long-open page.
  // (in the page's language: <html lang> is the locale the server chose)
  var LANG = document.documentElement.lang || undefined;
  var rtf = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(LANG, { numeric: "auto" }) : null;
  var UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
               ["hour", 3600], ["minute", 60]];

  // A guest's page is shared by every guest reading its language, so the server writes its
  // times in the site's zone (and names it); the browser shows them in the reader's own zone.
  // A member's page is already in the zone they chose.
  var READER_ZONE = (function () {
    if (document.querySelector('form[action$="/logout"]')) { return null; }
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  })();

  function inReaderZone(node) {
    var stamp = node.getAttribute("datetime");
    var named = /\(([^()]+)\)\s*$/.exec(node.textContent);
    if (!READER_ZONE || !named || named[1] === READER_ZONE || stamp.indexOf("T") < 0) { return; }
    var when = new Date(stamp);
    if (isNaN(when)) { return; }
    node.textContent = when.toLocaleString(LANG, { dateStyle: "long", timeStyle: "short",
      timeZone: READER_ZONE }) + " (" + READER_ZONE + ")";
  }

  function refreshTimes() {
    document.querySelectorAll("time[datetime]:not([data-relative])").forEach(inReaderZone);
    // Every date shows its exact local time on hover, relative or not.
    document.querySelectorAll("time[datetime]:not([title])").forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (!isNaN(when) && node.getAttribute("datetime").indexOf("T") > 0) {
        node.title = when.toLocaleString(LANG, { dateStyle: "long", timeStyle: "short" });
      }
    });
    document.querySelectorAll("time[data-relative][datetime]").forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (isNaN(when)) { return; }
      node.title = when.toLocaleString(LANG, { dateStyle: "long", timeStyle: "short" });
      if (!rtf) { return; }
      var seconds = Math.round((when - Date.now()) / 1000);
      for (var i = 0; i < UNITS.length; i++) {
        if (Math.abs(seconds) >= UNITS[i][1]) {
          node.textContent = rtf.format(Math.trunc(seconds / UNITS[i][1]), UNITS[i][0]);
          return;
        }
      }
      node.textContent = rtf.format(0, "second");
    });
  }

  function followFormat(select) {
    var form = select.form;
    if (!form) { return; }
    var boxes = form.querySelectorAll("fieldset.format-fields[data-format]");
    function show() {
      boxes.forEach(function (box) {
        box.hidden = box.getAttribute("data-format") !== select.value;
      });
    }
    select.addEventListener("change", show);
    show();
  }

  function start() {
    document.querySelectorAll("select[name=body_format]").forEach(followFormat);
    document.querySelectorAll("textarea[data-editor]").forEach(enhanceEditor);
    refreshTimes();
    setInterval(refreshTimes, 60000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
