"""Screens of the task breakdown sheet: the visit, its task rows (added, edited in place, moved,
removed — with htmx, and without), and a program made from chosen task rows.

Every view that takes an id goes through the door (sheets/breakdowns/access.py) first; writes
go through sheets/breakdowns/services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.access import get_employer_for_user, is_coordinator_of, role_required
from registry.forms import add_service_error
from registry.models import Employer, Role
from sheets.breakdowns import services
from sheets.breakdowns.access import can_edit_breakdown, get_breakdown_for_user, visit_of_employer
from sheets.breakdowns.forms import BreakdownForm, ProgramCreateForm, TaskRowForm
from sheets.breakdowns.models import TaskRow
from sheets.programs.limits import PRINT_LIMITS
from sheets.programs.models import Program

STALE_SHEET = gettext_lazy(
    "Someone else saved this sheet while you were editing. Nothing was overwritten: "
    "copy your changes, reload the page and enter them again."
)


@role_required(Role.COUNSELOR)
def breakdown_create(request: HttpRequest, employer_uuid) -> HttpResponse:
    employer = _employer_for_sheet_writer(request, employer_uuid)
    # ?visit=<uuid>: made from a visit of the visit log, whose date and visitors fill the form.
    visit = visit_of_employer(employer, request.GET.get("visit", ""))
    initial = {"visited_on": visit.visited_on, "visitors": visit.visitors} if visit else None
    form = BreakdownForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            breakdown = services.breakdown_create(employer=employer, by=request.user, visit=visit, **fields)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The task breakdown sheet was created. Add the tasks below."))
            return redirect("breakdown_detail", employer_uuid=employer.uuid, breakdown_uuid=breakdown.uuid)
    return render(request, "sheets/breakdown_form.html", {"form": form, "employer": employer, "visit": visit})


def _employer_for_sheet_writer(request: HttpRequest, employer_uuid) -> Employer:
    """The employer, if visible (else 404) and the user writes its agency's sheets (else 403,
    as for editing a visible employer)."""
    try:
        employer = get_employer_for_user(request.user, employer_uuid)
    except ValidationError:  # not a UUID (?employer=…)
        raise Http404 from None
    if not is_coordinator_of(request.user, employer.owner_id) or not employer.is_active:
        raise PermissionDenied  # an archived employer gets no new sheets
    return employer


def _breakdown_context(request, breakdown, *, form=None, row_form=None, editing=None, focus=None) -> dict:
    """`focus`: where the keyboard goes on in the swapped rows ("add" the next task's first field,
    (row uuid, "up"/"down") the button just used, (row uuid, "edit") a row's 編集 button after its
    form was saved or cancelled, or the next row's after one was removed) — static/js/form-errors.js."""
    can_edit = can_edit_breakdown(request.user, breakdown)
    return {
        "focus": focus,
        "breakdown": breakdown,
        "employer": breakdown.employer,
        "rows": list(breakdown.rows.prefetch_related("programs")),
        "can_edit": can_edit,
        "form": form if form is not None else (BreakdownForm(instance=breakdown) if can_edit else None),
        "row_form": row_form if row_form is not None else (TaskRowForm(prefix="new") if can_edit else None),
        "editing": editing,
    }


def _rows_response(request, breakdown, *, status: int = 200, **extra) -> HttpResponse:
    """htmx: the rows section; otherwise: the whole page (after a redirect on success)."""
    context = _breakdown_context(request, breakdown, **extra)
    if request.htmx:
        return render(request, "sheets/_partials/breakdown_rows.html", context)
    return render(request, "sheets/breakdown_detail.html", context, status=status)


@role_required(Role.COUNSELOR)
def breakdown_detail(request: HttpRequest, employer_uuid, breakdown_uuid) -> HttpResponse:
    """The sheet: visit header (editable by coordinators) and its task rows."""
    breakdown = get_breakdown_for_user(request.user, employer_uuid, breakdown_uuid, write=request.method == "POST")
    if request.method != "POST":
        return render(request, "sheets/breakdown_detail.html", _breakdown_context(request, breakdown))
    form = BreakdownForm(request.POST, instance=breakdown)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.breakdown_update(
                breakdown=breakdown, by=request.user, version=form.cleaned_data["version"] or 0, **fields
            )
        except services.StaleEditError:
            form.add_error(None, STALE_SHEET)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("breakdown_detail", employer_uuid=employer_uuid, breakdown_uuid=breakdown_uuid)
    breakdown.refresh_from_db()
    return render(
        request, "sheets/breakdown_detail.html", _breakdown_context(request, breakdown, form=form), status=400
    )


def _back_to_rows(breakdown, anchor: str = "rows") -> HttpResponse:
    url = reverse(
        "breakdown_detail", kwargs={"employer_uuid": breakdown.employer.uuid, "breakdown_uuid": breakdown.uuid}
    )
    return redirect(f"{url}#{anchor}")


@require_POST
@role_required(Role.COUNSELOR)
def row_add(request: HttpRequest, employer_uuid, breakdown_uuid) -> HttpResponse:
    breakdown = get_breakdown_for_user(request.user, employer_uuid, breakdown_uuid, write=True)
    form = TaskRowForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            row = services.row_add(breakdown=breakdown, by=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The task was added."))
            if request.htmx:  # the panel stays open for the next task
                return _rows_response(request, breakdown, focus="add")
            return _back_to_rows(breakdown, f"row-{row.uuid}")
    return _rows_response(request, breakdown, row_form=form, status=400)


def _get_row(request, employer_uuid, breakdown_uuid, row_uuid, *, write: bool) -> TaskRow:
    breakdown = get_breakdown_for_user(request.user, employer_uuid, breakdown_uuid, write=write)
    row = breakdown.rows.filter(uuid=row_uuid).first()
    if row is None:
        raise Http404
    row.breakdown = breakdown
    return row


@role_required(Role.COUNSELOR)
def row_edit(request: HttpRequest, employer_uuid, breakdown_uuid, row_uuid) -> HttpResponse:
    row = _get_row(request, employer_uuid, breakdown_uuid, row_uuid, write=True)
    form = TaskRowForm(request.POST or None, instance=row, prefix=f"row-{row.uuid}")
    if request.method == "POST" and form.is_valid():
        try:
            services.row_update(row=row, by=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            if request.htmx:
                return _rows_instead_of_the_form(request, row)
            return _back_to_rows(row.breakdown, f"row-{row.uuid}")
    if request.htmx and request.method == "GET" and "cancel" in request.GET:
        return _rows_instead_of_the_form(request, row)
    context = {"row": row, "form": form, "breakdown": row.breakdown, "employer": row.breakdown.employer}
    # Opened in place: the keyboard goes to its first field (the 編集 link that had it is gone).
    context["opened"] = request.htmx and request.method == "GET"
    if request.htmx:
        return render(request, "sheets/_partials/row_edit.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "sheets/row_form.html", context, status=status)


def _rows_instead_of_the_form(request, row) -> HttpResponse:
    """The form sat in the row; the answer is the whole (re-ordered) list, the keyboard back on the
    row's 編集 button."""
    response = _rows_response(request, row.breakdown, focus=(row.uuid, "edit"))
    response["HX-Retarget"] = "#rows-section"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
@role_required(Role.COUNSELOR)
def row_move(request: HttpRequest, employer_uuid, breakdown_uuid, row_uuid) -> HttpResponse:
    row = _get_row(request, employer_uuid, breakdown_uuid, row_uuid, write=True)
    direction = request.POST.get("direction", "")
    try:
        services.row_move(row=row, by=request.user, direction=direction)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _rows_response(request, row.breakdown, focus=(row.uuid, direction))
    return _back_to_rows(row.breakdown, f"row-{row.uuid}")


@require_POST
@role_required(Role.COUNSELOR)
def row_remove(request: HttpRequest, employer_uuid, breakdown_uuid, row_uuid) -> HttpResponse:
    row = _get_row(request, employer_uuid, breakdown_uuid, row_uuid, write=True)
    uuids = list(row.breakdown.rows.values_list("uuid", flat=True))
    focus: str | tuple = (row.uuid, "edit")  # refused: the row stays, and its button
    try:
        services.row_remove(row=row, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task “%(task)s” was removed.") % {"task": row.task})
        # The keyboard goes on to the next row (its 編集 button), or to the form for a new task.
        after = uuids[uuids.index(row.uuid) + 1 :] if row.uuid in uuids else []
        focus = (after[0], "edit") if after else "add"
    if request.htmx:
        return _rows_response(request, row.breakdown, focus=focus)
    return _back_to_rows(row.breakdown)


# --- Programs -------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def program_create(request: HttpRequest) -> HttpResponse:
    """New program from selected task rows of one employer (?employer=<uuid>)."""
    employer = _employer_for_sheet_writer(request, request.GET.get("employer", ""))
    form = ProgramCreateForm(request.POST or None, employer=employer, breakdown=request.GET.get("breakdown", ""))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rows = data.pop("rows")
        try:
            program = services.program_create_from_rows(employer=employer, rows=rows, by=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The program was created as a draft. Fill in the details."))
            longer = services.needs_shortened(rows, program.employer_needs)
            if longer:
                messages.warning(
                    request,
                    _(
                        "③ prints at most %(cap)d characters of the employer's needs: of the %(length)d written in "
                        "the task breakdown, the beginning was put in “%(field)s”. Check it and rewrite it as it "
                        "should be shared (the task breakdown keeps the whole text)."
                    )
                    % {
                        "cap": PRINT_LIMITS["employer_needs"],
                        "length": longer,
                        "field": Program._meta.get_field("employer_needs").verbose_name,
                    },
                )
            return redirect("program_edit", program_uuid=program.uuid)
    return render(request, "sheets/program_create.html", {"form": form, "employer": employer})
