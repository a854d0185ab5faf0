"""The change history as a person reads it (web/history.py, portal/_history.html): Persian digits and labels
throughout, the action in plain words, and no entry for a save that changed nothing."""

import datetime as dt

import pytest

from khoosheh.accounts.audit import record_change
from khoosheh.accounts.models import AuditEntry
from khoosheh.programs.models import ClinicCase
from khoosheh.web.history import readable
from tests.conftest import make_unit

pytestmark = pytest.mark.django_db


def history_of(record):
    return readable(AuditEntry.objects.filter(record_type=record._meta.label_lower, record_id=str(record.pk)))


def test_a_related_records_name_reads_in_persian_digits_as_in_the_tables(cast):
    unit = make_unit("شرکت پارس ریخته‌گری 44", "10", "1010")
    case = ClinicCase.objects.create(unit=unit, province_id="10", opened_on=dt.date(2026, 5, 1))
    record_change(cast.national, "create", case, after={"unit": unit.pk})
    [entry] = history_of(case)
    assert entry.changes[0].after == "شرکت پارس ریخته‌گری ۴۴"


def test_a_records_number_has_a_persian_label_and_is_not_grouped_like_an_amount(cast):
    unit = make_unit("کارگاه", "10", "1010")
    case = ClinicCase.objects.create(pk=1079, unit=unit, province_id="10", opened_on=dt.date(2026, 5, 1))
    record_change(cast.national, "create", case, after={"id": 1079})
    [entry] = history_of(case)
    assert (entry.changes[0].label, entry.changes[0].after) == ("شمارهٔ رکورد", "۱۰۷۹")


def test_a_stored_file_reads_as_its_name_not_as_where_the_server_keeps_it(cast, world):
    from khoosheh.programs.models import ClusterDevelopment

    development = ClusterDevelopment.objects.create(cluster=world.cluster, province_id=world.cluster.province_id,
                                                     started_on=dt.date(2026, 5, 1))
    # An entry written before upload names were kept: the stored name, its digits as they are (a file's name is
    # an identifier, not a number).
    record_change(cast.national, "update", development, after={"diagnostic_study": "diagnostic-studies/study-8.pdf"})
    [entry] = history_of(development)
    assert entry.changes[0].after == "پرونده «study-8.pdf»"


