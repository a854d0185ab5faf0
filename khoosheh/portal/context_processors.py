from khoosheh.registry.demo import demo_exists


def site(request):
    """The banner that says the registry holds synthetic demo data (`khoosheh demo-data`), while it does."""
    return {"synthetic_data": demo_exists()}
