"""Every write to programs, their timetable and the employer's review: keyword-only, validated, in one
transaction, with one audit entry (registry.services.audit).

Programs carry `version`: it rises on every saved change (content, status, re-verification),
so it is both the optimistic lock and the revision number printed on the sheets (第N版).
Each save leaves a django-simple-history record whose change reason names the service."""

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.access import require_coordinator
from registry.models import User
from registry.services import StaleEditError, audit, delete_with_history, pick, save_with_history
from sheets.programs.models import (
    Program,
    ProgramStatus,
    ReviewApproval,
    ReviewComment,
    ReviewLink,
    ReviewSection,
    TimetableRow,
    VerificationMethod,
)
from sheets.programs.search_fields import refresh_search_fields

__all__ = ["StaleEditError"]

REVIEW_LINK_VALID_DAYS = 14
CONTENT_CHANGE_REASONS = ("create", "update")


# --- Programs ---------------------------------------------------------------------------

PROGRAM_FIELDS = (
    "title",
    "engagement_type",
    "is_paid",
    "has_contract",
    "has_insurance",
    "supporter_may_accompany",
    "what_you_do",
    "days",
    "start_time",
    "end_time",
    "breaks",
    "period",
    "meeting_point",
    "clothing",
    "belongings",
    "lunch",
    "pay",
    "travel_costs",
    "capacity",
    "application_window",
    "suits",
    "can_find_out",
    "how_to_apply",
    "employer_needs",
    "demands",
    "confirmable",
    "physical_notes",
    "instructions",
    "task_change",
    "onsite_supporter",
    "accommodations",
    "accommodations_notes",
    "cautions",
    "next_step",
    "sharing_scope",
)

# How ② prints: furigana and the readings the coordinator corrected. Content (a new revision),
# saved by program_update like the fields above, but not part of what the API and HSDS share.
SHEET_OPTION_FIELDS = ("furigana", "readings")

# The usual flags of each engagement type (domain guide); the coordinator can change them.


def _locked_program(program: Program, by: User, version: int | None) -> Program:
    current = Program.objects.select_for_update().select_related("owner", "employer").get(pk=program.pk)
    require_coordinator(by, current.owner_id)
    if version is not None and current.version != version:
        raise StaleEditError
    return current


@transaction.atomic
def program_update(
    *, program: Program, by: User, version: int, timetable: Sequence[tuple[str, str]] | None = None, **fields: Any
) -> Program:
    """Save content changes unless someone saved since the form was opened. `timetable`,
    when given, replaces the day's timetable rows (in order)."""
    current = _locked_program(program, by, version)
    content_changed = False
    for name, value in pick(fields, PROGRAM_FIELDS + SHEET_OPTION_FIELDS).items():
        content_changed |= getattr(current, name) != value
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    if timetable is not None:
        # Before the program's own record, so that the revision's timestamp covers the rows.
        content_changed |= _replace_timetable(current, timetable, by=by)
    if content_changed:  # only a change of content makes a new 第N版
        current.revision += 1
    save_with_history(current, by=by, reason="update")
    refresh_search_fields(current)
    audit(by=by, agency=current.owner, action="program.update", target=current, fields=sorted(fields))
    return current


def _replace_timetable(program: Program, timetable: Sequence[tuple[str, str]], *, by: User) -> bool:
    """Replace the rows; False when they were the same already."""
    wanted = [(t.strip(), a.strip()) for t, a in timetable if t.strip() or a.strip()]
    existing = list(program.timetable.order_by("position", "id"))
    if [(r.time, r.activity) for r in existing] == wanted:
        return False
    for row in existing:
        delete_with_history(row, by=by)
    for position, (time, activity) in enumerate(wanted):
        row = TimetableRow(program=program, position=position, time=time, activity=activity)
        row.full_clean()
        save_with_history(row, by=by, reason="update")
    return True


@dataclass(frozen=True)
class Transition:
    name: str
    target: ProgramStatus
    sources: tuple[ProgramStatus, ...]
    label: object
    audit_action: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit_for_review",
            ProgramStatus.IN_REVIEW,
            (ProgramStatus.DRAFT,),
            _("Send for review"),
            "program.submit_for_review",
        ),
        Transition(
            "publish",
            ProgramStatus.PUBLISHED,
            (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW),
            _("Publish"),
            "program.publish",
        ),
        Transition(
            "archive",
            ProgramStatus.ARCHIVED,
            (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED),
            _("Archive"),
            "program.archive",
        ),
        Transition(
            "return_to_draft",
            ProgramStatus.DRAFT,
            (ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED),
            _("Return to draft"),
            "program.return_to_draft",
        ),
    )
}


