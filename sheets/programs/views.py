"""Screens for task breakdowns, programs, their life cycle, history, review and re-verification.

Every view that takes an id goes through a door in sheets/access.py first; writes go through
sheets/services.py. htmx requests get the partial they swap; everything works without it."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.access import agency_role_required, role_required
from registry.forms import add_service_error
from registry.models import Role, acting_membership
from sheets.clients.selectors import program_outcome_counts
from sheets.dimensions import rows_for_display
from sheets.guide import writing
from sheets.printing.selectors import intro_gaps
from sheets.printing.sheets import link_qr_svg
from sheets.programs import services
from sheets.programs.access import SHEET_RELATED, can_edit_program, get_program_for_user
from sheets.programs.forms import (
    ProgramForm,
    ReverifyForm,
    ReviewApproveForm,
    ReviewCommentForm,
    ReviewLinkForm,
    TimetableFormSet,
    TransitionForm,
    timetable_initial,
    timetable_rows,
)
from sheets.programs.history import changes_since, revision_diff, revision_list
from sheets.programs.models import Program, ReviewLink, ReviewSection, VerificationMethod
from sheets.programs.selectors import reverify_candidates, reverify_due_before

NEW_LINK_SESSION_KEY = "sheets_new_review_link"
STALE_PROGRAM = gettext_lazy(
    "Someone else saved this program while you were editing. Nothing was overwritten: "
    "copy your changes, reload the page and enter them again."
)


def _program_context(request, program: Program) -> dict:
    can_edit = can_edit_program(request.user, program)
    context = {
        "program": program,
        "can_edit": can_edit,
        "demand_rows": rows_for_display(program.demands),
        "confirmable_labels": Program._meta.get_field("confirmable").choice_labels(program.confirmable),
        "timetable": list(program.timetable.all()),
        "outcome_counts": program_outcome_counts(program).values(),
    }
    approvals = list(program.approvals.all())  # newest first (model ordering)
    approval = services.current_approval(program, approvals=approvals)
    context |= {"approvals": approvals, "approval": approval}
    if can_edit:
        new_link = request.session.pop(NEW_LINK_SESSION_KEY, None)
        # The content changed after the employer approved: what changed, and the two ways on.
        stale = approvals[0] if approvals and approval is None else None
        links = list(program.review_links.select_related("created_by"))
        now = timezone.now()
        for link in links:
            link.works = link.is_usable(now) and program.status in services.REVIEWABLE
            link.waiting = link.works and link.revision is not None and link.revision != program.revision
        context |= {
            "intro_gaps": intro_gaps(program.employer),
            # Task breakdowns are the owning agency's working papers: linked for its staff only.
            "source_breakdowns": sorted(
                {row.breakdown for row in program.source_rows.select_related("breakdown")},
                key=lambda b: b.visited_on,
            ),
            "stale_approval": stale,
            "changes_since_approval": changes_since(program, stale) if stale else [],
            "transitions": services.available_transitions(program),
            "review_links": links,
            "review_comments": list(program.review_comments.order_by("-created_at")),
            "review_sections": ReviewSection.choices,
            "new_review_link": _new_link_context(program, new_link),
            "link_form": ReviewLinkForm(),
            "reverify_form": ReverifyForm(),
        }
    return context


def _new_link_context(program: Program, new_link: dict | None) -> dict | None:
    """The link shown once: with a QR code for the printed hand-out and a draft e-mail."""
    if not new_link or new_link.get("program") != str(program.uuid):
        return None
    url = new_link["url"]
    subject = _("Please check the sheets about %(employer)s") % {"employer": program.employer.name}
    body = _(
        "Thank you for your cooperation.\n\nWe have prepared the sheets about “%(title)s”. Please read them at "
        "the address below, leave a comment where something should change, and approve them when everything "
        "is right. No account is needed.\n\n%(url)s\n\nThe link works until %(expires)s.\n\n%(agency)s"
    ) % {
        "title": program.title,
        "url": url,
        "expires": formats.date_format(datetime.datetime.fromisoformat(new_link["expires"]), "DATE_FORMAT"),
        "agency": program.owner.name,
    }
    mailto = f"mailto:{quote(program.employer.contact_email)}?subject={quote(subject)}&body={quote(body)}"
    return new_link | {"qr_svg": link_qr_svg(url), "mailto": mailto}


@role_required(Role.COUNSELOR)
def program_detail(request: HttpRequest, program_uuid) -> HttpResponse:
    # The page shows ① ② ③ on screen, so it needs what they print and no more: two joins fewer
    # than PROGRAM_PAGE_RELATED (the employer's region), columns to compile, send and load.
    program = get_program_for_user(request.user, program_uuid, related=SHEET_RELATED)
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
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            # The writing check never blocks a save; without JavaScript this is where it speaks.
            notes = writing.check_fields(form.cleaned_data)
            if notes:
                messages.info(request, writing.summary(notes))
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
    revisions = revision_list(program, request.user)
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


@agency_role_required(Role.COORDINATOR)
def reverify_queue(request: HttpRequest) -> HttpResponse:
    agency = acting_membership(request.user).agency
    programs = reverify_candidates(agency).select_related("employer", "verified_by")
    return render(
        request,
        "sheets/reverify_queue.html",
        {
            "programs": programs,
            "due_before": reverify_due_before(),
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
        # The program page again, the message next to the number and the number as typed.
        form.errors.clear()
        form.add_error("days", _("Enter a validity between 1 and 60 days."))
        program = get_program_for_user(request.user, program_uuid, related=SHEET_RELATED)
        context = _program_context(request, program) | {"link_form": form}
        return render(request, "sheets/program_detail.html", context, status=400)
    try:
        link, token = services.review_link_create(program=program, by=request.user, days=form.cleaned_data["days"])
    except ValidationError as exc:  # about the program (archived), not the number: said on top
        messages.error(request, " ".join(exc.messages))
    else:
        # The token is shown once (only its hash is stored): keep it for the next page only.
        request.session[NEW_LINK_SESSION_KEY] = {
            "program": str(program.uuid),
            "link": str(link.uuid),
            "token": token,  # sent back by the page's hand-out button: the hand-out prints the link
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


@require_POST
@role_required(Role.COUNSELOR)
def review_link_resend(request: HttpRequest, program_uuid, link_uuid) -> HttpResponse:
    """The changed sheets go back to the employer through the same link, for re-approval."""
    program = get_program_for_user(request.user, program_uuid, write=True)
    link = ReviewLink.objects.filter(program=program, uuid=link_uuid).first()
    if link is None:
        raise Http404
    try:
        services.review_link_resend(link=link, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The review link now shows revision %(n)s. Ask the employer to open it again and approve the changes.")
            % {"n": program.revision},
        )
    return redirect(reverse("program_detail", args=[program.uuid]) + "#review")


@require_POST
@role_required(Role.COUNSELOR)
def approval_carry_over(request: HttpRequest, program_uuid) -> HttpResponse:
    """The changes since the approval are the ones the employer asked for: record it."""
    program = get_program_for_user(request.user, program_uuid, write=True)
    try:
        services.approval_carry_over(program=program, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded: the changes are the ones the employer asked for."))
    return redirect(reverse("program_detail", args=[program.uuid]) + "#review")


@never_cache
def review_page(request: HttpRequest, token: str) -> HttpResponse:
    """The employer contact's view of the draft sheets, without an account: the revision the
    link was made for (or sent again with), never a later draft."""
    try:
        link = services.review_link_for_token(token)
    except services.LinkWaiting:
        return _review_unavailable(request, status=410, waiting=True)
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
        "approved": program.approvals.filter(revision=program.revision).first(),
    }
    # Sent again after a change: what changed since the employer's approval.
    earlier = program.approvals.exclude(revision=program.revision).order_by("-created_at").first()
    if earlier is not None and context["approved"] is None:
        context |= {"earlier_approval": earlier, "changes_since_approval": changes_since(program, earlier)}
    response = render(request, "sheets/review.html", context, status=400 if request.method == "POST" else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _review_unavailable(request: HttpRequest, *, status: int, waiting: bool = False) -> HttpResponse:
    context = {"status": status, "waiting": waiting}
    response = render(request, "sheets/review_unavailable.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
