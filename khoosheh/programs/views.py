from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import get_visible_or_404, sees_overview
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import format_jalali
from khoosheh.core.text import file_name, fold_digits
from khoosheh.registry.fields import unit_label
from khoosheh.registry.models import Province
from khoosheh.registry.selectors import pickable_provinces, visible_units
from khoosheh.web.actions import attempt, submit
from khoosheh.web.paging import page_of
from khoosheh.web.params import province_param, year_param

from . import forms, inputs, services
from .achievements import idle_causes_matrix, national_idle_causes, targets_vs_achievements
from .models import ClinicCase, ClusterDevelopment, ExportConsortium, HalfFinishedProject, Phase, ProblemCategory
from .permissions import can_change, opens_records, sections
from .selectors import visible


def _page(request, template: str, context: dict, page_forms: dict, bound=None) -> HttpResponse:
    """A program record's page with its forms: each empty, or the refused one (``bound``, as submitted) in place
    of its twin of the same class, laid out by forms/_form.html with its errors under its fields.  ``refused``
    lets a page show that form even where it would not offer it now (a stage moved on meanwhile).  The status
    is 200, as on the other pages that show a refused form again."""
    page_forms = {name: bound if type(bound) is type(form) else form for name, form in page_forms.items()}
    return render(request, template, context | page_forms | {"refused": bound})


@login_required
def overview(request):
    if not sees_overview(request.user):  # targets and achievements are the province's or the nation's figures
        # The role's first own section (its tabs never link back here, so this cannot loop); none at all: 403.
        own = sections(request.user)
        if not own:
            raise PermissionDenied
        return redirect(own[0])
    return _overview_page(request, year_param(request))


def _overview_page(request, year: int, bound=None) -> HttpResponse:
    province = province_param(request)  # provincial staff: their own (another is 403)
    cases = visible(request.user, ClinicCase.objects.all())
    if province:
        cases = cases.filter(province_id=province)
    columns, matrix = idle_causes_matrix(cases, year)
    return _page(request, "programs/overview.html", {
        "year": year, "province": Province.objects.filter(code=province).first(),
        "provinces": pickable_provinces(request.user),
        "rows": targets_vs_achievements(year, province),
        "causes": national_idle_causes(cases, year), "cause_columns": columns, "cause_matrix": matrix,
        "problem_labels": dict(ProblemCategory.choices), "can_set_targets": request.user.is_national,
    }, {"target_form": forms.TargetForm(initial={"year": year})}, bound)


@login_required
@require_POST
def set_target(request):
    if not request.user.is_national:
        raise PermissionDenied
    form = forms.TargetForm(request.POST)

    def save(d):
        services.set_target(request.user, year=d["year"], indicator=d["indicator"], value=d["value"],
                            province_code=d["province"] or None)
        return d["year"]

    # A refused target is shown on the figures of the year it was typed for, when that year is one.
    return submit(request, form, save, _("Target saved."),
                  then=lambda year: f"{reverse('programs:overview')}?year={year}",
                  refused=lambda: _overview_page(request, form.cleaned_data.get("year") or year_param(request),
                                                 form))


def _in_province(request, queryset) -> tuple:
    """A list's records the user may see, narrowed to the ``?province=`` asked (web.params.province_param, the
    unit list's rule: another province than a province-bound user's own is 403, an unknown code 400); with the
    page's province context: the province named, for the heading and the picker's choice (None: every province
    the user sees), and the provinces the picker offers (forms/_province_picker.html; none for a
    province-bound reader)."""
    code = province_param(request)
    records = visible(request.user, queryset)
    if code:
        records = records.filter(province_id=code)
    return records, {"province": Province.objects.filter(code=code).first() if code else None,
                     "provinces": pickable_provinces(request.user)}


# --- cluster development ------------------------------------------------------------

@login_required
def development_list(request):
    developments, where = _in_province(request, ClusterDevelopment.objects.select_related(
        "cluster", "province", "agent"))
    return render(request, "programs/development_list.html", {"developments": developments} | where)


@login_required
@require_POST
def development_start(request, cluster_pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user), pk=cluster_pk)
    development = attempt(request, lambda: services.start_development(cluster, request.user),
                          _("The cluster entered the development program."))
    if development:
        return redirect("programs:development_detail", pk=development.pk)
    return redirect("clusters:cluster_detail", pk=cluster.pk)


def _development_page(request, development: ClusterDevelopment, bound=None) -> HttpResponse:
    return _page(request, "programs/development_detail.html", {
        "d": development, "can_change": can_change(request.user, development),
        "phases": services.PHASE_ORDER, "phase_labels": dict(Phase.choices),
        "changes": development.phase_changes.select_related("changed_by"),
        "actions": development.joint_actions.prefetch_related("participants"),
    }, {
        "phase_form": forms.PhaseForm(),
        "development_form": forms.DevelopmentForm(initial={"action_plan": development.action_plan}),
        "action_form": forms.JointActionForm(units=_members(request, development)),
    }, bound)


