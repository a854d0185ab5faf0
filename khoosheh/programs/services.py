"""Every change to a program record: checked (permission, state machine), and
audited (who, when, before, after).  Views only call these."""

from __future__ import annotations

import datetime as dt
import os
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone, translation

from khoosheh.accounts.audit import jsonable, record_change
from khoosheh.accounts.models import User
from khoosheh.core.inputs import Description, Kind, document_refusal
from khoosheh.core.jalali import YEAR_MESSAGE, format_jalali, is_plausible_year, jalali_year
from khoosheh.core.text import clean_name, file_name, to_persian_digits
from khoosheh.registry.models import ProductionUnit, Province, UnitStatus
from khoosheh.registry.services import set_status

from .inputs import (
    CONSORTIUM,
    DEVELOPMENT,
    DIAGNOSIS,
    EXPORTS,
    FOLLOW_UP,
    INTERVENTION,
    JOINT_ACTION,
    OPEN_CASE,
    OPENING,
    OUTCOME,
    PROJECT,
    START_DEVELOPMENT,
)
from .models import (
    PHASE_ORDER,
    AnnualTarget,
    ClinicCase,
    ClusterDevelopment,
    ConsortiumExport,
    ExportConsortium,
    FollowUp,
    HalfFinishedProject,
    Intervention,
    JointAction,
    Phase,
    PhaseChange,
    ProblemCategory,
)
from .permissions import can_change, can_create_for

HS_CODE = re.compile(r"^\d{4}(\d{2}){0,3}$")  # HS heading (4), subheading (6), national lines (8 or 10)
MIN_CONSORTIUM_MEMBERS = 3


def _snapshot(record) -> dict:
    return jsonable(model_to_dict(record))


def _accept(description: Description, values: dict) -> dict:
    values = description.accept(values)
    _refuse_the_future(description, values)
    return values


def _refuse_unfit_documents(description: Description, values: dict) -> None:
    """An uploaded document that is not a PDF, or is over its entry's size, under its box (the page's form says
    the same; this holds it for any other caller)."""
    for name, value in values.items():
        entry = description.entries[name]
        reason = document_refusal(entry, value) if entry.kind is Kind.PDF and value else None
        if reason:
            raise ValidationError({name: reason})


def _refuse_the_future(description: Description, values: dict) -> None:
    """A day on which something happened (a follow-up, an opening) cannot be after today, nor a year whose
    figures are counted after this Jalali year; a planned day may (inputs.py says which is which)."""
    today = timezone.localdate()
    for name, entry in description.entries.items():
        value = values.get(name)
        if not entry.happened or value is None:
            continue
        with translation.override("fa"):
            label = str(entry.label) or "تاریخ"
        if entry.kind is Kind.YEAR and value > jalali_year(today):
            this_year = to_persian_digits(jalali_year(today))
            raise ValidationError({name: f"{label} نمی‌تواند پس از سال جاری ({this_year}) باشد"})
        if entry.kind is Kind.DAY and value > today:
            # Keyed by the entry, so a page's form says it under the date's box (the API's answer is the same).
            raise ValidationError({name: f"{label} نمی‌تواند پس از امروز ({format_jalali(today)}) باشد"})


def _require_change(user: User, record) -> None:
    if not can_change(user, record):
        raise PermissionDenied


# --- cluster development -------------------------------------------------------

@transaction.atomic
def start_development(cluster, user: User, *, agent: User | None = None,
                      started_on: dt.date | None = None) -> ClusterDevelopment:
    if not can_create_for(user, cluster.province_id):
        raise PermissionDenied
    if ClusterDevelopment.objects.filter(cluster=cluster).exists():
        raise ValidationError("این خوشه پیش‌تر وارد برنامه توسعه شده است")
    _refuse_the_future(START_DEVELOPMENT, {"started_on": started_on})
    development = ClusterDevelopment.objects.create(cluster=cluster, province_id=cluster.province_id, agent=agent,
                                                    started_on=started_on or timezone.localdate())
    PhaseChange.objects.create(development=development, new_phase=Phase.IDENTIFIED, changed_by=user,
                               note="ورود به برنامه توسعه")
    record_change(user, "create", development, after=_snapshot(development))
    return development


