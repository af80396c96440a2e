"""Wording people read instead of codes or wrong words (issue 21 item 16): the audit log counts
entries (not 事業所) and names its actions in Japanese, the sessions list says IP アドレス, and the
admin's own words are not replaced by ours."""

import re
from pathlib import Path

from django.test import Client
from django.utils import translation

from registry.audit_labels import SUBJECTS, action_label
from registry.services import audit

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _action_codes_in_the_source() -> set[str]:
    firsts = sorted({key.split(".")[0] for key in SUBJECTS})
    subjects = "|".join(firsts)
    literal = re.compile(rf"[\"']((?:{subjects})(?:\.[a-z_]+)+)[\"']")
    codes = set()
    for app in ("registry", "sheets", "workshops", "jobs"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                codes |= set(literal.findall(path.read_text()))
    return codes - set(SUBJECTS)  # a bare subject is a prefix, not an action


def test_every_audit_action_in_the_source_reads_in_japanese():
    codes = _action_codes_in_the_source()
    assert {"employer.export", "referral.propose", "workshop.logic.item.create"} <= codes
    with translation.override("ja"):
        unlabelled = sorted(code for code in codes if not JAPANESE.search(str(action_label(code))))
    assert unlabelled == []


def test_an_unknown_action_is_shown_as_it_is():
    assert action_label("something.new") == "something.new"


def test_the_audit_log_counts_entries_and_names_actions_in_japanese(world):
    audit(by=world.agency_admin_a, agency=world.agency_a, action="employer.export", rows=150)
    http = Client()
    http.force_login(world.agency_admin_a)
    page = http.get("/agency/audit/").content.decode()
    assert "1 件" in page and "件の事業所" not in page
    assert "事業所：書き出し" in page
    assert '<option value="employer.export">事業所：書き出し</option>' in page


def test_the_sessions_list_says_ip_address(world):
    http = Client()
    http.force_login(world.counselor_a)
    page = http.get("/accounts/sessions/").content.decode()
    assert "IP アドレス" in page and ">住所<" not in page


def test_the_admin_index_keeps_djangos_own_words(world):
    http = Client()
    http.force_login(world.platform_admin)
    page = http.get("/admin/").content.decode()
    assert "つながりを追加" not in page  # the logic model's button, once the admin's "Add link" header
