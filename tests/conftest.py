"""Shared cast and helpers for the suite.

The cast (after healthchecks' alice/bob/charlie): ``national`` sees all,
``isfahan`` is provincial staff of Isfahan (code 10), ``tehran`` of Tehran
(23), ``viewer`` reads everything and changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from khoosheh.core.unitfile.columns import COLUMNS

# ../shared/data beside the checkout; KHOOSHEH_SHARED_DATA points elsewhere (e.g. from a git worktree).
SHARED_DATA = Path(os.environ.get("KHOOSHEH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

# Headers in the order of the contract, Persian.
FA_HEADERS = [c.header_fa for c in COLUMNS]

# Valid legal-entity national IDs (check digit computed by the published rule).
NID_A, NID_B, NID_C, NID_D = "10101234565", "10860012342", "10320456783", "14102223335"


def unit_row(**overrides) -> dict[str, str]:
    """A valid row of the unit file, keyed by contract column name."""
    row = {
        "national_id": NID_A, "name": "شرکت کاشی نگین", "isic": "2393", "province": "یزد",
        "county": "میبد", "park": "", "lat": "32.2451", "lon": "54.0087", "employees": "85",
        "status": "فعال", "permit_date": "1395/04/12", "exporter": "بله", "capacity_utilisation": "72",
    }
    row.update(overrides)
    return row


def write_unit_file(path: Path, rows: list[dict[str, str]], *, headers: str = "fa") -> Path:
    """Write rows (dicts by column name) as CSV or XLSX, by the path's suffix."""
    names = [c.name for c in COLUMNS]
    header_row = FA_HEADERS if headers == "fa" else names
    matrix = [[r.get(n, "") for n in names] for r in rows]
    if path.suffix == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        for c, h in enumerate(header_row):
            sheet.write_string(0, c, h)
        for r, values in enumerate(matrix, start=1):
            for c, v in enumerate(values):
                if isinstance(v, (int, float)):
                    sheet.write_number(r, c, v)
                elif v != "":
                    sheet.write_string(r, c, v)
        book.close()
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header_row)
            writer.writerows(matrix)
    return path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings, tmp_path):
    """Background jobs run within the request that starts them, unless a test starts a worker;
    their files go to the test's own folder."""
    settings.KHOOSHEH_JOBS_IN_BACKGROUND = False
    settings.KHOOSHEH_JOBS_DIR = tmp_path / "jobs"


@pytest.fixture(autouse=True)
def _uploads_outside_the_checkout(settings, tmp_path_factory):
    """Uploaded files (diagnostic studies, reports) go to a temporary folder, never into the checkout's media/
    (a bare `pytest` has no KHOOSHEH_DATA_DIR, so the default is the working directory)."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def unit_file(tmp_path):
    def make(rows, name="units.csv", headers="fa"):
        return write_unit_file(tmp_path / name, rows, headers=headers)

    return make


@pytest.fixture
def cast(db, django_user_model):
    from khoosheh.accounts.models import Role

    def make(username, role, province=None):
        return django_user_model.objects.create_user(username=username, password="pw-" + username,
                                                     role=role, province_id=province)

    class Cast:
        national = make("national", Role.NATIONAL)
        isfahan = make("isfahan", Role.PROVINCIAL, "10")
        tehran = make("tehran", Role.PROVINCIAL, "23")
        viewer = make("viewer", Role.VIEWER)

    return Cast


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED_DATA


# --- a small world for the program and SPX tests ---


def make_unit(name, province, county, status="active", park=None, employees=20):
    from khoosheh.registry.models import ProductionUnit

    return ProductionUnit.objects.create(name=name, activity_id="2393", province_id=province, county_id=county,
                                         status=status, park=park, employees=employees)


@pytest.fixture
def world(db, cast, django_user_model):
    """Units in Isfahan (10) and Yazd (21); a park in Kashan run by a parks company;
    a confirmed Yazd cluster with an agent."""
    from khoosheh.accounts.models import Role
    from khoosheh.clusters.models import Cluster
    from khoosheh.registry.models import IndustrialPark

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


@pytest.fixture
def world_with_owner(world, django_user_model):
    """The world, and in its cast a unit owner (``owner``) who keeps the idle Yazd unit."""
    from khoosheh.accounts.models import Role

    owner = django_user_model.objects.create_user("owner", password="x", role=Role.UNIT_OWNER)
    owner.units.add(world.units["idle_yazd"])
    world.cast.owner = owner
    return world
