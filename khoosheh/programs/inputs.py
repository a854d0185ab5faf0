"""What a person or a client sends to change a program record, each described once (core/inputs.py).

forms.py makes the portal's forms from these, api/program_schemas.py the API's schemas, and services.py checks
what it is given against them; a label, a bound or a default is written here and nowhere else.  A record an
input names (a unit, a cluster, an agent) is found by the channel (an id in the API, a pick on a page) and
reaches the service as the record itself."""

from django.utils.translation import gettext_lazy as _

from khoosheh.core.inputs import Description, Entry, Kind

from .models import ClinicCase, Indicator, Intervention, JointAction, Phase, ProblemCategory

# --- cluster development ------------------------------------------------------------------------------

START_DEVELOPMENT = Description({
    "cluster": Entry(Kind.RECORD),
    "agent": Entry(Kind.CODE, max_length=150, default=None, description="username of a cluster development agent"),
    "started_on": Entry(Kind.DAY, default=None, happened=True),
})

DEVELOPMENT = Description({
    "agent": START_DEVELOPMENT.entries["agent"],
    "action_plan": Entry(Kind.TEXT, _("Action plan"), default="", rows=3),
    # A study is a report of some tens of pages: 20 MB holds one with its photographs and maps.
    "diagnostic_study": Entry(Kind.PDF, _("Diagnostic study (PDF)"), default=None, max_bytes=20 * 1024 * 1024),
})

PHASE = Description({
    "phase": Entry(Kind.CHOICE, _("Move to phase"), choices=Phase),
    "note": Entry(Kind.TEXT, _("Note"), default="", max_length=500, description="required when stepping back"),
})

JOINT_ACTION = Description({
    "kind": Entry(Kind.CHOICE, _("Kind"), choices=JointAction.Kind),
    "title": Entry(Kind.NAME, _("Title"), max_length=200),
    # A joint action is planned as well as recorded (the action plan names training, a joint purchase, an
    # exhibition ahead), so neither day is `happened`; the service refuses an end before the start.
    "start_date": Entry(Kind.DAY, _("Start")),
    "end_date": Entry(Kind.DAY, _("End"), default=None),
    "budget": Entry(Kind.MONEY, _("Budget (rial)"), default=0),
})

# --- export consortia ---------------------------------------------------------------------------------

CONSORTIUM = Description({
    "name": Entry(Kind.NAME, _("Name"), max_length=200),
    "province": Entry(Kind.PROVINCE),
    "members": Entry(Kind.RECORD, _("Member units"), many=True, min_items=3, max_items=1000,
                     description="unit ids, at least three"),
    "clusters": Entry(Kind.RECORD, many=True, default=(), max_items=100),
    "products_hs": Entry(Kind.HS_CODE, _("Products (HS codes)"), many=True, default=(), max_length=10,
                         max_items=100),
    "target_markets": Entry(Kind.TEXT, _("Target markets"), many=True, default=(), max_length=100, max_items=100),
    "formed_on": Entry(Kind.DAY, _("Formed on"), default=None, happened=True),  # today, when not given
})

EXPORTS = Description({
    "year": Entry(Kind.YEAR, _("Jalali year"), happened=True),  # a year's exports, counted
    "value_usd": Entry(Kind.MONEY, _("Exports (US dollars)")),
})

# --- business clinic ----------------------------------------------------------------------------------

OPEN_CASE = Description({
    "unit": Entry(Kind.RECORD),
    "opened_on": Entry(Kind.DAY, default=None, happened=True),
})

DIAGNOSIS = Description({
    "problems": Entry(Kind.CHOICE, _("Problems"), choices=ProblemCategory, many=True, min_items=1, max_items=20),
    "main_problem": Entry(Kind.CHOICE, _("Main problem"), choices=ProblemCategory),
    "note": Entry(Kind.TEXT, _("Diagnosis"), default="", max_length=5000, rows=2),
})

INTERVENTION = Description({
    "kind": Entry(Kind.CHOICE, _("Intervention"), choices=Intervention.Kind),
    "amount": Entry(Kind.MONEY, _("Amount (rial)"), default=0, description="rial"),
    "date": Entry(Kind.DAY, _("Date"), happened=True),
    "note": Entry(Kind.TEXT, _("Note"), default="", max_length=300),
})

FOLLOW_UP = Description({
    "date": Entry(Kind.DAY, _("Date"), happened=True),
    "note": Entry(Kind.NAME, _("Follow-up"), max_length=500),
})

OUTCOME = Description({
    "outcome": Entry(Kind.CHOICE, _("Outcome"), choices=ClinicCase.Outcome),
    "on": Entry(Kind.DAY, _("Date"), happened=True),
    "jobs_restored": Entry(Kind.COUNT, _("Jobs restored"), default=0),
})

# --- half-finished projects ---------------------------------------------------------------------------

# What the portal's form edits and the API's PATCH may send a part of; a new project takes the model's defaults.
PROJECT = Description({
    "physical_progress": Entry(Kind.PERCENT, _("Physical progress (%)"), description="percent"),
    "investment_made": Entry(Kind.MONEY, _("Investment made (million rial)"), default=0, description="million rial"),
    "investment_needed": Entry(Kind.MONEY, _("Investment still needed (million rial)"), default=0,
                               description="million rial"),
    "financing_sources": Entry(Kind.TEXT, _("Financing sources"), default="", max_length=300),
    "blockers": Entry(Kind.TEXT, _("Blockers"), default="", max_length=5000, rows=2),
    "expected_opening": Entry(Kind.DAY, _("Expected opening"), default=None),
    "planned_jobs": Entry(Kind.COUNT, _("Jobs when open"), default=0),
})

OPENING = Description({
    "on": Entry(Kind.DAY, _("Opened on"), happened=True),
    "jobs": Entry(Kind.COUNT, default=None),  # the planned jobs stay when not given
})

# --- targets ------------------------------------------------------------------------------------------

TARGET = Description({
    "year": Entry(Kind.YEAR, _("Jalali year")),
    "indicator": Entry(Kind.CHOICE, _("Indicator"), choices=Indicator),
    "province": Entry(Kind.PROVINCE, _("Province"), default=None, blank=_("National (every province)"),
                      description="omit (or empty) for a national target"),
    "value": Entry(Kind.COUNT, _("Target")),
})
