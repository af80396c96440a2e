"""Permission-matrix cases for the sheets URLs (merged by tests/test_permission_matrix.py).

The printing work keeps its own cases in tests/sheets/matrix_print.py."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sheets.programs import services
from sheets.programs.models import ProgramStatus, SharingScope
from tests.matrix_support import ALL_MEMBERS_OK, LOGIN, Case
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory

NOBODY = "00000000-0000-0000-0000-000000000000"
EDITORS_A = {"anonymous": LOGIN, "platform_admin": 302, "agency_admin_a": 302, "coordinator_a": 302}
# Agency A's private objects: other agencies get 404, A's counselor lacks the role (403).
WRITE_A_PRIVATE = EDITORS_A | {"counselor_a": 403, "counselor_b": 404, "counselor_c": 404}
READ_A_PRIVATE = {"anonymous": LOGIN, "counselor_b": 404, "counselor_c": 404, "*": 200}
FORM_A_PRIVATE = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 404, "counselor_c": 404, "*": 200}
POST_ONLY = {"*": 405}


def extend_world(world) -> None:
    world.breakdown_a = TaskBreakdownFactory(employer=world.employer_a)
    world.row_a = TaskRowFactory(breakdown=world.breakdown_a, task="部品の袋詰め")
    world.row_a2 = TaskRowFactory(breakdown=world.breakdown_a, task="検品")
    world.program_draft_a = ProgramFactory(employer=world.employer_a, title="下書きの体験")
    world.program_published_a = ProgramFactory(
        employer=world.employer_a,
        title="公開中の体験",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
    )
    world.review_link_a, world.review_token = services.review_link_create(
        program=world.program_draft_a, by=world.coordinator_a
    )
    expired, world.expired_token = services.review_link_create(program=world.program_draft_a, by=world.coordinator_a)
    expired.expires_at = timezone.now() - datetime.timedelta(days=1)
    expired.save()


def program_url(name, attr="program_draft_a", *extra):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid, *extra])


def breakdown_url(name, row=None):
    def build(w):
        args = [w.employer_a.uuid, w.breakdown_a.uuid]
        if row:
            args.append(getattr(w, row).uuid)
        return reverse(name, args=args)

    return build


MATRIX = {
    "program_list": [Case("GET", lambda w: reverse("program_list"), ALL_MEMBERS_OK)],
    "program_create": [
        Case(
            "GET",
            lambda w: reverse("program_create") + f"?employer={w.employer_a.uuid}",
            {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 200},
        ),
        Case(
            "POST",
            lambda w: reverse("program_create") + f"?employer={w.employer_a.uuid}",
            EDITORS_A | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
            data=lambda w: {
                "rows": [w.row_a.pk],
                "title": "袋詰め体験",
                "engagement_type": "experience",
                "sharing_scope": "region",
            },
        ),
        Case("GET", lambda w: reverse("program_create") + "?employer=nonsense", {"anonymous": LOGIN, "*": 404}),
    ],
    "reverify_queue": [
        Case(
            "GET",
            lambda w: reverse("reverify_queue"),
            {"anonymous": LOGIN, "agency_admin_a": 200, "coordinator_a": 200, "*": 403},
        )
    ],
    "program_detail": [
        Case("GET", program_url("program_detail"), READ_A_PRIVATE),
        Case(
            "GET",
            program_url("program_detail", "program_published_a"),
            {"anonymous": LOGIN, "counselor_c": 404, "*": 200},
        ),
        Case("GET", lambda w: f"/programs/{NOBODY}/", {"anonymous": LOGIN, "*": 404}),
    ],
    "program_edit": [
        Case("GET", program_url("program_edit"), FORM_A_PRIVATE),
        Case(
            "GET",
            program_url("program_edit", "program_published_a"),
            {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 200},
        ),
    ],
    "program_history": [
        Case("GET", program_url("program_history"), READ_A_PRIVATE),
        Case(
            "GET",
            program_url("program_history", "program_published_a"),
            {"anonymous": LOGIN, "counselor_c": 404, "*": 200},
        ),
    ],
    "program_reverify": [
        Case(
            "POST",
            program_url("program_reverify", "program_published_a"),
            EDITORS_A | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
            data=lambda w: {"method": "phone"},
        ),
        Case("GET", program_url("program_reverify", "program_published_a"), POST_ONLY),
    ],
    "program_transition": [
        Case("POST", program_url("program_transition", "program_draft_a", "submit_for_review"), WRITE_A_PRIVATE),
        Case(
            "POST",
            program_url("program_transition", "program_published_a", "archive"),
            EDITORS_A | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
        ),
        Case("GET", program_url("program_transition", "program_draft_a", "publish"), POST_ONLY),
    ],
    "review_link_create": [
        Case("POST", program_url("review_link_create"), WRITE_A_PRIVATE, data=lambda w: {"days": "14"}),
        Case("GET", program_url("review_link_create"), POST_ONLY),
    ],
    "review_link_revoke": [
        Case(
            "POST",
            lambda w: reverse("review_link_revoke", args=[w.program_draft_a.uuid, w.review_link_a.uuid]),
            WRITE_A_PRIVATE,
        ),
        Case(
            "POST",
            lambda w: reverse("review_link_revoke", args=[w.program_draft_a.uuid, NOBODY]),
            {"anonymous": LOGIN, "counselor_a": 403, "*": 404},
        ),
        Case(
            "GET",
            lambda w: reverse("review_link_revoke", args=[w.program_draft_a.uuid, w.review_link_a.uuid]),
            POST_ONLY,
        ),
    ],
    "review_link_resend": [
        Case(
            "POST",
            lambda w: reverse("review_link_resend", args=[w.program_draft_a.uuid, w.review_link_a.uuid]),
            WRITE_A_PRIVATE,
        ),
        Case(
            "POST",
            lambda w: reverse("review_link_resend", args=[w.program_draft_a.uuid, NOBODY]),
            {"anonymous": LOGIN, "counselor_a": 403, "*": 404},
        ),
        Case(
            "GET",
            lambda w: reverse("review_link_resend", args=[w.program_draft_a.uuid, w.review_link_a.uuid]),
            POST_ONLY,
        ),
    ],
    "approval_carry_over": [
        Case("POST", program_url("approval_carry_over"), WRITE_A_PRIVATE),
        Case("GET", program_url("approval_carry_over"), POST_ONLY),
    ],
    "breakdown_create": [
        Case(
            "GET",
            lambda w: reverse("breakdown_create", args=[w.employer_a.uuid]),
            {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 200},
        ),
        Case(
            "GET",
            lambda w: reverse("breakdown_create", args=[w.employer_c.uuid]),
            {"anonymous": LOGIN, "platform_admin": 200, "counselor_c": 403, "*": 404},
        ),
        Case(
            "POST",
            lambda w: reverse("breakdown_create", args=[w.employer_a.uuid]),
            EDITORS_A | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
            data=lambda w: {"visited_on": "2026-11-20", "visitors": "伊藤"},
        ),
    ],
    "breakdown_detail": [
        Case("GET", breakdown_url("breakdown_detail"), READ_A_PRIVATE),
        Case(
            "POST",
            breakdown_url("breakdown_detail"),
            WRITE_A_PRIVATE,
            data=lambda w: {"visited_on": "2026-11-20", "visitors": "伊藤", "version": "1"},
        ),
        Case(
            "GET",
            lambda w: reverse("breakdown_detail", args=[w.employer_c.uuid, w.breakdown_a.uuid]),
            {"anonymous": LOGIN, "*": 404},
        ),
    ],
    "row_add": [
        Case(
            "POST",
            breakdown_url("row_add"),
            WRITE_A_PRIVATE,
            data=lambda w: {"new-duty": "内職", "new-task": "シール貼り"},
        ),
        Case("GET", breakdown_url("row_add"), POST_ONLY),
    ],
    "row_edit": [
        Case("GET", breakdown_url("row_edit", "row_a"), FORM_A_PRIVATE),
        Case(
            "POST",
            breakdown_url("row_edit", "row_a"),
            WRITE_A_PRIVATE,
            data=lambda w: {f"row-{w.row_a.uuid}-duty": "内職", f"row-{w.row_a.uuid}-task": "袋詰め"},
        ),
    ],
    "row_move": [
        Case("POST", breakdown_url("row_move", "row_a2"), WRITE_A_PRIVATE, data=lambda w: {"direction": "up"}),
        Case("GET", breakdown_url("row_move", "row_a2"), POST_ONLY),
    ],
    "row_remove": [
        Case("POST", breakdown_url("row_remove", "row_a2"), WRITE_A_PRIVATE),
        Case("GET", breakdown_url("row_remove", "row_a2"), POST_ONLY),
    ],
    # No account needed: the token is the key. Expired → 410, unknown → 404, for everyone.
    "review_page": [
        Case("GET", lambda w: reverse("review_page", args=[w.review_token]), {"*": 200}),
        Case("GET", lambda w: reverse("review_page", args=[w.expired_token]), {"*": 410}),
        Case("GET", lambda w: reverse("review_page", args=["forged-token"]), {"*": 404}),
    ],
}
