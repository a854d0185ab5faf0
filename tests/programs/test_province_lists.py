"""The program lists take `?province=` by the unit list's rule (accounts.scoping.province_asked): national staff
narrow a list to a province; provincial staff may name only their own (another is 403 with the reason, never
their own province's rows instead); a code naming no province is 400 with the reason.  Those who may see every
province choose one on the page (forms/_province_picker.html), not by editing the address."""

import pytest
from django.test.html import parse_html
from django.urls import reverse

from khoosheh.core import reference
from khoosheh.programs import services
from tests.form_pages import elements, text_of

pytestmark = pytest.mark.django_db

LISTS = ["programs:case_list", "programs:project_pipeline", "programs:development_list", "programs:consortium_list"]


@pytest.fixture
def records(world):
    """A clinic case and a half-finished project in each of Isfahan and Yazd; Yazd's cluster development and
    consortium."""
    cast = world.cast
    for unit in ("idle_isfahan", "idle_yazd"):
        services.open_case(world.units[unit], cast.national)
    for unit in ("half_isfahan", "half_yazd"):
        services.register_project(world.units[unit], cast.national)
    services.start_development(world.cluster, cast.national)
    services.form_consortium(cast.national, name="کنسرسیوم کاشی", province_code="21", members=world.members[:3])
    return world


@pytest.mark.parametrize("name", LISTS)
def test_provincial_staff_asking_for_another_province_are_refused_with_the_reason(client, records, name):
    client.force_login(records.cast.isfahan)
    refused = client.get(reverse(name), {"province": "21"})
    # Refused, saying whose province the account reads, not silently answered with Isfahan's rows.
    assert refused.status_code == 403
    assert "استان دیگری" in refused.content.decode() and "تنها استان اصفهان" in refused.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_provincial_staff_may_name_their_own_province(client, records, name):
    client.force_login(records.cast.isfahan)
    assert client.get(reverse(name), {"province": "۱۰"}).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_a_code_naming_no_province_is_a_bad_request_with_the_reason(client, records, name):
    client.force_login(records.cast.national)
    refused = client.get(reverse(name), {"province": "99"})
    assert refused.status_code == 400 and "استانی با کد «۹۹» نیست" in refused.content.decode()


def test_national_staff_narrow_the_clinic_cases_to_a_province(client, records):
    client.force_login(records.cast.national)
    page = client.get(reverse("programs:case_list"), {"province": "21"})
    assert [c.unit.name for c in page.context["cases"]] == ["راکد یزد"]
    # The stage links keep the province.
    assert "province=21" in page.content.decode().split('class="actions"', 2)[-1].split("</p>")[0]


def test_national_staff_narrow_the_projects_to_a_province(client, records):
    client.force_login(records.cast.national)
    page = client.get(reverse("programs:project_pipeline"), {"province": "10", "threshold": "0"})
    assert [p.unit.name for p in page.context["near"]] == ["طرح نیمه‌تمام"]


@pytest.mark.parametrize(("name", "rows"), [("programs:development_list", "developments"),
                                            ("programs:consortium_list", "consortia")])
def test_national_staff_narrow_developments_and_consortia_to_a_province(client, records, name, rows):
    client.force_login(records.cast.national)
    assert len(client.get(reverse(name), {"province": "21"}).context[rows]) == 1
    assert len(client.get(reverse(name), {"province": "10"}).context[rows]) == 0


# Each list's records as the page shows them.
SHOWN = {
    "programs:case_list": lambda page: list(page.context["cases"]),
    "programs:project_pipeline": lambda page: [*page.context["near"], *page.context["others"],
                                               *page.context["opened"]],
    "programs:development_list": lambda page: list(page.context["developments"]),
    "programs:consortium_list": lambda page: list(page.context["consortia"]),
}


def province_select(node):
    """The province select under ``node``, or None."""
    return next((e for e in elements(node) if e.name == "select" and dict(e.attributes).get("name") == "province"),
                None)


def picker(page):
    """The page's province picker, or None."""
    return province_select(parse_html(page.content.decode()))


