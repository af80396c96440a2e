"""The 印刷リスト: programs a counselor ticked for printing, kept in the session (no table:
it is a short-lived working list, like a shopping basket), with the sheets wanted for each."""

from dataclasses import dataclass

from sheets.programs.models import Program, ProgramStatus

SESSION_KEY = "sheets_print_list"
DEFAULT_KINDS = ("employer", "client", "supporter")
MAX_PROGRAMS = 40  # a binder of 40 programs × 5 pages is already a thick one


@dataclass
class Entry:
    program: Program
    kinds: list[str]


class PrintList:
    def __init__(self, session) -> None:
        self.session = session
        self.items: dict[str, list[str]] = dict(session.get(SESSION_KEY, {}))

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.items

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