def test_an_uploaded_study_reads_as_the_name_it_was_uploaded_under(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from khoosheh.programs import services
    from khoosheh.programs.models import ClusterDevelopment

    development = services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    client.force_login(world.cast.national)
    for _ in range(2):  # the second under the first one's name, which storage already holds
        client.post(reverse("programs:development_update", args=[development.pk]),
                    {"action_plan": "", "diagnostic_study": SimpleUploadedFile("مطالعه میبد 2.pdf", b"%PDF-1.7")})
    stored = ClusterDevelopment.objects.get(pk=development.pk).diagnostic_study.name
    assert not stored.endswith("/مطالعه میبد 2.pdf")  # storage renamed it (a suffix of its own)
    # Each upload is in the history, by the name the person gave the file, its digit as typed.
    replaced, uploaded = (e.changes[0] for e in history_of(development)[:2])
    assert (uploaded.before, uploaded.after) == ("", "پرونده «مطالعه میبد 2.pdf»")
    assert (replaced.before, replaced.after) == ("پرونده «مطالعه میبد 2.pdf»", "پرونده «مطالعه میبد 2.pdf»")
    html = client.get(reverse("programs:development_detail", args=[development.pk])).content.decode()
    assert "«مطالعه میبد 2.pdf»" in html[html.index('class="history"'):]


def test_an_edit_reads_as_an_edit(cast):
    unit = make_unit("کارگاه", "10", "1010")
    record_change(cast.national, "update", unit, before={"employees": 20}, after={"employees": 25})
    [entry] = history_of(unit)
    assert entry.action == "ویرایش شد" and (entry.changes[0].before, entry.changes[0].after) == ("۲۰", "۲۵")


def test_an_update_that_changed_nothing_writes_no_entry(cast):
    unit = make_unit("کارگاه", "10", "1010")
    assert record_change(cast.national, "update", unit, before={"employees": 20}, after={"employees": 20}) is None
    assert not AuditEntry.objects.filter(record_type="registry.productionunit").exists()
    # One changed value among unchanged ones is kept, alone.
    record_change(cast.national, "update", unit, before={"employees": 20, "name": "کارگاه"},
                  after={"employees": 25, "name": "کارگاه"})
    assert AuditEntry.objects.get(record_type="registry.productionunit").after == {"employees": 25}


def test_the_history_table_on_a_page_says_what_was_edited_in_words(client, world):
    from django.urls import reverse

    record_change(world.cast.national, "update", world.cluster, before={"name": "خوشه 1"}, after={"name": "خوشه 2"})
    client.force_login(world.cast.national)
    html = client.get(reverse("clusters:cluster_detail", args=[world.cluster.pk])).content.decode()
    history = html[html.index('class="history"'):]
    assert "ویرایش شد" in history and "تغییرکرده" not in history
    assert "خوشه ۱" in history and "خوشه ۲" in history


def test_saving_a_developments_form_unchanged_adds_nothing_to_its_history(world):
    from khoosheh.programs import services

    development = services.start_development(world.cluster, world.cast.national)
    services.update_development(development, world.cast.national, action_plan="برنامه")
    entries = AuditEntry.objects.filter(record_type="programs.clusterdevelopment").count()
    services.update_development(development, world.cast.national, action_plan="برنامه")
    assert AuditEntry.objects.filter(record_type="programs.clusterdevelopment").count() == entries


def test_a_value_given_where_there_was_none_reads_as_the_value_alone(client, cast):
    unit = make_unit("کارگاه", "10", "1010")
    record_change(cast.national, "update", unit, before={"employees": None, "name": "کارگاه"},
                  after={"employees": 12, "name": "کارگاه نو"})
    [entry] = history_of(unit)
    # PostgreSQL's jsonb keeps keys in its own order, so the changes are found by what they became.
    given, renamed = sorted(entry.changes, key=lambda c: c.after != "۱۲")
    assert (given.before, given.after) == ("", "۱۲")
    assert (renamed.before, renamed.after) == ("کارگاه", "کارگاه نو")
    # Emptied, the value before is struck out and «—» follows.
    record_change(cast.national, "update", unit, before={"employees": 12}, after={"employees": None})
    emptied = history_of(unit)[0].changes[0]  # the newest entry first, as on the page
    assert (emptied.before, emptied.after) == ("۱۲", "—")


def test_who_made_a_change_reads_as_their_full_name_and_as_their_username_when_they_have_none(client, world):
    from django.urls import reverse

    national = world.cast.national
    national.first_name, national.last_name = "مریم", "احمدی"
    national.save()
    record_change(national, "update", world.cluster, before={"name": "خوشه 1"}, after={"name": "خوشه 2"})
    record_change(world.cast.viewer, "update", world.cluster, before={"name": "خوشه 2"}, after={"name": "خوشه 3"})
    client.force_login(national)
    html = client.get(reverse("clusters:cluster_detail", args=[world.cluster.pk])).content.decode()
    history = html[html.index('class="history"'):]
    # The national expert by name, not as «national»; the viewer, who was given no name, by their username.
    assert "مریم احمدی" in history and ">national<" not in history
    assert ">viewer<" in history


def test_an_agent_set_on_a_record_reads_as_their_full_name(cast, world):
    from khoosheh.programs.models import ClusterDevelopment

    agent = cast.agent
    agent.first_name, agent.last_name = "رضا", "کریمی"
    agent.save()
    development = ClusterDevelopment.objects.create(cluster=world.cluster, province_id=world.cluster.province_id,
                                                     started_on=dt.date(2026, 5, 1))
    record_change(cast.national, "update", development, before={"agent": None}, after={"agent": agent.pk})
    [entry] = history_of(development)
    assert entry.changes[0].after == "رضا کریمی"
