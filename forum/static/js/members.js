// Members' script (never on the anonymous, cached pages). Progressive enhancement only:
//  - form[data-mark-read]: the read position, sent by itself as comments come into view.
//  - textarea[data-editor] and the comment body: typing @ offers member names from
//    /members/names (a listbox under the field; arrows, Enter or a click pick one).
//  - a[data-quote]: with text selected in that comment, the form starts with only that text
//    quoted; without a selection the link opens the form with the whole comment quoted.
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? script.src.replace(/\/static\/js\/members\.js.*$/, "") : "";
  var NAMES_URL = base + "/members/names";
  var MENTION_AT_CARET = /(^|[^\w@\/.])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,39})$/;

  // The read position moves to the newest comment that has been on screen (not merely on
  // the page), so "Jump to first unread" still finds what the member has not looked at.
  function markRead() {
    var form = document.querySelector("form[data-mark-read]");
    if (!form || !window.fetch) { return; }
    var upto = form.querySelector("input[name=upto]");
    var sent = 0;
    var seen = 0;
    var timer = null;
    function send() {
      if (seen <= sent) { return; }
      var data = new FormData(form);
      data.set("upto", String(seen));
      sent = seen;
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        // (never while its button has the focus: hiding it would drop keyboard users on <body>)
        if (response.ok && String(sent) === upto.value && !form.contains(document.activeElement)) {
          form.hidden = true;
        }
      }).catch(function () { sent = 0; /* the button still works */ });
    }
    if (!window.IntersectionObserver) {
      seen = parseInt(upto.value, 10) || 0;
      send();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        var id = parseInt(entry.target.id.replace("comment-", ""), 10) || 0;
        if (id > seen) { seen = id; }
        observer.unobserve(entry.target);
      });
      window.clearTimeout(timer);
      timer = window.setTimeout(send, 600);
    }, { threshold: 0.5 });
    Array.prototype.forEach.call(
      document.querySelectorAll(".comment-list article.comment[id^='comment-']"),
      function (article) { observer.observe(article); }
    );
  }

  function commentBody() {
    return document.querySelector("#comment-form textarea[name=body]");
  }

  // --- @names -------------------------------------------------------------------------------

  function Suggest(textarea) {
    this.textarea = textarea;
    this.list = document.createElement("ul");
    this.list.className = "mention-suggestions";
    this.list.setAttribute("role", "listbox");
    this.list.id = (textarea.id || "body") + "-mentions";
    this.list.hidden = true;
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.list.id);
    textarea.parentNode.insertBefore(this.list, textarea.nextSibling);
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.asked = "";
    var self = this;
    textarea.addEventListener("input", function () { self.changed(); });
    textarea.addEventListener("keydown", function (e) { self.key(e); });
    textarea.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 200);
    });
  }

  Suggest.prototype.query = function () {
    var t = this.textarea;
    var before = t.value.slice(0, t.selectionStart);
    var m = MENTION_AT_CARET.exec(before);
    return m ? m[2] : null;
  };

  Suggest.prototype.changed = function () {
    var q = this.query();
    var self = this;
    window.clearTimeout(this.timer);
    if (!q) { this.close(); return; }
    this.timer = window.setTimeout(function () { self.ask(q); }, 150);
  };

  Suggest.prototype.ask = function (q) {
    var self = this;
    this.asked = q;
    fetch(NAMES_URL + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) { return r.ok ? r.json() : []; })
      .then(function (names) { if (self.asked === q) { self.show(names); } })
      .catch(function () { self.close(); });
  };

  Suggest.prototype.show = function (names) {
    var self = this;
    this.list.textContent = "";
    this.items = names;
    this.active = names.length ? 0 : -1;
    names.forEach(function (member, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = self.list.id + "-" + i;
      li.textContent = "@" + member.username + (member.name !== member.username ? " (" + member.name + ")" : "");
      li.addEventListener("mousedown", function (e) { e.preventDefault(); self.pick(i); });
      self.list.appendChild(li);
    });
    this.list.hidden = !names.length;
    this.highlight();
  };

  Suggest.prototype.highlight = function () {
    var self = this;
    Array.prototype.forEach.call(this.list.children, function (li, i) {
      li.setAttribute("aria-selected", i === self.active ? "true" : "false");
    });
    if (this.active >= 0) {
      this.textarea.setAttribute("aria-activedescendant", this.list.id + "-" + this.active);
    } else {
      this.textarea.removeAttribute("aria-activedescendant");
    }
  };

  Suggest.prototype.key = function (e) {
    if (this.list.hidden) { return; }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var n = this.items.length;
      this.active = (this.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.highlight();
    } else if (e.key === "Enter" || e.key === "Tab") {
      if (this.active >= 0) { e.preventDefault(); this.pick(this.active); }
    } else if (e.key === "Escape") {
      this.close();
    }
  };

  Suggest.prototype.pick = function (i) {
    var t = this.textarea;
    var q = this.query();
    var member = this.items[i];
    if (q === null || !member) { this.close(); return; }
    var caret = t.selectionStart;
    var start = caret - q.length;
    var insert = member.username + " ";
    t.value = t.value.slice(0, start) + insert + t.value.slice(caret);
    t.selectionStart = t.selectionEnd = start + insert.length;
    t.dispatchEvent(new Event("input", { bubbles: true }));
    this.close();
    t.focus();
  };

  Suggest.prototype.close = function () {
    this.list.hidden = true;
    this.items = [];
    this.active = -1;
    this.highlight();
  };

  // --- Quote --------------------------------------------------------------------------------

  function selectedTextIn(element) {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return ""; }
    var range = selection.getRangeAt(0);
    if (!element.contains(range.commonAncestorContainer)) { return ""; }
    return selection.toString().trim();
  }

  function quoteSelection(event) {
    var link = event.currentTarget;
    var article = document.getElementById("comment-" + link.getAttribute("data-quote"));
    var body = article && article.querySelector(".comment-body");
    var textarea = commentBody();
    var text = body ? selectedTextIn(body) : "";
    if (!text || !textarea) { return; } // the link opens the form with the whole comment
    event.preventDefault();
    var author = article.querySelector(".comment-author");
    var who = author ? author.textContent.replace(/\s+guest$/, "").trim() : "";
    var quoted = text.split(/\r?\n/).map(function (line) { return ("> " + line).trimEnd(); });
    var lead = who ? "> " + who + " wrote:\n>\n" : "";
    textarea.value = (textarea.value ? textarea.value + "\n\n" : "") + lead + quoted.join("\n") + "\n\n";
    var replyTo = textarea.form.querySelector("input[name=reply_to]");
    if (replyTo) { replyTo.value = link.getAttribute("data-quote"); }
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = textarea.value.length;
    textarea.scrollIntoView({ block: "center" });
  }

  function start() {
    markRead();
    Array.prototype.forEach.call(
      document.querySelectorAll("textarea[data-editor], #comment-form textarea[name=body]"),
      function (t) { if (!t.hasAttribute("aria-controls")) { new Suggest(t); } }
    );
    Array.prototype.forEach.call(document.querySelectorAll("a[data-quote]"), function (a) {
      a.addEventListener("click", quoteSelection);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
