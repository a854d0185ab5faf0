"""Reports officials hand over: an Excel workbook and a PDF (Persian, right to
left, shaped text, Jalali dates) for the nation, a province, or a cluster.

Both are built from the same figures as the dashboard (aggregate queries), so
a national report is as quick as the dashboard itself."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from khoosheh.core.jalali import format_jalali
from khoosheh.core.progress import no_progress
from khoosheh.core.text import to_persian_digits
from khoosheh.core.unitfile.writers import headers_for, neutralise_formula
from khoosheh.programs.achievements import targets_vs_achievements
from khoosheh.programs.models import Phase
from khoosheh.registry.exporting import contract_rows
from khoosheh.registry.models import Province, UnitStatus

from . import figures

FONTS = Path(__file__).resolve().parents[1] / "static" / "khoosheh" / "fonts"
PDF_LIST_LIMIT = 2000  # a PDF lists at most this many units; the workbook lists them all
PROGRESS_EVERY = 1000  # rows


def _workbook(target):
    """A workbook on a path streams its rows to disk (constant memory, for lists of any length);
    one in a BytesIO is built in memory (small reports answered straight away)."""
    import xlsxwriter

    options = {"strings_to_formulas": False}
    options |= {"in_memory": True} if isinstance(target, io.BytesIO) else {"constant_memory": True}
    return xlsxwriter.Workbook(target, options)


def _write_unit_list(book, units, total: int, progress) -> None:
    """Every unit in scope, in the unit-file contract (so the sheet can be imported back)."""
    sheet = book.add_worksheet("واحدها")
    sheet.right_to_left()
    sheet.set_column(1, 1, 36)
    sheet.write_row(0, 0, headers_for("fa"), book.add_format({"bold": True}))
    progress("units", 0, total)
    for i, row in enumerate(contract_rows(units), start=1):
        sheet.write_row(i, 0, ["" if v is None else neutralise_formula(v) for v in row])
        if i % PROGRESS_EVERY == 0:
            progress("units", i, total)
    progress("units", total, total)


class PdfUnavailable(RuntimeError):
    """WeasyPrint needs the Pango library of the operating system."""


def area_report(user, year: int, province_code: str | None) -> dict:
    with translation.override("fa"):
        registry = figures.registry_figures(user, province_code, year)
        clusters = figures.cluster_figures(user, province_code, year)
        province = Province.objects.filter(code=province_code).first()
        by_province = []
        if not province_code:
            names = dict(Province.objects.values_list("code", "name_fa"))
            by_province = sorted(({"name": names[c], "n": r["n"], "idle": r["idle"],
                                   "clusters": clusters["by_province"].get(c, 0)}
                                  for c, r in registry["by_province"].items()), key=lambda r: -r["n"])
        return {
            "title": f"گزارش {'استان ' + province.name_fa if province else 'ملی'} واحدهای تولیدی و خوشه‌های صنعتی",
            "year": year, "made_on": format_jalali(timezone.localdate()),
            "statuses": [(str(label), registry["totals"][s]) for s, label in UnitStatus.choices],
            "totals": registry["totals"], "divisions": registry["divisions"], "by_province": by_province,
            "clusters": clusters,
            "phases": [(str(label), clusters["by_phase"].get(v, 0)) for v, label in Phase.choices],
            "programs": figures.program_figures(user, province_code, year, settings.KHOOSHEH_PIPELINE_THRESHOLD),
            "spx": figures.spx_figures(user, province_code, year),
            "targets": [(r.label, r.target, r.achieved, r.percent)
                        for r in targets_vs_achievements(year, province_code)],
        }


def cluster_report(cluster, members) -> dict:
    with translation.override("fa"):
        return {
            "title": f"شناسنامه {cluster.name}", "made_on": format_jalali(timezone.localdate()),
            "cluster": cluster, "activity": f"{cluster.activity_id} — {cluster.activity.title_fa}",
            "members": [{"name": u.name, "national_id": u.national_id, "county": u.county.name_fa,
                         "employees": u.employees, "status": str(UnitStatus(u.status).label)} for u in members],
        }


def area_workbook(data: dict, target=None, *, units=None, total: int = 0, progress=no_progress) -> bytes | None:
    """The workbook, as bytes, or written to `target` (a path); with `units`, a sheet listing them."""
    buffer = target if target is not None else io.BytesIO()
    book = _workbook(buffer)
    title, bold, number = (book.add_format({"bold": True, "font_size": 14}), book.add_format({"bold": True}),
                           book.add_format({"num_format": "#,##0"}))
    summary = book.add_worksheet("خلاصه")
    summary.right_to_left()
    summary.set_column(0, 0, 42)
    summary.set_column(1, 3, 16)
    summary.write(0, 0, data["title"], title)
    summary.write(1, 0, f"سال {to_persian_digits(data['year'])} — تهیه‌شده در {data['made_on']}")
    rows = [("واحدهای تولیدی", data["totals"]["units"]), ("کارکنان", data["totals"]["employees"] or 0),
            *data["statuses"], ("خوشه‌های صنعتی", data["clusters"]["total"]),
            ("خوشه‌های شناسایی‌شده در سال", data["clusters"]["in_year"]),
            ("خوشه‌های در برنامه توسعه", data["clusters"]["in_development"]),
            ("واحدهای راکد احیاشده در سال", data["programs"]["revived"]),
            ("طرح‌های نیمه‌تمام نزدیک به تکمیل", data["programs"]["near_completion"]),
            ("کنسرسیوم‌های صادراتی", data["programs"]["consortia"]),
            ("قراردادهای پیمانکاری فرعی در سال", data["spx"]["contracts"])]
    for i, (label, value) in enumerate(rows, start=3):
        summary.write(i, 0, label)
        summary.write_number(i, 1, value or 0, number)
    targets = book.add_worksheet("هدف و دستاورد")
    targets.right_to_left()
    targets.set_column(0, 0, 40)
    targets.write_row(0, 0, ["شاخص", "هدف", "دستاورد", "درصد تحقق"], bold)
    for i, (label, goal, achieved, percent) in enumerate(data["targets"], start=1):
        targets.write(i, 0, label)
        targets.write(i, 1, goal if goal is not None else "")
        targets.write_number(i, 2, achieved)
        targets.write(i, 3, percent if percent is not None else "")
    activities = book.add_worksheet("فعالیت‌ها")
    activities.right_to_left()
    activities.set_column(0, 0, 60)
    activities.write_row(0, 0, ["بخش آیسیک", "واحدها"], bold)
    for i, d in enumerate(data["divisions"], start=1):
        activities.write(i, 0, f"{d['code']} {d['title_fa']}")
        activities.write_number(i, 1, d["n"], number)
    if data["by_province"]:
        provinces = book.add_worksheet("استان‌ها")
        provinces.right_to_left()
        provinces.write_row(0, 0, ["استان", "واحدها", "راکد", "خوشه‌ها"], bold)
        for i, r in enumerate(data["by_province"], start=1):
            provinces.write_row(i, 0, [r["name"], r["n"], r["idle"], r["clusters"]])
    if units is not None:
        _write_unit_list(book, units, total, progress)
    book.close()
    return buffer.getvalue() if target is None else None


def cluster_workbook(data: dict, target=None, *, progress=no_progress) -> bytes | None:
    buffer = target if target is not None else io.BytesIO()
    book = _workbook(buffer)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("شناسنامه")
    sheet.right_to_left()
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 50)
    c = data["cluster"]
    sheet.write(0, 0, data["title"], bold)
    for i, (label, value) in enumerate([
            ("فعالیت", data["activity"]), ("استان", c.province.name_fa), ("شهرستان", c.county.name_fa),
            ("تعداد واحدها", c.n_units), ("کارکنان", c.employees), ("ضریب مکانی", c.lq),
            ("سهم واحدهای کوچک", c.share_small), ("سهم صادرکنندگان", c.share_exporters),
            ("ستاره", c.stars), ("تاریخ تهیه", data["made_on"])], start=2):
        sheet.write(i, 0, label)
        sheet.write(i, 1, value if value is not None else "")
    members = book.add_worksheet("اعضا")
    members.right_to_left()
    members.write_row(0, 0, ["نام واحد", "شناسه ملی", "شهرستان", "کارکنان", "وضعیت"], bold)
    total = len(data["members"])
    for i, m in enumerate(data["members"], start=1):
        members.write_row(i, 0, [neutralise_formula(m["name"]), m["national_id"], m["county"], m["employees"] or "",
                                 m["status"]])
        if i % PROGRESS_EVERY == 0:
            progress("members", i, total)
    book.close()
    return buffer.getvalue() if target is None else None


def unit_listing(units, limit: int = PDF_LIST_LIMIT) -> dict:
    """The first `limit` units for a PDF, and how many there are in all."""
    with translation.override("fa"):
        rows = [{"name": u.name, "national_id": u.national_id, "county": u.county.name_fa, "activity": u.activity_id,
                 "employees": u.employees, "status": str(UnitStatus(u.status).label)}
                for u in units.select_related("county").order_by("province_id", "name_key")[:limit]]
    return {"rows": rows, "total": units.count(), "limit": limit}


def pdf(template: str, data: dict, target=None, *, progress=no_progress) -> bytes | None:
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Python package is there, the Pango library is not
        raise PdfUnavailable("PDF needs the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0") \
            from exc
    progress("layout", 1, 3)
    with translation.override("fa"):
        html = render_to_string(template, {**data, "font_dir": FONTS.as_uri()})
    document = HTML(string=html).render()
    progress("pdf", 2, 3)
    return document.write_pdf(target)
