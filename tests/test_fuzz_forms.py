"""Property-based fuzzing of every form: 0 server errors; invalid input → the form comes back
with field errors and nothing is saved.

Field names come from the rendered page itself (every <form method="post">), so a form that
changes is fuzzed as it is. Apps add their forms to FORMS through `tests/<app>/fuzz.py`."""

import importlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.figures import count
from tests.test_permission_matrix import APP_MATRIX_MODULES


@dataclass
class FuzzForm:
    name: str
    persona: str
    page: object  # world -> URL of the page that shows the form
    action_contains: str = ""  # pick a form whose action contains this ("" = any; the largest wins)


FORMS = [
    FuzzForm("employer_create", "coordinator_a", lambda w: "/employers/new/"),
    FuzzForm("employer_edit", "coordinator_a", lambda w: f"/employers/{w.employer_a.uuid}/edit/"),
    FuzzForm("visit_create", "coordinator_a", lambda w: f"/employers/{w.employer_a.uuid}/", "/visits/new/"),
    FuzzForm("staff_invite", "agency_admin_a", lambda w: "/agency/staff/invite/"),
    FuzzForm("staff_role", "agency_admin_a", lambda w: "/agency/staff/", "/role/"),
    FuzzForm("password_change", "counselor_a", lambda w: "/accounts/password/change/"),
    FuzzForm("two_factor_setup", "counselor_a", lambda w: "/accounts/2fa/setup/"),
    FuzzForm("agency_security", "agency_admin_a", lambda w: "/agency/security/"),
]


def _app_forms() -> list[FuzzForm]:
    return [
        form
        for path in sorted(Path(__file__).parent.glob("*/fuzz.py"))
        for form in importlib.import_module(f"tests.{path.parent.name}.fuzz").FORMS
    ]


ALL_FORMS = FORMS + _app_forms()


class _FormParser(HTMLParser):
    """Collects post forms: action and field names (with the options of selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif self.forms and tag in {"input", "textarea", "select"} and a.get("name"):
            if a.get("type") in {"submit", "button"} or a["name"] == "csrfmiddlewaretoken":
                return
            self.forms[-1]["fields"].setdefault(a["name"], {"tag": tag, "type": a.get("type", ""), "options": []})
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select and self.forms:
            self.forms[-1]["fields"][self._select]["options"].append(a.get("value", ""))


NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "2026-02-30", "null", "\x00"]),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", '=HYPERLINK("x")']),
    st.builds(lambda n: "あ" * n, st.integers(min_value=200, max_value=20_000)),
)


def _value(field: dict):
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), NASTY)
    if field["type"] == "checkbox":
        return st.sampled_from(["1", "on", "", "x"])
    return NASTY


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


@pytest.mark.slow
@pytest.mark.parametrize("form", ALL_FORMS, ids=[f.name for f in ALL_FORMS])
def test_fuzz_form(world, client, form):
    for module in APP_MATRIX_MODULES:  # the objects the app forms need
        if hasattr(module, "extend_world"):
            module.extend_world(world)
    user = world.users[form.persona]
    client.force_login(user)
    page = client.get(form.page(world))
    assert page.status_code == 200
    parser = _FormParser()
    parser.feed(page.content.decode())
    # The page's own form: the matching post form with the most fields (not the header's log-out,
    # agency-switch or language forms).
    candidates = [f for f in parser.forms if form.action_contains in f["action"] and "/i18n/" not in f["action"]]
    target = max(candidates, key=lambda f: len(f["fields"]))
    url = target["action"] or form.page(world)
    fields = target["fields"]
    assert fields, f"no fields found for {form.name}"

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.fixed_dictionaries({name: _value(spec) for name, spec in fields.items()}))
    def submit(data):
        with transaction.atomic():
            before = _row_counts()
            client.force_login(user)
            response = client.post(url, data)
            count("fuzzed form submissions")
            assert response.status_code < 500, (form.name, data)
            if response.status_code in {200, 400}:  # the form came back: nothing may have been saved
                changed = {k for k, v in _row_counts().items() if before[k] != v and k not in NOISY}
                assert not changed, (form.name, changed, data)
            transaction.set_rollback(True)

    submit()


# Written on every request by design (audit of failures, session bookkeeping, login throttling).
NOISY = {"registry.AuditEntry", "registry.UserSession", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}
