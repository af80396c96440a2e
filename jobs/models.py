"""Jobs: long work done off the request by the task worker (django.tasks), with progress.

A small piece any feature reuses (the print binder, bulk imports); see jobs/services.py for
how a feature starts and runs one.

Who sees a job: only the person who asked for it, acting for the agency they asked it for.
A colleague gets 404 like anyone else — the file is that person's working copy (made from
their print list or their import), and the agency's data itself stays reachable through its
own pages. Access is checked when queueing (the feature's view), in the worker
(`services.requester_of`, then the work selects through `for_user` again) and when the page or
the file is requested (`get_job_for_user`)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import NOTHING, Agency, User, acting_membership

JOB_FILES = "jobs"  # folder in the private media storage (never served by URL)
# A running job whose progress has not moved for this long was cut off (worker killed).
STALE_AFTER = timedelta(minutes=30)


class JobKind(models.TextChoices):
    BINDER = "binder", _("Print binder")
    IMPORT = "import", _("Bulk import")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class JobError(models.TextChoices):
    """Why a job failed; the label is what the job page tells the user."""

    NOT_ALLOWED = "not_allowed", _("Your role or agency has changed, so this can no longer be made for you.")
    NOTHING_LEFT = (
        "nothing_left",
        _("None of the programs on the list can be printed any more (they were unpublished or archived)."),
    )
    INVALID = "invalid", _("The data could not be imported. Nothing was changed.")
    INTERRUPTED = "interrupted", _("The work was interrupted (the server restarted). Please start it again.")
    FAILED = (
        "failed",
        _("Something went wrong while doing this. Please try again; if it fails again, tell your administrator."),
    )


def job_file_path(job: "Job", filename: str) -> str:
    return f"{JOB_FILES}/{job.uuid}/{filename}"


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user) -> "JobQuerySet":
        """The requester's own jobs, for the agency they act for now (see the module docstring)."""
        if not getattr(user, "is_authenticated", False):
            return self.filter(NOTHING)
        membership = acting_membership(user)
        return self.filter(requested_by=user, agency_id=membership.agency_id if membership else None)

    def expired(self, now=None) -> "JobQuerySet":
        cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_RETENTION_DAYS)
        return self.filter(finished_at__lt=cutoff)


class Job(models.Model):
    """A piece of long work for one person: its progress, its outcome and its file."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.CharField(_("error"), max_length=20, choices=JobError.choices, blank=True)
    error_detail = models.TextField(_("error detail"), blank=True)
    # What the task needs to redo the work (ids and choices only: it re-reads everything).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="ja")
    return_url = models.CharField(_("return address"), max_length=300, blank=True)
    result_file = models.FileField(_("file"), upload_to=job_file_path, blank=True, max_length=200)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(_("file type"), max_length=100, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    updated_at = models.DateTimeField(_("last progress"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.uuid])

    @property
    def is_stale(self) -> bool:
        """Running, but silent for too long: the worker was cut off (shown as interrupted)."""
        return self.status == JobStatus.RUNNING and self.updated_at < timezone.now() - STALE_AFTER

    @property
    def shown_status(self) -> str:
        return JobStatus.FAILED if self.is_stale else self.status

    @property
    def is_finished(self) -> bool:
        return self.shown_status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_file(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_file)

    @property
    def error_message(self) -> str:
        if self.is_stale:
            return str(JobError.INTERRUPTED.label)
        return str(JobError(self.error).label) if self.error else ""

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def waiting_long(self) -> bool:
        """Still queued after a minute: the page says the worker may not be running."""
        return self.status == JobStatus.QUEUED and self.created_at < timezone.now() - timedelta(minutes=1)
