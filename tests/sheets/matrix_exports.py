"""Permission-matrix cases for the program downloads: the search as CSV/Excel and the HSDS 3.0
export (loaded by tests/test_permission_matrix.py; the cross-agency sweep reads the CSV, Excel,
JSON and zip bodies for other agencies' markers)."""

from django.urls import reverse

from sheets.programs.models import ProgramStatus, SharingScope
from tests.matrix_support import ALL_MEMBERS_OK, LOGIN, Case
from tests.sheets.factories import ProgramFactory

NOBODY = "00000000-0000-0000-0000-000000000000"
# A's published program (region scope): agency C, in another prefecture, gets 404.
SHARED_A = {"anonymous": LOGIN, "counselor_c": 404, "*": 200}
NOT_IN_HSDS = {"anonymous": LOGIN, "*": 404}
POST_ONLY_NOT = {"*": 405}


def extend_world(world) -> None:
    if hasattr(world, "hsds_program_a"):
        return
    world.hsds_program_a = ProgramFactory(
        employer=world.employer_a,
        title="公開中の袋詰め体験",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        days=["tue", "thu"],
    )
    world.hsds_draft_a = ProgramFactory(employer=world.employer_a, title="下書きのHSDS体験")


def _url(name, *args):
    return lambda w: reverse(name, args=[arg(w) if callable(arg) else arg for arg in args])


MATRIX = {
    "program_export": [
        Case("GET", _url("program_export", "csv"), ALL_MEMBERS_OK),
        Case("GET", lambda w: reverse("program_export", args=["xlsx"]) + "?status=draft&sort=kana", ALL_MEMBERS_OK),
        Case("POST", _url("program_export", "csv"), POST_ONLY_NOT),
    ],
    "hsds_datapackage": [
        Case("GET", _url("hsds_datapackage"), ALL_MEMBERS_OK),
        Case("POST", _url("hsds_datapackage"), POST_ONLY_NOT),
    ],
    "hsds_service": [
        Case("GET", _url("hsds_service", lambda w: w.hsds_program_a.uuid), SHARED_A),
        # Drafts are never in HSDS, not even for their own agency.
        Case("GET", _url("hsds_service", lambda w: w.hsds_draft_a.uuid), NOT_IN_HSDS),
        Case("GET", _url("hsds_service", NOBODY), NOT_IN_HSDS),
    ],
    "hsds_organization": [
        Case("GET", _url("hsds_organization", lambda w: w.employer_a.uuid), SHARED_A),
        # Agency C's employer has no published program: not an HSDS organization for anyone.
        Case("GET", _url("hsds_organization", lambda w: w.employer_c.uuid), NOT_IN_HSDS),
        Case("GET", _url("hsds_organization", NOBODY), NOT_IN_HSDS),
    ],
}
