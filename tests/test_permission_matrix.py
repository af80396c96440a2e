"""Every URL × every persona → the expected status code.

A new URL pattern that is not listed in MATRIX fails `test_every_url_is_in_the_matrix`.
Django admin's own pages are covered by their index (access is Django's is_staff check).
Each app adds its own cases in `tests/<app>/matrix.py` (a `MATRIX` dict and, when its
cases need objects, an `extend_world(world)` function); they are merged here."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.matrix_support import ADMIN_A_ONLY, ALL_MEMBERS_OK, EDIT_A, LOGIN, Case


def employer_url(name, attr="employer_a"):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid])


def membership_url(name, persona):
    return lambda w: reverse(name, args=[getattr(w, persona).memberships.get().uuid])


MATRIX: dict[str, list[Case]] = {
    "dashboard": [Case("GET", lambda w: reverse("dashboard"), ALL_MEMBERS_OK)],
    "healthz": [Case("GET", lambda w: reverse("healthz"), {"*": 200}), Case("POST", lambda w: "/healthz", {"*": 405})],
    "agency_switch": [
        Case(
            "POST",
            lambda w: reverse("agency_switch"),
            {"anonymous": LOGIN, "agency_admin_a": 302, "coordinator_a": 302, "counselor_a": 302, "*": 404},
            data=lambda w: {"agency": str(w.agency_a.uuid)},
        ),
        Case("GET", lambda w: reverse("agency_switch"), {"*": 405}),
    ],
    "employer_list": [Case("GET", lambda w: reverse("employer_list"), ALL_MEMBERS_OK)],
    "employer_create": [
        Case(
            "GET",
            lambda w: reverse("employer_create"),
            {"anonymous": LOGIN, "agency_admin_a": 200, "coordinator_a": 200, "*": 403},
        )
    ],
    "employer_detail": [
        Case("GET", employer_url("employer_detail"), {"anonymous": LOGIN, "counselor_c": 404, "*": 200}),
        Case(
            "GET",
            employer_url("employer_detail", "employer_a_archived"),
            {"anonymous": LOGIN, "counselor_b": 404, "counselor_c": 404, "*": 200},
        ),
        Case(
            "GET",
            employer_url("employer_detail", "employer_c"),
            {"anonymous": LOGIN, "platform_admin": 200, "counselor_c": 200, "*": 404},
        ),
        Case("GET", lambda w: "/employers/00000000-0000-0000-0000-000000000000/", {"anonymous": LOGIN, "*": 404}),
    ],
    "employer_edit": [
        Case(
            "GET",
            employer_url("employer_edit"),
            {"anonymous": LOGIN, "platform_admin": 200, "agency_admin_a": 200, "coordinator_a": 200}
            | {"counselor_a": 403, "counselor_b": 403, "counselor_c": 404},
        )
    ],
    "employer_archive": [
        Case("POST", employer_url("employer_archive"), EDIT_A | {"counselor_c": 404, "*": 403}),
        Case("GET", employer_url("employer_archive"), {"*": 405}),
    ],
    "visit_create": [
        Case(
            "POST",
            employer_url("visit_create"),
            EDIT_A | {"counselor_c": 404, "*": 403},
            data=lambda w: {"visited_on": "2026-11-20", "visitors": "伊藤", "notes": ""},
        ),
        Case("GET", employer_url("visit_create"), {"*": 405}),
    ],
    "staff_list": [Case("GET", lambda w: reverse("staff_list"), ADMIN_A_ONLY)],
    "staff_invite": [Case("GET", lambda w: reverse("staff_invite"), ADMIN_A_ONLY)],
    "staff_role": [
        Case(
            "POST",
            membership_url("staff_role", "counselor_a"),
            {"anonymous": LOGIN, "agency_admin_a": 302, "*": 403},
            data=lambda w: {"role": "coordinator"},
        ),
        # Another agency's membership is not the admin's business: 404.
        Case(
            "POST",
            membership_url("staff_role", "counselor_c"),
            {"anonymous": LOGIN, "agency_admin_a": 404, "*": 403},
            data=lambda w: {"role": "coordinator"},
        ),
        Case("GET", membership_url("staff_role", "counselor_a"), {"*": 405}),
    ],
    "staff_active": [
        Case(
            "POST",
            membership_url("staff_active", "counselor_a"),
            {"anonymous": LOGIN, "agency_admin_a": 302, "*": 403},
            data=lambda w: {"active": "0", "confirmed": "1"},
        ),
        Case(
            "POST",
            membership_url("staff_active", "counselor_b"),
            {"anonymous": LOGIN, "agency_admin_a": 404, "*": 403},
            data=lambda w: {"active": "0", "confirmed": "1"},
        ),
        Case("GET", membership_url("staff_active", "counselor_a"), {"*": 405}),
    ],
    "login": [Case("GET", lambda w: reverse("login"), {"anonymous": 200, "*": 302})],
    "logout": [
        Case("POST", lambda w: reverse("logout"), {"*": 302}),
        Case("GET", lambda w: reverse("logout"), {"*": 405}),
    ],
    "password_change": [Case("GET", lambda w: reverse("password_change"), ALL_MEMBERS_OK)],
    "password_change_done": [Case("GET", lambda w: reverse("password_change_done"), ALL_MEMBERS_OK)],
    "password_reset": [Case("GET", lambda w: reverse("password_reset"), {"*": 200})],
    "password_reset_done": [Case("GET", lambda w: reverse("password_reset_done"), {"*": 200})],
    "password_reset_confirm": [
        Case("GET", lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]), {"*": 200})
    ],
    "password_reset_complete": [Case("GET", lambda w: reverse("password_reset_complete"), {"*": 200})],
    "invitation_accept": [Case("GET", lambda w: reverse("invitation_accept", args=["forged:token"]), {"*": 404})],
    "membership_invitation": [
        Case("GET", lambda w: reverse("membership_invitation", args=["forged:token"]), {"anonymous": LOGIN, "*": 404})
    ],
    "my_agencies": [Case("GET", lambda w: reverse("my_agencies"), ALL_MEMBERS_OK)],
    "membership_leave": [
        Case(
            "POST",
            membership_url("membership_leave", "counselor_a"),
            {"anonymous": LOGIN, "counselor_a": 302, "*": 404},
        ),
        Case("GET", membership_url("membership_leave", "counselor_a"), {"*": 405}),
    ],
    "session_list": [Case("GET", lambda w: reverse("session_list"), ALL_MEMBERS_OK)],
    "session_end_all": [
        Case("POST", lambda w: reverse("session_end_all"), {"*": 302}),
        Case("GET", lambda w: reverse("session_end_all"), {"*": 405}),
    ],
    "session_keep_alive": [
        Case("POST", lambda w: reverse("session_keep_alive"), {"anonymous": 401, "*": 204}),
        Case("GET", lambda w: reverse("session_keep_alive"), {"*": 405}),
    ],
    "audit_list": [
        Case(
            "GET",
            lambda w: reverse("audit_list"),
            {"anonymous": LOGIN, "platform_admin": 200, "agency_admin_a": 200, "*": 403},
        )
    ],
    "agency_security": [Case("GET", lambda w: reverse("agency_security"), ADMIN_A_ONLY)],
    "two_factor_status": [Case("GET", lambda w: reverse("two_factor_status"), ALL_MEMBERS_OK)],
    "two_factor_setup": [Case("GET", lambda w: reverse("two_factor_setup"), ALL_MEMBERS_OK)],
    "two_factor_verify": [Case("GET", lambda w: reverse("two_factor_verify"), ALL_MEMBERS_OK)],
    "two_factor_recovery_codes": [
        # Not enrolled yet: sent to the set-up page.
        Case("POST", lambda w: reverse("two_factor_recovery_codes"), {"*": 302}),
        Case("GET", lambda w: reverse("two_factor_recovery_codes"), {"*": 405}),
    ],
    "two_factor_disable": [
        Case("POST", lambda w: reverse("two_factor_disable"), {"*": 302}),
        Case("GET", lambda w: reverse("two_factor_disable"), {"*": 405}),
    ],
    "set_language": [
        Case("POST", lambda w: reverse("set_language"), {"*": 302}, data=lambda w: {"language": "en", "next": "/"})
    ],
    "admin:index": [
        Case("GET", lambda w: reverse("admin:index"), {"platform_admin": 200, "*": 302}),
    ],
}


# tests/<app>/matrix.py, plus any tests/<app>/matrix_<part>.py (one app's cases split by owner).
APP_MATRIX_MODULES = [
    importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("*/matrix*.py"))
]
for module in APP_MATRIX_MODULES:
    MATRIX.update(module.MATRIX)


def _url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if ns == "admin:":
                names.add("admin:index")  # Django admin is covered by its index
                continue
            names |= _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_url_is_in_the_matrix():
    assert _url_names(get_resolver().url_patterns) == set(MATRIX)


CASES = [(name, i) for name, cases in MATRIX.items() for i in range(len(cases))]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_permission_matrix(world, client, name, index, persona):
    for module in APP_MATRIX_MODULES:
        if hasattr(module, "extend_world"):
            module.extend_world(world)
    case = MATRIX[name][index]
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    url = case.url(world)
    response = getattr(client, case.method.lower())(url, data=case.data(world))
    assert response.status_code == case.status_for(persona), f"{case.method} {url} as {persona}"
