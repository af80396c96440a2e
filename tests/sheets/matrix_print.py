"""Permission-matrix cases for the printing URLs (sheets previews and PDFs, task breakdown
sheet, print list, binder, photos, ① introduction). Loaded by tests/test_permission_matrix.py
next to tests/sheets/matrix.py."""

import io

from django.urls import reverse
from PIL import Image

from sheets.printing.models import Photo
from sheets.programs.models import ProgramStatus, SharingScope
from tests.matrix_support import ALL_MEMBERS_OK, LOGIN, Case
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory
from tests.sheets.print_factories import PhotoFactory

NOBODY = "00000000-0000-0000-0000-000000000000"
POST_ONLY = {"*": 405}
# Agency A's draft: only A sees it (platform admin sees everything).
A_PRIVATE = {"anonymous": LOGIN, "counselor_b": 404, "counselor_c": 404, "*": 200}
# Published for region X: A and B see it; C (another prefecture) does not.
REGION_X = {"anonymous": LOGIN, "counselor_c": 404, "*": 200}
EDIT_A_FORM = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 200}


def extend_world(world) -> None:
    if hasattr(world, "print_draft_a"):
        return
    world.print_draft_a = ProgramFactory(employer=world.employer_a, title="印刷用の下書き")
    world.print_published_a = ProgramFactory(
        employer=world.employer_a,
        title="印刷用の公開中",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
    )
    world.print_breakdown_a = TaskBreakdownFactory(employer=world.employer_a)
    world.photo_employer_a = PhotoFactory(employer=world.employer_a)
    world.photo_draft_a = PhotoFactory(employer=world.employer_a, program=world.print_draft_a)
    world.photo_published_a = PhotoFactory(employer=world.employer_a, program=world.print_published_a)


def sheet(name, attr, kind):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid, kind])


def photo(name, attr):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid])


def breakdown(name):
    return lambda w: reverse(name, args=[w.employer_a.uuid, w.print_breakdown_a.uuid])


def png_upload(w):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "navy").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return {"image": buffer, "caption": "作業場"}


PHOTO_ADDED = {"anonymous": LOGIN, "platform_admin": 302, "agency_admin_a": 302, "coordinator_a": 302}