def _phase_label(phase: str) -> str:
    with translation.override("fa"):  # the messages are Persian, whatever the page's language
        return str(Phase(phase).label)


@transaction.atomic
def change_phase(development: ClusterDevelopment, user: User, new_phase: str, *, note: str = "") -> None:
    """Forward one phase at a time; back one phase with a reason; nothing else."""
    _require_change(user, development)
    development = ClusterDevelopment.objects.select_for_update().get(pk=development.pk)
    if new_phase not in PHASE_ORDER:
        raise ValidationError("مرحله ناشناخته است")
    old, new = PHASE_ORDER.index(development.phase), PHASE_ORDER.index(new_phase)
    if new == old:
        raise ValidationError("خوشه همین حالا در این مرحله است")
    if new > old + 1:
        raise ValidationError(
            f"از مرحله «{_phase_label(development.phase)}» نمی‌توان به «{_phase_label(new_phase)}» پرید؛ "
            f"مرحله بعد «{_phase_label(PHASE_ORDER[old + 1])}» است")
    if new < old - 1:
        raise ValidationError("بازگشت فقط به مرحله پیشین ممکن است")
    if new < old and not clean_name(note):
        raise ValidationError("برای بازگشت به مرحله پیشین دلیل را بنویسید")
    if old == PHASE_ORDER.index(Phase.DIAGNOSTIC) and new > old and not development.diagnostic_study:
        raise ValidationError("پیش از رفتن به مرحله اعتمادسازی، مطالعه تشخیصی را بارگذاری کنید")
    if new_phase == Phase.DIAGNOSTIC and development.agent_id is None:
        raise ValidationError("پیش از مطالعه تشخیصی، عامل توسعه خوشه را تعیین کنید")
    before = development.phase
    development.phase = new_phase
    development.save(update_fields=["phase"])
    PhaseChange.objects.create(development=development, old_phase=before, new_phase=new_phase, changed_by=user,
                               note=clean_name(note))
    record_change(user, "update", development, {"phase": before}, {"phase": new_phase})


@transaction.atomic
def update_development(development: ClusterDevelopment, user: User, **fields) -> None:
    """The fields of inputs.DEVELOPMENT given: agent, action plan, diagnostic study (a file)."""
    fields = DEVELOPMENT.accept(fields, partial=True)
    _require_change(user, development)
    _refuse_unfit_documents(DEVELOPMENT, fields)
    if fields.get("diagnostic_study"):
        fields["diagnostic_study_name"] = file_name(os.path.basename(fields["diagnostic_study"].name))[:255]
    development = ClusterDevelopment.objects.select_for_update().get(pk=development.pk)
    before = _development_snapshot(development)
    for key, value in fields.items():
        setattr(development, key, value)
    # Only these fields: a stale copy must not write back an old phase.
    development.save(update_fields=list(fields))
    record_change(user, "update", development, before, _development_snapshot(development))


def _development_snapshot(development: ClusterDevelopment) -> dict:
    """As `_snapshot`, with the study as its stored file and the name it was uploaded under, together: a new
    study under the old one's name is still a change, and the history names each as uploaded (web/history.py)."""
    values = _snapshot(development)
    if values.get("diagnostic_study"):
        values["diagnostic_study"] = {"file": values["diagnostic_study"], "name": development.diagnostic_study_name}
    return values


@transaction.atomic
def add_joint_action(development: ClusterDevelopment, user: User, *, participants=(), **values) -> JointAction:
    """values: inputs.JOINT_ACTION's; the participants must be the cluster's members."""
    values = _accept(JOINT_ACTION, values)
    _require_change(user, development)
    if values["kind"] not in JointAction.Kind.values:
        raise ValidationError("نوع اقدام مشترک ناشناخته است")
    if values["end_date"] and values["end_date"] < values["start_date"]:
        raise ValidationError({"end_date": "پایان اقدام پیش از آغاز آن است"})
    members = set(development.cluster.members.values_list("pk", flat=True))
    outsiders = [p for p in participants if p.pk not in members]
    if outsiders:
        raise ValidationError(f"این واحدها عضو خوشه نیستند: {'، '.join(u.name for u in outsiders[:5])}")
    action = JointAction.objects.create(development=development, **values | {"title": clean_name(values["title"])})
    action.participants.set(participants)
    record_change(user, "create", action, after=_snapshot(action))
    return action


