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
