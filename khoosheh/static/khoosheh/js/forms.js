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
