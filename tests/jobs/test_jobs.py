"""Jobs on the queue as people see them: queued by one web process, seen by another, run by a worker;
scoped to their owner (national staff see all); cancelled, retried; progress and result shown."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from khoosheh.jobs import runner
from khoosheh.jobs.models import Job
from khoosheh.registry.models import ImportBatch, ProductionUnit
from tests.conftest import NID_B, unit_row


@pytest.fixture
def queued(settings):
    """Jobs wait on the queue for a worker, as in production."""
    settings.KHOOSHEH_JOBS_IN_BACKGROUND = True


def upload(client, path, **options):
    with path.open("rb") as f:
        return client.post(reverse("registry:unit_import"), {"file": f, **options})


def run_worker():
    """The worker, in this process, until the queue is empty.  Between tasks it drops connections that
    are inside a transaction (on PostgreSQL it would close the test's own): not here."""
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", batch=True, startup_delay=False, verbosity=0)


@pytest.mark.django_db
def test_an_upload_answers_at_once_with_the_job_page_and_a_worker_imports_it(queued, client, cast, unit_file):
    client.force_login(cast.national)
    response = upload(client, unit_file([unit_row()]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    # Nothing is imported until a worker takes the job; the page says, in plain Persian, that it waits — no
    # command name for an official to puzzle over.
    page = client.get(response.url)
    waiting = page.content.decode()
    assert job.status == "queued" and "در صف است و به‌زودی آغاز می‌شود" in waiting and not ProductionUnit.objects.exists()
    assert "khoosheh worker" not in waiting and "worker" not in waiting
    run_worker()
    page = client.get(response.url)
    assert page.context["job"].status == "done" and ProductionUnit.objects.count() == 1
    assert "id=\"outcome\"" in page.content.decode()


@pytest.mark.django_db
def test_the_uploaded_file_is_kept_under_the_data_folder_until_the_worker_reads_it(queued, client, cast, unit_file,
                                                                                   settings):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()], name="units.xlsx"))
    job = Job.objects.get()
    kept = settings.KHOOSHEH_JOBS_DIR / job.input_file
    assert kept.exists() and kept.suffix == ".xlsx" and job.params["file_name"] == "units.xlsx"


@pytest.mark.django_db
def test_two_web_processes_see_the_same_queue(queued, cast, unit_file):
    # Two clients stand for two web processes: the queue and the jobs are in the database.
    first, second = Client(), Client()
    first.force_login(cast.isfahan)
    second.force_login(cast.national)
    upload(first, unit_file([unit_row(province="اصفهان", county="کاشان", lat="", lon="")]))
    job = Job.objects.get()
    assert job.task_id  # on the queue
    assert job.title in second.get(reverse("jobs:list")).content.decode()
    run_worker()
    status = second.get(reverse("jobs:status", args=[job.pk])).json()
    assert (status["status"], status["percent"], status["finished"]) == ("done", 100, True)


