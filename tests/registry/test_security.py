"""Accounts: throttling, sessions, headers, open redirects; the audit log is append-only."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import AuditEntry, AuditLogIsAppendOnly, UserSession
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def _fail(client, username: str, times: int):
    return [client.post(LOGIN, {"username": username, "password": "wrong-password"}) for _ in range(times)]


def test_unknown_user_and_wrong_password_get_the_same_answer(client, world):
    wrong = _fail(client, world.counselor_a.email, 1)[0].content.decode()
    unknown = _fail(client, "nobody@example.jp", 1)[0].content.decode()
    message = "メールアドレスかパスワードが違います"
    assert message in wrong and message in unknown


def test_five_failures_lock_the_account_even_with_the_right_password(client, world):
    responses = _fail(client, world.counselor_a.email, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "ログインを一時的に停止しています" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_account_locks_the_same_way(client, world):
    _fail(client, "nobody@example.jp", 5)
    assert client.post(LOGIN, {"username": "nobody@example.jp", "password": "x"}).status_code == 429


def test_a_stranger_cannot_lock_a_colleague_out(client, world):
    """Five wrong passwords for a staff e-mail from the attacker's address lock that pair only."""
    _fail(client, world.counselor_a.email, 5)
    attacker = client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    assert attacker.status_code == 429
    from_the_office = client.post(
        LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert from_the_office.status_code == 302


def test_typos_behind_one_shared_address_do_not_lock_the_office(client, world):
    """庁内/LGWAN: many colleagues share one address. Five people's typos lock nobody else."""
    for n in range(5):
        _fail(client, f"colleague{n}@example.jp", 1)
    assert client.post(LOGIN, {"username": world.counselor_b.email, "password": TEST_PASSWORD}).status_code == 302


def test_spraying_many_names_from_one_address_locks_that_address(client, world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for n in range(6):  # two wrong passwords each: no pair reaches five
        _fail(client, f"guess{n}@example.jp", 2)
    locked = client.post(LOGIN, {"username": world.counselor_b.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "ログインを一時的に停止しています" in locked.content.decode()
    other_address = client.post(
        LOGIN, {"username": world.counselor_b.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert other_address.status_code == 302


def test_the_address_ceiling_is_the_documented_fifty(settings):
    from config import settings as project

    assert project.LOGIN_ADDRESS_FAILURE_LIMIT == 50 and project.AXES_FAILURE_LIMIT == 5


def test_a_login_clears_its_own_failures_from_the_address_count(client, world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    _fail(client, world.counselor_a.email, 4)
    assert client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD}).status_code == 302
    client.logout()
    _fail(client, "someone@example.jp", 4)  # 4 + 4 would pass the ceiling without the reset
    assert client.post(LOGIN, {"username": world.counselor_b.email, "password": TEST_PASSWORD}).status_code == 302


def test_logins_and_failures_are_audited_without_secrets(client, world):
    _fail(client, world.counselor_a.email, 1)
    client.post(LOGIN, {"username": "my-secret-password", "password": "x"})
    client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    failed = list(AuditEntry.objects.filter(action="auth.login_failed").values_list("detail", flat=True))
    assert {d["login"] for d in failed} == {world.counselor_a.email, "(invalid)"}
    assert AuditEntry.objects.filter(action="auth.login", actor=world.counselor_a).exists()
    assert "wrong-password" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_audit_log_refuses_changes_through_the_orm(world):
    entry = AuditEntry.objects.create(action="test.entry")
    entry.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.entry"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_of_the_audit_log(world):
    entry = AuditEntry.objects.create(action="test.entry")
    for sql in [
        "UPDATE registry_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM registry_auditentry WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.entry"


def test_purge_removes_only_old_entries_and_records_itself(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = AuditEntry.objects.create(action="old", at=timezone.now() - timedelta(days=31))
    recent = AuditEntry.objects.create(action="recent")
    call_command("purge_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.get(action="audit.purge").detail["purged"] == 1


def test_agency_admin_reads_only_their_agencys_audit_entries(client, world):
    AuditEntry.objects.create(action="employer.create", agency=world.agency_a, target_id="A-1")
    AuditEntry.objects.create(action="employer.create", agency=world.agency_c, target_id="C-1")
    client.force_login(world.agency_admin_a)
    html = client.get("/agency/audit/").content.decode()
    assert "A-1</td>" in html and "C-1</td>" not in html
    assert "C-1</td>" not in client.get("/agency/audit/", {"target": "C-1"}).content.decode()
    client.force_login(world.platform_admin)
    assert "C-1</td>" in client.get("/agency/audit/").content.decode()


def test_the_audit_log_shows_a_detail_with_an_items_key(client, world):
    # A hand-off's entry says which items it shares: {"items": [...]} once made the page a 500.
    AuditEntry.objects.create(
        action="handoff.send", agency=world.agency_a, target_id="H-1", detail={"items": ["needs_check", "intro"]}
    )
    client.force_login(world.agency_admin_a)
    response = client.get("/agency/audit/")
    assert response.status_code == 200
    assert "items=needs_check・intro" in response.content.decode()


def test_the_audit_log_names_the_person_and_the_role(client, world):
    """An invitation's entry is about a person: named by e-mail with the role's name, not by a
    UUID and a code; an id that is not a person's stays as it is."""
    person = world.counselor_a
    AuditEntry.objects.create(
        action="staff.invite",
        agency=world.agency_a,
        target_type="user",
        target_id=str(person.uuid),
        detail={"role": "counselor"},
    )
    AuditEntry.objects.create(action="staff.invite", agency=world.agency_a, target_type="user", target_id="not-a-uuid")
    client.force_login(world.agency_admin_a)
    html = client.get("/agency/audit/").content.decode()
    assert f"{person.email}</td>" in html and str(person.uuid) not in html
    assert "role=相談員" in html and "user not-a-uuid</td>" in html


def test_a_platform_admin_finds_the_audit_log_in_the_menu(client, world):
    client.force_login(world.platform_admin)
    html = client.get("/").content.decode()
    menu = html.split('id="main"', 1)[0]
    assert 'href="/agency/audit/"' in menu and "監査ログ" in menu
    client.force_login(world.counselor_a)
    assert 'href="/agency/audit/"' not in client.get("/").content.decode()


def test_a_session_that_ran_out_is_said_on_the_login_page(client, world):
    from django.contrib.sessions.models import Session

    client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    Session.objects.all().delete()  # the idle time ran out on the server
    page = client.get("/clients/", follow=True).content.decode()
    assert "ログインの有効期限が切れました" in page
    # Said once: the browser's stale session is forgotten with it; a plain visit says nothing.
    assert "ログインの有効期限が切れました" not in client.get(LOGIN).content.decode()


def test_logging_out_is_not_taken_for_a_session_that_ran_out(client, world):
    client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    client.post("/accounts/logout/")
    assert "ログインの有効期限が切れました" not in client.get("/clients/", follow=True).content.decode()


def test_stay_logged_in_starts_the_idle_time_again(client, world):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    assert client.post("/accounts/sessions/keep-alive/").status_code == 204
    assert Session.objects.get().expire_date > soon + datetime.timedelta(minutes=20)
    client.post("/accounts/logout/")
    assert client.post("/accounts/sessions/keep-alive/").status_code == 401  # not the login page


def test_sessions_are_listed_and_ended_everywhere(client, world, django_user_model):
    from django.test import Client

    other_browser = Client()
    for browser in (client, other_browser):
        browser.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    assert UserSession.objects.filter(user=world.counselor_a).count() == 2
    html = client.get("/accounts/sessions/").content.decode()
    assert "このブラウザ" in html
    client.post("/accounts/sessions/end-all/")
    assert UserSession.objects.filter(user=world.counselor_a).count() == 0
    assert other_browser.get("/").status_code == 302  # logged out there too
    assert AuditEntry.objects.filter(action="auth.logout_everywhere").exists()


def test_password_change_logs_out_other_sessions(client, world):
    from django.test import Client

    other_browser = Client()
    for browser in (client, other_browser):
        browser.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": "negi-kusu-2027", "new_password2": "negi-kusu-2027"},
    )
    assert client.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def _sets_expiry(client, expire_date) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expire_date)


def test_sessions_expire_after_inactivity(client, world, settings):
    from django.contrib.sessions.models import Session

    from registry.middleware import SESSION_RENEW_EVERY, SESSION_RENEWED_KEY

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.post(LOGIN, {"username": world.counselor_a.email, "password": TEST_PASSWORD})
    assert client.get("/").status_code == 200
    # A request within a minute of the last renewal leaves the session as it is: no write.
    soon = timezone.now() + timedelta(minutes=10)
    _sets_expiry(client, soon)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/employers/").status_code == 200
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _session_row(client).expire_date == soon
    # A minute later, a request renews it: 30 minutes from now again, in the database and the cookie.
    session = client.session
    session[SESSION_RENEWED_KEY] -= SESSION_RENEW_EVERY.total_seconds()
    session.save()
    _sets_expiry(client, soon)
    response = client.get("/employers/")
    assert _session_row(client).expire_date > timezone.now() + timedelta(minutes=29)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    # Past its expiry the session is gone: the next page asks for the login again.
    _sets_expiry(client, timezone.now() - timedelta(seconds=1))
    assert client.get("/employers/").status_code == 302
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_security_headers(client, world):
    client.force_login(world.counselor_a)
    response = client.get("/employers/")
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp["script-src"].split()[0] == "'self'"  # plus a nonce when a page uses one
    assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_script_without_the_nonce(client, world):
    import re

    client.force_login(world.coordinator_a)
    for url in ["/", "/employers/", f"/employers/{world.employer_a.uuid}/", "/employers/new/", "/accounts/login/"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "nonce=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example", "javascript:alert(1)"],
)
def test_login_never_redirects_off_site(client, world, target):
    response = client.post(
        f"{LOGIN}?next={target}", {"username": world.counselor_a.email, "password": TEST_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
