"""The writes of a spreadsheet import: keeping an uploaded file's checked rows (the preview),
and applying them once confirmed — as drafts of the importing agency, in one transaction, with
one audit entry. Reading and checking the file is sheets/imports.py."""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from registry.models import Agency, Employer, Membership, Role, User
from registry.services import audit, save_with_history
from sheets.interop.imports.models import ImportBatch, ImportStatus
from sheets.interop.imports.reader import Action, ParsedFile, ParsedRow, Plan, check_rows, parse_file
from sheets.programs.models import Program
from sheets.programs.search_fields import refresh_programs_of_employer, refresh_search_fields, search_values
from sheets.search import facets as search_facets

Progress = Callable[[int, int], None]
# Changes to these employer fields change the search text of its programs.
EMPLOYER_SEARCH_FIELDS = {"name", "name_kana", "address"}


class ImportRejected(Exception):
    """The batch cannot be applied (errors, already imported, or the data changed since the
    preview); nothing was written."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _coordinator_membership(user: User, agency: Agency) -> Membership | None:
    """By the batch's agency, not the session's acting agency: background workers have no session."""
    membership = Membership.objects.active().filter(user=user, agency=agency).first()
    return membership if membership is not None and membership.has_role(Role.COORDINATOR) else None


@transaction.atomic
def import_batch_create(*, agency: Agency, by: User, upload: UploadedFile[bytes]) -> ImportBatch:
    """Read and check the uploaded file and keep the result for the preview. Employers and
    programs are not touched. A file that cannot be read raises ImportFileError."""
    if _coordinator_membership(by, agency) is None:
        raise PermissionDenied
    data = upload.read()
    file_name = upload.name or ""
    parsed = parse_file(data, file_name)
    plan = check_rows(parsed.rows, agency)
    sha256 = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        agency=agency,
        uploaded_by=by,
        file_name=file_name[-200:],
        sha256=sha256,
        file_format=parsed.file_format,
        rows=[row.as_json() for row in parsed.rows],
        notices=_notices(parsed, agency, sha256),
        status=ImportStatus.HAS_ERRORS if plan.error_count else ImportStatus.READY,
        row_count=len(parsed.rows),
        error_count=plan.error_count,
        counts=plan.counts(),
    )
    batch.full_clean()
    batch.save()
    return batch


def _notices(parsed: ParsedFile, agency: Agency, sha256: str) -> list[dict[str, Any]]:
    notices: list[dict[str, Any]] = []
    if parsed.ignored:
        notices.append({"kind": "ignored_columns", "columns": parsed.ignored})
    if parsed.encoding:
        notices.append({"kind": "encoding", "encoding": parsed.encoding})
    earlier = (
        ImportBatch.objects.filter(agency=agency, sha256=sha256, status=ImportStatus.APPLIED)
        .order_by("-applied_at")
        .first()
    )
    if earlier is not None and earlier.applied_at is not None:
        notices.append({"kind": "same_file", "applied_at": earlier.applied_at.isoformat()})
    return notices


def import_apply(batch: ImportBatch, *, by: User, progress: Progress | None = None) -> dict[str, int]:
    """Import the batch's rows as drafts of its agency: all of them or, on any error, none.

    The rows are checked again against the current data (someone may have changed it since the
    preview). `progress(done, total)` is called as rows are written — inside the transaction, so
    a caller that reports it elsewhere must not rely on this transaction's data. Returns the
    counts, which the batch and the one audit entry also keep."""
    try:
        counts = _apply(batch, by=by, progress=progress)
    except IntegrityError:  # someone saved the same 管理番号 meanwhile: all rolled back
        raise ImportRejected(_CHANGED) from None
    batch.refresh_from_db()
    return counts


_CHANGED = _("The data changed since the preview, so nothing was imported. Upload the file again to see why.")


@transaction.atomic
def _apply(batch: ImportBatch, *, by: User, progress: Progress | None) -> dict[str, int]:
    current = ImportBatch.objects.select_for_update().select_related("agency__region").get(pk=batch.pk)
    if _coordinator_membership(by, current.agency) is None:
        raise PermissionDenied
    if current.status == ImportStatus.APPLIED:
        raise ImportRejected(_("This file has already been imported."))
    if current.status != ImportStatus.READY:
        raise ImportRejected(_("Correct the errors in the file and upload it again."))
    rows = [ParsedRow.from_json(row) for row in current.rows]
    # Matching by 管理番号 under row locks keeps the uniqueness rules; the database
    # constraints stay the last guard (an IntegrityError rolls everything back).
    plan = check_rows(rows, current.agency, lock=True)
    if plan.error_count:
        raise ImportRejected(_changed_row(plan))
    _write(plan, by=by, progress=progress)
    counts = plan.counts()
    current.status = ImportStatus.APPLIED
    current.applied_at = timezone.now()
    current.applied_by = by
    current.counts = counts
    current.save(update_fields=["status", "applied_at", "applied_by", "counts"])
    audit(
        by=by,
        agency=current.agency,
        action="import.apply",
        target=current,
        file=current.file_name,
        sha256=current.sha256,
        **counts,
    )
    return counts


def _changed_row(plan: Plan) -> str:
    """Which row the change since the preview broke, and why (the first one)."""
    row = next(row for row in plan.rows if row.errors)
    error = row.errors[0]
    where = f"{error['column']}：" if error["column"] else ""
    return _(
        "The data changed since the preview, so nothing was imported. Row %(line)s: %(where)s%(problem)s "
        "Upload the file again to check every row."
    ) % {"line": row.line, "where": where, "problem": error["message"]}


BULK_SIZE = 200


def _write(plan: Plan, *, by: User, progress: Progress | None) -> None:
    """New records in bulk (with their history records), changed ones one by one."""
    total = len(plan.employers) + len(plan.programs)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    advance(0)
    new_employers = [e for e, action in plan.employers if action == Action.CREATE]
    _bulk_create(Employer, new_employers, by=by)
    advance(len(new_employers))
    for employer, action in plan.employers:
        if action != Action.CREATE:
            _update_employer(employer, action, by=by, changed=plan.changed_fields[id(employer)])
            advance(1)
    new_programs = [program for _row, program, action in plan.programs if action == Action.CREATE]
    for start in range(0, len(new_programs), BULK_SIZE):
        chunk = new_programs[start : start + BULK_SIZE]
        for program in chunk:
            program.employer = program.employer  # the employer's primary key, now that it is saved
            program.created_by = by
            for name, value in search_values(program, rows=[]).items():  # no task rows yet
                setattr(program, name, value)
        _bulk_create(Program, chunk, by=by)
        advance(len(chunk))
    for _row, program, action in plan.programs:
        if action != Action.CREATE:
            _update_program(program, action, by=by)
            advance(1)


def _bulk_create[M: models.Model](model: type[M], objs: list[M], *, by: User) -> None:
    if objs:
        bulk_create_with_history(objs, model, batch_size=BULK_SIZE, default_user=by, default_change_reason="import")
        search_facets.changed()  # bulk_create sends no post_save


def _update_employer(employer: Employer, action: str, *, by: User, changed: list[str]) -> None:
    if action == Action.UNCHANGED:
        return
    employer.version += 1
    save_with_history(employer, by=by, reason="import")
    if EMPLOYER_SEARCH_FIELDS & set(changed):
        refresh_programs_of_employer(employer)


def _update_program(program: Program, action: str, *, by: User) -> None:
    if action == Action.UNCHANGED:
        return
    program.version += 1
    program.revision += 1  # an imported change of content: a new 第N版
    save_with_history(program, by=by, reason="import")
    refresh_search_fields(program)  # reads its task rows, if it was made from some
