# Report jobs move onto the generic job record (khoosheh.jobs) and the task queue.

from django.db import migrations

FIELDS = ("user_id", "title", "status", "stage", "done", "total", "error", "file_name", "size", "created_at",
          "finished_at")


def copy_report_jobs(apps, schema_editor):
    """Report jobs become jobs of kind "report"; their files stay where they are.  One still queued
    or being built had its worker thread in a web process that is gone: it is failed, to ask again."""
    Old, Job = apps.get_model("dashboards", "ReportJob"), apps.get_model("jobs", "Job")
    for old in Old.objects.all().iterator():
        values = {f: getattr(old, f) for f in FIELDS}
        if values["status"] in ("queued", "running"):
            values.update(status="failed", error="ساخت گزارش با به‌روزرسانی سامانه نیمه‌کاره ماند؛ دوباره درخواست کنید")
        job = Job.objects.create(kind="report", params=old.spec, **values)
        Job.objects.filter(pk=job.pk).update(created_at=old.created_at)  # auto_now_add set it to now


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0002_report_jobs'),
        ('jobs', '0001_job_record'),
    ]

    operations = [
        migrations.RunPython(copy_report_jobs, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='ReportJob',
        ),
        migrations.CreateModel(
            name='ReportJob',
            fields=[
            ],
            options={
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('jobs.job',),
        ),
    ]
