"""Building blocks for permission-matrix cases (see tests/test_permission_matrix.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Case:
    method: str
    url: Callable  # world -> path
    expected: dict  # persona -> status; "*" for everyone else
    data: Callable = field(default=lambda w: {})

    def status_for(self, persona: str) -> int:
        return self.expected.get(persona, self.expected.get("*"))


LOGIN = 302  # anonymous users are sent to the login page
ALL_MEMBERS_OK = {"anonymous": LOGIN, "*": 200}
ADMIN_A_ONLY = {"anonymous": LOGIN, "agency_admin_a": 200, "*": 403}
EDIT_A = {"anonymous": LOGIN, "platform_admin": 302, "agency_admin_a": 302, "coordinator_a": 302}