# --- export consortia -------------------------------------------------------------

@transaction.atomic
def form_consortium(user: User, *, name: str, province_code: str, members, clusters=(), products_hs=(),
                    target_markets=(), formed_on: dt.date | None = None) -> ExportConsortium:
    if not can_create_for(user, province_code):
        raise PermissionDenied
    _refuse_the_future(CONSORTIUM, {"formed_on": formed_on})
    members = list(members)
    if len(members) < MIN_CONSORTIUM_MEMBERS:
        raise ValidationError(f"کنسرسیوم صادراتی دست‌کم {to_persian_digits(MIN_CONSORTIUM_MEMBERS)} عضو می‌خواهد")
    bad = [c for c in products_hs if not HS_CODE.match(str(c))]
    if bad:
        raise ValidationError(f"کد HS نادرست است: {'، '.join(map(str, bad))} (۴، ۶، ۸ یا ۱۰ رقم)")
    consortium = ExportConsortium.objects.create(
        name=clean_name(name), province_id=province_code, products_hs=[str(c) for c in products_hs],
        target_markets=[clean_name(m) for m in target_markets], formed_on=formed_on or timezone.localdate())
    consortium.members.set(members)
    consortium.clusters.set(clusters)
    record_change(user, "create", consortium, after=_snapshot(consortium))
    return consortium


@transaction.atomic
def record_exports(consortium: ExportConsortium, user: User, **values) -> None:
    """values: inputs.EXPORTS's (a Jalali year's figure replaces the one before)."""
    values = _accept(EXPORTS, values)
    year, value_usd = values["year"], values["value_usd"]
    _require_change(user, consortium)
    existing = ConsortiumExport.objects.filter(consortium=consortium, year=year).first()
    before = {"year": year, "value_usd": existing.value_usd} if existing else None
    ConsortiumExport.objects.update_or_create(consortium=consortium, year=year, defaults={"value_usd": value_usd})
    record_change(user, "update", consortium, before or {}, {"year": year, "value_usd": value_usd})


# --- business clinic ----------------------------------------------------------------

def _refuse_case(unit: ProductionUnit, user: User) -> None:
    """Why `open_case` refuses this unit now: PermissionDenied, or a ValidationError with the reason."""
    if not can_create_for(user, unit.province_id, unit.park_id):
        raise PermissionDenied
    if unit.status != UnitStatus.IDLE:
        raise ValidationError("پرونده کلینیک فقط برای واحد راکد باز می‌شود")
    if ClinicCase.objects.filter(unit=unit).exclude(stage=ClinicCase.Stage.CLOSED).exists():
        raise ValidationError("این واحد یک پرونده باز در کلینیک دارد")


def opens_case(unit: ProductionUnit, user: User) -> bool:
    """Would `open_case` take this unit from this user now?  The unit's page offers its button only then."""
    return _accepts(_refuse_case, unit, user)


def _accepts(refuse, unit: ProductionUnit, user: User) -> bool:
    try:
        refuse(unit, user)
    except (PermissionDenied, ValidationError):
        return False
    return True


@transaction.atomic
def open_case(unit: ProductionUnit, user: User, *, opened_on: dt.date | None = None) -> ClinicCase:
    _refuse_case(unit, user)
    _refuse_the_future(OPEN_CASE, {"opened_on": opened_on})
    case = ClinicCase.objects.create(unit=unit, province_id=unit.province_id,
                                     opened_on=opened_on or timezone.localdate())
    record_change(user, "create", case, after=_snapshot(case))
    return case


def _require_stage(case: ClinicCase, *stages: str, doing: str) -> None:
    if case.stage not in stages:
        with translation.override("fa"):
            allowed = "، ".join(str(ClinicCase.Stage(s).label) for s in stages)
            current = case.get_stage_display()
        raise ValidationError(f"{doing} در مرحله «{current}» ممکن نیست؛ فقط در: {allowed}")


