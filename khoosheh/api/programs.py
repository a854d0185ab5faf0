"""Program records: cluster development, export consortia, business-clinic cases,
half-finished projects, and targets with the achievements computed from the records.

Writes call the same services as the portal's pages, so the same state machines,
permissions (programs.permissions) and audit apply; a record outside the token's view
answers 404, one it may see but not change 403, a refused step 422 with the reason."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from khoosheh.accounts.models import Role, User
from khoosheh.accounts.scoping import province_asked, require_overview
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import FIRST_YEAR, LAST_YEAR
from khoosheh.programs import services
from khoosheh.programs.achievements import targets_vs_achievements
from khoosheh.programs.models import (
    ClinicCase,
    ClusterDevelopment,
    ExportConsortium,
    HalfFinishedProject,
    Phase,
)
from khoosheh.programs.selectors import visible
from khoosheh.registry.models import ProductionUnit
from khoosheh.registry.selectors import visible_units

from .common import Pages, ProvinceFilter
from .program_schemas import (
    CaseIn,
    CaseOut,
    ConsortiumIn,
    ConsortiumOut,
    DevelopmentIn,
    DevelopmentOut,
    DiagnosisIn,
    ExportsIn,
    FollowUpIn,
    InterventionIn,
    OpeningIn,
    OutcomeIn,
    PhaseIn,
    ProjectFields,
    ProjectIn,
    ProjectOut,
    TargetIn,
    TargetOut,
    TargetRowOut,
    choice_of,
)

programs = Router(tags=["programs"])


# --- reads ---

@programs.get("/clinic-cases", response=list[CaseOut])
@paginate(Pages)
def list_cases(request, stage: choice_of(ClinicCase.Stage) | None = None):
    cases = visible(request.user, ClinicCase.objects.all())
    return cases.filter(stage=stage) if stage else cases


@programs.get("/projects", response=list[ProjectOut])
@paginate(Pages)
def list_projects(request, min_progress: int = Query(0, ge=0, le=100, description="percent")):
    return visible(request.user, HalfFinishedProject.objects.filter(physical_progress__gte=min_progress))


_PROVINCE = Query("", description="province code; empty for the nation (a token bound to a province: its own; "
                                  "naming another answers 403)")


@programs.get("/targets", response=list[TargetRowOut])
def targets(request, year: int = Query(..., ge=FIRST_YEAR, le=LAST_YEAR, description="Jalali year"),
            province: ProvinceFilter = _PROVINCE):
    """Targets and the achievements computed from the records, for a Jalali year (staff only: 403 for agents,
    parks companies and unit owners; a provincial token naming another province 403, an unknown code 422)."""
    require_overview(request.user)
    rows = targets_vs_achievements(year, province_asked(request.user, province))
    return [r.__dict__ | {"percent": r.percent} for r in rows]


# --- cluster development ----------------------------------------------------------------------

def _development(request, development_id: int) -> ClusterDevelopment:
    return get_object_or_404(visible(request.user, ClusterDevelopment.objects.select_related("agent")),
                             pk=development_id)


def _agent(username: str | None) -> User | None:
    if not username:
        return None
    agent = User.objects.filter(username=username, role=Role.CLUSTER_AGENT, is_active=True).first()
    if agent is None:
        raise HttpError(422, f"عامل توسعه خوشه‌ای با نام کاربری «{username}» نیست")
    return agent


@programs.get("/developments", response=list[DevelopmentOut])
@paginate(Pages)
def list_developments(request, phase: choice_of(Phase) | None = None):
    found = visible(request.user, ClusterDevelopment.objects.select_related("agent"))
    return found.filter(phase=phase) if phase else found


@programs.get("/developments/{development_id}", response=DevelopmentOut)
def get_development(request, development_id: int):
    return _development(request, development_id)


@programs.post("/developments", response={201: DevelopmentOut})
def start_development(request, data: DevelopmentIn):
    """Take a confirmed cluster into the development program (phase: identified)."""
    cluster = get_object_or_404(visible_clusters(request.user), pk=data.cluster)
    return Status(201, services.start_development(cluster, request.user, agent=_agent(data.agent),
                                           started_on=data.started_on))


@programs.post("/developments/{development_id}/phase", response=DevelopmentOut)
def change_phase(request, development_id: int, data: PhaseIn):
    """One UNIDO phase forward, or one back with a reason."""
    development = _development(request, development_id)
    services.change_phase(development, request.user, data.phase, note=data.note)
    return _development(request, development_id)


# --- export consortia -----------------------------------------------------------------------------

def _consortia(request):
    return visible(request.user, ExportConsortium.objects.prefetch_related("members", "clusters", "exports"))


@programs.get("/consortia", response=list[ConsortiumOut])
@paginate(Pages)
def list_consortia(request):
    return _consortia(request)


@programs.post("/consortia", response={201: ConsortiumOut})
def form_consortium(request, data: ConsortiumIn):
    members = list(visible_units(request.user, ProductionUnit.objects.filter(pk__in=data.members)))
    missing = sorted(set(data.members) - {m.pk for m in members})
    if missing:
        raise HttpError(404, f"این واحدها پیدا نشدند یا در دسترس این حساب نیستند: {missing}")
    clusters = list(visible_clusters(request.user).filter(pk__in=data.clusters))
    if len(clusters) != len(set(data.clusters)):
        raise HttpError(404, "برخی خوشه‌ها پیدا نشدند یا در دسترس این حساب نیستند")
    consortium = services.form_consortium(request.user, **data.dict(exclude={"province", "members", "clusters"}),
                                          province_code=data.province, members=members, clusters=clusters)
    return Status(201, _consortia(request).get(pk=consortium.pk))


@programs.post("/consortia/{consortium_id}/exports", response=ConsortiumOut)
def record_exports(request, consortium_id: int, data: ExportsIn):
    """A consortium's exports in a Jalali year (replaces that year's figure)."""
    consortium = get_object_or_404(_consortia(request), pk=consortium_id)
    services.record_exports(consortium, request.user, **data.dict())
    return _consortia(request).get(pk=consortium.pk)


# --- business clinic ----------------------------------------------------------------------------

def _case(request, case_id: int) -> ClinicCase:
    return get_object_or_404(visible(request.user, ClinicCase.objects.select_related("unit")), pk=case_id)


@programs.get("/clinic-cases/{case_id}", response=CaseOut)
def get_case(request, case_id: int):
    return _case(request, case_id)


@programs.post("/clinic-cases", response={201: CaseOut})
def open_case(request, data: CaseIn):
    """Open a case for an idle unit."""
    unit = get_object_or_404(visible_units(request.user), pk=data.unit)
    return Status(201, services.open_case(unit, request.user, opened_on=data.opened_on))


@programs.post("/clinic-cases/{case_id}/diagnosis", response=CaseOut)
def diagnose(request, case_id: int, data: DiagnosisIn):
    case = _case(request, case_id)
    services.diagnose(case, request.user, **data.dict())
    return _case(request, case_id)


@programs.post("/clinic-cases/{case_id}/interventions", response=CaseOut)
def add_intervention(request, case_id: int, data: InterventionIn):
    case = _case(request, case_id)
    services.add_intervention(case, request.user, **data.dict())
    return _case(request, case_id)


@programs.post("/clinic-cases/{case_id}/follow-ups", response=CaseOut)
def add_follow_up(request, case_id: int, data: FollowUpIn):
    case = _case(request, case_id)
    services.add_follow_up(case, request.user, **data.dict())
    return _case(request, case_id)


@programs.post("/clinic-cases/{case_id}/outcome", response=CaseOut)
def close_case(request, case_id: int, data: OutcomeIn):
    """Close the case; a revived unit becomes active, a closed-down one closed (through its history)."""
    case = _case(request, case_id)
    services.close_case(case, request.user, **data.dict())
    return _case(request, case_id)


# --- half-finished projects ---------------------------------------------------------------------

def _project(request, project_id: int) -> HalfFinishedProject:
    return get_object_or_404(visible(request.user, HalfFinishedProject.objects.select_related("unit")),
                             pk=project_id)


@programs.get("/projects/{project_id}", response=ProjectOut)
def get_project(request, project_id: int):
    return _project(request, project_id)


@programs.post("/projects", response={201: ProjectOut})
def register_project(request, data: ProjectIn):
    unit = get_object_or_404(visible_units(request.user), pk=data.unit)
    fields = data.dict(exclude={"unit"}, exclude_none=True)
    return Status(201, services.register_project(unit, request.user, **fields))


@programs.patch("/projects/{project_id}", response=ProjectOut)
def update_project(request, project_id: int, data: ProjectFields):
    """Change the fields sent; the others keep their values."""
    project = _project(request, project_id)
    services.update_project(project, request.user, **data.dict(exclude_unset=True, exclude_none=True))
    return _project(request, project_id)


@programs.post("/projects/{project_id}/opening", response=ProjectOut)
def open_project(request, project_id: int, data: OpeningIn):
    """The project opened: progress 100%, and its unit becomes active (through its history)."""
    project = _project(request, project_id)
    services.open_project(project, request.user, **data.dict())
    return _project(request, project_id)


# --- targets --------------------------------------------------------------------------------------

@programs.put("/targets", response=TargetOut)
def set_target(request, data: TargetIn):
    """Set a Jalali year's target, national or for a province (national staff only)."""
    return services.set_target(request.user, year=data.year, indicator=data.indicator, value=data.value,
                               province_code=data.province or None)
