/* Long lists (counties, ISIC classes, participants): a select marked data-search gets a filter box above it,
   and so does a long list of ticks (forms/_field.html marks its box data-search). Typing keeps the options
   whose label contains the text (Arabic ي/ك and Persian digits folded); ticks already made stay, hidden or
   not. Offline, no library. */
(function () {
  var DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  function fold(text) {
    return text.toLowerCase().replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, " ")
      .replace(/[۰-۹]/g, function (d) { return String(DIGITS.indexOf(d)); });
  }
  function filterBox(before) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = document.documentElement.lang === "fa" ? "جست‌وجو در فهرست…" : "Filter the list…";
    box.setAttribute("aria-label", box.placeholder);
    before.parentNode.insertBefore(box, before);
    return box;
  }
  function enhanceSelect(select) {
    var box = filterBox(select);
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim()), first = null;
      options.forEach(function (o) {
        var keep = !o.value || !wanted || fold(o.text).indexOf(wanted) !== -1;
        o.hidden = !keep;
        if (keep && o.value && !first) { first = o; }
      });
      if (first && wanted && select.selectedOptions[0] && select.selectedOptions[0].hidden) { first.selected = true; }
    });
  }
  function enhanceTicks(list) {
    var box = filterBox(list);
    var labels = Array.prototype.slice.call(list.querySelectorAll("label"));
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      labels.forEach(function (label) {
        label.parentNode.hidden = !!wanted && fold(label.textContent).indexOf(wanted) === -1;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-search]").forEach(enhanceSelect);
    document.querySelectorAll("div.checklist-box[data-search]").forEach(enhanceTicks);
  });
})();
