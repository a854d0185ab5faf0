"""A program page's form that is refused (by the form or by the service) shows the same page again with that
form laid out by forms/_form.html: each error under its own box and named by its aria-describedby, in Persian,
what was typed kept, and nothing written, neither the record nor an audit entry.  One that is accepted still
redirects (POST/redirect/GET) and says so."""

import datetime as dt

import pytest
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from khoosheh.accounts.models import AuditEntry
from khoosheh.core.jalali import format_jalali
from khoosheh.programs import services
from khoosheh.programs.models import (
    AnnualTarget,
    ClinicCase,
    ConsortiumExport,
    FollowUp,
    HalfFinishedProject,
    Intervention,
    JointAction,
    PhaseChange,
)
from tests.form_pages import assert_error_follows_its_field, find, kept, summary_links, text_of

pytestmark = pytest.mark.django_db

REQUIRED = "این فیلد لازم است"


def day(offset: int = 0) -> str:
    return format_jalali(timezone.localdate() + dt.timedelta(days=offset), persian_digits=False)


@pytest.fixture
def development(world):
    return services.start_development(world.cluster, world.cast.national)


# Each refused submit: the record's fixture and page, who sends it, what is sent, the box at fault (and what its
# error says), the prefix of the form's ids, what must come back as typed, and the rows that must not grow.
REFUSED = {
    "a joint action without a title": dict(
        record="development", url="programs:development_update", who="national",
        data=lambda w: {"kind": "training", "title": "", "start_date": "1405/02/10", "budget": "5000",
                        "participants": [w.members[1].pk]},
        fault="title", says=REQUIRED,
        # A number comes back in the page's Persian digits (web/fields.py DigitsInput): the same number.
        keeps=lambda w: {"id_kind": "training", "id_start_date": "1405/02/10", "id_budget": "۵۰۰۰",
                         "id_participants": [str(w.members[1].pk)]},
        rows=JointAction),
    "a joint action ending before it starts (the service's refusal)": dict(
        record="development", url="programs:development_update", who="national",
        data=lambda w: {"kind": "training", "title": "دوره آموزشی", "start_date": "1406/02/10",
                        "end_date": "1406/02/01", "budget": "0"},
        fault="end_date", says="پایان اقدام پیش از آغاز آن است",
        keeps=lambda w: {"id_title": "دوره آموزشی", "id_end_date": "1406/02/01"}, rows=JointAction),
    "a phase change without the phase": dict(
        record="development", url="programs:development_update", who="national",
        data=lambda w: {"phase": "", "note": "پس از نشست اعضا"}, fault="phase", says=REQUIRED,
        keeps=lambda w: {"id_note": "پس از نشست اعضا"}, rows=PhaseChange),
    "a diagnosis without a problem ticked": dict(
        record="diagnosed_case", url="programs:case_step", step="diagnose", who="isfahan",
        data=lambda w: {"main_problem": "legal", "note": "دعوای ملکی"}, fault="problems", ticks=True, says=REQUIRED,
        keeps=lambda w: {"diagnose_main_problem": "legal", "diagnose_note": "دعوای ملکی"}, rows=ClinicCase),
    "an intervention without its date": dict(
        record="diagnosed_case", url="programs:case_step", step="intervention", who="isfahan",
        data=lambda w: {"kind": "legal_mediation", "amount": "0", "date": "", "note": "میانجی‌گری"},
        fault="date", says=REQUIRED,
        keeps=lambda w: {"intervention_kind": "legal_mediation", "intervention_note": "میانجی‌گری"},
        rows=Intervention),
    "a follow-up dated tomorrow (the service's refusal)": dict(
        record="diagnosed_case", url="programs:case_step", step="follow_up", who="isfahan",
        data=lambda w: {"date": day(1), "note": "تماس تلفنی"}, fault="date", says="پس از امروز",
        keeps=lambda w: {"follow_up_date": day(1), "follow_up_note": "تماس تلفنی"}, rows=FollowUp),
    "a closing without its outcome": dict(
        record="diagnosed_case", url="programs:case_step", step="close", who="isfahan",
        data=lambda w: {"outcome": "", "on": day(), "jobs_restored": "3"}, fault="outcome", says=REQUIRED,
        keeps=lambda w: {"close_on": day(), "close_jobs_restored": "۳"}, rows=ClinicCase),
    "a project's progress emptied": dict(
        record="project", url="programs:project_update", who="national",
        data=lambda w: {"physical_progress": "", "investment_made": "10", "investment_needed": "20",
                        "blockers": "نبود نقدینگی", "planned_jobs": "12"},
        fault="physical_progress", says=REQUIRED,
        keeps=lambda w: {"id_blockers": "نبود نقدینگی", "id_planned_jobs": "۱۲"}, rows=HalfFinishedProject),
    "an opening without its day": dict(
        record="project", url="programs:project_update", who="national",
        data=lambda w: {"on": ""}, fault="on", says=REQUIRED, keeps=lambda w: {}, rows=HalfFinishedProject),
    "a consortium's exports without the year": dict(
        record="consortium", url="programs:consortium_detail", who="national",
        data=lambda w: {"year": "", "value_usd": "125000"}, fault="year", says=REQUIRED,
        keeps=lambda w: {"id_value_usd": "۱۲۵۰۰۰"}, rows=ConsortiumExport),
    "a target without its value": dict(
        record=None, url="programs:set_target", who="national",
        data=lambda w: {"year": "1404", "indicator": "units_revived", "province": "10", "value": ""},
        fault="value", says=REQUIRED,
        keeps=lambda w: {"id_year": "۱۴۰۴", "id_indicator": "units_revived", "id_province": "10"},
        rows=AnnualTarget),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_program_form_comes_back_on_its_page_with_the_error_under_its_box(client, world, request, case):
    record = request.getfixturevalue(case["record"]) if case["record"] else None
    args = [record.pk] + ([case["step"]] if "step" in case else []) if record else []
    ids = case.get("step", "id")
    client.force_login(getattr(world.cast, case["who"]))
    audited, rows = AuditEntry.objects.count(), list(case["rows"].objects.values())

    response = client.post(reverse(case["url"], args=args), case["data"](world))

    # The same page again, not a redirect: the form's summary on top links to the box at fault.
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    fault = f"{ids}_{case['fault']}"
    link = f"#{fault}_field" if case.get("ticks") else f"#{fault}"  # ticks have no one box: their block
    assert link in summary_links(page)
    # The error, in Persian, right under its box and named by the box's aria-describedby.
    assert case["says"] in assert_error_follows_its_field(page, case["fault"], ids=ids, ticks=case.get("ticks"))
    # What was typed or chosen is back in its box.
    for box_id, value in case["keeps"](world).items():
        assert kept(page, box_id) == value, box_id
    # Nothing was written: neither the record nor its audit trail moved.
    assert list(case["rows"].objects.values()) == rows
    assert AuditEntry.objects.count() == audited


def test_an_accepted_joint_action_still_redirects_with_its_message(client, world, development):
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:development_update", args=[development.pk]), {
        "kind": "training", "title": "دوره آموزشی", "start_date": "1405/02/10", "budget": "0",
        "participants": [world.members[0].pk, world.members[2].pk]}, follow=True)
    # POST/redirect/GET: the development's page, saying it was added.
    assert response.redirect_chain == [(reverse("programs:development_detail", args=[development.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["اقدام مشترک ثبت شد."]
    action = JointAction.objects.get()
    assert set(action.participants.all()) == {world.members[0], world.members[2]}


def test_a_participant_from_outside_the_cluster_cannot_be_ticked(client, world, development):
    outsider = world.units["idle_isfahan"]
    client.force_login(world.cast.national)
    response = client.post(reverse("programs:development_update", args=[development.pk]), {
        "kind": "training", "title": "دوره آموزشی", "start_date": "1405/02/10", "budget": "0",
        "participants": [outsider.pk]})
    assert response.status_code == 200
    assert_error_follows_its_field(parse_html(response.content.decode()), "participants", ticks=True)
    assert not JointAction.objects.exists()


def test_a_stage_moved_on_still_shows_the_refused_step_and_why(client, world):
    # An intervention sent from a page opened before the case was diagnosed (another tab, a colleague): the
    # page no longer offers interventions in this stage, yet the refused form and its reason are shown.
    case = services.open_case(world.units["idle_isfahan"], world.cast.isfahan)
    client.force_login(world.cast.isfahan)
    response = client.post(reverse("programs:case_step", args=[case.pk, "intervention"]), {
        "kind": "legal_mediation", "amount": "0", "date": day(), "note": ""})
    assert response.status_code == 200
    page = parse_html(response.content.decode())
    # The service's reason has no box of its own: the summary says it, linking nowhere.
    assert summary_links(page) == []
    assert "ثبت اقدام در مرحله «پذیرش» ممکن نیست" in text_of(find(page, class_="form-summary"))
    assert kept(page, "intervention_kind") == "legal_mediation"
    assert not Intervention.objects.exists()
