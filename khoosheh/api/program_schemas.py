"""The shapes of program records in the API: what it answers (…Out) and what a client sends (…In).

Every input is bounded as its database column is, and every text is normalised like any
Persian input, so no value a client sends can fail at the database."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from khoosheh.programs import inputs
from khoosheh.programs.models import Phase

from .common import Id, jalali, schema_for


def choice_of(choices):
    """A Django choices class as a Literal: the schema lists the allowed values."""
    return Literal[tuple(choices.values)]


class CaseOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    province: str = Field(..., alias="province_id")
    opened_on: dt.date
    opened_on_jalali: str
    stage: str
    problems: list[str]
    main_problem: str
    outcome: str
    outcome_on: dt.date | None
    jobs_restored: int

    @staticmethod
    def resolve_opened_on_jalali(case):
        return jalali(case.opened_on)


class ProjectOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    province: str = Field(..., alias="province_id")
    physical_progress: int
    investment_made: int
    investment_needed: int
    expected_opening: dt.date | None
    actual_opening: dt.date | None
    planned_jobs: int


class TargetRowOut(Schema):
    indicator: str
    label: str
    target: int | None
    achieved: int
    percent: float | None

class DevelopmentOut(Schema):
    id: int
    cluster: int = Field(..., alias="cluster_id")
    province: str = Field(..., alias="province_id")
    phase: choice_of(Phase)
    agent: str | None = None
    started_on: dt.date
    action_plan: str

    @staticmethod
    def resolve_agent(development):
        return development.agent.username if development.agent_id else None


class ConsortiumOut(Schema):
    id: int
    name: str
    province: str = Field(..., alias="province_id")
    members: list[Id]
    clusters: list[Id]
    products_hs: list[str]
    target_markets: list[str]
    formed_on: dt.date
    status: str
    exports: dict[int, int] = Field(..., description="US dollars by Jalali year")

    @staticmethod
    def resolve_members(consortium):
        return [m.pk for m in consortium.members.all()]

    @staticmethod
    def resolve_clusters(consortium):
        return [c.pk for c in consortium.clusters.all()]

    @staticmethod
    def resolve_exports(consortium):
        return {e.year: e.value_usd for e in consortium.exports.all()}


# --- what a client sends: each made from the input's one description (programs/inputs.py) ----------------

DevelopmentIn = schema_for("DevelopmentIn", inputs.START_DEVELOPMENT)
PhaseIn = schema_for("PhaseIn", inputs.PHASE)
ConsortiumIn = schema_for("ConsortiumIn", inputs.CONSORTIUM)
ExportsIn = schema_for("ExportsIn", inputs.EXPORTS)
CaseIn = schema_for("CaseIn", inputs.OPEN_CASE)
DiagnosisIn = schema_for("DiagnosisIn", inputs.DIAGNOSIS)
InterventionIn = schema_for("InterventionIn", inputs.INTERVENTION)
FollowUpIn = schema_for("FollowUpIn", inputs.FOLLOW_UP)
OutcomeIn = schema_for("OutcomeIn", inputs.OUTCOME)
ProjectFields = schema_for("ProjectFields", inputs.PROJECT, partial=True)
ProjectIn = schema_for("ProjectIn", inputs.OPEN_CASE.only("unit"), base=ProjectFields)
OpeningIn = schema_for("OpeningIn", inputs.OPENING)
TargetIn = schema_for("TargetIn", inputs.TARGET)


class TargetOut(Schema):
    id: int
    year: int
    indicator: str
    province: str | None = Field(None, alias="province_id")
    value: int
