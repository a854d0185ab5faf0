from django.conf import settings

from khoosheh.accounts.scoping import can_write, sees_overview


def portal(request):
    from khoosheh.registry.models import ImportBatch

    user = getattr(request, "user", None)
    return {
        "can_import_units": bool(user and can_write(user)),
        "sees_overview": bool(user and sees_overview(user)),  # runs, dashboards, targets: staff only
        # Demo data is written as an import batch named "synthetic demo data".
        "synthetic_data": ImportBatch.objects.filter(file_name__startswith="synthetic").exists(),
        "map_tiles": settings.KHOOSHEH_MAP_TILES, "map_tiles_attribution": settings.KHOOSHEH_MAP_TILES_ATTRIBUTION,
    }