@pytest.mark.django_db
def test_a_user_follows_only_their_own_jobs_and_national_staff_all(queued, client, cast, unit_file):
    client.force_login(cast.isfahan)
    upload(client, unit_file([unit_row(province="اصفهان", county="کاشان", lat="", lon="")]))
    job = Job.objects.get()
    client.force_login(cast.tehran)
    for name in ("detail", "status", "file"):
        assert client.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(cast.national)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_a_queued_job_cancelled_from_its_page_is_never_run(queued, client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]))
    job = Job.objects.get()
    client.post(reverse("jobs:cancel", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.status == "cancelled" and job.error and not ProductionUnit.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_job_can_be_run_again(queued, client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]))
    job = Job.objects.get()
    runner.cancel(job)
    client.post(reverse("jobs:retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and ProductionUnit.objects.count() == 1


@pytest.mark.django_db
def test_a_running_job_stops_at_its_next_progress_step_once_cancelled(cast, unit_file):
    rows = [unit_row(national_id="", name=f"کارگاه {i}", lat="", lon="") for i in range(600)]
    job = Job.objects.create(kind="import", user=cast.national, title="t", status="running",
                             params={"file_name": "u.csv"}, input_file="u.csv")
    unit_file(rows, name="u.csv").replace(runner.jobs_dir() / "u.csv")
    progress = runner.JobProgress(job.pk, inline=True)
    runner.cancel(job)
    progress.beat()  # the heartbeat reads the flag
    from khoosheh.registry.uploads import run_import

    with pytest.raises(runner.JobCancelled):
        run_import(job, progress)
    assert not ProductionUnit.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported_in_one_shape_and_the_result_kept(cast, unit_file):
    path = unit_file([unit_row(), unit_row(national_id=NID_B, name="دیگری")])
    from khoosheh.registry import uploads

    job = uploads.start_file(path, cast.national)
    assert (job.status, job.stage, job.done, job.total) == ("done", "write", 2, 2)
    assert job.result["created"] == 2 and job.result["written"] and job.attempts == 1


@pytest.mark.django_db
def test_a_job_is_marked_done_in_the_same_transaction_as_its_import(cast, unit_file, monkeypatch):
    """Killed between the import's commit and a later "done", a job would run again: so it is done inside."""
    from khoosheh.registry import uploads

    seen = []
    real = runner.mark_done

    def spy(job_id, finished):
        from django.db import connection

        seen.append(connection.in_atomic_block and ProductionUnit.objects.exists())
        return real(job_id, finished)

    monkeypatch.setattr(runner, "mark_done", spy)
    uploads.start_file(unit_file([unit_row()]), cast.national)
    assert seen[0] is True  # first call: inside the transaction, with the unit written


@pytest.mark.django_db
def test_import_units_background_prints_the_job_id_and_jobs_lists_it(queued, unit_file, capsys):
    call_command("import_units", str(unit_file([unit_row()])), background=True)
    job_id = int(capsys.readouterr().out.strip())
    call_command("jobs")
    listing = capsys.readouterr().out
    assert f"{job_id:>6}  import    (command)      queued" in listing
    for column in ("id", "kind", "who", "state", "progress", "started", "finished"):
        assert column in listing.splitlines()[0]


@pytest.mark.django_db
def test_identify_from_db_background_queues_a_run_that_writes_the_file(queued, cast, unit_file, tmp_path, capsys):
    out = tmp_path / "clusters.json"
    call_command("identify", from_db=True, output=str(out), background=True)
    job = Job.objects.get(pk=int(capsys.readouterr().out.strip()))
    assert job.kind == "identify" and job.status == "queued" and not out.exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and json.loads(out.read_text())["clusters"] == []


@pytest.mark.django_db
def test_an_identification_run_from_the_portal_is_a_job(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("clusters:run_list"), {"distance_km": 4, "min_units": 10, "min_employees": 0,
                                                          "alpha": 0.01, "min_lq": 1.5, "activity_level": 4})
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk]) and job.kind == "identify"
    assert job.status == "done" and "run" in job.result


@pytest.mark.django_db
def test_jobs_cancel_and_retry_on_the_command_line(queued, unit_file, capsys):
    call_command("import_units", str(unit_file([unit_row()])), background=True)
    job_id = int(capsys.readouterr().out.strip())
    call_command("jobs", cancel=job_id)
    assert Job.objects.get(pk=job_id).status == "cancelled"
    call_command("jobs", retry=job_id)
    run_worker()
    assert Job.objects.get(pk=job_id).status == "done" and ProductionUnit.objects.count() == 1


@pytest.mark.django_db
def test_the_job_page_polling_learns_when_the_job_started_in_jalali(queued, client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]))
    job = Job.objects.get()
    # Queued: no start yet, on the page and in what the page polls.
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["started"] == "—"
    assert 'id="job-started">—<' in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    # Taken by a worker: the poll brings the Jalali date and time, as the page would draw them.
    Job.objects.filter(pk=job.pk).update(status="running", started_at=dt.datetime(2026, 12, 1, 13, 50, tzinfo=dt.UTC))
    started = client.get(reverse("jobs:status", args=[job.pk])).json()["started"]
    assert started == "۱۴۰۵/۰۹/۱۰ ۱۷:۲۰"  # Tehran time, Persian digits


