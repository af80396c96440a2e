"""Issue 23 item 1 in a browser: a session that passed only the password cannot set up a new
authenticator (which would replace the user's own and verify the session)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import twofactor
from registry.models import Role
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import MembershipFactory


def test_the_password_alone_cannot_set_up_a_new_authenticator(page, transactional_db):
    user = MembershipFactory(role=Role.COUNSELOR).user
    twofactor.enrolment_for(user)  # the user's own phone, confirmed
    TOTPDevice.objects.filter(user=user).update(confirmed=True)
    own = TOTPDevice.objects.get(user=user)

    log_in(page, user)  # the password only
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.goto("/accounts/2fa/setup/")
    # Refused: sent to enter a code of the current device, with the reason, and no new secret.
    page.wait_for_url("**/accounts/2fa/verify/**")
    assert page.get_by_text("いま使っている認証アプリのコードか、リカバリーコードを入力してください").is_visible()
    assert page.locator("svg").count() == 0 or "otpauth" not in page.content()
    assert_accessible(page, "two_factor_setup_refused")
    assert list(TOTPDevice.objects.filter(user=user)) == [own]
    # Nothing else opens either.
    page.goto("/accounts/2fa/")
    page.wait_for_url("**/accounts/2fa/verify/**")
