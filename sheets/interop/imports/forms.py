"""The upload form of a spreadsheet import: type and size are checked here, the content by
sheets/imports.py (its problems are put next to the same field by the view)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin
from sheets.interop.imports.reader import FORMATS


def import_max_bytes() -> int:
    return settings.SHEETS_IMPORT_MAX_MB * 1024 * 1024


class ImportUploadForm(CrispyMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("Excel (.xlsx) or CSV (.csv), filled in from the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."), code="file_type")
        if upload.size > import_max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files."),
                code="file_size",
                params={"mb": settings.SHEETS_IMPORT_MAX_MB},
            )
        return upload


class ImportConfirmForm(forms.Form):
    """No fields: the batch is in the URL; the form exists for the CSRF token."""
