"""つなぎ in the browser: agency A's counselor records a needs check, hands the client over to
agency B ticking only what the client agreed to; B's counselor finds it on the home page and in
the inbox, accepts it and records the first meeting; A sees each step with its date. By
keyboard where a counselor would type; axe: 0 violations on every page."""

import datetime

from django.utils import formats
from playwright.sync_api import expect

from sheets.network.models import Handoff, HandoffStatus
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory


def test_send_accept_and_status(page, browser, live_server, world):
    client = ClientFactory(agency=world.agency_a, preferred_name="そらさん")
    SelfIntroductionFactory(client=client, interests="陶芸と散歩", worries="朝が苦手（共有しない）")
    log_in(page, world.counselor_a)
    page.goto(f"/clients/{client.uuid}/")

    # The needs check at first contact.
    page.get_by_role("link", name="就労ニーズを記録する").click()
    page.get_by_label("いずれは働きたい").check()
    page.get_by_label("これまでの仕事").fill("パン工場のライン作業（1年）")
    assert_accessible(page, "network_needs_check_form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("就労ニーズの把握を保存しました。")).to_be_visible()
    assert_accessible(page, "network_needs_check_detail")

    # Hand over: nothing is ticked until the client agrees.
    page.get_by_role("link", name="他の機関につなぐ").click()
    items = page.locator("input[name=items]")
    expect(items.first).to_be_attached()  # the click waits only until the form starts loading
    assert items.count() > 0 and all(not items.nth(i).is_checked() for i in range(items.count()))
    expect(page.get_by_role("checkbox", name="上でチェックした項目だけ", exact=False)).not_to_be_checked()
    page.get_by_label("つなぎ先の機関").select_option(label=f"{world.agency_b.name}（{world.agency_b.region.name}）")
    page.get_by_label("就労ニーズの把握（一次相談）").check()
    page.get_by_label("興味のあること・好きなこと", exact=True).check()
    page.get_by_label("つなぎ先へのメモ").fill("午前中の面談を希望しています")
    page.get_by_label("本人", exact=True).check()
    page.get_by_label("同意書に署名").check()
    page.get_by_role("checkbox", name="上でチェックした項目だけ", exact=False).check()
    assert_accessible(page, "network_handoff_form")
    page.get_by_role("button", name="つなぎを送る").click()
    expect(page.get_by_text(f"{world.agency_b.name}につなぎを送りました。")).to_be_visible()
    expect(page.get_by_text("送付済み").first).to_be_visible()
    assert_accessible(page, "network_handoff_sent")
    handoff = Handoff.objects.get()

    # The receiver: home page, inbox, the consented items only, accept, first meeting.
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    other = context.new_page()
    other.csp_violations = []
    other.on(
        "console", lambda msg: other.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    log_in(other, world.counselor_b)
    other.goto("/")
    other.get_by_role("link", name=f"{world.agency_a.name}から").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text(world.agency_b.name)
    expect(other.get_by_text("陶芸と散歩")).to_be_visible()
    expect(other.get_by_text("パン工場のライン作業（1年）")).to_be_visible()
    assert "朝が苦手" not in other.content() and "そらさん" not in other.content()
    assert_accessible(other, "network_handoff_received")
    other.get_by_role("button", name="受け付ける").click()
    expect(other.get_by_text("つなぎを受け付けました。", exact=False)).to_be_visible()
    other.get_by_label("初回面談日").fill(datetime.date.today().isoformat())
    other.get_by_role("button", name="初回面談を記録する").click()
    expect(other.get_by_text("初回面談を記録しました。")).to_be_visible()
    assert_accessible(other, "network_handoff_met")
    context.close()

    # The sender sees each step and its date.
    page.goto("/handoffs/")
    expect(page.get_by_role("cell", name="初回面談済み")).to_be_visible()
    assert_accessible(page, "network_handoff_list")
    page.get_by_role("link", name=world.agency_b.name).click()
    today = formats.date_format(datetime.date.today())
    steps = page.get_by_role("list").filter(has_text="受付済み")
    expect(steps).to_contain_text("送付済み")
    expect(steps).to_contain_text(today)
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.MET
    assert handoff.received_client.introductions.get().worries == ""
