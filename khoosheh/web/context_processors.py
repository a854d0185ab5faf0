from django.conf import settings

from khoosheh.accounts.scoping import can_write, sees_overview


def portal(request):
    """What every page's layout needs to know about the reader."""
    user = getattr(request, "user", None)
    return {
        "can_import_units": bool(user and can_write(user)),
        "sees_overview": bool(user and sees_overview(user)),  # runs, dashboards, targets: staff only
        "map_tiles": settings.KHOOSHEH_MAP_TILES, "map_tiles_attribution": settings.KHOOSHEH_MAP_TILES_ATTRIBUTION,
    }