MATRIX = {
    "sheet_preview": [
        Case("GET", sheet("sheet_preview", "print_draft_a", "client"), A_PRIVATE),
        Case("GET", sheet("sheet_preview", "print_published_a", "supporter"), REGION_X),
        Case("GET", sheet("sheet_preview", "print_published_a", "employer"), REGION_X),
        Case("GET", lambda w: f"/programs/{NOBODY}/sheets/client/", {"anonymous": LOGIN, "*": 404}),
        Case("GET", lambda w: f"/programs/{w.print_published_a.uuid}/sheets/other/", {"*": 404}),
    ],
    "sheet_pdf": [
        Case("GET", sheet("sheet_pdf", "print_draft_a", "supporter"), A_PRIVATE),
        Case("GET", sheet("sheet_pdf", "print_published_a", "client"), REGION_X),
    ],
    "print_list": [Case("GET", lambda w: reverse("print_list"), ALL_MEMBERS_OK)],
    "print_list_toggle": [
        Case(
            "POST", photo("print_list_toggle", "print_published_a"), {"anonymous": LOGIN, "counselor_c": 404, "*": 302}
        ),
        Case(
            "POST",
            photo("print_list_toggle", "print_draft_a"),
            {"anonymous": LOGIN, "counselor_b": 404, "counselor_c": 404, "*": 302},
        ),
        Case("GET", photo("print_list_toggle", "print_published_a"), {"anonymous": LOGIN, "*": 405}),
    ],
    # An empty print list sends the user back to the list with a message.
    "binder_pdf": [Case("GET", lambda w: reverse("binder_pdf"), {"anonymous": LOGIN, "*": 302})],
    "breakdown_print": [Case("GET", breakdown("breakdown_print"), A_PRIVATE)],
    "breakdown_pdf": [Case("GET", breakdown("breakdown_pdf"), A_PRIVATE)],
    "breakdown_blank_print": [Case("GET", lambda w: reverse("breakdown_blank_print"), ALL_MEMBERS_OK)],
    "breakdown_blank_pdf": [Case("GET", lambda w: reverse("breakdown_blank_pdf"), ALL_MEMBERS_OK)],
    "photo_serve": [
        Case("GET", photo("photo_serve", "photo_draft_a"), A_PRIVATE),
        Case("GET", photo("photo_serve", "photo_published_a"), REGION_X),
        # The employer's own photo: whoever sees the employer or one of its programs.
        Case("GET", photo("photo_serve", "photo_employer_a"), REGION_X),
        Case("GET", lambda w: f"/photos/{NOBODY}/", {"anonymous": LOGIN, "*": 404}),
    ],
    "photo_delete": [
        Case(
            "POST",
            photo("photo_delete", "photo_draft_a"),
            PHOTO_ADDED | {"counselor_a": 403, "counselor_b": 404, "counselor_c": 404},
        ),
        Case(
            "POST",
            photo("photo_delete", "photo_published_a"),
            PHOTO_ADDED | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
        ),
        Case(
            "GET",
            photo("photo_delete", "photo_draft_a"),
            {"anonymous": LOGIN, "*": 405},
        ),
    ],
    "employer_photo_upload": [
        Case("GET", photo("employer_photo_upload", "employer_a"), EDIT_A_FORM),
        Case(
            "POST",
            photo("employer_photo_upload", "employer_a"),
            PHOTO_ADDED | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
            data=png_upload,
        ),
    ],
    "program_photo_upload": [
        Case("GET", photo("program_photo_upload", "print_draft_a"), EDIT_A_FORM | {"counselor_b": 404}),
        Case(
            "POST",
            photo("program_photo_upload", "print_published_a"),
            PHOTO_ADDED | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
            data=png_upload,
        ),
    ],
    "breakdown_photo_upload": [
        Case("GET", breakdown("breakdown_photo_upload"), EDIT_A_FORM | {"counselor_b": 404}),
    ],
    "employer_intro_edit": [
        Case("GET", photo("employer_intro_edit", "employer_a"), EDIT_A_FORM),
        Case(
            "GET",
            photo("employer_intro_edit", "employer_c"),
            {"anonymous": LOGIN, "platform_admin": 200, "counselor_c": 403, "*": 404},
        ),
    ],
}

__all__ = ["MATRIX", "Photo", "extend_world"]


def _review_token(w) -> str:
    from sheets.programs import services

    if not hasattr(w, "print_review_token"):
        _link, w.print_review_token = services.review_link_create(program=w.print_draft_a, by=w.coordinator_a)
    return w.print_review_token


def _handout(w) -> tuple[str, str]:
    """A review link of A's draft and its token: (hand-out URL, token)."""
    from sheets.programs import services

    if not hasattr(w, "print_handout"):
        link, token = services.review_link_create(program=w.print_draft_a, by=w.coordinator_a)
        w.print_handout = (reverse("review_link_handout", args=[w.print_draft_a.uuid, link.uuid]), token)
    return w.print_handout


# The hand-out: for those who manage A's review links, and only with the link's own token.
HANDOUT_A = {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 404, "counselor_c": 404, "*": 200}

MATRIX |= {
    "review_link_handout": [
        Case("POST", lambda w: _handout(w)[0], HANDOUT_A, data=lambda w: {"token": _handout(w)[1]}),
        Case("POST", lambda w: _handout(w)[0], HANDOUT_A | {"*": 404}, data=lambda w: {"token": "forged-token"}),
        Case("GET", lambda w: _handout(w)[0], POST_ONLY),
    ],
    # No account needed: the review token is the key (unknown → 404).
    "review_sheet": [
        Case("GET", lambda w: reverse("review_sheet", args=[_review_token(w), "supporter"]), {"*": 200}),
        Case("GET", lambda w: reverse("review_sheet", args=["forged-token", "client"]), {"*": 404}),
    ],
    "review_sheet_pdf": [
        Case("GET", lambda w: reverse("review_sheet_pdf", args=[_review_token(w), "employer"]), {"*": 200}),
        Case("GET", lambda w: reverse("review_sheet_pdf", args=["forged-token", "client"]), {"*": 404}),
    ],
}
