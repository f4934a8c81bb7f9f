/* Forms that guide: a message beside a field as it is filled in, before anything is sent.
   Only a guide — the server checks everything again and refuses; the messages come from
   the page (data- attributes, in the page's language), none is written here.

   form[data-date-guide] (the plan form): each target date must lie inside the pairing
   (data-first to data-last) and not before the programme's today (data-today), unless
   the approved plan a revision keeps has that very date for the row's competency
   (data-kept: {competency id: date}). data-outside and data-passed are the messages;
   "{day}" in data-passed is the date typed.

   form[data-sector-guide] (the pairing form): once the coach and the mentee chosen are of
   the same sector (data-sector on their options), the sector is set to it, unless a
   sector was chosen by hand; #sector_id-guide says so (data-shared). */
(function () {
  "use strict";

  function describe(input, id, on) {
    const ids = (input.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter((x) => x && x !== id);
    if (on) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  // The note beside the field, made once, before anything is said in it (a live region
  // that exists before its text changes is announced by screen readers).
  function noteOf(input) {
    let note = document.getElementById(input.id + "-guide");
    if (!note) {
      note = document.createElement("div");
      note.id = input.id + "-guide";
      note.className = "invalid-feedback d-block";
      note.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", note);
    }
    return note;
  }

  // Show ``message`` (or nothing) beside ``input``. The server's own message stays until
  // the field is changed, then this guide speaks instead.
  function flag(input, message) {
    const note = noteOf(input);
    const server = document.getElementById(input.id + "-error");
    const serverSpeaks = Boolean(server) && input.value === input.defaultValue;
    if (server) {
      server.hidden = !serverSpeaks;
      describe(input, server.id, serverSpeaks);
    }
    note.textContent = serverSpeaks ? "" : message;
    describe(input, note.id, Boolean(note.textContent));
    const invalid = serverSpeaks || Boolean(message);
    input.classList.toggle("is-invalid", invalid);
    if (invalid) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function dateGuide(form) {
    const rule = form.dataset;
    let kept = {};
    try {
      kept = JSON.parse(rule.kept || "{}");
    } catch (error) {
      kept = {};
    }
    const dates = form.querySelectorAll('input[type="date"][name$="-target_date"]');

    function problem(input) {
      const day = input.value; // YYYY-MM-DD, or "" while the date is incomplete
      if (!day) return "";
      if (day < rule.first || day > rule.last) return rule.outside;
      const competency = form.elements[input.name.replace(/target_date$/, "competency_id")];
      if (day < rule.today && kept[competency ? competency.value : ""] !== day) {
        return rule.passed.split("{day}").join(day);
      }
      return "";
    }

    dates.forEach((input) => {
      input.min = rule.first;
      input.max = rule.last;
      const check = () => flag(input, problem(input));
      input.addEventListener("input", check);
      input.addEventListener("change", check);
      const competency = form.elements[input.name.replace(/target_date$/, "competency_id")];
      if (competency) competency.addEventListener("change", check);
      if (input.value) check(); // a date that passed since the draft was saved
    });
  }

  function sectorGuide(form) {
    const coach = form.elements.coach_id;
    const mentee = form.elements.mentee_id;
    const sector = form.elements.sector_id;
    const note = document.getElementById("sector_id-guide");
    if (!coach || !mentee || !sector || !note) return;
    const sectorOf = (select) => {
      const option = select.options[select.selectedIndex];
      return (option && option.dataset.sector) || "";
    };
    // a sector already there counts as chosen by hand unless it is the mentee's
    let byHand = sector.value !== "" && sector.value !== sectorOf(mentee);
    let byGuide = false;

    function follow() {
      if (byHand) return;
      const shared = sectorOf(mentee) && sectorOf(mentee) === sectorOf(coach) ? sectorOf(mentee) : "";
      const offered = Array.from(sector.options).some((o) => o.value === shared);
      if (shared && offered) {
        sector.value = shared;
        byGuide = true;
        note.textContent = form.dataset.shared;
      } else if (byGuide) {
        sector.value = "";
        byGuide = false;
        note.textContent = "";
      }
      describe(sector, note.id, Boolean(note.textContent));
    }

    mentee.addEventListener("change", follow);
    coach.addEventListener("change", follow);
    sector.addEventListener("change", () => {
      byHand = sector.value !== "";
      byGuide = false;
      note.textContent = "";
      describe(sector, note.id, false);
    });
  }

  document.querySelectorAll("form[data-date-guide]").forEach(dateGuide);
  document.querySelectorAll("form[data-sector-guide]").forEach(sectorGuide);
})();
