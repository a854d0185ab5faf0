"""The portal's forms in a real browser: the Jalali date box and its day, month and year lists stay in step
both ways, and a refused form (a new user, a new consortium) shows each error under its field on a desktop
and on a 390-pixel phone (screenshots in tests/artefacts/)."""

import pytest

from khoosheh.core.jalali import InvalidJalaliDate, parse_jalali
from tests.browser.conftest import assert_nothing_ran
from tests.browser.signing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world_with_reference(transactional_db, request):
    from django.core.management import call_command

    call_command("sync_reference", verbosity=0)  # a transactional test empties the reference tables too
    return request.getfixturevalue("world")


def log_in(page, live_server, username):
    sign_in(page, live_server.url, username, f"pw-{username}")


def lists(page, name):
    """The day, month and year the lists beside the box show (values, "" for none)."""
    return tuple(page.locator(f"#id_{name}_field .jalali-picker select").evaluate_all("s => s.map(x => x.value)"))


def hint(page, name):
    return page.locator(f"#id_{name}_hint").inner_text()


def test_typing_in_the_jalali_box_sets_the_lists_and_choosing_in_the_lists_writes_the_box(
        watched, live_server, world_with_reference, artefact):
    page = watched
    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/manage/exhibitions/new/")
    box = page.locator("#id_starts_on")

    # Persian digits typed in the box set the lists.
    box.fill("۱۴۰۵/۰۲/۰۹")
    assert lists(page, "starts_on") == ("9", "2", "1405")
    # Latin digits, a dash and no leading zeros too.
    box.fill("1405-7-1")
    assert lists(page, "starts_on") == ("1", "7", "1405")

    # Choosing in the lists writes the box, in Persian digits as a date the server fills in reads.
    page.select_option("#id_starts_on_field .jalali-picker select[aria-label=روز]", "15")
    page.select_option("#id_starts_on_field .jalali-picker select[aria-label=ماه]", "3")
    assert box.input_value() == "۱۴۰۵/۰۳/۱۵"
    page.select_option("#id_starts_on_field .jalali-picker select[aria-label=سال]", "1404")
    assert box.input_value() == "۱۴۰۴/۰۳/۱۵"

    # A date that does not exist empties the lists (they never show another date) and, once the box is left,
    # says why in Persian.
    box.fill("1405/07/31")
    assert lists(page, "starts_on") == ("", "", "")
    box.press("Tab")
    assert hint(page, "starts_on") == "روز ۳۱ در مهر ۱۴۰۵ وجود ندارد؛ این ماه ۳۰ روز دارد"
    page.screenshot(path=artefact("jalali-invalid-hint.png"), full_page=True)
    # It is not sent: the page stays, nothing is saved.
    page.click("form.card button")
    page.wait_for_timeout(300)
    assert page.url.endswith("/manage/exhibitions/new/")
    from khoosheh.spx.models import Exhibition
    assert not Exhibition.objects.exists()
    # Correcting it clears the hint.
    box.fill("1405/07/30")
    assert lists(page, "starts_on") == ("30", "7", "1405") and hint(page, "starts_on") == ""

    # Mehr has no 31st to choose; a 31st chosen first, then Mehr: the box holds the lists' date, named as not
    # existing.
    assert page.locator("#id_starts_on_field .jalali-picker select[aria-label=روز] option[value='31']").is_disabled()
    box.fill("1405/05/31")
    page.select_option("#id_starts_on_field .jalali-picker select[aria-label=ماه]", "7")
    assert box.input_value() == "۱۴۰۵/۰۷/۳۱"
    assert "۳۰ روز دارد" in hint(page, "starts_on")
    # An unfinished choice leaves the box empty and asks for all three.
    box.fill("")
    page.select_option("#id_starts_on_field .jalali-picker select[aria-label=ماه]", "5")
    assert box.input_value() == "" and "هر سه" in hint(page, "starts_on")
    assert_nothing_ran(page, "the Jalali date box")


SAMPLES = ["1405/02/09", "۱۴۰۵/۲/۹", "١٤٠٥/٠٢/٠٩", "1405.2.9", "1405 / 2 / 9", "۱۴۰۵٫۰۲٫۰۹", "1403/12/30",
           "1404/12/30", "1405/13/01", "1405/06/31", "1405/07/31", "05/02/09", "1405/2", "abc", "1405//9"]


