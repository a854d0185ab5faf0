"""Reports officials hand over: Excel and PDF, Persian, within the user's scope."""

import shutil
import subprocess

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.demo_snapshot import demo_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path_factory):
    demo_registry(settings, tmp_path_factory, units=3000, seed=4)


def sheets(content, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_the_national_excel_report_holds_the_dashboard_figures(client, demo, tmp_path):
    from khoosheh.accounts.models import User

    client.force_login(User.objects.get(username="demo"))
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"year": "1405"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = sheets(response.content, tmp_path)
    summary = book["خلاصه"]
    assert summary[0][0].startswith("گزارش ملی")
    assert summary[3][:2] == ["واحدهای تولیدی", 3000.0]
    assert len(book["استان‌ها"]) == 32  # header + 31 provinces


def test_the_excel_reports_summary_line_gives_the_year_in_persian_digits(client, demo, tmp_path):
    from khoosheh.accounts.models import User

    client.force_login(User.objects.get(username="demo"))
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"year": "1405"})
    line = sheets(response.content, tmp_path)["خلاصه"][1][0]
    assert line.startswith("سال ۱۴۰۵ —") and not any(c.isascii() and c.isdigit() for c in line)


def test_provincial_staff_asking_for_another_provinces_report_are_refused(client, demo, cast):
    client.force_login(cast.isfahan)
    for fmt in ("xlsx", "pdf"):
        response = client.get(reverse("dashboards:report", args=[fmt]), {"province": "07", "year": "1405"})
        assert response.status_code == 403
        assert "Content-Disposition" not in response


def test_provincial_staff_asking_for_their_own_province_get_its_report(client, demo, tmp_path, cast):
    client.force_login(cast.isfahan)
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"province": "10", "year": "1405"})
    book = sheets(response.content, tmp_path)
    assert "اصفهان" in book["خلاصه"][0][0] and "استان‌ها" not in book


def test_provincial_staff_naming_no_province_get_their_own_provinces_report(client, demo, tmp_path, cast):
    client.force_login(cast.isfahan)
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"year": "1405"})
    book = sheets(response.content, tmp_path)
    assert "اصفهان" in book["خلاصه"][0][0] and "استان‌ها" not in book


def test_national_staff_may_ask_for_any_provinces_report(client, demo, tmp_path):
    from khoosheh.accounts.models import User

    client.force_login(User.objects.get(username="demo"))
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"province": "07", "year": "1405"})
    assert "استان فارس" in sheets(response.content, tmp_path)["خلاصه"][0][0]


def test_a_cluster_profile_in_excel(client, demo, tmp_path):
    from khoosheh.accounts.models import User
    from khoosheh.clusters.models import Cluster

    client.force_login(User.objects.get(username="demo"))
    cluster = Cluster.objects.order_by("-n_units").first()
    book = sheets(client.get(reverse("dashboards:cluster_report", args=[cluster.pk, "xlsx"])).content, tmp_path)
    assert len(book["اعضا"]) == cluster.members.count() + 1


@pytest.fixture
def pdf_tools():
    try:
        import weasyprint  # noqa: F401
    except OSError:
        pytest.skip("WeasyPrint cannot load the Pango library (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed (pdftotext, pdftoppm)")


def test_the_pdf_report_is_persian_text_with_jalali_dates(client, demo, tmp_path, pdf_tools):
    from khoosheh.accounts.models import User

    client.force_login(User.objects.get(username="demo"))
    response = client.get(reverse("dashboards:report", args=["pdf"]), {"year": "1405"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Shaped Persian text came through as text (not boxes), with Persian digits and the Jalali year.
    assert "گزارش ملی" in text and "۱۴۰۵" in text and "واحد تولیدی" in text
    # And it renders: the first page as an image, kept as a test artefact.
    from tests.browser.conftest import ARTEFACTS

    ARTEFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTEFACTS / "report")],
                   check=True)
    assert any(ARTEFACTS.glob("report*.png"))
