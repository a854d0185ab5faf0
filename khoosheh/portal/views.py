


def iran_outline(request):
    """Iran's outline for the maps (Natural Earth, public domain); cached a day."""
    from importlib import resources

    from django.http import HttpResponse

    data = resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").read_bytes()
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def bad_request(request, exception=None):
    """400 in the site's layout, with the reason the check gave (portal.params), in Persian."""
    from django.core.exceptions import BadRequest
    from django.shortcuts import render

    # Only our own refusals carry a reason meant for people; Django's (a bad Host header…) stay generic.
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "portal/400.html", {"reason": reason}, status=400)