def _members(request, development: ClusterDevelopment):
    return visible_units(request.user, development.cluster.members.all())


def _development(request, pk: int) -> ClusterDevelopment:
    """The development the reader may see (its page, its forms, its study), else 404 — as for any record."""
    return get_visible_or_404(visible(request.user, ClusterDevelopment.objects.all())
                              .select_related("cluster", "agent"), pk=pk)


@login_required
def development_detail(request, pk: int):
    return _development_page(request, _development(request, pk))


@login_required
def development_study(request, pk: int):
    """The stored diagnostic study, as a download named after the cluster; uploads are served by no other way."""
    development = _development(request, pk)
    if not development.diagnostic_study:
        raise Http404
    try:
        study = development.diagnostic_study.open("rb")
    except FileNotFoundError:  # a record restored without its files
        raise Http404 from None
    name = file_name(f"{_('Diagnostic study')} {development.cluster.name}")
    return FileResponse(study, as_attachment=True, filename=f"{name}.pdf", content_type="application/pdf")


@login_required
@require_POST
def development_update(request, pk: int):
    development = _development(request, pk)
    form, save, success = _development_change(request, development)
    return submit(request, form, save, success, then=reverse("programs:development_detail", args=[pk]),
                  refused=lambda: _development_page(request, development, form))


def _development_change(request, development: ClusterDevelopment):
    """Which of the page's three forms was sent (a field only it has tells), what saves it, what to say then."""
    user, post = request.user, request.POST
    if "phase" in post:
        return (forms.PhaseForm(post),
                lambda d: services.change_phase(development, user, d["phase"], note=d["note"]), _("Phase changed."))
    if "kind" in post:
        return (forms.JointActionForm(post, units=_members(request, development)),
                lambda d: services.add_joint_action(development, user, **d), _("Joint action added."))
    # No file sent (or a crafted "clear"): the study uploaded before stays.
    return (forms.DevelopmentForm(post, request.FILES),
            lambda d: services.update_development(
                development, user, **{k: v for k, v in d.items() if v or k != "diagnostic_study"}), _("Saved."))


# --- business clinic -------------------------------------------------------------------

@login_required
def case_list(request):
    cases, where = _in_province(request, ClinicCase.objects.select_related("unit", "province"))
    stage = request.GET.get("stage", "")
    stage = stage if stage in ClinicCase.Stage.values else ""  # the picker's form carries only a real stage
    if stage:
        cases = cases.filter(stage=stage)
    return render(request, "programs/case_list.html", {"cases": page_of(request, cases), "stage": stage,
                                                       "stages": ClinicCase.Stage.choices,
                                                       "opens_cases": opens_records(request.user)} | where)


@login_required
@require_POST
def case_open(request, unit_pk: int):
    unit = get_visible_or_404(visible_units(request.user), pk=unit_pk)
    case = attempt(request, lambda: services.open_case(unit, request.user), _("Business-clinic case opened."))
    if case:
        return redirect("programs:case_detail", pk=case.pk)
    return redirect("registry:unit_detail", pk=unit.pk)


# Each step's form, what saves it, and its name on the page; its boxes' ids start with the step, for the page
# shows the four forms at once and three of them have a date or a note.
_CASE_STEPS = {
    "diagnose": (forms.DiagnosisForm, services.diagnose, "diagnosis_form"),
    "intervention": (forms.InterventionForm, services.add_intervention, "intervention_form"),
    "follow_up": (forms.FollowUpForm, services.add_follow_up, "follow_up_form"),
    "close": (forms.OutcomeForm, services.close_case, "outcome_form"),
}


def _case_page(request, case: ClinicCase, bound=None) -> HttpResponse:
    initial = {"diagnose": {"problems": case.problems, "main_problem": case.main_problem}}
    return _page(request, "programs/case_detail.html", {
        "case": case, "can_change": can_change(request.user, case), "problem_labels": dict(ProblemCategory.choices),
    }, {name: form_class(initial=initial.get(step), auto_id=f"{step}_%s")
        for step, (form_class, _call, name) in _CASE_STEPS.items()}, bound)


@login_required
def case_detail(request, pk: int):
    case = get_visible_or_404(visible(request.user, ClinicCase.objects.all()).select_related("unit"), pk=pk)
    return _case_page(request, case)


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    case = get_visible_or_404(visible(request.user, ClinicCase.objects.all()).select_related("unit"), pk=pk)
    if step not in _CASE_STEPS:
        raise PermissionDenied
    form_class, call, _name = _CASE_STEPS[step]
    form = form_class(request.POST, auto_id=f"{step}_%s")
    return submit(request, form, lambda d: call(case, request.user, **d), _("Saved."),
                  then=reverse("programs:case_detail", args=[pk]), refused=lambda: _case_page(request, case, form))


