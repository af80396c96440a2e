"""Import batches: one uploaded spreadsheet between its dry-run preview and its confirmation.

The parsed rows (values, errors and what would happen) are kept here, so that confirming needs
no second upload and nothing is written to employers or programs before the user confirms.
A batch belongs to the acting agency of the person who uploaded it: only that agency's
coordinators see it (another agency: 404) and it can be confirmed once, only without errors."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, User, acting_membership


class ImportStatus(models.TextChoices):
    READY = "ready", _("Ready to import")
    HAS_ERRORS = "has_errors", _("Has errors")
    APPLIED = "applied", _("Imported")


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def for_user(self, user) -> "ImportBatchQuerySet":
        """The acting agency's batches only: an import is that agency's working paper, even for
        platform admins (they have no agency to import into)."""
        membership = acting_membership(user)
        if membership is None:
            return self.none()
        return self.filter(agency_id=membership.agency_id)


class ImportBatch(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="import_batches", verbose_name=_("agency")
    )
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_format = models.CharField(_("format"), max_length=4)
    # sheets.imports.ParsedRow.as_json() per data row, with its errors and planned actions.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # File-level notes for the preview: columns that are not read, the text encoding.
    notices = models.JSONField(_("notices"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # What would happen (preview) and, once applied, what happened: employers/programs × action.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)
    applied_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("imported by")
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def can_be_confirmed(self) -> bool:
        return self.status == ImportStatus.READY
