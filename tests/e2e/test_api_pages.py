"""The API's pages in the browser: an agency admin creates a token (shown once), a program is read
with it, the token is revoked; the docs page renders Swagger UI from local files under the
strict CSP and runs a request with the token. Locators use ids and roles, not wording (the
page text is translated)."""

import re

from registry.models import Role
from tests.api.factories import published, token_for
from tests.e2e.conftest import ARTIFACTS, assert_accessible, axe_violations, log_in
from tests.factories import EmployerFactory, MembershipFactory


def test_an_admin_creates_uses_and_revokes_a_token(page, transactional_db):
    admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    agency = admin.memberships.get().agency
    published(EmployerFactory(owner=agency, name="有限会社みどり紙工"), title="部品の袋詰め体験")

    log_in(page, admin)
    page.goto("/agency/api-tokens/")
    assert_accessible(page, "api_tokens_empty")
    page.locator("#id_name").fill("県ポータル")
    page.locator("#id_name").press("Enter")
    page.wait_for_url("**/agency/api-tokens/new/")
    secret = page.locator("#api-token-secret").input_value()
    assert secret.startswith("shg_")
    assert_accessible(page, "api_token_created")

    answer = page.request.get("/api/v1/programs/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert [p["title"] for p in answer.json()["results"]] == ["部品の袋詰め体験"]

    page.goto("/agency/api-tokens/")
    assert secret not in page.content()  # shown once only
    assert page.get_by_role("cell", name="県ポータル", exact=True).is_visible()
    page.locator("form[action$='/revoke/'] button[type=submit]").click()
    page.wait_for_url("**/agency/api-tokens/")
    assert page.locator("form[action$='/revoke/']").count() == 0
    assert_accessible(page, "api_tokens_revoked")
    answer = page.request.get("/api/v1/programs/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 401


def test_the_docs_page_runs_a_request_under_the_csp(page, transactional_db):
    admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    agency = admin.memberships.get().agency
    published(EmployerFactory(owner=agency), title="部品の袋詰め体験")
    secret = token_for(agency, admin)
    page.goto("/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 6  # programs, employers (list, one), HSDS service, organization
    # Swagger UI with our contrast fixes and without deep links: 0 axe violations (collapsed view).
    assert_accessible(page, "api_docs_overview")
    # One main landmark, not inside another (Swagger UI draws its own <main> in our container).
    assert page.locator("main, [role=main]").count() == 1
    landmarks = ("landmark-no-duplicate-main", "landmark-main-is-top-level", "landmark-one-main")
    assert [v for v in axe_violations(page, tags=("best-practice",)) if v["id"] in landmarks] == []
    # Authorize with the token, then try the program list.
    page.locator("button.authorize").first.click()
    page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first.fill(secret)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done, .modal-ux button.close-modal").first.click()
    page.locator("#operations-programs-listPrograms .opblock-summary").click()
    page.locator("#operations-programs-listPrograms button.try-out__btn").click()
    page.locator("#operations-programs-listPrograms button.execute").click()
    page.locator("#operations-programs-listPrograms .live-responses-table tbody .response-col_status").first.wait_for()
    status = page.locator("#operations-programs-listPrograms .live-responses-table tbody .response-col_status").first
    assert re.search(r"\b200\b", status.inner_text())
    assert "部品の袋詰め体験" in page.locator("#operations-programs-listPrograms .live-responses-table").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api_docs.png"), full_page=True)
    assert page.csp_violations == []
