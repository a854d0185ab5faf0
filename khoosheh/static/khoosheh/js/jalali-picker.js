/* Jalali dates: an input marked data-jalali gets day, month and year lists beside it, and the two stay in step.
   Typing a date in the box (Persian or Latin digits, 1404/05/12, 1404-5-12) sets the lists; choosing in the
   lists writes the box (as ۱۴۰۴/۰۵/۱۲ in Persian pages, 1404/05/12 in English ones).  The lists never show a
   date other than the box's: while the box holds no whole date they are empty, and a date that does not exist
   (31 Mehr) or an unfinished choice is named in a Persian hint under the box and marked invalid, so the browser
   does not send it.  The server reads the box
   and stays the judge (core/jalali.py parse_jalali: the same forms, the same month lengths).  Without
   JavaScript the box alone takes a typed date.  Offline, no library. */
(function () {
  var MONTHS_FA = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
                   "اسفند"];
  var MONTHS_EN = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
                   "Dey", "Bahman", "Esfand"];
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  // What parse_jalali accepts once core.text.clean has folded digits: a 4-digit year, then month and day, apart
  // by / - . or the Persian decimal sign, spaces allowed around them.
  var PATTERN = /^(\d{4})\s*[\/\-.\u066B]\s*(\d{1,2})\s*[\/\-.\u066B]\s*(\d{1,2})$/;
  var persian = document.documentElement.lang === "fa";

  function shown(n) {
    return persian ? String(n).replace(/[0-9]/g, function (d) { return FA_DIGITS[d]; }) : String(n);
  }
  // As core.text.clean: Persian and Arabic-Indic digits to Latin, the marks Word and Excel leave dropped.
  function latin(text) {
    return text.replace(/[\u0640\u200B\u200D-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, "")
      .replace(/[۰-۹]/g, function (d) { return String(FA_DIGITS.indexOf(d)); })
      .replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x660); });
  }
  function thisYear() {
    try {
      return parseInt(new Intl.DateTimeFormat("en-US-u-ca-persian", {year: "numeric"}).format(new Date()), 10);
    } catch (e) { return 1404; }
  }
  // The server's rule (jdatetime): a 33-year cycle; Esfand has 30 days in a leap year, 29 otherwise.
  function monthLength(year, month) {
    if (month <= 6) { return 31; }
    if (month <= 11) { return 30; }
    return [1, 5, 9, 13, 17, 22, 26, 30].indexOf(year % 33) !== -1 ? 30 : 29;
  }
  function monthName(month) { return (persian ? MONTHS_FA : MONTHS_EN)[month - 1]; }

  var SAY = persian ? {
    form: "تاریخ را به شکل سال/ماه/روز بنویسید، مثل ۱۴۰۴/۰۵/۱۲",
    year: "سال ۰ وجود ندارد؛ تاریخ را به شکل سال/ماه/روز بنویسید، مثل ۱۴۰۴/۰۵/۱۲",
    month: function (m) { return "ماه " + shown(m) + " وجود ندارد؛ ماه باید بین ۱ و ۱۲ باشد"; },
    day: function (y, m, d) {
      return "روز " + shown(d) + " در " + monthName(m) + " " + shown(y) + " وجود ندارد؛ این ماه " +
        shown(monthLength(y, m)) + " روز دارد";
    },
    partial: "روز، ماه و سال را هر سه انتخاب کنید (یا هر سه را خالی بگذارید)"
  } : {
    form: "Write the date as year/month/day, like 1404/05/12",
    year: "There is no year 0; write the date as year/month/day, like 1404/05/12",
    month: function (m) { return "There is no month " + m + "; a month is 1 to 12"; },
    day: function (y, m, d) {
      return "There is no day " + d + " in " + monthName(m) + " " + y + "; it has " + monthLength(y, m) + " days";
    },
    partial: "Choose the day, the month and the year (or leave all three empty)"
  };

  /* The box's text read as the server reads it: {empty}, {year, month, day}, or {problem}. */
  function read(text) {
    var t = latin(text).trim();
    if (!t) { return {empty: true}; }
    var match = PATTERN.exec(t);
    if (!match) { return {problem: SAY.form}; }
    var y = +match[1], m = +match[2], d = +match[3];
    if (y < 1) { return {problem: SAY.year}; }
    if (m < 1 || m > 12) { return {problem: SAY.month(m)}; }
    if (d < 1 || d > monthLength(y, m)) { return {problem: SAY.day(y, m, d)}; }
    return {year: y, month: m, day: d};
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

  /* A typed year outside the list's span joins the list, in its place (the list runs newest first). */
  function offerYear(years, year) {
    var value = String(year);
    for (var i = 1; i < years.options.length; i++) {
      if (years.options[i].value === value) { return; }
      if (+years.options[i].value < year) { years.add(new Option(shown(year), value), i); return; }
    }
    years.add(new Option(shown(year), value));
  }

  function enhance(input) {
    var now = thisYear();
    var span = range(parseInt(input.dataset.minYear || now - 30, 10), parseInt(input.dataset.maxYear || now + 5, 10));
    var day = select(persian ? "روز" : "day", range(1, 31));
    var month = select(persian ? "ماه" : "month", range(1, 12), persian ? MONTHS_FA : MONTHS_EN);
    var year = select(persian ? "سال" : "year", span.slice().reverse());
    var box = document.createElement("span");
    box.className = "jalali-picker";
    [day, month, year].forEach(function (s) { box.appendChild(s); });
    var hint = document.createElement("span");
    hint.className = "jalali-hint";
    hint.setAttribute("aria-live", "polite");
    if (input.id) {
      hint.id = input.id + "_hint";
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    }
    input.parentNode.insertBefore(box, input.nextSibling);
    box.parentNode.insertBefore(hint, box.nextSibling);
    input.classList.add("jalali-typed");

    var problem = "";
    function say(text) {
      hint.textContent = text;
      input.classList.toggle("jalali-wrong", !!text);
    }
    function judge(text, speak) {
      problem = text;
      input.setCustomValidity(text);
      if (speak || !text) { say(text); }
    }
    /* Days a month does not have cannot be chosen (a day already chosen stays, and is named in the hint). */
    function limitDays() {
      var last = month.value ? monthLength(+year.value || 1403, +month.value) : 31;
      for (var d = 29; d <= 31; d++) { day.options[d].disabled = d > last; }
    }
    function fromBox(speak) {
      var date = read(input.value || "");
      if (date.year) {
        offerYear(year, date.year);
        year.value = String(date.year); month.value = String(date.month); day.value = String(date.day);
      } else {
        day.value = month.value = year.value = "";
      }
      limitDays();
      judge(date.problem || "", speak);
    }
    function fromLists() {
      limitDays();
      if (day.value && month.value && year.value) {
        // In the page's digits, as a date the server fills in reads (۱۴۰۴/۰۵/۱۰ in Persian pages).
        input.value = shown(year.value + "/" + pad(+month.value) + "/" + pad(+day.value));
        judge(read(input.value).problem || "", true);
      } else {
        input.value = "";
        judge(day.value || month.value || year.value ? SAY.partial : "", true);
      }
    }
    fromBox(false);  // a date sent back by the server (a refused form) is shown in the lists too
    input.addEventListener("input", function () { fromBox(false); });
    // Said when the person leaves the box or tries to send the form, not at every keystroke.
    input.addEventListener("change", function () { fromBox(true); });
    input.addEventListener("invalid", function () { if (problem) { say(problem); } });
    [day, month, year].forEach(function (s) { s.addEventListener("change", fromLists); });
    // A form the browser does not check (novalidate) is still held back while the date is wrong.
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        if (problem) { event.preventDefault(); say(problem); input.focus(); }
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-jalali]").forEach(enhance);
  });
})();