def available_transitions(program: Program) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if program.status in t.sources]


def current_approval(program: Program, *, approvals: list[ReviewApproval] | None = None) -> ReviewApproval | None:
    """The employer's latest approval, if no content was changed after it. `approvals`: the
    program's approvals newest first, when the caller has read them already."""
    if approvals is None:
        approval = program.approvals.order_by("-created_at").first()
    else:
        approval = approvals[0] if approvals else None
    if approval is None:
        return None
    if approval.revision is not None:
        return approval if approval.revision == program.revision else None
    last_content = (
        program.history.filter(history_change_reason__in=CONTENT_CHANGE_REASONS).order_by("-history_date").first()
    )
    if last_content is not None and last_content.version > approval.program_version:
        return None
    return approval


def _transition(program: Program, *, by: User, name: str, version: int | None) -> Program:
    transition = TRANSITIONS[name]
    current = _locked_program(program, by, version)
    if current.status not in transition.sources:
        raise ValidationError(
            _("A program that is “%(status)s” cannot be changed like this."),
            params={"status": current.get_status_display()},
        )
    detail: dict[str, Any] = {"from": current.status, "to": str(transition.target)}
    current.status = transition.target
    current.version += 1
    if transition.target == ProgramStatus.PUBLISHED:
        approval = current_approval(current)
        current.employer_approved = approval is not None
        current.published_at = timezone.now()
        current.published_by = by
        if approval is not None:
            detail["approval"] = {"name": approval.approver_name, "revision": approval.revision}
        # One link, one revision, ends at publish: what was reviewed is now published.
        ended = current.review_links.filter(revoked_at=None, ended_at=None).update(ended_at=current.published_at)
        if ended:
            detail["review_links_ended"] = ended
    current.full_clean()
    save_with_history(current, by=by, reason=name)
    audit(by=by, agency=current.owner, action=transition.audit_action, target=current, **detail)
    return current


@transaction.atomic
def program_submit_for_review(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="submit_for_review", version=version)


@transaction.atomic
def program_publish(*, program: Program, by: User, version: int | None = None) -> Program:
    """Publish to the sharing scope; records whether the employer approved the current content."""
    return _transition(program, by=by, name="publish", version=version)


@transaction.atomic
def program_archive(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="archive", version=version)


@transaction.atomic
def program_return_to_draft(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="return_to_draft", version=version)


TRANSITION_SERVICES = {
    "submit_for_review": program_submit_for_review,
    "publish": program_publish,
    "archive": program_archive,
    "return_to_draft": program_return_to_draft,
}


@transaction.atomic
def program_reverify(
    *, program: Program, by: User, method: VerificationMethod, on: datetime.date | None = None
) -> Program:
    """最終確認日: the content was confirmed with the employer today (or `on`), by whom, how."""
    current = _locked_program(program, by, None)
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Choose how it was verified.")})
    current.last_verified_on = on or timezone.localdate()
    current.verified_by = by
    current.verification_method = method
    current.version += 1
    current.full_clean()
    save_with_history(current, by=by, reason="reverify")
    on_text = str(current.last_verified_on)
    audit(by=by, agency=current.owner, action="program.reverify", target=current, on=on_text, how=method)
    return current


# --- Employer review ----------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


REVIEWABLE = (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED)


@transaction.atomic
def review_link_create(*, program: Program, by: User, days: int = REVIEW_LINK_VALID_DAYS) -> tuple[ReviewLink, str]:
    """A new link for the employer contact. Returns the link and the token, which is shown
    once: only its hash is stored, so a database leak reveals no working link."""
    current = _locked_program(program, by, None)
    if current.status not in REVIEWABLE:
        raise ValidationError(_("An archived program cannot be reviewed."))
    token = secrets.token_urlsafe(32)
    link = ReviewLink(
        program=current,
        token_hash=_hash_token(token),
        revision=current.revision,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=by,
    )
    link.full_clean()
    link.save()
    audit(by=by, agency=current.owner, action="review_link.create", target=current, expires=link.expires_at.isoformat())
    return link, token


@transaction.atomic
def review_link_revoke(*, link: ReviewLink, by: User) -> ReviewLink:
    current = ReviewLink.objects.select_for_update().select_related("program__owner").get(pk=link.pk)
    require_coordinator(by, current.program.owner_id)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit(by=by, agency=current.program.owner, action="review_link.revoke", target=current.program)
    return current


