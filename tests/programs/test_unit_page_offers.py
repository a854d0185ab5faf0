"""A unit's page offers to open a business-clinic case (or to register a half-finished project) exactly to those
whose press the service would take: provincial staff of the unit's province, the parks company of its park,
national staff; never to a reader who may not, and never while the unit already has an open case."""

import pytest
from django.urls import reverse

from khoosheh.programs import services
from khoosheh.programs.models import ClinicCase, HalfFinishedProject

pytestmark = pytest.mark.django_db


def unit_page(client, user, unit) -> str:
    client.force_login(user)
    response = client.get(reverse("registry:unit_detail", args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def offers_case(page: str, unit) -> bool:
    return f'action="{reverse("programs:case_open", args=[unit.pk])}"' in page


def offers_project(page: str, unit) -> bool:
    return f'action="{reverse("programs:project_register", args=[unit.pk])}"' in page


# Who reads the idle unit's page (Isfahan's, in the parks company's park; Yazd's, kept by its owner), and whether
# they may open a case on it.
READERS = [
    ("national", "idle_isfahan", True),
    ("isfahan", "idle_isfahan", True),
    ("parks_company", "idle_isfahan", True),
    ("viewer", "idle_isfahan", False),
    ("owner", "idle_yazd", False),
]


@pytest.mark.parametrize(("who", "unit", "may"), READERS, ids=[f"{w}-{u}" for w, u, _ in READERS])
def test_the_case_button_is_offered_exactly_to_those_whose_press_opens_a_case(client, world_with_owner, who,
                                                                              unit, may):
    user, unit = getattr(world_with_owner.cast, who), world_with_owner.units[unit]
    # The button is there for those who may open a case, and for no one else.
    assert offers_case(unit_page(client, user, unit), unit) is may
    # And pressing it does what the button promised: a case for those offered it, a refusal for the others.
    client.post(reverse("programs:case_open", args=[unit.pk]))
    assert ClinicCase.objects.filter(unit=unit).exists() is may


def test_a_parks_company_is_offered_the_case_button_on_an_idle_unit_of_its_park(client, world):
    page = unit_page(client, world.cast.parks_company, world.units["idle_isfahan"])
    assert "گشودن پرونده کلینیک کسب‌وکار" in page


def test_the_button_is_not_offered_while_the_unit_has_an_open_case(client, world):
    unit = world.units["idle_isfahan"]
    case = services.open_case(unit, world.cast.isfahan)
    page = unit_page(client, world.cast.isfahan, unit)
    # The open case is listed, and no button offers a second one (the service would refuse it).
    assert reverse("programs:case_detail", args=[case.pk]) in page
    assert not offers_case(page, unit)


def test_the_button_is_offered_again_once_the_case_is_closed(client, world):
    unit = world.units["idle_isfahan"]
    case = services.open_case(unit, world.cast.isfahan)
    services.diagnose(case, world.cast.isfahan, problems=["legal"], main_problem="legal")
    services.close_case(case, world.cast.isfahan, outcome="still_idle", on=case.opened_on)
    assert offers_case(unit_page(client, world.cast.isfahan, unit), unit)


def test_a_parks_company_is_offered_to_register_its_parks_half_finished_project_once(client, world):
    unit = world.units["half_isfahan"]
    assert offers_project(unit_page(client, world.cast.parks_company, unit), unit)
    assert not offers_project(unit_page(client, world.cast.viewer, unit), unit)
    services.register_project(unit, world.cast.parks_company)
    # Registered: the project is linked instead.
    page = unit_page(client, world.cast.parks_company, unit)
    assert not offers_project(page, unit)
    assert reverse("programs:project_detail", args=[HalfFinishedProject.objects.get(unit=unit).pk]) in page


def test_the_case_link_reads_with_the_persian_comma(client, world):
    unit = world.units["idle_isfahan"]
    services.open_case(unit, world.cast.isfahan)
    page = unit_page(client, world.cast.isfahan, unit)
    assert "پرونده کلینیک کسب‌وکار (" in page and "، پذیرش)" in page and ", پذیرش" not in page