# --- half-finished projects ---------------------------------------------------------------

PIPELINE_OTHERS_SHOWN = 300  # the other open projects listed, most advanced first
PIPELINE_OPENED_SHOWN = 100  # the opened projects listed, most recent first


@login_required
def project_pipeline(request):
    threshold = settings.KHOOSHEH_PIPELINE_THRESHOLD
    text = fold_digits(request.GET.get("threshold", ""))
    if text.isdigit() and 0 <= int(text) <= 100:
        threshold = int(text)
    projects, where = _in_province(request, HalfFinishedProject.objects.select_related("unit", "province"))
    open_projects = projects.filter(actual_opening__isnull=True)
    others = open_projects.filter(physical_progress__lt=threshold).order_by("-physical_progress", "pk")
    opened = projects.filter(actual_opening__isnull=False).order_by("-actual_opening")
    # The two long lists show their most advanced and most recent rows, and say how many there are in all.
    return render(request, "programs/project_pipeline.html", {
        "threshold": threshold, "near": open_projects.filter(physical_progress__gte=threshold),
        "others": others[:PIPELINE_OTHERS_SHOWN], "n_others": others.count(),
        "opened": opened[:PIPELINE_OPENED_SHOWN], "n_opened": opened.count(),
    } | where)


@login_required
@require_POST
def project_register(request, unit_pk: int):
    unit = get_visible_or_404(visible_units(request.user), pk=unit_pk)
    project = attempt(request, lambda: services.register_project(unit, request.user), _("Project registered."))
    if project:
        return redirect("programs:project_detail", pk=project.pk)
    return redirect("registry:unit_detail", pk=unit.pk)


def _project_page(request, project: HalfFinishedProject, bound=None) -> HttpResponse:
    initial = {f: getattr(project, f) for f in inputs.PROJECT.entries}
    if project.expected_opening:  # a date box shows the Jalali date, as the page does
        initial["expected_opening"] = format_jalali(project.expected_opening)
    return _page(request, "programs/project_detail.html", {
        "p": project, "can_change": can_change(request.user, project),
    }, {"form": forms.ProjectForm(initial=initial), "opening_form": forms.OpeningForm()}, bound)


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(visible(request.user, HalfFinishedProject.objects.all()).select_related("unit"),
                                pk=pk)
    return _project_page(request, project)


@login_required
@require_POST
def project_update(request, pk: int):
    project = get_visible_or_404(visible(request.user, HalfFinishedProject.objects.all()).select_related("unit"),
                                pk=pk)
    if "on" in request.POST:
        form = forms.OpeningForm(request.POST)
        save, success = (lambda d: services.open_project(project, request.user, **d)), _("Project opened.")
    else:
        form = forms.ProjectForm(request.POST)
        # The form shows the saved expected opening, so an emptied box means "no longer known".
        save, success = (lambda d: services.update_project(project, request.user, **d)), _("Saved.")
    return submit(request, form, save, success, then=reverse("programs:project_detail", args=[pk]),
                  refused=lambda: _project_page(request, project, form))


# --- export consortia ------------------------------------------------------------------------

@login_required
def consortium_list(request):
    consortia, where = _in_province(request, ExportConsortium.objects.select_related("province"))
    return render(request, "programs/consortium_list.html", {"consortia": consortia} | where)


@login_required
def consortium_new(request, cluster_pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user), pk=cluster_pk)
    form = forms.ConsortiumForm(request.POST or None, units=visible_units(request.user, cluster.members.all()))
    page = lambda: render(request, "programs/consortium_new.html", {"form": form, "cluster": cluster})  # noqa: E731
    if request.method != "POST":
        return page()
    return submit(request, form, lambda d: services.form_consortium(
        request.user, province_code=cluster.province_id, clusters=[cluster], **d), _("Export consortium formed."),
        then=lambda consortium: reverse("programs:consortium_detail", args=[consortium.pk]), refused=page)


def _consortium_page(request, consortium: ExportConsortium, bound=None) -> HttpResponse:
    return _page(request, "programs/consortium_detail.html", {
        "c": consortium, "can_change": can_change(request.user, consortium),
        # Named as every list of units names them: several members may share a name.
        "members": [(u, unit_label(u)) for u in visible_units(request.user, consortium.members.all())
                    .select_related("county")],
    }, {"form": forms.ExportsForm()}, bound)


@login_required
def consortium_detail(request, pk: int):
    consortium = get_visible_or_404(visible(request.user, ExportConsortium.objects.all()), pk=pk)
    if request.method != "POST":
        return _consortium_page(request, consortium)
    form = forms.ExportsForm(request.POST)
    return submit(request, form, lambda d: services.record_exports(consortium, request.user, **d), _("Saved."),
                  then=reverse("programs:consortium_detail", args=[pk]),
                  refused=lambda: _consortium_page(request, consortium, form))
