from django.db import migrations


def load(apps, schema_editor):
    from khoosheh.registry.reference_sync import sync_reference_data

    sync_reference_data(apps.get_model("registry", "Province"), apps.get_model("registry", "County"),
                        apps.get_model("registry", "Activity"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
