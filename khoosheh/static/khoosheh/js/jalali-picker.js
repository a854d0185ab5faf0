/* Jalali dates without typing: an input marked data-jalali gets day, month and year lists beside it and is
   filled as 1404/05/12 (Latin digits, as the server reads them). Without JavaScript the text box still
   takes a typed date. Offline, no library. */
(function () {
  var MONTHS_FA = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
                   "اسفند"];
  var MONTHS_EN = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
                   "Dey", "Bahman", "Esfand"];
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var persian = document.documentElement.lang === "fa";

  function shown(n) {
    return persian ? String(n).replace(/[0-9]/g, function (d) { return FA_DIGITS[d]; }) : String(n);
  }
  function latin(text) {
    return text.replace(/[۰-۹]/g, function (d) { return String(FA_DIGITS.indexOf(d)); })
      .replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x660); });
  }
  function thisYear() {
    try {
      return parseInt(new Intl.DateTimeFormat("en-US-u-ca-persian", {year: "numeric"}).format(new Date()), 10);
    } catch (e) { return 1404; }
  }
  function select(label, values, names) {
    var s = document.createElement("select");
    s.setAttribute("aria-label", label);
    s.add(new Option("—", ""));
    values.forEach(function (v, i) { s.add(new Option(names ? names[i] : shown(v), String(v))); });
    return s;
  }
  function range(from, to) { var out = []; for (var i = from; i <= to; i++) { out.push(i); } return out; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function enhance(input) {
    var now = thisYear();
    var years = range(parseInt(input.dataset.minYear || now - 30, 10), parseInt(input.dataset.maxYear || now + 5, 10));
    var day = select(persian ? "روز" : "day", range(1, 31));
    var month = select(persian ? "ماه" : "month", range(1, 12), persian ? MONTHS_FA : MONTHS_EN);
    var year = select(persian ? "سال" : "year", years.slice().reverse());
    var box = document.createElement("span");
    box.className = "jalali-picker";
    [day, month, year].forEach(function (s) { box.appendChild(s); });
    input.parentNode.insertBefore(box, input.nextSibling);
    input.classList.add("jalali-typed");

    var parts = latin(input.value || "").split(/[\/\-.]/);
    if (parts.length === 3) { year.value = String(+parts[0]); month.value = String(+parts[1]); day.value = String(+parts[2]); }

    function write() {
      if (day.value && month.value && year.value) {
        input.value = year.value + "/" + pad(+month.value) + "/" + pad(+day.value);
      } else if (!day.value && !month.value && !year.value) {
        input.value = "";
      }
      /* months 7 to 11 have 30 days and Esfand 29 or 30: the server says so if a day does not exist */
      day.options[31].disabled = +month.value > 6;
    }
    [day, month, year].forEach(function (s) { s.addEventListener("change", write); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-jalali]").forEach(enhance);
  });
})();
