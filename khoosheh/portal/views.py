


def iran_outline(request):
    """Iran's outline for the maps (Natural Earth, public domain); cached a day."""
    from importlib import resources

    from django.http import HttpResponse

    data = resources.files("khoosheh.core.data").joinpath("iran_outline.geojson").read_bytes()
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