@pytest.mark.django_db
def test_jobs_on_the_command_line_shows_jalali_times_in_persian_digits(queued, unit_file, capsys):
    call_command("import_units", str(unit_file([unit_row()])), background=True)
    job_id = int(capsys.readouterr().out.strip())
    Job.objects.filter(pk=job_id).update(status="cancelled",
                                         started_at=dt.datetime(2026, 12, 1, 13, 50, 5, tzinfo=dt.UTC),
                                         finished_at=dt.datetime(2026, 12, 1, 13, 51, tzinfo=dt.UTC))
    call_command("jobs")
    row = capsys.readouterr().out.splitlines()[1]
    assert "۱۴۰۵/۰۹/۱۰ ۱۷:۲۰:۰۵  ۱۴۰۵/۰۹/۱۰ ۱۷:۲۱:۰۰" in row and "2026" not in row


def job_row_state(client, job):
    """The status cell of the job's row on /jobs/: its text and its CSS class."""
    import re

    page = client.get(reverse("jobs:list")).content.decode()
    row = page[page.index(reverse("jobs:detail", args=[job.pk])):]
    match = re.search(r'<td class="job-state job-(\w+)">([^<(]*)', row)
    return match.group(1), match.group(2).strip()


@pytest.mark.django_db
def test_a_refused_import_is_told_apart_from_a_good_one_in_the_list_and_on_its_page(client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]))
    good = Job.objects.get()
    upload(client, unit_file([unit_row(national_id=NID_B, isic="99999")], name="bad.csv"))
    refused = Job.objects.exclude(pk=good.pk).get()
    assert refused.status == "done" and not ProductionUnit.objects.filter(national_id=NID_B).exists()
    good_state, refused_state = job_row_state(client, good), job_row_state(client, refused)
    assert good_state[0] == "done" and refused_state[0] == "refused" and good_state[1] != refused_state[1]
    page = client.get(reverse("jobs:detail", args=[refused.pk])).content.decode()
    assert f'class="job-state job-refused">{refused_state[1]}<' in page


@pytest.mark.django_db
def test_an_import_that_skipped_invalid_rows_is_marked_as_only_partly_written(client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row(), unit_row(national_id=NID_B, isic="99999")]), skip_invalid="on")
    job = Job.objects.get()
    assert ProductionUnit.objects.count() == 1
    assert job_row_state(client, job)[0] == "partial"


@pytest.mark.django_db
def test_a_check_only_that_finds_nothing_wrong_is_plainly_done(client, cast, unit_file):
    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]), dry_run="on")
    assert job_row_state(client, Job.objects.get())[0] == "done"


@pytest.mark.django_db
def test_an_unreadable_xlsx_is_refused_with_a_persian_reason_that_names_no_exception(client, cast, tmp_path):
    broken = tmp_path / "units.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    client.force_login(cast.national)
    upload(client, broken)
    job = Job.objects.get()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job_row_state(client, job)[0] == "refused"
    reason = job.result["errors"][0][3]
    latin_words = [c for c in reason.replace("XLSX", "") if "a" <= c.lower() <= "z"]
    assert "اکسل" in reason and "Error" not in page and not latin_words


@pytest.mark.django_db
def test_a_jobs_progress_reads_in_persian_digits_and_percent_sign(client, cast, unit_file):
    import re

    client.force_login(cast.national)
    upload(client, unit_file([unit_row()]))
    page = client.get(reverse("jobs:detail", args=[Job.objects.get().pk])).content.decode()
    assert re.search(r'class="job-progress">۱۰۰٪</progress>', page)
