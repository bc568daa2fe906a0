// Share links: a "Copy link" button for each [data-copy-url]; hidden until this script runs.
(function () {
  "use strict";
  function copy(button) {
    var url = button.getAttribute("data-copy-url");
    var status = document.getElementById(button.getAttribute("aria-controls"));
    function say(text) { if (status) { status.textContent = text; } }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(
        function () { say("Link copied."); },
        function () { say("Copy failed: the link is " + url); }
      );
    } else {
      say("Copy this link: " + url);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-copy-url]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