def test_the_box_accepts_exactly_what_the_server_reads(watched, live_server, world_with_reference):
    page = watched
    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/manage/exhibitions/new/")
    for text in SAMPLES:
        page.locator("#id_starts_on").fill(text)
        try:
            date = parse_jalali(text)
        except InvalidJalaliDate:
            # The server refuses it: the lists stay empty and the box says so.
            assert lists(page, "starts_on") == ("", "", ""), text
            assert page.locator("#id_starts_on").evaluate("b => b.validationMessage") != "", text
        else:
            import jdatetime
            j = jdatetime.date.fromgregorian(date=date)
            assert lists(page, "starts_on") == (str(j.day), str(j.month), str(j.year)), text


def refused_new_user(page, live_server):
    page.goto(f"{live_server.url}/manage/users/new/")
    page.fill("#id_full_name", "کارشناس کرمان")
    page.fill("#id_password", "abc")
    page.select_option("#id_role", "provincial")
    page.click("form.card button")
    page.wait_for_load_state("networkidle")


def refused_consortium(page, live_server, world):
    page.goto(f"{live_server.url}/programs/consortia/new/{world.cluster.pk}/")
    page.fill("#id_name", "کنسرسیوم کاشی میبد")
    page.locator("#id_members_field input[type=checkbox]").first.check()
    page.fill("#id_products_hs", "69-07")
    page.click("form.card button")
    page.wait_for_load_state("networkidle")


def assert_each_error_under_its_box(page, names):
    for name in names:
        error = page.locator(f"#id_{name}_error")
        assert error.is_visible(), name
        field = page.locator(f"#id_{name}_field").bounding_box()
        above = page.locator(f"#id_{name}_field .errorlist").evaluate(
            "e => e.previousElementSibling.getBoundingClientRect().bottom")
        # The error is the block's last line, just below what comes before it (the box or the list's box).
        box = error.bounding_box()
        assert field["y"] <= box["y"] and box["y"] + box["height"] <= field["y"] + field["height"] + 1, name
        # (Both in the viewport's coordinates, as bounding_box gives them: the page may be scrolled.)
        assert 0 <= box["y"] - above < 24, name


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 1000}, PHONE], ids=["desktop", "phone"])
def test_a_refused_user_form_and_consortium_form_show_each_error_under_its_field(
        browser, live_server, world_with_reference, artefact, viewport):
    from khoosheh.registry.models import ProductionUnit
    # A big cluster: forty more member units, a long list to tick from.
    more = [ProductionUnit.objects.create(name=f"کاشی میبد {i}", activity_id="2393", province_id="21",
                                          county_id="2106", status="active", employees=20) for i in range(40)]
    world_with_reference.cluster.members.add(*more)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    which = "phone" if viewport is PHONE else "desktop"
    try:
        log_in(page, live_server, "national")

        refused_new_user(page, live_server)
        page.screenshot(path=artefact(f"manage-user-refused-{which}.png"), full_page=True)
        # The summary is first, in view, and links to the boxes at fault.
        summary = page.locator(".form-summary")
        assert summary.is_visible() and summary.bounding_box()["y"] < viewport["height"]
        assert summary.locator("a").evaluate_all("a => a.map(x => x.getAttribute('href'))") == [
            "#id_username", "#id_password"]
        assert_each_error_under_its_box(page, ["username", "password"])
        # What was typed is kept.
        assert page.input_value("#id_full_name") == "کارشناس کرمان" and page.input_value("#id_role") == "provincial"
        # Following a link in the summary takes the person to the box.
        summary.locator("a").nth(1).click()
        assert page.evaluate("document.activeElement.id") == "id_password"

        refused_consortium(page, live_server, world_with_reference)
        page.screenshot(path=artefact(f"consortium-refused-{which}.png"), full_page=True)
        assert_each_error_under_its_box(page, ["members", "products_hs"])
        # Forty-four units to tick sit in a box of bounded height that scrolls: the button stays near.
        ticks = page.locator("#id_members_field .checklist-box").bounding_box()
        assert ticks["height"] < 300
        button = page.locator("form.card button").bounding_box()
        assert button["y"] - ticks["y"] < 900
        # A filter box above the ticks narrows them.
        page.fill("#id_members_field input.select-search", "میبد ۷")
        shown = page.locator("#id_members_field .checklist-box label:visible")
        assert shown.count() == 1 and "میبد ۷" in shown.inner_text()
        # Nothing is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    finally:
        context.close()