@transaction.atomic
def diagnose(case: ClinicCase, user: User, **values) -> None:
    """values: inputs.DIAGNOSIS's."""
    values = _accept(DIAGNOSIS, values)
    _require_change(user, case)
    _require_stage(case, ClinicCase.Stage.INTAKE, ClinicCase.Stage.DIAGNOSED, doing="تشخیص")
    problems, main_problem = sorted(set(values["problems"])), values["main_problem"]
    if not problems or any(p not in ProblemCategory.values for p in problems):
        raise ValidationError("دست‌کم یک مشکل از فهرست مشکل‌ها را برگزینید")
    if main_problem not in problems:
        raise ValidationError("مشکل اصلی باید یکی از مشکل‌های تشخیص‌داده‌شده باشد")
    before = _snapshot(case)
    case.problems, case.main_problem, case.diagnosis_note = problems, main_problem, clean_name(values["note"])
    case.stage = ClinicCase.Stage.DIAGNOSED
    case.save()
    record_change(user, "update", case, before, _snapshot(case))


@transaction.atomic
def add_intervention(case: ClinicCase, user: User, **values) -> Intervention:
    """values: inputs.INTERVENTION's."""
    values = _accept(INTERVENTION, values)
    _require_change(user, case)
    _require_stage(case, ClinicCase.Stage.DIAGNOSED, ClinicCase.Stage.INTERVENING, doing="ثبت اقدام")
    if values["kind"] not in Intervention.Kind.values:
        raise ValidationError("نوع اقدام ناشناخته است")
    if values["date"] < case.opened_on:
        raise ValidationError("تاریخ اقدام پیش از گشودن پرونده است")
    intervention = Intervention.objects.create(case=case, **values | {"note": clean_name(values["note"])})
    if case.stage != ClinicCase.Stage.INTERVENING:
        before = _snapshot(case)
        case.stage = ClinicCase.Stage.INTERVENING
        case.save(update_fields=["stage"])
        record_change(user, "update", case, before, _snapshot(case))
    record_change(user, "create", intervention, after=_snapshot(intervention))
    return intervention


@transaction.atomic
def add_follow_up(case: ClinicCase, user: User, **values) -> FollowUp:
    """values: inputs.FOLLOW_UP's."""
    values = _accept(FOLLOW_UP, values)
    _require_change(user, case)
    _require_stage(case, ClinicCase.Stage.DIAGNOSED, ClinicCase.Stage.INTERVENING, doing="پیگیری")
    note = clean_name(values["note"])
    if not note:
        raise ValidationError("شرح پیگیری خالی است")
    follow_up = FollowUp.objects.create(case=case, date=values["date"], note=note)
    record_change(user, "create", follow_up, after=_snapshot(follow_up))
    return follow_up


@transaction.atomic
def close_case(case: ClinicCase, user: User, **values) -> None:
    """Record the outcome (values: inputs.OUTCOME's); a revived unit becomes active (and a closed-down one
    closed) through the unit's status history."""
    values = _accept(OUTCOME, values)
    outcome, on, jobs_restored = values["outcome"], values["on"], values["jobs_restored"]
    _require_change(user, case)
    _require_stage(case, ClinicCase.Stage.DIAGNOSED, ClinicCase.Stage.INTERVENING, doing="بستن پرونده")
    if outcome not in ClinicCase.Outcome.values:
        raise ValidationError("نتیجه ناشناخته است")
    if on < case.opened_on:
        raise ValidationError("تاریخ نتیجه پیش از گشودن پرونده است")
    if outcome != ClinicCase.Outcome.REVIVED and jobs_restored:
        raise ValidationError("شغل بازگشته فقط برای واحد احیاشده ثبت می‌شود")
    before = _snapshot(case)
    case.stage, case.outcome, case.outcome_on, case.jobs_restored = ClinicCase.Stage.CLOSED, outcome, on, jobs_restored
    case.save()
    new_status = {ClinicCase.Outcome.REVIVED: UnitStatus.ACTIVE, ClinicCase.Outcome.CLOSED_DOWN: UnitStatus.CLOSED}
    if outcome in new_status:
        with translation.override("fa"):
            label = case.get_outcome_display()
        set_status(case.unit, new_status[outcome], user=user, source=f"clinic:{case.pk}",
                   reason=f"کلینیک کسب‌وکار: {label} در {format_jalali(on)}")
    record_change(user, "update", case, before, _snapshot(case))


