from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khoosheh.accounts.scoping import get_visible_or_404, province_scope, sees_overview
from khoosheh.clusters.selectors import visible_clusters
from khoosheh.core.jalali import format_jalali
from khoosheh.core.text import fold_digits, in_persian_order
from khoosheh.registry.models import Province
from khoosheh.registry.selectors import visible_units
from khoosheh.web.actions import attempt, show_form_errors
from khoosheh.web.params import province_param, year_param

from . import forms, inputs, services
from .achievements import idle_causes_matrix, national_idle_causes, targets_vs_achievements
from .models import ClinicCase, ClusterDevelopment, ExportConsortium, HalfFinishedProject, Phase, ProblemCategory
from .permissions import can_change, opens_records, sections
from .selectors import visible


@login_required
def overview(request):
    if not sees_overview(request.user):  # targets and achievements are the province's or the nation's figures
        # The role's first own section (its tabs never link back here, so this cannot loop); none at all: 403.
        own = sections(request.user)
        if not own:
            raise PermissionDenied
        return redirect(own[0])
    year = year_param(request)
    scope = province_scope(request.user)
    province = province_param(request)  # provincial staff: their own (another is 403)
    cases = visible(request.user, ClinicCase.objects.all())
    if province:
        cases = cases.filter(province_id=province)
    columns, matrix = idle_causes_matrix(cases, year)
    return render(request, "programs/overview.html", {
        "year": year, "province": Province.objects.filter(code=province).first(),
        "provinces": in_persian_order(Province.objects.all()) if scope is None else [],
        "rows": targets_vs_achievements(year, province),
        "causes": national_idle_causes(cases, year), "cause_columns": columns, "cause_matrix": matrix,
        "problem_labels": dict(ProblemCategory.choices),
        "can_set_targets": request.user.is_national, "target_form": forms.TargetForm(initial={"year": year}),
    })


@login_required
@require_POST
def set_target(request):
    form = forms.TargetForm(request.POST)
    if not request.user.is_national:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        attempt(request, lambda: services.set_target(request.user, year=data["year"], indicator=data["indicator"],
                                                  value=data["value"], province_code=data["province"] or None),
             _("Target saved."))
    else:
        show_form_errors(request, form)
    return redirect(f"{request.build_absolute_uri('/programs/')}?year={request.POST.get('year', '')}")


# --- cluster development ------------------------------------------------------------

@login_required
def development_list(request):
    developments = visible(request.user, ClusterDevelopment.objects.all()).select_related(
        "cluster", "province", "agent")
    return render(request, "programs/development_list.html", {"developments": developments})


@login_required
@require_POST
def development_start(request, cluster_pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user), pk=cluster_pk)
    development = attempt(request, lambda: services.start_development(cluster, request.user),
                          _("The cluster entered the development program."))
    if development:
        return redirect("programs:development_detail", pk=development.pk)
    return redirect("clusters:cluster_detail", pk=cluster.pk)


@login_required
def development_detail(request, pk: int):
    development = get_visible_or_404(visible(request.user, ClusterDevelopment.objects.all())
                                    .select_related("cluster", "agent"), pk=pk)
    return render(request, "programs/development_detail.html", {
        "d": development, "can_change": can_change(request.user, development),
        "phase_form": forms.PhaseForm(), "development_form": forms.DevelopmentForm(
            initial={"action_plan": development.action_plan}),
        "action_form": forms.JointActionForm(), "phases": services.PHASE_ORDER, "phase_labels": dict(Phase.choices),
        "changes": development.phase_changes.select_related("changed_by"),
        "actions": development.joint_actions.prefetch_related("participants"),
    })


@login_required
@require_POST
def development_update(request, pk: int):
    development = get_visible_or_404(visible(request.user, ClusterDevelopment.objects.all()), pk=pk)
    if "phase" in request.POST:
        form = forms.PhaseForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.change_phase(development, request.user, form.cleaned_data["phase"],
                                                        note=form.cleaned_data["note"]), _("Phase changed."))
        else:
            show_form_errors(request, form)
    elif "kind" in request.POST:
        form = forms.JointActionForm(request.POST)
        if form.is_valid():
            members = development.cluster.members.filter(pk__in=request.POST.getlist("participants"))
            attempt(request, lambda: services.add_joint_action(development, request.user, **form.cleaned_data,
                                                            participants=list(members)), _("Joint action added."))
        else:
            show_form_errors(request, form)
    else:
        form = forms.DevelopmentForm(request.POST, request.FILES)
        if form.is_valid():
            # No file sent (or a crafted "clear"): the study uploaded before stays.
            fields = {k: v for k, v in form.cleaned_data.items() if v or k != "diagnostic_study"}
            attempt(request, lambda: services.update_development(development, request.user, **fields), _("Saved."))
        else:
            show_form_errors(request, form)
    return redirect("programs:development_detail", pk=development.pk)


# --- business clinic -------------------------------------------------------------------

@login_required
def case_list(request):
    cases = visible(request.user, ClinicCase.objects.all()).select_related("unit", "province")
    stage = request.GET.get("stage", "")
    if stage in ClinicCase.Stage.values:
        cases = cases.filter(stage=stage)
    return render(request, "programs/case_list.html", {"cases": cases[:500], "stage": stage,
                                                       "stages": ClinicCase.Stage.choices,
                                                       "opens_cases": opens_records(request.user)})


