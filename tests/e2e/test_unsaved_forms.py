"""A page of several forms saves one per button (js/unsaved-forms.js): what was typed in another
form is not thrown away without a question. Seen on the referral page: a reflection written
before pressing 「実施済みにする」 above it was lost without a word."""

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sheets.clients.models import Referral, ReferralStatus
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import log_in
from tests.sheets.client_factories import ClientFactory, ReferralFactory
from tests.sheets.factories import ProgramFactory

REFLECTION = "落ち着いて最後までできた"


def _scheduled(world) -> Referral:
    program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    client = ClientFactory(agency=world.agency_a, preferred_name="ゆうきさん")
    proposed = timezone.localdate() - datetime.timedelta(days=7)
    return ReferralFactory(
        client=client, program=program, status=ReferralStatus.SCHEDULED, proposed_on=proposed, starts_on=proposed
    )


def _mark_done(page) -> None:
    page.get_by_label("実施完了日").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="実施済みにする").click()


def test_another_forms_unsaved_text_is_asked_about_and_kept_when_the_answer_is_no(page, world):
    referral = _scheduled(world)
    log_in(page, world.counselor_a)
    page.goto(reverse("referral_detail", args=[referral.uuid]))
    page.get_by_label("本人のふりかえり").fill(REFLECTION)
    questions = []

    def answer_no(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer_no)
    _mark_done(page)
    expect(page.get_by_label("本人のふりかえり")).to_be_focused()
    assert questions == [
        "「ふりかえりと事業所からの評価」に入力した内容は、まだ保存されていません。このまま進むと消えます。進みますか？"
    ]
    expect(page.get_by_label("本人のふりかえり")).to_have_value(REFLECTION)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SCHEDULED  # nothing was sent


def test_going_on_sends_the_form_and_a_page_with_nothing_unsaved_asks_nothing(page, world):
    referral = _scheduled(world)
    log_in(page, world.counselor_a)
    page.goto(reverse("referral_detail", args=[referral.uuid]))
    page.get_by_label("本人のふりかえり").fill(REFLECTION)
    page.once("dialog", lambda dialog: dialog.accept())
    _mark_done(page)
    expect(page.get_by_text("実施完了を記録しました")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    # Now nothing is typed anywhere: the outcome is sent without a question (a dialog left
    # unanswered would be dismissed by Playwright, and the form not sent).
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_label("採用", exact=True).check()
    page.get_by_label("採用日").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="その後のことを保存").click()
    expect(page.get_by_text("採用後の定着確認")).to_be_visible()
    assert asked == []