def options(select) -> list[tuple[str, str, bool]]:
    """Each choice of a select: its value, its label, whether it is selected."""
    return [(dict(o.attributes)["value"], text_of(o).strip(), "selected" in dict(o.attributes))
            for o in elements(select) if o.name == "option"]


def submit_choosing(client, page, url: str, province: str):
    """Send the picker's form as a browser would, with ``province`` chosen and its other fields as they are."""
    form = next(e for e in elements(parse_html(page.content.decode()))
                if e.name == "form" and province_select(e) is not None)
    data = {dict(e.attributes)["name"]: dict(e.attributes).get("value", "") for e in elements(form)
            if e.name == "input" and "name" in dict(e.attributes)}
    return client.get(url, data | {"province": province})


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("who", ["national", "viewer"])
def test_those_who_see_every_province_are_offered_all_31_by_their_persian_names(client, records, name, who):
    client.force_login(getattr(records.cast, who))
    choices = options(picker(client.get(reverse(name))))
    # «All provinces» first (what a browser shows with nothing marked), then the 31 provinces by their Persian
    # names, none of them chosen.
    assert choices[0] == ("", "همهٔ استان‌ها", False)
    assert not any(chosen for _value, _label, chosen in choices[1:])
    names = {p.code: p.name_fa for p in reference.provinces()}
    assert {value: label for value, label, _chosen in choices[1:]} == names and len(names) == 31


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("province", ["10", "21"])
def test_choosing_a_province_in_the_picker_narrows_the_list_to_its_records(client, records, name, province):
    client.force_login(records.cast.national)
    url = reverse(name)
    page = client.get(url)
    everything = SHOWN[name](page)
    chosen = submit_choosing(client, page, url, province)
    # Exactly the records of that province the whole list showed (Isfahan has no development or consortium).
    assert [r.pk for r in SHOWN[name](chosen)] == [r.pk for r in everything if r.province_id == province]
    assert {r.province_id for r in everything} == ({"10", "21"} if name in LISTS[:2] else {"21"})


@pytest.mark.parametrize("name", LISTS)
def test_the_province_shown_is_the_one_chosen_in_the_picker(client, records, name):
    client.force_login(records.cast.national)
    choices = options(picker(client.get(reverse(name), {"province": "۲۱"})))
    assert [(value, label) for value, label, chosen in choices if chosen] == [("21", "یزد")]


@pytest.mark.parametrize(("name", "filters", "kept"), [
    ("programs:case_list", {"stage": "intake"}, lambda page: page.context["stage"] == "intake"),
    ("programs:project_pipeline", {"threshold": "30"}, lambda page: page.context["threshold"] == 30),
])
def test_choosing_a_province_keeps_the_other_filters_of_the_page(client, records, name, filters, kept):
    client.force_login(records.cast.national)
    url = reverse(name)
    chosen = submit_choosing(client, client.get(url, filters), url, "21")
    assert chosen.context["province"].code == "21" and kept(chosen)


@pytest.mark.parametrize("name", LISTS)
def test_provincial_staff_are_offered_no_province_to_choose(client, records, name):
    client.force_login(records.cast.isfahan)
    page = client.get(reverse(name))
    # Their own province's records only, and nothing to pick.
    assert picker(page) is None
    assert {r.province_id for r in SHOWN[name](page)} <= {"10"}


def test_a_cluster_agent_is_offered_no_province_to_choose(client, records):
    client.force_login(records.cast.agent)
    assert picker(client.get(reverse("programs:development_list"))) is None


def test_the_programs_overview_words_its_every_province_choice_as_the_lists_do(client, records):
    client.force_login(records.cast.national)
    overview = options(picker(client.get(reverse("programs:overview"))))
    listing = options(picker(client.get(reverse("programs:case_list"))))
    # One wording for one choice on every page: «همهٔ استان‌ها», not «ملی» on the overview alone.
    assert overview[0] == listing[0] == ("", "همهٔ استان‌ها", False)
