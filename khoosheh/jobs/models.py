from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of long work (an import, an identification run, a large report) and what people see of it.

    The task queue (django-tasks' database backend) carries only this record's id; the state, progress,
    attempts and result live here, so every web process and `khoosheh jobs` read the same thing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    # A done job whose work was refused (a file none of whose rows were taken) or taken in part: the
    # kind's handler says so in result["verdict"], and lists and pages must not show it as plain "done".
    VERDICTS = {"refused": _("done: refused, nothing written"), "partial": _("done: only part written")}

    kind = models.CharField(max_length=20)  # a name in jobs.kinds: import, identify, report
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="jobs")  # None: started on the command line
    title = models.CharField(max_length=300)
    params = models.JSONField(default=dict)  # what the kind's handler needs, plain JSON
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # a Persian sentence for people; the traceback goes to the log
    result = models.JSONField(default=dict, blank=True)  # the kind's summary (counts, a run's id)
    file_name = models.CharField(max_length=200, blank=True)  # the result file, in the kind's folder
    size = models.PositiveBigIntegerField(default=0)
    input_file = models.CharField(max_length=300, blank=True)  # an uploaded file, under the data folder
    attempts = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)  # the queue's record (django_tasks_db)
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker running it
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the lease: the running worker touches it
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="job_status_lease_idx"),
                   models.Index(fields=["user", "kind", "created_at"], name="job_user_kind_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def verdict(self) -> str:
        """"refused", "partial" or "" (done as asked, or not done yet)."""
        verdict = (self.result or {}).get("verdict", "") if self.status == self.Status.DONE else ""
        return verdict if verdict in self.VERDICTS else ""

    @property
    def state(self) -> str:
        """The status, told apart by verdict: names the CSS class (job-done, job-refused, ...)."""
        return self.verdict or self.status

    @property
    def state_label(self) -> str:
        return str(self.VERDICTS[self.verdict]) if self.verdict else self.get_status_display()

    @property
    def finished(self) -> bool:
        return self.status not in self.UNFINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def fraction(self) -> float:
        return self.percent / 100
