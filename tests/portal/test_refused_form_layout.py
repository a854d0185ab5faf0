"""A refused form on its own page (the administration's user form, a new consortium, a new enquiry) is shown
again laid out by forms/_form.html: a summary on top linking to each field that needs fixing, each error
directly under its own box (and named by the box's aria-describedby), and what was typed kept."""

import pytest
from django.test.html import Element, parse_html
from django.urls import reverse

from khoosheh.accounts.models import User

pytestmark = pytest.mark.django_db


def find(node, **attrs) -> Element | None:
    """The first element under ``node`` whose attributes include ``attrs`` (``class_`` for class)."""
    wanted = {k.rstrip("_"): v for k, v in attrs.items()}
    for child in node.children if isinstance(node, Element) else ():
        if not isinstance(child, Element):
            continue
        got = dict(child.attributes)
        if all(v in (got.get(k) or "").split() if k == "class" else got.get(k) == v for k, v in wanted.items()):
            return child
        if (found := find(child, **attrs)) is not None:
            return found
    return None


def elements(node) -> list[Element]:
    """Every element under ``node``, in document order."""
    out = []
    for child in node.children:
        if isinstance(child, Element):
            out.append(child)
            out.extend(elements(child))
    return out


def assert_error_follows_its_field(page: Element, name: str, *, ticks: bool = False) -> str:
    """The field's block holds its box, then its error; the box (for ticks, their fieldset) names the error in
    aria-describedby.  Returns the error's text."""
    block = find(page, id=f"id_{name}_field")
    assert block is not None, f"no block for {name}"
    error = find(block, id=f"id_{name}_error")
    assert error is not None and "errorlist" in dict(error.attributes)["class"], f"no error under {name}"
    in_order = elements(block)
    if ticks:
        box = find(block, class_="checklist-box")
        described = next(e for e in in_order if e.name == "fieldset")
    else:
        box = described = find(block, id=f"id_{name}")
    assert box is not None, f"no box for {name}"
    assert f"id_{name}_error" in dict(described.attributes).get("aria-describedby", "").split()
    # The error comes after the box: directly under it, not above the label or below another field.
    assert in_order.index(box) < in_order.index(error)
    return "".join(str(c) for c in error.children)


def summary_links(page: Element) -> list[str]:
    summary = find(page, class_="form-summary")
    assert summary is not None and dict(summary.attributes)["role"] == "alert"
    return [dict(a.attributes)["href"] for a in elements(summary) if a.name == "a"]


def test_a_refused_new_user_shows_each_error_under_its_field_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.national)
    response = client.post(reverse("manage_user_new"), {"username": "", "full_name": "کارشناس کرمان",
                                                        "password": "abc", "role": "viewer", "is_active": "on"})
    assert response.status_code == 200 and not User.objects.filter(first_name="کارشناس کرمان").exists()
    page = parse_html(response.content.decode())
    # The summary links to the two boxes at fault, in the form's order.
    assert summary_links(page) == ["#id_username", "#id_password"]
    # Each error sits under its own box, in Persian.
    assert "لازم" in assert_error_follows_its_field(page, "username")
    assert "کوتاه" in assert_error_follows_its_field(page, "password")  # in Persian, not Django's English
    # A field without fault has no error and is not marked invalid.
    assert find(page, id="id_role_error") is None
    assert "invalid" not in dict(find(page, id="id_role_field").attributes)["class"]
    # What was typed is kept (but never the password).
    assert dict(find(page, id="id_full_name").attributes)["value"] == "کارشناس کرمان"
    assert "value" not in dict(find(page, id="id_password").attributes)


def test_the_parks_list_of_the_user_form_stays_a_bounded_searchable_list(client, cast):
    client.force_login(cast.national)
    page = parse_html(client.get(reverse("manage_user_new")).content.decode())
    parks = find(page, id="id_parks")
    assert parks.name == "select" and dict(parks.attributes)["data-search"] == "1"


def test_a_refused_new_consortium_shows_its_errors_under_the_ticks_and_the_hs_box(client, world):
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:consortium_new", args=[world.cluster.pk]), {
        "name": "کنسرسیوم کاشی", "members": [world.members[0].pk], "products_hs": "69-07",
        "formed_on": "1405/01/15"})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    # The ticks have no single box to focus: the summary links to their block.
    assert summary_links(page) == ["#id_members_field", "#id_products_hs"]
    assert "۳" in assert_error_follows_its_field(page, "members", ticks=True)
    assert "HS" in assert_error_follows_its_field(page, "products_hs")
    # The members' ticks sit in a bounded box; the one ticked stays ticked, the name and date stay typed.
    box = find(page, class_="checklist-box")
    ticked = [dict(e.attributes)["value"] for e in elements(box) if e.name == "input" and
              "checked" in dict(e.attributes)]
    assert ticked == [str(world.members[0].pk)]
    assert dict(find(page, id="id_name").attributes)["value"] == "کنسرسیوم کاشی"
    assert dict(find(page, id="id_formed_on").attributes)["value"] == "1405/01/15"


def test_a_refused_enquiry_shows_the_county_error_under_the_county_and_keeps_the_ticked_processes(client, world):
    client.force_login(world.cast.national)
    response = client.post(reverse("spx:enquiry_new"), {
        "kind": "subcontracting", "buyer": "خریدار", "title": "شفت", "buyer_province": "23", "buyer_county": "1010",
        "processes": ["cnc_machining"], "deadline": "1405/13/01"})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    assert summary_links(page) == ["#id_buyer_county", "#id_deadline"]
    assert_error_follows_its_field(page, "buyer_county")
    assert "ماه ۱۳ وجود ندارد" in assert_error_follows_its_field(page, "deadline")
    # The wrong date comes back as typed, for the person to correct, not replaced by another.
    assert dict(find(page, id="id_deadline").attributes)["value"] == "1405/13/01"
    processes = find(page, id="id_processes_field")
    ticked = [dict(e.attributes)["value"] for e in elements(processes) if e.name == "input" and
              "checked" in dict(e.attributes)]
    assert ticked == ["cnc_machining"]
