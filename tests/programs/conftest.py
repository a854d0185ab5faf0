import datetime as dt

import pytest
from django.utils import timezone

from khoosheh.accounts.models import Role
from khoosheh.clusters.models import Cluster
from khoosheh.registry.models import IndustrialPark, ProductionUnit


def make_unit(name, province, county, status="active", park=None, employees=20):
    return ProductionUnit.objects.create(name=name, activity_id="2393", province_id=province, county_id=county,
                                         status=status, park=park, employees=employees)


@pytest.fixture
def world(db, cast, django_user_model):
    """Units in Isfahan (10) and Yazd (21); a park in Kashan run by a parks company;
    a confirmed Yazd cluster with an agent."""
    park = IndustrialPark.objects.create(name="شهرک صنعتی کاشان", county_id="1010")
    units = {
        "idle_isfahan": make_unit("کارگاه راکد", "10", "1010", "idle", park=park),
        "half_isfahan": make_unit("طرح نیمه‌تمام", "10", "1010", "half_finished", park=park),
        "idle_yazd": make_unit("راکد یزد", "21", "2106", "idle"),
        "half_yazd": make_unit("نیمه‌تمام یزد", "21", "2106", "half_finished"),
    }
    members = [make_unit(f"کاشی {i}", "21", "2106") for i in range(4)]
    cluster = Cluster.objects.create(name="خوشه کاشی میبد", activity_id="2393", province_id="21", county_id="2106",
                                     lat=32.25, lon=54.1, extent_km=2, n_units=4, employees=80, lq=9,
                                     confirmed_at=timezone.now())
    cluster.members.set(members)
    agent = django_user_model.objects.create_user("agent", password="x", role=Role.CLUSTER_AGENT)
    parks_company = django_user_model.objects.create_user("parks", password="x", role=Role.PARKS_COMPANY)
    parks_company.parks.add(park)
    cast.agent, cast.parks_company = agent, parks_company

    class World:
        pass

    w = World()
    w.cast, w.units, w.members, w.cluster, w.park = cast, units, members, cluster, park
    return w


def day(year, month, d):
    import jdatetime

    return jdatetime.date(year, month, d).togregorian()


@pytest.fixture
def jalali():
    return day


TODAY = dt.date(2026, 11, 26)
