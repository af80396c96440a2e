"""Screens for task breakdowns, programs, their life cycle, history, review and re-verification.

Every view that takes an id goes through a door in sheets/access.py first; writes go through
sheets/services.py. htmx requests get the partial they swap; everything works without it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.access import acting_membership, agency_role_required, get_employer_for_user, role_required
from registry.models import Employer, Role
from sheets import printing, services
from sheets.access import (
    can_edit_breakdown,
    can_edit_program,
    get_breakdown_for_user,
    get_program_for_user,
    is_coordinator_of,
)
from sheets.dimensions import rows_for_display
from sheets.forms import (
    BreakdownForm,
    ProgramCreateForm,
    ProgramForm,
    ReverifyForm,
    ReviewApproveForm,
    ReviewCommentForm,
    ReviewLinkForm,
    TaskRowForm,
    TimetableFormSet,
    TransitionForm,
    timetable_initial,
    timetable_rows,
)
from sheets.history import revision_diff, revision_list
from sheets.models import Program, ProgramStatus, ReviewLink, ReviewSection, TaskRow, VerificationMethod

NEW_LINK_SESSION_KEY = "sheets_new_review_link"
STALE_PROGRAM = gettext_lazy(
    "Someone else saved this program while you were editing. Nothing was overwritten: "
    "copy your changes, reload the page and enter them again."
)
STALE_SHEET = gettext_lazy(
    "Someone else saved this sheet while you were editing. Nothing was overwritten: "
    "copy your changes, reload the page and enter them again."
)


def _field_errors_to_form(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names (or on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Task breakdowns --------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def breakdown_create(request: HttpRequest, employer_uuid) -> HttpResponse:
    employer = _employer_for_sheet_writer(request, employer_uuid)
    form = BreakdownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            breakdown = services.breakdown_create(employer=employer, by=request.user, **fields)
        except ValidationError as exc:
            _field_errors_to_form(form, exc)
        else:
            messages.success(request, _("The task breakdown sheet was created. Add the tasks below."))
            return redirect("breakdown_detail", employer_uuid=employer.uuid, breakdown_uuid=breakdown.uuid)
    return render(request, "sheets/breakdown_form.html", {"form": form, "employer": employer})


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


def _breakdown_context(request, breakdown, *, form=None, row_form=None, editing=None) -> dict:
    can_edit = can_edit_breakdown(request.user, breakdown)
    return {
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
            _field_errors_to_form(form, exc)
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
            _field_errors_to_form(form, exc)
        else:
            messages.success(request, _("The task was added."))
            if request.htmx:
                return _rows_response(request, breakdown)
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
            _field_errors_to_form(form, exc)
        else:
            messages.success(request, _("The task was saved."))
            if request.htmx:
                # The form sat in the row; the answer is the whole (re-ordered) list.
                response = _rows_response(request, row.breakdown)
                response["HX-Retarget"] = "#rows-section"
                response["HX-Reswap"] = "outerHTML"
                return response
            return _back_to_rows(row.breakdown, f"row-{row.uuid}")
    context = {"row": row, "form": form, "breakdown": row.breakdown, "employer": row.breakdown.employer}
    if request.htmx:
        return render(request, "sheets/_partials/row_edit.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "sheets/row_form.html", context, status=status)


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
        return _rows_response(request, row.breakdown)
    return _back_to_rows(row.breakdown, f"row-{row.uuid}")


@require_POST
@role_required(Role.COUNSELOR)
def row_remove(request: HttpRequest, employer_uuid, breakdown_uuid, row_uuid) -> HttpResponse:
    row = _get_row(request, employer_uuid, breakdown_uuid, row_uuid, write=True)
    try:
        services.row_remove(row=row, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task “%(task)s” was removed.") % {"task": row.task})
    if request.htmx:
        return _rows_response(request, row.breakdown)
    return _back_to_rows(row.breakdown)


# --- Programs -------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def program_create(request: HttpRequest) -> HttpResponse:
    """New program from selected task rows of one employer (?employer=<uuid>)."""
    employer = _employer_for_sheet_writer(request, request.GET.get("employer", ""))
    form = ProgramCreateForm(request.POST or None, employer=employer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rows = data.pop("rows")
        try:
            program = services.program_create_from_rows(employer=employer, rows=rows, by=request.user, **data)
        except ValidationError as exc:
            _field_errors_to_form(form, exc)
        else:
            messages.success(request, _("The program was created as a draft. Fill in the details."))
            return redirect("program_edit", program_uuid=program.uuid)
    return render(request, "sheets/program_create.html", {"form": form, "employer": employer})


def _program_context(request, program: Program) -> dict:
    can_edit = can_edit_program(request.user, program)
    context = {
        "program": program,
        "can_edit": can_edit,
        "demand_rows": rows_for_display(program.demands),
        "confirmable_labels": Program._meta.get_field("confirmable").choice_labels(program.confirmable),
        "timetable": list(program.timetable.all()),
    }
    approvals = list(program.approvals.all())  # newest first (model ordering)
    context |= {"approvals": approvals, "approval": services.current_approval(program, approvals=approvals)}
    if can_edit:
        new_link = request.session.pop(NEW_LINK_SESSION_KEY, None)
        context |= {
            "transitions": services.available_transitions(program),
            "review_links": list(program.review_links.select_related("created_by")),
            "review_comments": list(program.review_comments.order_by("-created_at")),
            "review_sections": ReviewSection.choices,
            "new_review_link": new_link if new_link and new_link.get("program") == str(program.uuid) else None,
            "link_form": ReviewLinkForm(),
            "reverify_form": ReverifyForm(),
        }
    return context


@role_required(Role.COUNSELOR)
def program_detail(request: HttpRequest, program_uuid) -> HttpResponse:
    # The page shows ① ② ③ on screen, so it needs what they print and no more: two joins fewer
    # than PROGRAM_PAGE_RELATED (the employer's region), columns to compile, send and load.
    program = get_program_for_user(request.user, program_uuid, related=printing.PRINTED_RELATED)
    return render(request, "sheets/program_detail.html", _program_context(request, program))


@role_required(Role.COUNSELOR)
def program_edit(request: HttpRequest, program_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, write=True)
    form = ProgramForm(request.POST or None, instance=program)
    timetable = TimetableFormSet(request.POST or None, prefix="tt", initial=timetable_initial(program))
    if request.method == "POST" and form.is_valid() and timetable.is_valid():
        try:
            services.program_update(
                program=program,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                timetable=timetable_rows(timetable),
                **form.service_fields(),
            )
        except services.StaleEditError:
            form.add_error(None, STALE_PROGRAM)
        except ValidationError as exc:
            _field_errors_to_form(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("program_detail", program_uuid=program.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "sheets/program_form.html", {"form": form, "timetable": timetable, "program": program}, status=status
    )


@require_POST
@role_required(Role.COUNSELOR)
def program_transition(request: HttpRequest, program_uuid, transition: str) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, write=True)
    service = services.TRANSITION_SERVICES.get(transition)
    if service is None:
        raise Http404
    form = TransitionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        result = service(program=program, by=request.user, version=version)
    except services.StaleEditError:
        messages.error(request, _("The program changed since you opened this page. Check it and try again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _TRANSITION_DONE[transition](result))
    return redirect("program_detail", program_uuid=program.uuid)


def _published_message(program: Program) -> str:
    if program.employer_approved:
        return _("The program was published (approved by the employer).")
    return _("The program was published. The employer has not approved this content.")


_TRANSITION_DONE = {
    "submit_for_review": lambda p: _("The program is now in review."),
    "publish": _published_message,
    "archive": lambda p: _("The program was archived."),
    "return_to_draft": lambda p: _("The program is a draft again."),
}


@role_required(Role.COUNSELOR)
def program_history(request: HttpRequest, program_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid)
    revisions = revision_list(program)
    diff = None
    older = newer = None
    if revisions:
        ids = {str(r.history_id): r for r in revisions}
        newer = ids.get(request.GET.get("b", ""), revisions[0])
        older = ids.get(request.GET.get("a", ""), revisions[1] if len(revisions) > 1 else revisions[0])
        if older.history_date > newer.history_date:
            older, newer = newer, older
        diff = revision_diff(program, older, newer)
    return render(
        request,
        "sheets/program_history.html",
        {"program": program, "revisions": revisions, "older": older, "newer": newer, "diff": diff},
    )


# --- Re-verification ----------------------------------------------------------------------


def reverify_candidates(agency):
    """Published programs of the agency whose 最終確認日 is older than SHEETS_REVERIFY_MONTHS (or missing)."""
    return (
        Program.objects.filter(owner=agency, status=ProgramStatus.PUBLISHED)
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=services.reverify_due_before()))
        .order_by("last_verified_on", "employer__name_kana", "title")
    )


@agency_role_required(Role.COORDINATOR)
def reverify_queue(request: HttpRequest) -> HttpResponse:
    agency = acting_membership(request.user).agency
    programs = reverify_candidates(agency).select_related("employer", "verified_by")
    return render(
        request,
        "sheets/reverify_queue.html",
        {
            "programs": programs,
            "due_before": services.reverify_due_before(),
            "form": ReverifyForm(),
            "methods": VerificationMethod.choices,
        },
    )


@require_POST
@role_required(Role.COUNSELOR)
def program_reverify(request: HttpRequest, program_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, write=True)
    form = ReverifyForm(request.POST)
    if form.is_valid():
        services.program_reverify(program=program, by=request.user, method=form.cleaned_data["method"])
        messages.success(request, _("“%(title)s” was marked as verified today.") % {"title": program.title})
    else:
        messages.error(request, _("Choose how it was verified."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("program_detail", program_uuid=program.uuid)


# --- Review links ----------------------------------------------------------------------------


@require_POST
@role_required(Role.COUNSELOR)
def review_link_create(request: HttpRequest, program_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, write=True)
    form = ReviewLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a validity between 1 and 60 days."))
        return redirect("program_detail", program_uuid=program.uuid)
    try:
        link, token = services.review_link_create(program=program, by=request.user, days=form.cleaned_data["days"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        # The token is shown once (only its hash is stored): keep it for the next page only.
        request.session[NEW_LINK_SESSION_KEY] = {
            "program": str(program.uuid),
            "url": request.build_absolute_uri(reverse("review_page", args=[token])),
            "expires": link.expires_at.isoformat(),
        }
        messages.success(request, _("A review link was created. Copy it now: it is shown only once."))
    return redirect(reverse("program_detail", args=[program.uuid]) + "#review")


@require_POST
@role_required(Role.COUNSELOR)
def review_link_revoke(request: HttpRequest, program_uuid, link_uuid) -> HttpResponse:
    program = get_program_for_user(request.user, program_uuid, write=True)
    link = ReviewLink.objects.filter(program=program, uuid=link_uuid).first()
    if link is None:
        raise Http404
    services.review_link_revoke(link=link, by=request.user)
    messages.success(request, _("The review link no longer works."))
    return redirect(reverse("program_detail", args=[program.uuid]) + "#review")


@never_cache
def review_page(request: HttpRequest, token: str) -> HttpResponse:
    """The employer contact's view of the draft sheets, without an account."""
    try:
        link = services.review_link_for_token(token)
    except services.LinkUnusable:
        return _review_unavailable(request, status=410)
    if link is None:
        return _review_unavailable(request, status=404)
    program = link.program
    comment_form = approve_form = None
    if request.method == "POST":
        if request.POST.get("action") == "approve":
            approve_form = ReviewApproveForm(request.POST)
            if approve_form.is_valid():
                services.review_approve(link=link, approver_name=approve_form.cleaned_data["approver_name"])
                messages.success(request, _("Thank you. Your approval was recorded."))
                return redirect("review_page", token=token)
        else:
            comment_form = ReviewCommentForm(request.POST)
            if comment_form.is_valid():
                services.review_comment_add(link=link, **comment_form.cleaned_data)
                messages.success(request, _("Thank you. Your comment was sent to the coordinator."))
                return redirect(
                    reverse("review_page", args=[token]) + f"#section-{comment_form.cleaned_data['section']}"
                )
    context = {
        "program": program,
        "link": link,
        "demand_rows": rows_for_display(program.demands),
        "confirmable_labels": Program._meta.get_field("confirmable").choice_labels(program.confirmable),
        "timetable": list(program.timetable.all()),
        "comments": list(program.review_comments.all()),
        "comment_form": comment_form,
        "approve_form": approve_form or ReviewApproveForm(),
        "sections": ReviewSection.choices,
        "approved": program.approvals.filter(program_version=program.version).first(),
    }
    response = render(request, "sheets/review.html", context, status=400 if request.method == "POST" else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _review_unavailable(request: HttpRequest, *, status: int) -> HttpResponse:
    response = render(request, "sheets/review_unavailable.html", {"status": status}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
