"""The counselor's journey: registers a client, writes the self-introduction form with them,
opens the matching programs and reads the reasons, proposes a referral, schedules it, records
the reflection and the outcome, records the client's consent and prints the form for the
employer. axe: 0 violations on every page; the PDF holds only what was consented."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from sheets.clients.models import Client, Outcome, Referral, ReferralStatus
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.factories import ProgramFactory


def published(world, title, stamina):
    return ProgramFactory(
        employer=world.employer_a,
        title=title,
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        demands={"stamina": stamina},
        confirmable=["accuracy"],
        days=["tue", "thu"],
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 30),
    )


def test_self_introduction_to_referral_and_print(page, world, tmp_path):
    standing = published(world, "倉庫で一日立ち仕事の体験", 3)
    seated = published(world, "座ってできる袋詰めの体験", 0)
    log_in(page, world.counselor_a)

    page.get_by_role("link", name="相談者", exact=True).click()
    assert_accessible(page, "clients_list_empty")
    page.get_by_role("link", name="相談者を登録").click()
    page.get_by_label("呼ばれたい名前").fill("そよかぜさん")
    assert_accessible(page, "clients_new")
    page.get_by_role("button", name="登録").click()

    # The self-introduction form, written together.
    expect(page.get_by_role("heading", level=1)).to_contain_text("自己紹介書を書く")
    page.get_by_label("30代").check()
    page.get_by_label("興味のあること・好きなこと", exact=True).fill("パズル、植物の世話")
    page.get_by_label("体力・持久力", exact=True).select_option("0")
    page.get_by_label("確かめたい：正確性・ていねいさ").check()
    page.get_by_label("配慮：体力・持久力").check()
    page.get_by_label("心配なこと", exact=True).fill("長く立つと腰が痛む")
    page.get_by_label("火", exact=True).check()
    page.get_by_label("木", exact=True).check()
    page.get_by_label("参加できる時間（から）").fill("09:00")
    page.get_by_label("参加できる時間（まで）").fill("12:00")
    assert_accessible(page, "clients_introduction_form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("自己紹介書を保存しました。")).to_be_visible()
    assert_accessible(page, "clients_introduction_detail")

    # Matching: every program, explained; the seated one first.
    page.get_by_role("link", name="合いそうなプログラム").click()
    cards = page.locator(".match-list > li")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text(seated.title)
    expect(cards.nth(1)).to_contain_text(standing.title)
    expect(cards.nth(1)).to_contain_text("提案の前に確認")
    expect(cards.nth(1)).to_contain_text("体力・持久力")
    expect(cards.nth(0)).to_contain_text("確認したい")
    assert_accessible(page, "clients_matches")
    page.get_by_role("button", name=f"「{seated.title}」への紹介を提案").click()

    # The referral: scheduled, done, reflection, outcome.
    expect(page.get_by_text("紹介を提案しました。")).to_be_visible()
    assert_accessible(page, "clients_referral_proposed")
    # Dates follow the referral's order: proposed today, so the first day and "done" are today.
    today = timezone.localdate()
    page.get_by_label("初日").fill(today.isoformat())
    page.get_by_role("button", name="日程を保存").click()
    page.get_by_label("実施完了日").fill(today.isoformat())
    page.get_by_role("button", name="実施済みにする").click()
    page.get_by_label("本人の評価：正確性・ていねいさ").select_option("2")
    page.get_by_label("事業所の評価：正確性・ていねいさ").select_option("3")
    page.get_by_label("本人のふりかえり").fill("落ち着いてできた")
    page.get_by_role("button", name="ふりかえりを保存").click()
    page.get_by_label("採用", exact=True).check()
    page.get_by_label("採用日").fill((today + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="その後のことを保存").click()
    expect(page.get_by_text("採用後の定着確認")).to_be_visible()
    assert_accessible(page, "clients_referral_done")
    referral = Referral.objects.get()
    assert (referral.status, referral.outcome) == (ReferralStatus.DONE, Outcome.HIRED)
    assert (referral.self_ratings, referral.employer_ratings) == ({"accuracy": 2}, {"accuracy": 3})

    # Consent, then the one-page form for the employer.
    page.get_by_role("link", name="共有への同意を記録").click()
    # Opt-in: nothing is ticked until the client agrees; the worries are left unticked.
    sections = page.locator("input[name=sections]")
    assert all(not sections.nth(i).is_checked() for i in range(sections.count()))
    page.get_by_label("呼ばれたい名前・年代・紹介機関").check()
    page.get_by_label("興味のあること・好きなこと", exact=True).check()
    assert_accessible(page, "clients_consent_form")
    page.get_by_role("button", name="同意を記録する").click()
    expect(page.get_by_text("同意を記録しました。")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="この事業所向けに印刷（PDF）").click()
    path = tmp_path / "self_introduction.pdf"
    download.value.save_as(path)
    reader = PdfReader(path)
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert len(reader.pages) == 1
    assert "そよかぜさん" in text and "パズル" in text
    assert "腰が痛む" not in text  # the section left unticked is not printed
    assert Client.objects.get().agency == world.agency_a
