"""The one task on the queue: run a job, given its id (all the state is in the Job row)."""

try:  # Django 6 has the tasks API built in; on Django 5.2 the django-tasks backport provides it
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from . import runner


@task()
def run_job(job_id: int) -> None:
    runner.execute(job_id, in_worker=True)
