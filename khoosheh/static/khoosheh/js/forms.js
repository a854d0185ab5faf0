/* Behaviour that templates ask for with data attributes, never with inline handlers
   (onchange="..."), which the Content-Security-Policy forbids.

   <select data-submit-on-change>            submits its form when a choice is made
   <select ... data-clears="county">          and first empties the form's "county" field */
document.addEventListener("change", function (event) {
  var field = event.target;
  if (!field.form || !field.hasAttribute || !field.hasAttribute("data-submit-on-change")) { return; }
  var cleared = field.dataset.clears && field.form.elements[field.dataset.clears];
  if (cleared) { cleared.value = ""; }
  field.form.submit();
});

/* A refused form's summary (forms/_form.html) gets the focus when the page opens: on a program's page the
   refused form may sit below the fold, under tables, and the person should land on what to fix; a screen
   reader reads it out.  Without script the summary is still the first thing in its form. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".form-summary");
  if (summary) { summary.focus(); }
});

/* A file box (web/fields.FilePicker) shows a button and the chosen file's name in the page's language
   instead of the browser's own «Choose File / No file chosen».  The native box stays in the page, out of
   sight but focusable, so the keyboard and screen readers reach it; without script it is shown as it is. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-file-pick]").forEach(function (pick) {
    var input = pick.querySelector("input[type=file]");
    var name = pick.querySelector(".file-pick-name");
    var show = function () {
      name.textContent = input.files && input.files.length ? input.files[0].name : pick.dataset.none;
    };
    pick.classList.add("enhanced");
    pick.querySelector(".file-pick-button").hidden = false;
    name.hidden = false;
    input.addEventListener("change", function () {
      show();
      // A refusal of the file before ("choose a file", "not a PDF") no longer applies to the one now chosen;
      // the server checks the new one when the form is sent.
      var field = pick.closest(".field") || pick.parentElement;
      field.classList.remove("invalid");
      field.querySelectorAll(".errorlist").forEach(function (list) { list.hidden = true; });
    });
    show();
  });
});
