"""The 印刷リスト: programs a counselor ticked for printing, with the sheets wanted for each.

It belongs to the person and the agency they act for (`SavedPrintList`), not to the browser
session: logging out, or moving from the office PC to a tablet, keeps it. One read per request
(the list is cached on the request: a search page asks for it once per card)."""

from dataclasses import dataclass

from registry.models import acting_membership
from sheets.printing.models import SavedPrintList
from sheets.programs.models import Program, ProgramStatus

# Lists kept in the session before they were kept per user: taken over on first use.
SESSION_KEY = "sheets_print_list"
DEFAULT_KINDS = ("employer", "client", "supporter")
MAX_PROGRAMS = 40  # a binder of 40 programs × 5 pages is already a thick one
REQUEST_ATTRIBUTE = "_sheets_print_list"


@dataclass
class Entry:
    program: Program
    kinds: list[str]


class PrintList:
    def __init__(self, request) -> None:
        self.owner: dict | None = None
        self.record: SavedPrintList | None = None
        membership = acting_membership(request.user) if request.user.is_authenticated else None
        if membership is not None:
            self.owner = {"user": request.user, "agency_id": membership.agency_id}
            self.record = SavedPrintList.objects.filter(**self.owner).first()
        # Stored as a list of [uuid, kinds]: PostgreSQL's jsonb keeps no key order.
        self.items: dict[str, list[str]] = {key: kinds for key, kinds in (self.record.items if self.record else [])}
        older = request.session.pop(SESSION_KEY, None) if hasattr(request, "session") else None
        if older and self.owner is not None:
            for key, kinds in older.items():
                if key not in self.items and len(self.items) < MAX_PROGRAMS:
                    self.items[key] = kinds
            self._save()

    @classmethod
    def of(cls, request) -> "PrintList":
        """The request's print list, read once per request."""
        if not hasattr(request, REQUEST_ATTRIBUTE):
            setattr(request, REQUEST_ATTRIBUTE, cls(request))
        return getattr(request, REQUEST_ATTRIBUTE)

    def _save(self) -> None:
        if self.owner is None:  # nobody to keep it for (no agency to act for)
            return
        if self.record is None:
            self.record, _created = SavedPrintList.objects.get_or_create(**self.owner)
        self.record.items = [[key, kinds] for key, kinds in self.items.items()]
        self.record.save(update_fields=["items", "updated_at"])

    def contains(self, program: Program) -> bool:
        return str(program.uuid) in self.items

    def toggle(self, program: Program) -> bool:
        """Add or remove; returns whether the program is in the list now. An archived program
        is not added: it is off the registry and cannot go into a binder."""
        key = str(program.uuid)
        if key in self.items:
            del self.items[key]
        elif can_be_bound(program) and len(self.items) < MAX_PROGRAMS:
            self.items[key] = list(DEFAULT_KINDS)
        self._save()
        return key in self.items

    def set_kinds(self, kinds_by_uuid: dict[str, list[str]]) -> None:
        for key in self.items:
            if key in kinds_by_uuid:
                self.items[key] = [k for k in DEFAULT_KINDS if k in kinds_by_uuid[key]]
        self._save()

    def clear(self) -> None:
        self.items = {}
        self._save()

    def entries(self, user) -> list[Entry]:
        return entries_for(user, self.items)


def can_be_bound(program: Program) -> bool:
    """Whether a program may go into a binder: not an archived one."""
    return program.status != ProgramStatus.ARCHIVED


def entries_for(user, items: dict[str, list[str]]) -> list[Entry]:
    """The listed programs the user may still see, in the order they were added (a program
    unpublished or archived since it was ticked quietly drops out). Also used by the binder job,
    which keeps the list it was given."""
    programs = {
        str(p.uuid): p
        for p in Program.objects.for_user(user)
        .filter(uuid__in=list(items))
        .exclude(status=ProgramStatus.ARCHIVED)
        .select_related("employer", "owner__region__prefecture")
    }
    return [Entry(programs[key], kinds) for key, kinds in items.items() if key in programs]
