"""Spreadsheet import screens: template downloads, upload → dry-run preview → confirm.

The batch door (sheets.import_batches.get_batch_for_user) comes first: another agency's batch
is 404, the agency's own batch without the coordinator role 403. Writes go through
sheets/import_services.py; the preview (GET) never writes."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.access import agency_role_required, role_required
from registry.models import Role, acting_membership
from sheets.interop.imports import jobs as import_jobs
from sheets.interop.imports import services as import_services
from sheets.interop.imports.access import get_batch_for_user
from sheets.interop.imports.forms import ImportUploadForm
from sheets.interop.imports.models import ImportBatch
from sheets.interop.imports.reader import COLUMNS, Action, ImportFileError, allowed_values, template_csv, template_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "しごと情報_取り込み用テンプレート"
RECENT_BATCHES = 10
ACTION_LABELS = {
    Action.CREATE: gettext_lazy("New"),
    Action.UPDATE: gettext_lazy("Update"),
    Action.UNCHANGED: gettext_lazy("No change"),
    Action.OTHER_AGENCY: gettext_lazy("Another agency's (left as it is)"),
}


@agency_role_required(Role.COORDINATOR)
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a filled template; a readable file becomes a batch and its preview opens."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_services.import_batch_create(
                agency=acting_membership(request.user).agency, by=request.user, upload=form.cleaned_data["file"]
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("import_preview", batch_uuid=batch.uuid)
    batches = ImportBatch.objects.for_user(request.user).select_related("uploaded_by")[:RECENT_BATCHES]
    columns = [(column, allowed_values(column)) for column in COLUMNS]
    return render(request, "sheets/imports/import_start.html", {"form": form, "batches": batches, "columns": columns})


@agency_role_required(Role.COORDINATOR)
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:  # pragma: no cover - the URL pattern allows only the two
        raise Http404
    response["Content-Disposition"] = content_disposition_header(True, f"{TEMPLATE_NAME}.{fmt}")
    return response


@role_required(Role.COUNSELOR)
def import_preview(request: HttpRequest, batch_uuid) -> HttpResponse:
    """Every row with its problems (行・列・問題) and what importing would do."""
    batch = get_batch_for_user(request.user, batch_uuid)
    only_errors = request.GET.get("show") == "errors"
    rows = [_display_row(row) for row in batch.rows if row["errors"] or not only_errors]
    problems = [(row["line"], error) for row in batch.rows for error in row["errors"]]
    notes = [(row["line"], note) for row in batch.rows for note in row.get("notes", [])]
    counts = [
        (label, [batch.counts.get(f"{kind}_{action}", 0) for action in ACTION_LABELS])
        for kind, label in (("employers", _("Employers")), ("programs", _("Programs")))
    ]
    context = {
        "batch": batch,
        "rows": rows,
        "problems": problems,
        "notes": notes,
        "only_errors": only_errors,
        "counts": counts,
        "action_labels": list(ACTION_LABELS.values()),
        "notices": batch.notices,
    }
    return render(request, "sheets/imports/import_preview.html", context)


def _display_row(row: dict) -> dict:
    employer, program = row["employer"], row["program"]
    return {
        "line": row["line"],
        "employer_id": employer.get("external_id", "") or employer.get("uuid", "")[:8],
        "employer_name": employer.get("name", ""),
        "employer_action": ACTION_LABELS.get(row["employer_action"], ""),
        "program_id": program.get("external_id", "") or program.get("uuid", "")[:8],
        "program_title": program.get("title", ""),
        "program_action": ACTION_LABELS.get(row["program_action"], ""),
        "errors": row["errors"],
        "notes": row.get("notes", []),
    }


@require_POST
@role_required(Role.COUNSELOR)
def import_confirm(request: HttpRequest, batch_uuid) -> HttpResponse:
    batch = get_batch_for_user(request.user, batch_uuid)
    if batch.can_be_confirmed and import_jobs.in_background(batch):
        return _confirm_in_background(request, batch)
    try:
        counts = import_services.import_apply(batch, by=request.user)
    except import_services.ImportRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Imported as drafts: %(employers)s new and %(employers_updated)s updated employers, "
                "%(programs)s new and %(programs_updated)s updated programs."
            )
            % {
                "employers": counts["employers_create"],
                "employers_updated": counts["employers_update"],
                "programs": counts["programs_create"],
                "programs_updated": counts["programs_update"],
            },
        )
    return redirect("import_preview", batch_uuid=batch.uuid)


def _confirm_in_background(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    """A large batch: the worker applies it while the job page shows the progress."""
    running = import_jobs.unfinished_job(batch)
    if running is None:
        return redirect(import_jobs.start_job(batch=batch, by=request.user))
    if running.requested_by_id == request.user.pk:
        return redirect(running)
    messages.info(request, _("This file is being imported already. Its result appears here when it is done."))
    return redirect("import_preview", batch_uuid=batch.uuid)
