"""What the point maps draw under their points, all from khoosheh itself (no tile server): Iran's outline,
the boundaries officials loaded (`khoosheh load-boundaries`) and the county seats as town labels."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from khoosheh.core import geo, reference

from .models import Boundary

_DAY = "public, max-age=86400"


@require_GET
def outline(request):
    """Iran's land outline (OpenStreetMap, ODbL), simplified for drawing; cached a day."""
    response = HttpResponse(json.dumps(geo.outline_for_maps(), separators=(",", ":")),
                            content_type="application/geo+json")
    response["Cache-Control"] = _DAY
    return response


@require_GET
def boundaries(request, level: str):
    """The loaded province or county polygons (an empty collection until some are loaded)."""
    if level not in Boundary.Level.values:
        raise Http404
    names = ({p.code: (p.name_fa, p.name_en) for p in reference.provinces()} if level == Boundary.Level.PROVINCE
             else {c.code: (c.name_fa, c.name_en) for c in reference.counties()})
    features = [{"type": "Feature", "geometry": geometry,
                 "properties": {"code": code, "name_fa": names.get(code, ("", ""))[0],
                                "name_en": names.get(code, ("", ""))[1]}}
                for code, geometry in Boundary.objects.filter(level=level).values_list("code", "geometry")]
    response = HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                                       separators=(",", ":")), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=600"  # a reload may bring new boundaries; not worth a day
    return response


@require_GET
def towns(request):
    """County seats with their tier (1: a province's largest town, 2: 100,000 people or more, 3: the rest)."""
    rows = [{"name_fa": t.name_fa, "name_en": t.name_en, "lat": t.lat, "lon": t.lon, "tier": t.tier}
            for t in reference.towns()]
    response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = _DAY
    return response