def test_a_refused_joint_action_on_a_development_page_is_shown_in_view_with_its_errors(
        watched, live_server, world_with_reference, artefact):
    from khoosheh.programs import services
    from khoosheh.programs.models import JointAction

    development = services.start_development(world_with_reference.cluster, world_with_reference.cast.national)
    page = watched
    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/programs/developments/{development.pk}/")
    # A joint action with no title, ending before it starts, one member ticked.
    form = page.locator("#joint-action")
    form.locator("#id_kind").select_option("joint_purchasing")
    page.fill("#id_start_date", "1405/03/10")
    page.fill("#id_end_date", "1405/03/01")
    page.fill("#id_budget", "")
    form.locator("#id_participants_field input[type=checkbox]").nth(1).check()
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artefact("joint-action-refused.png"), full_page=True)

    # The page opens on the refused form's summary (it sits below the joint actions' table), focused.
    summary = page.locator("#joint-action .form-summary")
    assert page.evaluate("document.activeElement.classList.contains('form-summary')")
    assert summary.bounding_box()["y"] >= 0 and summary.bounding_box()["y"] < 1000
    assert summary.locator("a").evaluate_all("a => a.map(x => x.getAttribute('href'))") == [
        "#id_title", "#id_budget"]
    assert_each_error_under_its_box(page, ["title", "budget"])
    # What was typed and ticked is kept; nothing was saved.
    assert page.input_value("#id_kind") == "joint_purchasing" and page.input_value("#id_end_date") == "1405/03/01"
    assert form.locator("#id_participants_field input[type=checkbox]").nth(1).is_checked()
    assert not JointAction.objects.exists()
    assert not page.problems, page.problems


def test_a_budget_typed_in_persian_digits_is_saved_as_that_number(watched, live_server, world_with_reference):
    from khoosheh.programs import services
    from khoosheh.programs.models import JointAction

    development = services.start_development(world_with_reference.cluster, world_with_reference.cast.national)
    page = watched
    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/programs/developments/{development.pk}/")
    form = page.locator("#joint-action")
    # The budget box starts empty (no 0 that a Save would record unread) and takes Persian digits.
    assert page.input_value("#id_budget") == ""
    form.locator("#id_kind").select_option("joint_purchasing")
    page.fill("#id_title", "خرید مشترک لعاب")
    page.fill("#id_start_date", "۱۴۰۵/۰۳/۱۰")
    page.locator("#id_budget").press_sequentially("۵۰۰۰")
    assert page.input_value("#id_budget") == "۵۰۰۰"
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert JointAction.objects.get().budget == 5000
    assert not page.problems, page.problems


def test_the_exhibition_page_shows_its_dates_and_numbers_in_persian_digits_and_saves_them(
        watched, live_server, world_with_reference):
    from khoosheh.spx.models import Exhibition

    page = watched
    log_in(page, live_server, "national")
    page.goto(f"{live_server.url}/manage/exhibitions/new/")
    page.fill("#id_name", "نمایشگاه کاشی یزد")
    page.fill("#id_city", "یزد")
    page.select_option("#id_province", "21")
    # Picking the date from the lists writes Persian digits into the box, as the server does.
    for label, value in (("روز", "11"), ("ماه", "10"), ("سال", "1405")):
        page.select_option(f"#id_starts_on_field .jalali-picker select[aria-label={label}]", value)
    assert page.input_value("#id_starts_on") == "۱۴۰۵/۱۰/۱۱"
    # A number box shows its starting value in Persian digits and takes Persian ones.
    assert page.input_value("#id_slots") == "۱۰"
    page.fill("#id_tables", "۱۲۰")
    page.click("form.card button")
    page.wait_for_load_state("networkidle")
    exhibition = Exhibition.objects.get()
    assert (exhibition.tables, exhibition.slots) == (120, 10)
    # Its edit page fills the date and numbers in Persian digits too.
    page.goto(f"{live_server.url}/manage/exhibitions/{exhibition.pk}/")
    assert page.input_value("#id_starts_on") == "۱۴۰۵/۱۰/۱۱" and page.input_value("#id_tables") == "۱۲۰"
    assert not page.problems, page.problems
