"""Large reports are built in the background with progress: officials follow them on a page,
download them when ready, and never see someone else's or a half-written one."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from khoosheh.dashboards import jobs, reports
from khoosheh.dashboards.models import ReportJob
from khoosheh.jobs import runner
from khoosheh.registry.models import ProductionUnit
from tests.jobs.test_jobs import run_worker

UNIT_SHEET = "واحدها"


@pytest.fixture
def report_files(settings, tmp_path):
    settings.REPORTS_DIR = tmp_path / "reports"
    settings.KHOOSHEH_REPORT_INLINE_ROWS = 5
    return settings.REPORTS_DIR


def workbook(content, tmp_path):
    path = tmp_path / "read.xlsx"
    path.write_bytes(content)
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def unit_names(sheet):
    return {row[1] for row in sheet[1:]}


@pytest.mark.django_db
def test_a_small_unit_list_is_answered_at_once_within_the_users_province(client, world, report_files, tmp_path):
    client.force_login(world.cast.isfahan)
    response = client.get(reverse("dashboards:report", args=["xlsx"]), {"year": "1405", "units": "1"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-10-1405-units.xlsx"')
    sheet = workbook(response.content, tmp_path)[UNIT_SHEET]
    assert sheet[0][:3] == ["شناسه ملی", "نام واحد", "کد آیسیک"]
    assert unit_names(sheet) == set(ProductionUnit.objects.filter(province_id="10").values_list("name", flat=True))


@pytest.mark.django_db
def test_a_large_report_is_offered_in_the_background_then_followed_to_its_download(client, world, report_files,
                                                                                   tmp_path):
    client.force_login(world.cast.national)
    offer = client.get(reverse("dashboards:report", args=["xlsx"]), {"year": "1405", "units": "1"})
    assert offer.status_code == 200 and b'name="units" value="1"' in offer.content
    assert not ReportJob.objects.exists()  # asking is not yet building
    started = client.post(reverse("dashboards:report_start"), {"kind": "area", "fmt": "xlsx", "year": "1405",
                                                                "units": "1"})
    job = ReportJob.objects.get()
    assert started.url == reverse("dashboards:report_job", args=[job.pk])
    status = client.get(reverse("dashboards:report_status", args=[job.pk])).json()
    assert (status["status"], status["percent"], status["total"]) == ("done", 100, ProductionUnit.objects.count())
    download = client.get(status["download"])
    assert download["Content-Disposition"].endswith('khoosheh-iran-1405-units.xlsx"')
    sheet = workbook(b"".join(download.streaming_content), tmp_path)[UNIT_SHEET]
    assert len(sheet) == 1 + ProductionUnit.objects.count()
    assert "با فهرست واحدها" in client.get(reverse("dashboards:report_jobs")).content.decode()


@pytest.mark.django_db
def test_no_one_follows_or_downloads_anothers_report(client, world, report_files):
    job = jobs.submit(jobs.ReportSpec(kind="area", fmt="xlsx", year=1405, units=True), world.cast.national)
    client.force_login(world.cast.isfahan)
    for name in ("report_job", "report_status", "report_download"):
        assert client.get(reverse(f"dashboards:{name}", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("dashboards:report_jobs")).content.decode()


@pytest.mark.django_db
def test_a_provincial_users_job_for_another_province_is_refused_and_nothing_is_queued(client, world, report_files):
    client.force_login(world.cast.isfahan)
    response = client.post(reverse("dashboards:report_start"), {"kind": "area", "fmt": "xlsx", "year": "1405",
                                                                "province": "21", "units": "1"})
    assert response.status_code == 403 and not ReportJob.objects.exists()


@pytest.mark.django_db
def test_a_provincial_users_job_naming_no_province_lists_only_their_province(client, world, report_files, tmp_path):
    client.force_login(world.cast.isfahan)
    client.post(reverse("dashboards:report_start"), {"kind": "area", "fmt": "xlsx", "year": "1405", "units": "1"})
    job = ReportJob.objects.get()
    assert job.spec["province"] == "10"
    content = b"".join(client.get(reverse("dashboards:report_download", args=[job.pk])).streaming_content)
    assert unit_names(workbook(content, tmp_path)[UNIT_SHEET]) == set(
        ProductionUnit.objects.filter(province_id="10").values_list("name", flat=True))


@pytest.mark.django_db
def test_a_cluster_the_user_cannot_see_cannot_be_reported(client, world, report_files):
    client.force_login(world.cast.isfahan)  # the cluster is in Yazd
    response = client.post(reverse("dashboards:report_start"), {"kind": "cluster", "fmt": "xlsx",
                                                                "cluster": world.cluster.pk})
    assert response.status_code == 404 and not ReportJob.objects.exists()


@pytest.mark.django_db
def test_a_job_that_fails_before_building_is_marked_failed_with_a_persian_message(world, report_files):
    job = ReportJob.objects.create(user=world.cast.national, spec={"kind": "nonsense"}, title="t")
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "خطا" in job.error


@pytest.mark.django_db
def test_a_failed_build_says_why_and_leaves_no_file(client, world, report_files, monkeypatch):
    def no_pango(*args, **kwargs):
        raise reports.PdfUnavailable("PDF needs the Pango library")

    monkeypatch.setattr(reports, "pdf", no_pango)
    job = jobs.submit(jobs.ReportSpec(kind="area", fmt="pdf", year=1405, units=True), world.cast.national)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "PDF needs the Pango library")
    assert list(report_files.iterdir()) == []
    client.force_login(world.cast.national)
    assert client.get(reverse("dashboards:report_download", args=[job.pk])).status_code == 404
    assert "Pango" in client.get(reverse("dashboards:report_job", args=[job.pk])).content.decode()


def silent_job(world, attempts):
    job = ReportJob.objects.create(user=world.cast.national, spec={}, title="t", status="running", attempts=attempts,
                                   worker="elsewhere:1")
    ReportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=16))
    return ReportJob.objects.get(pk=job.pk)


@pytest.mark.django_db
def test_a_job_whose_worker_went_silent_is_queued_again_for_the_next_worker(world, report_files):
    assert jobs.refresh(silent_job(world, attempts=1)).status == "queued"


@pytest.mark.django_db
def test_a_job_whose_worker_went_silent_twice_is_shown_as_failed(world, report_files):
    job = jobs.refresh(silent_job(world, attempts=2))
    assert job.status == "failed" and "دوباره اجرا" in job.error
    fresh = ReportJob.objects.create(user=world.cast.national, spec={}, title="t", status="running",
                                     worker="elsewhere:1")
    assert jobs.refresh(fresh).status == "running"


@pytest.mark.django_db
def test_old_reports_are_removed_with_their_files(world, report_files, settings):
    job = jobs.submit(jobs.ReportSpec(kind="area", fmt="xlsx", year=1405), world.cast.national)
    job.refresh_from_db()
    path = report_files / job.file_name
    assert path.exists()
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert jobs.remove_expired() == 1
    assert not path.exists() and not ReportJob.objects.exists()


@pytest.fixture
def reference_tables(transactional_db):
    """A transactional test empties every table afterwards, the reference tables too: refill them first."""
    call_command("sync_reference", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_queued_report_that_the_page_follows(reference_tables, client, world, report_files,
                                                                  settings):
    settings.KHOOSHEH_JOBS_IN_BACKGROUND = True
    client.force_login(world.cast.national)
    client.post(reverse("dashboards:report_start"), {"kind": "cluster", "fmt": "xlsx", "cluster": world.cluster.pk})
    job = ReportJob.objects.get()
    # The request only queued it.
    assert client.get(reverse("dashboards:report_status", args=[job.pk])).json()["status"] == "queued"
    run_worker()
    status = client.get(reverse("dashboards:report_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download"]
    assert (report_files / ReportJob.objects.get().file_name).stat().st_size > 0


@pytest.mark.django_db
def test_the_report_command_writes_the_file_with_the_users_scope(world, tmp_path, capsys):
    out = tmp_path / "isfahan.xlsx"
    call_command("report", user="isfahan", output=str(out), year=1405, units=True)
    book = CalamineWorkbook.from_path(str(out))
    names = {row[1] for row in book.get_sheet_by_name(UNIT_SHEET).to_python()[1:]}
    assert names == set(ProductionUnit.objects.filter(province_id="10").values_list("name", flat=True))
    assert "استان اصفهان" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"\.xlsx or \.pdf"):
        call_command("report", user="isfahan", output=str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="scope"):
        call_command("report", user="isfahan", output=str(tmp_path / "c.xlsx"), cluster=world.cluster.pk)
    with pytest.raises(CommandError, match="scope"):
        call_command("report", user="isfahan", output=str(tmp_path / "t.xlsx"), year=1405, province="21")
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "c.xlsx.part").exists()

