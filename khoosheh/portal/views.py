from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import render

from khoosheh.accounts.scoping import province_scope, scope_units
from khoosheh.registry.models import ImportBatch, ProductionUnit, Province, UnitStatus


@login_required
def home(request):
    """The registry at a glance, within the user's scope (a fuller dashboard
    comes with the dashboards app)."""
    units = scope_units(request.user, ProductionUnit.objects.all())
    totals = units.aggregate(
        units=Count("id"), employees=Sum("employees"),
        **{s: Count("id", filter=Q(status=s)) for s in UnitStatus.values},
        exporters=Count("id", filter=Q(exporter=True)),
    )
    by_province = (units.values("province_id", "province__name_fa", "province__name_en")
                   .annotate(n=Count("id"), idle=Count("id", filter=Q(status=UnitStatus.IDLE)),
                             half=Count("id", filter=Q(status=UnitStatus.HALF_FINISHED)))
                   .order_by("-n"))
    scope = province_scope(request.user)
    return render(request, "portal/home.html", {
        "totals": totals,
        "statuses": [(s, label, totals[s]) for s, label in UnitStatus.choices],
        "by_province": by_province,
        "scope_province": Province.objects.filter(code=scope).first() if scope else None,
        "recent_imports": ImportBatch.objects.select_related("imported_by")[:5] if request.user.is_national else [],
    })


def iran_outline(request):
    """Iran's outline for the maps (Natural Earth, public domain); cached a day."""
    from importlib import resources

    from django.http import HttpResponse

    data = resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").read_bytes()
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