class LinkUnusable(Exception):
    """The link exists but is expired or revoked, or its program is no longer reviewable."""


class LinkWaiting(LinkUnusable):
    """The content changed after the link was made: it shows nothing later than its revision
    until the coordinator sends the changed content through it (review_link_resend)."""


def link_is_current(link: ReviewLink) -> bool:
    return link.revision is None or link.revision == link.program.revision


def review_link_for_token(token: str) -> ReviewLink | None:
    """The link for a token: None when unknown; LinkUnusable when expired/revoked/archived."""
    link = (
        ReviewLink.objects.select_related("program__employer__region__prefecture", "program__owner__region")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if link is None:
        return None
    _refuse_unusable(link, link.program)
    if not link_is_current(link):
        raise LinkWaiting
    return link


def review_link_for_handout(*, program: Program, link_uuid: Any, token: str) -> ReviewLink | None:
    """The program's link `link_uuid` for its printed hand-out, if `token` is that link's token
    (the hand-out prints the link, and only whoever holds the token shown once can print it):
    None otherwise; LinkUnusable when the link no longer works (revoked, expired, ended)."""
    link = ReviewLink.objects.filter(program=program, uuid=link_uuid, token_hash=_hash_token(token)).first()
    if link is None:
        return None
    _refuse_unusable(link, program)
    return link


def _refuse_unusable(link: ReviewLink, program: Program) -> None:
    """A link works while it is neither revoked nor expired and its program can be reviewed."""
    if not link.is_usable(timezone.now()) or program.status not in REVIEWABLE:
        raise LinkUnusable


@transaction.atomic
def review_link_resend(*, link: ReviewLink, by: User) -> ReviewLink:
    """Send the changed content for a quick re-approval through the same link: the link now
    shows the current revision (with what changed since the employer's approval)."""
    current = ReviewLink.objects.select_for_update().select_related("program__owner").get(pk=link.pk)
    require_coordinator(by, current.program.owner_id)
    program = current.program
    if not current.is_usable(timezone.now()) or program.status not in REVIEWABLE:
        raise ValidationError(_("This link no longer works. Create a new review link."))
    if current.revision != program.revision:
        previous = current.revision
        current.revision = program.revision
        current.save(update_fields=["revision"])
        audit(
            by=by,
            agency=program.owner,
            action="review_link.resend",
            target=program,
            revision=program.revision,
            previous=previous,
        )
    return current


@transaction.atomic
def approval_carry_over(*, program: Program, by: User) -> ReviewApproval:
    """Record that the changes since the employer's last approval are the ones they asked for
    (their comments applied): the approval carries over to the current revision, with who
    recorded it. Publishing then counts it as approved."""
    current = _locked_program(program, by, None)
    previous = current.approvals.filter(carried_from=None).order_by("-created_at").first()
    if previous is None:
        raise ValidationError(_("The employer has not approved any revision yet."))
    if current_approval(current) is not None:
        raise ValidationError(_("The employer's approval already covers this revision."))
    if not current.review_comments.exists():
        raise ValidationError(_("The employer sent no comments: ask for a new approval through the review link."))
    approval = ReviewApproval(
        program=current,
        link=previous.link,
        approver_name=previous.approver_name,
        program_version=current.version,
        revision=current.revision,
        confirmed_by=by,
        carried_from=previous,
    )
    approval.full_clean()
    approval.save()
    audit(
        by=by,
        agency=current.owner,
        action="review.approval_carry_over",
        target=current,
        revision=current.revision,
        from_revision=previous.revision,
    )
    return approval


@transaction.atomic
def review_comment_add(*, link: ReviewLink, section: ReviewSection, body: str, author_name: str = "") -> ReviewComment:
    program = link.program
    comment = ReviewComment(
        program=program,
        link=link,
        section=section,
        body=body.strip(),
        author_name=author_name.strip(),
        program_version=program.version,
        revision=program.revision,
    )
    comment.full_clean()
    comment.save()
    audit(by=None, agency=program.owner, action="review.comment", target=program, section=section)
    return comment


@transaction.atomic
def review_approve(*, link: ReviewLink, approver_name: str) -> ReviewApproval:
    program = link.program
    approval = ReviewApproval(
        program=program,
        link=link,
        approver_name=approver_name.strip(),
        program_version=program.version,
        revision=program.revision,
    )
    approval.full_clean()
    approval.save()
    audit(by=None, agency=program.owner, action="review.approve", target=program, revision=program.revision)
    return approval
