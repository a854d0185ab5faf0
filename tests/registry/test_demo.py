"""`khoosheh demo-data`: synthetic, labelled, reproducible, with demo users."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoosheh.core.national_id import is_valid_national_id
from khoosheh.registry.models import ImportBatch, ProductionUnit
from tests.demo_snapshot import demo_registry

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(ProductionUnit.objects.order_by("pk").values_list("national_id", "name", "county_id", "lat"))


def test_demo_data_is_reproducible_for_a_seed():
    call_command("demo_data", "--units", "600", "--seed", "7", "--registry-only")
    first = fingerprint()
    ProductionUnit.objects.all().delete()
    ImportBatch.objects.all().delete()
    from khoosheh.registry.models import IndustrialPark

    IndustrialPark.objects.all().delete()
    call_command("demo_data", "--units", "600", "--seed", "7", "--registry-only")
    assert [row[1:] for row in fingerprint()] == [row[1:] for row in first]


def test_demo_data_looks_like_a_national_registry():
    call_command("demo_data", "--units", "3000", "--seed", "1", "--registry-only")
    units = ProductionUnit.objects.all()
    assert units.count() == 3000
    assert units.values("province").distinct().count() == 31
    share = lambda **f: units.filter(**f).count() / 3000  # noqa: E731
    assert 0.08 < share(status="idle") < 0.16 and 0.03 < share(status="half_finished") < 0.09
    assert 0.01 < share(lat__isnull=True) < 0.06
    assert all(is_valid_national_id(n) for n in units.exclude(national_id="").values_list("national_id", flat=True))
    assert ImportBatch.objects.filter(file_name__startswith="synthetic").exists()


def test_demo_users_are_made_and_log_in(client):
    call_command("demo_data", "--units", "300", "--registry-only")
    for username in ("demo", "demo-isfahan"):
        response = client.post("/login/", {"username": username, "password": "demo"})
        assert response.status_code == 302 and response.url == "/", username


def test_demo_data_goes_only_into_an_empty_registry():
    call_command("demo_data", "--units", "300", "--registry-only")
    with pytest.raises(CommandError):
        call_command("demo_data", "--units", "300", "--registry-only")
    call_command("demo_data", "--units", "300", "--if-empty")  # make demo, run twice
    assert ProductionUnit.objects.count() == 300


def test_demo_data_passes_the_unit_file_contract(tmp_path):
    """Export the demo registry and import it into an empty one: no refusals."""
    from khoosheh.registry.exporting import export_units
    from khoosheh.registry.importing import import_units
    from khoosheh.registry.models import IndustrialPark

    call_command("demo_data", "--units", "4000", "--seed", "3", "--registry-only")
    out = tmp_path / "demo.xlsx"
    export_units(out, ProductionUnit.objects.all())
    ProductionUnit.objects.all().delete()
    IndustrialPark.objects.all().delete()
    outcome = import_units(out)
    assert outcome.errors == [] and outcome.created == 4000


def test_the_full_demo_shows_every_program(settings, tmp_path_factory):
    from khoosheh.clusters.models import Cluster
    from khoosheh.programs.achievements import targets_vs_achievements
    from khoosheh.programs.models import ClinicCase, ClusterDevelopment, ExportConsortium, HalfFinishedProject

    # demo-data's registry as the dashboard's browser tests have it (made once per session).
    demo_registry(settings, tmp_path_factory, units=4000, seed=2)
    assert Cluster.objects.count() >= 10 and ClusterDevelopment.objects.count() == Cluster.objects.count()
    assert ClusterDevelopment.objects.filter(phase="self_governance").exists()
    assert ExportConsortium.objects.exists()
    assert ClinicCase.objects.filter(outcome="revived").exists() and HalfFinishedProject.objects.exists()
    # Revived units are active again, through their history.
    revived = ClinicCase.objects.filter(outcome="revived").select_related("unit")
    assert all(c.unit.status == "active" for c in revived)
    from django.utils import timezone

    from khoosheh.core.jalali import jalali_year

    rows = targets_vs_achievements(jalali_year(timezone.localdate()))
    assert all(r.target for r in rows) and any(r.achieved for r in rows)
    # SPX end to end: profiles, enquiries matched with reasons, a contract, an exhibition schedule.
    from khoosheh.spx.models import CapabilityProfile, EnquiryMatch, Exhibition

    assert CapabilityProfile.objects.count() > 500
    assert EnquiryMatch.objects.exclude(reasons=[]).exists()
    assert EnquiryMatch.objects.filter(status="contracted").exists()
    assert Exhibition.objects.get().meetings.count() > 50
    # Every buyer, investor and knowledge-based company has a name of its own, not «شرکت ملی نفت (6)».
    from django.db.models import Count

    from khoosheh.spx.models import Participant

    others = Participant.objects.exclude(kind="unit")
    names = list(others.values_list("name", flat=True))
    assert len(names) == len(set(names)) and not any(c.isdigit() or c in "()" for n in names for c in n)
    assert dict(others.values_list("kind").annotate(n=Count("pk")).order_by()) == \
        {"buyer": 25, "investor": 15, "knowledge_based": 10}
