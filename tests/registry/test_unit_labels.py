"""Wherever units are picked from a list (an exhibition's agenda, a joint action's participants, a consortium's
members), two units of one name in one county read apart: each is named with its county and its national ID (its
number in the registry when it has none), in the reader's digits."""

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
