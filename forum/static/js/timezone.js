// The registration form's hidden time-zone field gets the browser's zone (Europe/Helsinki), so a
// new member sees times in their own zone from the start; they can change it on their profile.
// Without JavaScript the field stays empty and times read UTC until they set one.
(function () {
  "use strict";
  function guess() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var zone = guess();
    document.querySelectorAll("input[data-timezone-guess]").forEach(function (input) {
      if (!input.value) input.value = zone;
    });
  });
})();