# --- half-finished projects ------------------------------------------------------------

def _refuse_project(unit: ProductionUnit, user: User) -> None:
    """Why `register_project` refuses this unit now (as `_refuse_case`)."""
    if not can_create_for(user, unit.province_id, unit.park_id):
        raise PermissionDenied
    if unit.status != UnitStatus.HALF_FINISHED:
        raise ValidationError("فقط واحد نیمه‌تمام طرح نیمه‌تمام دارد")
    if HalfFinishedProject.objects.filter(unit=unit).exists():
        raise ValidationError("طرح این واحد پیش‌تر ثبت شده است")


def registers_project(unit: ProductionUnit, user: User) -> bool:
    """Would `register_project` take this unit from this user now?  The unit's page offers its button only then."""
    return _accepts(_refuse_project, unit, user)


@transaction.atomic
def register_project(unit: ProductionUnit, user: User, **fields) -> HalfFinishedProject:
    """fields: some of inputs.PROJECT's; the others take the model's defaults."""
    _refuse_project(unit, user)
    _check_project_fields(fields)
    project = HalfFinishedProject.objects.create(unit=unit, province_id=unit.province_id, **fields)
    record_change(user, "create", project, after=_snapshot(project))
    return project


def _check_project_fields(fields: dict) -> None:
    PROJECT.accept(fields, partial=True)
    progress = fields.get("physical_progress")
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError("پیشرفت فیزیکی باید بین ۰ و ۱۰۰ درصد باشد")


@transaction.atomic
def update_project(project: HalfFinishedProject, user: User, **fields) -> None:
    _require_change(user, project)
    if project.actual_opening:
        raise ValidationError("طرح افتتاح شده است و دیگر نیمه‌تمام نیست")
    _check_project_fields(fields)
    before = _snapshot(project)
    for key, value in fields.items():
        setattr(project, key, value)
    project.save()
    record_change(user, "update", project, before, _snapshot(project))


@transaction.atomic
def open_project(project: HalfFinishedProject, user: User, **values) -> None:
    """values: inputs.OPENING's; the unit becomes active through its status history."""
    values = _accept(OPENING, values)
    on, jobs = values["on"], values["jobs"]
    _require_change(user, project)
    if project.actual_opening:
        raise ValidationError("این طرح پیش‌تر افتتاح شده است")
    before = _snapshot(project)
    project.actual_opening, project.physical_progress = on, 100
    if jobs is not None:
        project.planned_jobs = jobs
    project.save()
    set_status(project.unit, UnitStatus.ACTIVE, user=user, source=f"project:{project.pk}",
               reason=f"افتتاح طرح نیمه‌تمام در {format_jalali(on)}")
    record_change(user, "update", project, before, _snapshot(project))


# --- targets ------------------------------------------------------------------------------

@transaction.atomic
def set_target(user: User, *, year: int, indicator: str, value: int, province_code: str | None = None) -> AnnualTarget:
    if not (user.is_authenticated and user.is_national):
        raise PermissionDenied
    if not is_plausible_year(year):
        raise ValidationError(YEAR_MESSAGE)
    if province_code is not None and not Province.objects.filter(code=province_code).exists():
        raise ValidationError(f"استانی با کد «{province_code}» نیست")
    target = (AnnualTarget.objects.select_for_update()
              .filter(year=year, indicator=indicator, province_id=province_code).first())
    key = {"year": year, "indicator": indicator, "province": province_code}
    before = {**key, "value": target.value} if target else None
    if target is None:
        target = AnnualTarget.objects.create(year=year, indicator=indicator, province_id=province_code, value=value)
    else:
        target.value = value
        target.save(update_fields=["value"])
    record_change(user, "update" if before else "create", target, before, {**key, "value": value})
    return target
