// Interview editor: add turn rows without a round trip and keep speaker names in step.
// Progressive enhancement only: every button also works as a plain form post.
(function () {
  "use strict";

  function speakerNames(box) {
    var interviewer = box.querySelector("input[name$='interviewer']");
    var interviewees = box.querySelector("input[name$='interviewees']");
    var names = [(interviewer && interviewer.value.trim()) || "Interviewer"];
    var rest = interviewees ? interviewees.value.split(",").map(function (s) { return s.trim(); })
      .filter(Boolean) : [];
    return names.concat(rest.length ? rest : ["Interviewee"]);
  }

  function refreshSelects(box) {
    var names = speakerNames(box);
    box.querySelectorAll("[data-qa-turn] select").forEach(function (select) {
      var chosen = select.value;
      while (select.options.length) { select.remove(0); }
      names.forEach(function (name, index) { select.add(new Option(name, String(index))); });
      select.value = Number(chosen) < names.length ? chosen : "0";
    });
  }

  function renumber(row, index) {
    row.querySelectorAll("[name],[id],[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/turns-\d+-/, "turns-" + index + "-")); }
      });
    });
    var legend = row.querySelector("legend");
    if (legend) { legend.textContent = "Turn " + (index + 1); }
  }

  function addTurn(box) {
    var list = box.querySelector("[data-qa-turns]");
    var rows = list.querySelectorAll("[data-qa-turn]");
    if (!rows.length) { return; }
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    renumber(row, rows.length);
    row.querySelector("textarea").value = "";
    var previous = last.querySelector("select").value;
    list.appendChild(row);
    row.querySelector("select").value = previous === "0" ? "1" : "0";
    row.querySelector("textarea").focus();
  }

  document.querySelectorAll("[data-qa-interview]").forEach(function (box) {
    var button = box.querySelector("[data-qa-add-turn]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        addTurn(box);
      });
    }
    box.addEventListener("input", function (event) {
      if (/interviewe(r|es)$/.test(event.target.name || "")) { refreshSelects(box); }
    });
  });
})();
