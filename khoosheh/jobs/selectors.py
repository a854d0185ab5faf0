"""The jobs a user may follow: the one place for them (the job pages and `khoosheh jobs`)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Job


def visible_jobs(user) -> QuerySet:
    """National staff follow every job; everyone else their own."""
    jobs = Job.objects.select_related("user")
    return jobs if user.is_national else jobs.filter(user=user)
