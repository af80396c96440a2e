"""A coordinator erases a client at the client's request: from the client's page to the
confirmation page (axe: 0 violations) and back to the list; the program's counts stay.
Locators use addresses and field names, not wording, so the test holds in either language."""

from django.urls import reverse
from playwright.sync_api import expect

from sheets.clients.models import Client, ReferralStatus
from sheets.clients.selectors import program_outcome_counts
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.client_factories import ClientFactory, ReferralFactory, SelfIntroductionFactory
from tests.sheets.factories import ProgramFactory


def test_coordinator_erases_a_client_on_request(page, transactional_db, world):
    program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    client = ClientFactory(agency=world.agency_a, preferred_name="けすさん")
    SelfIntroductionFactory(client=client)
    for _ in range(3):
        ReferralFactory(client=client, program=program, status=ReferralStatus.DONE)
    before = {key: c.value for key, c in program_outcome_counts(program).items()}
    confirm_url = reverse("client_erase_confirm", args=[client.uuid])

    log_in(page, world.coordinator_a)
    page.goto(reverse("client_detail", args=[client.uuid]))
    page.locator(f"a[href='{confirm_url}']").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("けすさん")
    assert_accessible(page, "client_erase_confirm")

    # Without the tick nothing happens: the error is shown next to the box.
    page.locator("input[name=reason][value=client_request]").check()
    page.locator("button.btn-danger[type=submit]").click()
    expect(page.locator("#id_confirm.is-invalid, .invalid-feedback").first).to_be_visible()
    assert Client.objects.filter(pk=client.pk).exists()
    assert_accessible(page, "client_erase_error")

    page.locator("input[name=confirm]").check()
    page.locator("button.btn-danger[type=submit]").click()
    page.wait_for_url(f"**{reverse('client_list')}")
    expect(page.locator(".alert-success, [role=alert], [role=status]").first).to_be_visible()
    assert not Client.objects.filter(pk=client.pk).exists()
    assert {key: c.value for key, c in program_outcome_counts(program).items()} == before
