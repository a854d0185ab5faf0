"""Wherever units are picked from a list or listed (an exhibition's agenda and its suppliers, a joint action's
participants, a consortium's members, a record's history), two units of one name in one county read apart: each
is named with its county and its national ID (its number in the registry when it has none), in the reader's
digits — in a history, only to a reader who may see the unit."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from khoosheh.core.text import to_persian_digits
from khoosheh.programs import services
from khoosheh.spx.models import Exhibition, Participant
from tests.conftest import NID_A, make_unit

pytestmark = pytest.mark.django_db

LRI, PDI = "\u2066", "\u2069"


@pytest.fixture
def twins(world):
    """Two units both called «کاشی فیروزه» in Meybod (2106), one with a national ID, one without; both members
    of the Yazd tile cluster."""
    with_id = make_unit("کاشی فیروزه", "21", "2106")
    with_id.national_id = NID_A
    with_id.save()
    without_id = make_unit("کاشی فیروزه", "21", "2106")
    world.cluster.members.add(with_id, without_id)
    return with_id, without_id


def expected_labels(twins) -> set:
    with_id, without_id = twins
    return {f"کاشی فیروزه · میبد · {LRI}۱۰۱۰۱۲۳۴۵۶۵{PDI}",
            f"کاشی فیروزه · میبد · {LRI}#{to_persian_digits(without_id.pk)}{PDI}"}


def shown_labels(html: str) -> list:
    """The labels the page gives the two units, wherever they are offered: as options or as ticks."""
    return [label.strip() for label in re.findall(r"(کاشی فیروزه[^<]*)<", html)]


def page(client, world, url) -> str:
    client.force_login(world.cast.national)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_agendas_list_tells_same_named_units_apart(client, world, twins):
    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    for unit in twins:
        Participant.objects.create(exhibition=exhibition, kind="unit", name=unit.name, unit=unit)
    html = page(client, world, reverse("spx:exhibition_detail", args=[exhibition.pk]))
    # Each unit's option names its county and its code, then its kind: two options, two labels.
    assert sorted(shown_labels(html)) == sorted(f"{label} (واحد تولیدی)" for label in expected_labels(twins))


def test_a_chosen_units_agenda_is_headed_with_the_same_label(client, world, twins):
    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    chosen = Participant.objects.create(exhibition=exhibition, kind="unit", name=twins[0].name, unit=twins[0])
    html = page(client, world, reverse("spx:exhibition_detail", args=[exhibition.pk]) + f"?participant={chosen.pk}")
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert f"{LRI}۱۰۱۰۱۲۳۴۵۶۵{PDI}" in heading


def test_a_joint_actions_ticks_tell_same_named_members_apart(client, world, twins):
    development = services.start_development(world.cluster, world.cast.national, agent=world.cast.agent)
    html = page(client, world, reverse("programs:development_detail", args=[development.pk]))
    assert sorted(shown_labels(html)) == sorted(expected_labels(twins))


def test_a_consortiums_ticks_tell_same_named_members_apart(client, world, twins):
    html = page(client, world, reverse("programs:consortium_new", args=[world.cluster.pk]))
    assert sorted(shown_labels(html)) == sorted(expected_labels(twins))


def test_a_consortiums_page_lists_same_named_members_apart(client, world, twins):
    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم کاشی", province_code="21",
                                          members=[*twins, *world.members[:1]], clusters=[world.cluster])
    html = page(client, world, reverse("programs:consortium_detail", args=[consortium.pk]))
    members = html[html.index("<h2>اعضا</h2>"):html.index('class="history"')]
    assert sorted(shown_labels(members)) == sorted(expected_labels(twins))


def test_an_agendas_suppliers_are_told_apart(client, world, twins):
    from khoosheh.spx.models import Meeting

    exhibition = Exhibition.objects.create(name="نمایشگاه", city="تهران", province_id="23",
                                           starts_on=timezone.localdate(), slots=2, tables=2)
    buyer = Participant.objects.create(exhibition=exhibition, kind="buyer", name="خریدار بزرگ")
    for slot, unit in enumerate(twins, start=1):
        offerer = Participant.objects.create(exhibition=exhibition, kind="unit", name=unit.name, unit=unit)
        Meeting.objects.create(exhibition=exhibition, slot=slot, table=1, looker=buyer, offerer=offerer, score=0.5)
    html = page(client, world, reverse("spx:exhibition_detail", args=[exhibition.pk]))
    agenda = html[html.index('id="agenda"'):]
    # The offering column names each supplier with its county and code; the buyer, who is no unit, by its name.
    assert sorted(shown_labels(agenda)) == sorted(expected_labels(twins))
    assert "خریدار بزرگ" in agenda


def test_a_consortiums_history_names_its_members_apart_for_a_reader_who_may_see_them(world, twins):
    from khoosheh.accounts.models import AuditEntry
    from khoosheh.web.history import readable

    consortium = services.form_consortium(world.cast.national, name="کنسرسیوم کاشی", province_code="21",
                                          members=[*twins, *world.members[:1]], clusters=[world.cluster])
    entries = AuditEntry.objects.filter(record_type="programs.exportconsortium", record_id=str(consortium.pk))

    def members_read_by(reader):
        [entry] = readable(entries, reader=reader)
        return next(c.after for c in entry.changes if c.label == "واحدهای عضو")

    # National staff see every unit: each member with its county and code.
    assert expected_labels(twins) < set(members_read_by(world.cast.national).split("، "))
    # Isfahan's staff may not see Yazd's units: the history names them, but tells no more than their names.
    assert sorted(members_read_by(world.cast.isfahan).split("، ")) == sorted(["کاشی ۰", "کاشی فیروزه", "کاشی فیروزه"])