@login_required
@require_POST
def case_open(request, unit_pk: int):
    unit = get_visible_or_404(visible_units(request.user), pk=unit_pk)
    case = attempt(request, lambda: services.open_case(unit, request.user), _("Business-clinic case opened."))
    if case:
        return redirect("programs:case_detail", pk=case.pk)
    return redirect("registry:unit_detail", pk=unit.pk)


@login_required
def case_detail(request, pk: int):
    case = get_visible_or_404(visible(request.user, ClinicCase.objects.all()).select_related("unit"), pk=pk)
    return render(request, "programs/case_detail.html", {
        "case": case, "can_change": can_change(request.user, case),
        "diagnosis_form": forms.DiagnosisForm(initial={"problems": case.problems, "main_problem": case.main_problem}),
        "intervention_form": forms.InterventionForm(), "follow_up_form": forms.FollowUpForm(),
        "outcome_form": forms.OutcomeForm(), "problem_labels": dict(ProblemCategory.choices),
    })


_CASE_STEPS = {
    "diagnose": (forms.DiagnosisForm, services.diagnose),
    "intervention": (forms.InterventionForm, services.add_intervention),
    "follow_up": (forms.FollowUpForm, services.add_follow_up),
    "close": (forms.OutcomeForm, services.close_case),
}


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    case = get_visible_or_404(visible(request.user, ClinicCase.objects.all()), pk=pk)
    if step not in _CASE_STEPS:
        raise PermissionDenied
    form_class, call = _CASE_STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        attempt(request, lambda: call(case, request.user, **form.cleaned_data), _("Saved."))
    else:
        show_form_errors(request, form)
    return redirect("programs:case_detail", pk=case.pk)


# --- half-finished projects ---------------------------------------------------------------

@login_required
def project_pipeline(request):
    threshold = settings.KHOOSHEH_PIPELINE_THRESHOLD
    text = fold_digits(request.GET.get("threshold", ""))
    if text.isdigit() and 0 <= int(text) <= 100:
        threshold = int(text)
    projects = visible(request.user, HalfFinishedProject.objects.all()).select_related("unit", "province")
    open_projects = projects.filter(actual_opening__isnull=True)
    return render(request, "programs/project_pipeline.html", {
        "threshold": threshold, "near": open_projects.filter(physical_progress__gte=threshold),
        "others": open_projects.filter(physical_progress__lt=threshold)[:300],
        "opened": projects.filter(actual_opening__isnull=False).order_by("-actual_opening")[:100],
    })


@login_required
@require_POST
def project_register(request, unit_pk: int):
    unit = get_visible_or_404(visible_units(request.user), pk=unit_pk)
    project = attempt(request, lambda: services.register_project(unit, request.user), _("Project registered."))
    if project:
        return redirect("programs:project_detail", pk=project.pk)
    return redirect("registry:unit_detail", pk=unit.pk)


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(visible(request.user, HalfFinishedProject.objects.all()).select_related("unit"),
                                pk=pk)
    initial = {f: getattr(project, f) for f in inputs.PROJECT.entries}
    if project.expected_opening:  # a date box shows the Jalali date, as the page does
        initial["expected_opening"] = format_jalali(project.expected_opening)
    return render(request, "programs/project_detail.html", {
        "p": project, "can_change": can_change(request.user, project), "form": forms.ProjectForm(initial=initial),
        "opening_form": forms.OpeningForm(),
    })


@login_required
@require_POST
def project_update(request, pk: int):
    project = get_visible_or_404(visible(request.user, HalfFinishedProject.objects.all()), pk=pk)
    if "on" in request.POST:
        form = forms.OpeningForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.open_project(project, request.user, **form.cleaned_data),
                    _("Project opened."))
        else:
            show_form_errors(request, form)
    else:
        form = forms.ProjectForm(request.POST)
        if form.is_valid():
            # The form shows the saved expected opening, so an emptied box means "no longer known".
            attempt(request, lambda: services.update_project(project, request.user, **form.cleaned_data), _("Saved."))
        else:
            show_form_errors(request, form)
    return redirect("programs:project_detail", pk=project.pk)


# --- export consortia ------------------------------------------------------------------------

@login_required
def consortium_list(request):
    consortia = visible(request.user, ExportConsortium.objects.all()).select_related("province")
    return render(request, "programs/consortium_list.html", {"consortia": consortia})


@login_required
def consortium_new(request, cluster_pk: int):
    cluster = get_visible_or_404(visible_clusters(request.user), pk=cluster_pk)
    form = forms.ConsortiumForm(request.POST or None, units=visible_units(request.user, cluster.members.all()))
    if request.method == "POST" and form.is_valid():
        consortium = attempt(request, lambda: services.form_consortium(
            request.user, province_code=cluster.province_id, clusters=[cluster], **form.cleaned_data),
            _("Export consortium formed."))
        if consortium:
            return redirect("programs:consortium_detail", pk=consortium.pk)
    return render(request, "programs/consortium_new.html", {"form": form, "cluster": cluster})


@login_required
def consortium_detail(request, pk: int):
    consortium = get_visible_or_404(visible(request.user, ExportConsortium.objects.all()), pk=pk)
    form = forms.ExportsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            attempt(request, lambda: services.record_exports(consortium, request.user, **form.cleaned_data),
                    _("Saved."))
        else:
            show_form_errors(request, form)
        return redirect("programs:consortium_detail", pk=consortium.pk)
    return render(request, "programs/consortium_detail.html", {
        "c": consortium, "form": form, "can_change": can_change(request.user, consortium),
        "members": visible_units(request.user, consortium.members.all()),
    })
