"""`khoosheh backup` / `khoosheh restore`: a round trip with equal counts and checksums."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khoosheh.portal.backup import manifest
from khoosheh.registry.models import ProductionUnit

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_gives_the_same_database(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("sync_reference", verbosity=0)  # transactional tests start from an emptied database
    call_command("demo_data", "--units", "1500", "--seed", "9")
    before = manifest()
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path))
    # Damage the database, then restore.
    ProductionUnit.objects.filter(status="idle").update(employees=0)
    ProductionUnit.objects.filter(status="closed").delete()
    assert manifest() != before
    call_command("restore", str(path), "--yes")
    assert manifest() == before
    assert before["registry.productionunit"]["count"] == 1500


def test_restore_asks_before_replacing(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.json.gz"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    import gzip

    path = tmp_path / "x.json.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"format": "something else"}')
    with pytest.raises(CommandError, match="not a khoosheh backup"):
        call_command("restore", str(path), "--yes")
