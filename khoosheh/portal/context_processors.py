from khoosheh.registry.demo import demo_exists

from .links import may_link


def site(request):
    """The banner that says the registry holds synthetic demo data (`khoosheh demo-data`), while it does; and whether
    the reader has the administration pages (national staff, and provincial staff for owners' and agents' links)."""
    user = getattr(request, "user", None)
    return {"synthetic_data": demo_exists(), "can_manage": bool(user and may_link(user))}
