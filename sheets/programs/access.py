"""The door to programs: every view that takes a program id comes through here.

Who sees which program is the rule of `ProgramQuerySet` (sheets/programs/models.py); this
module turns it into answers: another agency's private program is a 404 (its existence is
not revealed), a visible program without the coordinator role to change it a 403.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry.access import is_coordinator_of
from registry.models import AnyUser, acting_membership, is_platform_admin
from sheets.programs.models import Program


def visibility_scope(user: AnyUser) -> str:
    """Whose view of the programs `Program.objects.for_user(user)` gives: the rule depends on
    nothing else, so results derived from it (the search's facet choices) can be shared per scope."""
    if is_platform_admin(user):
        return "platform"
    membership = acting_membership(user)
    return f"agency:{membership.agency_id}" if membership else "none"


def can_edit_program(user: AnyUser, program: Program) -> bool:
    return is_coordinator_of(user, program.owner_id)


# What the program's pages show beside it; a page that shows less passes its own list.
PROGRAM_PAGE_RELATED = ("employer__region__prefecture", "owner__region__prefecture", "verified_by")
# What the sheets ① ② ③ print beside the program (the program page shows them too).
SHEET_RELATED = ("employer", "owner__region__prefecture", "verified_by")


def get_program_for_user(
    user: AnyUser, program_uuid: UUID | str, *, write: bool = False, related: tuple[str, ...] = PROGRAM_PAGE_RELATED
) -> Program:
    # One row at most (the uuid is unique): no ORDER BY, so no join for the default ordering.
    program = Program.objects.for_user(user).select_related(*related).filter(uuid=program_uuid).order_by().first()
    if program is None:
        raise Http404
    if write and not can_edit_program(user, program):
        raise PermissionDenied
    return program
