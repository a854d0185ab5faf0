"""The shapes of program records in the API: what it answers (…Out) and what a client sends (…In).

Every input is bounded as its database column is, and every text is normalised like any
Persian input, so no value a client sends can fail at the database."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from khoosheh.programs.models import ClinicCase, Indicator, Intervention, Phase, ProblemCategory

from .common import Count, Day, Id, Input, Money, Named, Number, Prose, ProvinceCode, Text, jalali
from .common import JalaliYear as Year


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


# --- what a client sends -----------------------------------------------------------------

class DevelopmentIn(Input):
    cluster: Id
    agent: Text(150) | None = Field(None, description="username of a cluster development agent")
    started_on: Day | None = None


class PhaseIn(Input):
    phase: choice_of(Phase)
    note: Prose(500) = Field("", description="required when stepping back")


class ConsortiumIn(Input):
    name: Named(200)
    province: ProvinceCode
    members: list[Id] = Field(..., min_length=3, max_length=1000, description="unit ids, at least three")
    clusters: list[Id] = Field([], max_length=100)
    products_hs: list[Text(10)] = Field([], max_length=100)
    target_markets: list[Prose(100)] = Field([], max_length=100)
    formed_on: Day | None = None


class ExportsIn(Input):
    year: Year
    value_usd: Money


class CaseIn(Input):
    unit: Id
    opened_on: Day | None = None


class DiagnosisIn(Input):
    problems: list[choice_of(ProblemCategory)] = Field(..., min_length=1, max_length=20)
    main_problem: choice_of(ProblemCategory)
    note: Prose(5000) = ""


class InterventionIn(Input):
    kind: choice_of(Intervention.Kind)
    date: Day
    amount: Money = Field(0, description="rial")
    note: Prose(300) = ""


class FollowUpIn(Input):
    date: Day
    note: Named(500)


class OutcomeIn(Input):
    outcome: choice_of(ClinicCase.Outcome)
    on: Day
    jobs_restored: Count = 0


class ProjectFields(Input):
    physical_progress: Annotated[int, Field(ge=0, le=100), Number] | None = Field(None, description="percent")
    investment_made: Money | None = Field(None, description="million rial")
    investment_needed: Money | None = Field(None, description="million rial")
    financing_sources: Prose(300) | None = None
    blockers: Prose(5000) | None = None
    expected_opening: Day | None = None
    planned_jobs: Count | None = None


class ProjectIn(ProjectFields):
    unit: Id


class OpeningIn(Input):
    on: Day
    jobs: Count | None = None


class TargetIn(Input):
    year: Year
    indicator: choice_of(Indicator)
    value: Count
    province: ProvinceCode | Literal[""] | None = Field(None, description="omit (or empty) for a national target")


class TargetOut(Schema):
    id: int
    year: int
    indicator: str
    province: str | None = Field(None, alias="province_id")
    value: int
