"""A new coordinator writes ② with the guide at hand: the plain-words check speaks while they
type (and never stops the save), the ? beside the section opens its part of the guide, and
② previews with furigana. axe: 0 violations on every page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.print_fixtures import demo_program


def test_writing_check_while_typing_then_the_guide_and_furigana(page, world):
    program = demo_program(world.agency_a, world.coordinator_a)
    log_in(page, world.coordinator_a)
    page.goto(f"/programs/{program.uuid}/edit/")
    assert_accessible(page, "guide_program_form")

    what = page.get_by_label("すること", exact=True)
    what.fill("")
    what.press_sequentially("ねぎの皮むき作業に従事していただきます。")
    check = page.locator("#wc-what_you_do")
    check.evaluate("e => { e.dataset.kept = 'yes'; }")  # the live region stays; only its words change
    expect(check).to_contain_text("「従事」はむずかしいかもしれません")
    expect(check).to_have_attribute("aria-live", "polite")
    expect(check).to_have_attribute("data-kept", "yes")
    expect(check).to_contain_text("言いかえの例：する")
    what.press_sequentially("作業のときは決められた場所で、決められた順番に、ていねいに部品を数えてから袋に入れます。")
    expect(check).to_contain_text("短い文に分けましょう")
    assert_accessible(page, "guide_writing_check")

    # The check never blocks the save; the saved page says what is left to look at.
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("変更を保存しました。")).to_be_visible()
    expect(page.get_by_text(re.compile("ことばの確認：②に見直すとよいところが"))).to_be_visible()

    # The ? beside ② opens that part of the guide.
    page.goto(f"/programs/{program.uuid}/edit/")
    page.get_by_role("link", name="ガイド：② 相談者向けプログラム情報シート").first.click()
    expect(page).to_have_url(re.compile(r"/guide/#sheet-client$"))
    expect(page.locator("#sheet-client")).to_be_visible()
    assert_accessible(page, "guide_page")

    # ② with furigana for this print: readings stacked over the kanji.
    page.goto(f"/programs/{program.uuid}/sheets/client/?furigana=1")
    expect(page.locator(".fg").first).to_be_visible()
    box_reading = page.locator(".fg .fg-rt").first.bounding_box()
    box_base = page.locator(".fg .fg-rb").first.bounding_box()
    assert box_reading["y"] + box_reading["height"] <= box_base["y"] + 1  # above its kanji…
    centre = lambda box: box["x"] + box["width"] / 2  # noqa: E731
    assert abs(centre(box_reading) - centre(box_base)) < 1.5  # …and centred on them
    assert_accessible(page, "guide_client_furigana")
    page.get_by_role("link", name="読みを直す").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("②のふりがな")
    assert_accessible(page, "guide_furigana_form")
