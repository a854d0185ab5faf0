"""Demo records for every program, consistent with the demo registry and clusters."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.core.files.base import ContentFile
from django.utils import timezone

from khoosheh.core.jalali import jalali_year, jalali_year_bounds
from khoosheh.registry.models import ProductionUnit, UnitStatus

from . import services
from .models import PHASE_ORDER, Indicator, Intervention, ProblemCategory

PROBLEM_WEIGHTS = {"financial": 0.42, "market": 0.18, "raw_materials": 0.12, "managerial": 0.1, "legal": 0.08,
                   "technology": 0.06, "infrastructure": 0.04}


def build_demo_programs(user, agent, clusters, *, seed: int = 1404) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    year = jalali_year(today)
    counts = {"developments": 0, "consortia": 0, "cases": 0, "projects": 0}
    for i, cluster in enumerate(clusters):
        development = services.start_development(cluster, user, agent=agent,
                                                 started_on=_day_in(rng, year - (i % 3), today))
        target_phase = PHASE_ORDER.index(PHASE_ORDER[min(i % 5, 4)])
        for phase in PHASE_ORDER[1:target_phase + 1]:
            if phase == "trust_building":
                services.update_development(development, user, diagnostic_study=ContentFile(
                    b"%PDF-1.4\n% synthetic diagnostic study\n", name=f"diagnostic-{cluster.pk}.pdf"))
            services.change_phase(development, user, phase)
        if target_phase >= 3:
            members = list(cluster.members.all()[:12])
            services.add_joint_action(development, user, kind="joint_marketing", title="حضور مشترک در نمایشگاه",
                                      start_date=_day_in(rng, year, today), budget=int(rng.integers(2, 20)) * 10**8,
                                      participants=members)
        counts["developments"] += 1
        if i % 3 == 0 and cluster.members.exclude(national_id="").count() >= 3:
            services.form_consortium(user, name=f"کنسرسیوم صادراتی {cluster.name.replace('خوشه ', '')}",
                                     province_code=cluster.province_id,
                                     members=list(cluster.members.exclude(national_id="")[:6]), clusters=[cluster],
                                     products_hs=["690721"] if cluster.activity_id == "2393" else [],
                                     target_markets=["عراق", "افغانستان", "ارمنستان"][: 1 + i % 3],
                                     formed_on=_day_in(rng, year - (i % 2), today))
            counts["consortia"] += 1
    counts["cases"] = _clinic(user, rng, year, today)
    counts["projects"] = _projects(user, rng, year, today)
    for indicator, value in ((Indicator.CLUSTERS_IN_DEVELOPMENT, 12), (Indicator.CONSORTIA_FORMED, 5),
                             (Indicator.UNITS_REVIVED, 400), (Indicator.PROJECTS_OPENED, 200),
                             (Indicator.JOBS_CREATED, 6000)):
        services.set_target(user, year=year, indicator=indicator, value=value)
    services.set_target(user, year=year, indicator=Indicator.UNITS_REVIVED, value=40, province_code="10")
    return counts


def _day_in(rng, year: int, today: dt.date) -> dt.date:
    start, end = jalali_year_bounds(year)
    end = min(end, today + dt.timedelta(days=1))
    return start + dt.timedelta(days=int(rng.integers(0, max((end - start).days, 1))))


def _clinic(user, rng, year: int, today: dt.date) -> int:
    idle = list(ProductionUnit.objects.filter(status=UnitStatus.IDLE).order_by("pk")[:1500])
    problems = list(PROBLEM_WEIGHTS)
    weights = np.array(list(PROBLEM_WEIGHTS.values()))
    for i, unit in enumerate(idle):
        opened = _day_in(rng, year - (i % 2), today)
        case = services.open_case(unit, user, opened_on=opened)
        if i % 5 == 4:
            continue  # still at intake
        main = problems[rng.choice(len(problems), p=weights)]
        others = list(rng.choice(problems, size=int(rng.integers(0, 3)), replace=False))
        services.diagnose(case, user, problems=sorted({main, *others}), main_problem=main)
        if i % 5 == 3:
            continue
        kind = {"financial": "working_capital_loan", "legal": "legal_mediation",
                "managerial": "management_consulting"}.get(main, "investor_introduction")
        services.add_intervention(case, user, kind=kind, date=min(opened + dt.timedelta(days=30), today),
                                  amount=int(rng.integers(5, 80)) * 10**8 if kind in (
                                      Intervention.Kind.WORKING_CAPITAL_LOAN,) else 0)
        if i % 5 in (0, 1):
            outcome = "revived" if i % 5 == 0 or rng.random() < 0.5 else "still_idle"
            on = min(opened + dt.timedelta(days=int(rng.integers(40, 200))), today)
            services.close_case(case, user, outcome=outcome, on=on,
                                jobs_restored=int(rng.integers(3, 25)) if outcome == "revived" else 0)
    assert set(PROBLEM_WEIGHTS) <= set(ProblemCategory.values)
    return len(idle)


def _projects(user, rng, year: int, today: dt.date) -> int:
    half = list(ProductionUnit.objects.filter(status=UnitStatus.HALF_FINISHED).order_by("pk")[:1200])
    for i, unit in enumerate(half):
        progress = int(np.clip(rng.normal(55, 22), 5, 98))
        project = services.register_project(
            unit, user, physical_progress=progress, investment_made=int(rng.integers(5, 200)) * 1000,
            investment_needed=int(rng.integers(2, 120)) * 1000, planned_jobs=int(rng.integers(5, 80)),
            financing_sources="تسهیلات بانکی، آورده سهامداران" if i % 2 else "صندوق توسعه ملی",
            blockers=["کمبود نقدینگی", "تأخیر در انشعاب برق و گاز", "مشکل ترخیص ماشین‌آلات", ""][i % 4],
            expected_opening=today + dt.timedelta(days=int(rng.integers(30, 540))))
        if progress >= 85 and i % 3 == 0:
            services.open_project(project, user, on=_day_in(rng, year, today))
    return len(half)
