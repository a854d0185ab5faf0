"""Shared cast and helpers for the suite.

The cast (after healthchecks' alice/bob/charlie): ``national`` sees all,
``isfahan`` is provincial staff of Isfahan (code 10), ``tehran`` of Tehran
(23), ``viewer`` reads everything and changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from khoosheh.core.unitfile.columns import COLUMNS

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

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


@pytest.fixture
def shared_data():
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED_DATA
