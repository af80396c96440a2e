"""Card capture (keyboard speed, htmx and full-page), merging (originals kept), dot-voting,
grouping under headings, and who may do which."""

import re

import pytest
from django.urls import reverse

from registry.models import AuditEntry
from workshops import services
from workshops.models import CardHeading, OpinionCard
from workshops.selectors import session_board

HTMX = {"HTTP_HX_REQUEST": "true"}


def capture_url(session):
    return reverse("workshops:card_create", args=[session.uuid])


def test_ten_cards_by_enter_with_htmx_keep_theme_table_and_agency(world, ws, login):
    client = login(world.coordinator_a)
    for n in range(10):
        response = client.post(
            capture_url(ws.session),
            {"text": f"意見その{n}", "theme": "initiatives", "table": "C", "agency": world.agency_b.pk},
            **HTMX,
        )
        assert response.status_code == 200
    body = response.content.decode()
    # The partial comes back with an empty, focused text field and the sticky choices.
    assert 'id="board-area"' in body and "<html" not in body
    assert 'name="text"' in body and "autofocus" in body and 'value="意見その9"' not in body
    assert 'value="C"' in body
    assert '<option value="initiatives" selected>' in body
    assert f'<option value="{world.agency_b.pk}" selected>' in body
    assert "追加しました：意見その9" in body
    cards = OpinionCard.objects.filter(session=ws.session, theme="initiatives")
    assert cards.count() == 10
    assert set(cards.values_list("table", flat=True)) == {"C"}
    assert AuditEntry.objects.filter(action="workshop.card.create").count() == 10


def test_full_page_fallback_redirects_back_with_the_sticky_choices(world, ws, login):
    response = login(world.coordinator_a).post(
        capture_url(ws.session), {"text": "移動手段がない", "theme": "needs", "table": "B"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?theme=needs&table=B#capture")
    client = login(world.coordinator_a)
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert 'value="B"' in page
    # The confirmation the htmx path shows beside the field comes with the page, once.
    assert page.count("追加しました：移動手段がない") == 1
    assert "追加しました" not in client.get(response["Location"].split("#")[0]).content.decode()
    assert OpinionCard.objects.filter(text="移動手段がない").exists()


def test_empty_text_shows_a_japanese_error_and_saves_nothing(world, ws, login):
    before = OpinionCard.objects.count()
    response = login(world.coordinator_a).post(capture_url(ws.session), {"text": "  ", "theme": "needs"}, **HTMX)
    assert response.status_code == 200
    assert "この項目は必須です。" in response.content.decode()
    assert OpinionCard.objects.count() == before


def test_a_theme_not_on_the_agenda_is_refused(world, ws, login):
    response = login(world.coordinator_a).post(capture_url(ws.session), {"text": "重点", "theme": "priorities"})
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not OpinionCard.objects.filter(text="重点").exists()


def test_a_closed_session_says_it_is_closed_to_participating_agencies(world, ws, login):
    """The organiser still adds cards after closing; the badge says whose entry has ended."""
    ws.session.is_open = False
    ws.session.save()
    url = reverse("workshops:session_detail", args=[ws.session.uuid])
    organiser = login(world.coordinator_a).get(url).content.decode()
    assert "参加機関のカード入力：終了" in organiser and 'id="capture"' in organiser
    participant = login(ws.coordinator_b).get(url).content.decode()
    assert "参加機関のカード入力：終了" in participant and 'id="capture"' not in participant


def test_participating_coordinator_adds_cards_only_while_the_session_is_open(world, ws, login):
    client = login(ws.coordinator_b)
    assert client.get(reverse("workshops:session_detail", args=[ws.session.uuid])).status_code == 200
    assert client.post(capture_url(ws.session), {"text": "B機関の意見", "theme": "needs"}).status_code == 302
    ws.session.is_open = False
    ws.session.save()
    assert client.post(capture_url(ws.session), {"text": "閉じた後", "theme": "needs"}).status_code == 403
    assert not OpinionCard.objects.filter(text="閉じた後").exists()
    # Adding cards is all they may do: no voting, merging or editing.
    assert client.post(reverse("workshops:card_vote", args=[ws.card1.uuid]), {"delta": "1"}).status_code == 403
    assert client.get(reverse("workshops:session_edit", args=[ws.session.uuid])).status_code == 403


def test_coordinators_of_other_regions_see_nothing(world, ws, login):
    client = login(ws.coordinator_c)
    assert client.get(reverse("workshops:session_detail", args=[ws.session.uuid])).status_code == 404
    assert client.post(capture_url(ws.session), {"text": "x", "theme": "needs"}).status_code == 404


# --- Merge ---------------------------------------------------------------------------------------


def test_merge_keeps_the_originals_traceable_and_adds_up_their_votes(world, ws, login):
    response = login(world.coordinator_a).post(
        reverse("workshops:card_merge", args=[ws.session.uuid]),
        {"cards": [str(ws.card1.uuid), str(ws.card2.uuid)], "text": "ひきこもりの期間が長い人"},
    )
    assert response.status_code == 302
    merged = OpinionCard.objects.get(text="ひきこもりの期間が長い人")
    assert merged.votes == 3
    assert set(merged.originals.all()) == {ws.card1, ws.card2}
    ws.card1.refresh_from_db()
    assert ws.card1.text == "長くひきこもっている人" and ws.card1.merged_into == merged
    assert list(ws.session.cards.live()) == [merged]
    page = login(world.coordinator_a).get(response["Location"].split("#")[0]).content.decode()
    assert "2枚を統合" in page and "長くひきこもっている人" in page
    entry = AuditEntry.objects.get(action="workshop.card.merge")
    assert set(entry.detail["originals"]) == {str(ws.card1.uuid), str(ws.card2.uuid)}


def test_a_merge_of_one_card_is_refused_with_the_card_still_ticked_and_the_text_kept(world, ws, login):
    response = login(world.coordinator_a).post(
        reverse("workshops:card_merge", args=[ws.session.uuid]), {"cards": [str(ws.card1.uuid)], "text": "まとめた意見"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2枚以上のカードを選んでください。" in html
    # The keyboard goes to the message (js/form-errors.js), not to the capture form's autofocus.
    assert re.search(r'role="alert"[^>]*tabindex="-1"[^>]*data-focus-here[^>]*>2枚以上のカードを選んでください。', html)
    ticked = re.findall(r'<input[^>]*name="cards" value="([^"]+)"[^>]*\bchecked\b', html)
    assert ticked == [str(ws.card1.uuid)]
    assert 'value="まとめた意見"' in html
    assert not OpinionCard.objects.filter(text="まとめた意見").exists()


def test_merge_without_text_keeps_the_first_cards_text(world, ws):
    merged = services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card2, ws.card1])
    assert merged.text == "長くひきこもっている人"


def test_merging_one_card_or_cards_of_different_themes_is_refused(world, ws, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:card_merge", args=[ws.session.uuid])
    response = client.post(url, {"cards": [str(ws.card1.uuid)]})
    assert "2枚以上のカードを選んでください。" in response.content.decode()
    other = OpinionCard.objects.create(session=ws.session, theme="initiatives", text="体験を増やす")
    response = client.post(url, {"cards": [str(ws.card1.uuid), str(other.uuid)]})
    assert "テーマの異なるカードは統合できません。" in response.content.decode()
    assert not OpinionCard.objects.filter(merged_into__isnull=False).exists()


def test_merged_originals_cannot_be_merged_again(world, ws):
    services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, ws.card2])
    third = OpinionCard.objects.create(session=ws.session, theme="needs", text="三枚目")
    with pytest.raises(Exception, match="この回のボード"):
        services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, third])


# --- Votes ------------------------------------------------------------------------------------------


def test_dot_voting_adds_and_takes_back_dots_never_below_zero(world, ws, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:card_vote", args=[ws.card2.uuid])
    response = client.post(url, {"delta": "1"}, **HTMX)
    assert response.status_code == 200 and "2票" in response.content.decode()
    for _ in range(4):
        client.post(url, {"delta": "-1"})
    ws.card2.refresh_from_db()
    assert ws.card2.votes == 0
    assert client.post(url, {"delta": "5"}).status_code == 302
    ws.card2.refresh_from_db()
    assert ws.card2.votes == 0


def test_a_vote_keeps_the_keyboard_on_the_pressed_button_and_says_the_new_count(world, ws, login):
    """The vote block is swapped whole (htmx): the pressed button is marked for the focus
    (static/js/form-errors.js) and the count goes into the page's lasting live region."""
    client = login(world.coordinator_a)
    page = client.get(reverse("workshops:session_detail", args=[ws.session.uuid])).content.decode()
    assert '<div id="vote-status" class="visually-hidden" role="status"></div>' in page
    url = reverse("workshops:card_vote", args=[ws.card2.uuid])

    html = client.post(url, {"delta": "1"}, **HTMX).content.decode()
    plus, minus = html.split("−1</button>")[0].split("+1</button>")
    assert "data-focus-here" in plus and "data-focus-here" not in minus
    assert '<div id="vote-status" hx-swap-oob="innerHTML">「ひきこもりが長い人」は2票になりました。</div>' in html
    assert 'aria-label="2票"' not in html and '<span class="visually-hidden">2票</span>' in html

    html = client.post(url, {"delta": "-1"}, **HTMX).content.decode()
    plus, minus = html.split("−1</button>")[0].split("+1</button>")
    assert "data-focus-here" in minus and "data-focus-here" not in plus
    assert "「ひきこもりが長い人」は1票になりました。" in html

    # At zero, −1 is disabled: the keyboard goes to +1.
    html = client.post(url, {"delta": "-1"}, **HTMX).content.decode()
    plus, minus = html.split("−1</button>")[0].split("+1</button>")
    assert "disabled" in minus and "data-focus-here" in plus
    assert "「ひきこもりが長い人」は0票になりました。" in html


def test_board_orders_by_votes_on_request(world, ws):
    OpinionCard.objects.filter(pk=ws.card2.pk).update(votes=9)
    needs = session_board(ws.session, "votes")[0]
    assert [c.text for c in needs.groups[0].cards] == ["ひきこもりが長い人", "長くひきこもっている人"]


def test_originals_take_no_votes(world, ws):
    services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, ws.card2])
    ws.card1.refresh_from_db()
    with pytest.raises(Exception, match="統合後のカード"):
        services.card_vote(card=ws.card1, by=world.coordinator_a, delta=1)


# --- Headings ---------------------------------------------------------------------------------------


def test_cards_are_grouped_under_headings_of_their_theme(world, ws, login):
    client = login(world.coordinator_a)
    client.post(reverse("workshops:heading_create", args=[ws.session.uuid]), {"theme": "needs", "title": "ブランク"})
    heading = CardHeading.objects.get(title="ブランク")
    client.post(reverse("workshops:card_group", args=[ws.card1.uuid]), {"heading": str(heading.uuid)})
    ws.card1.refresh_from_db()
    assert ws.card1.heading == heading
    board = session_board(ws.session)[0]
    assert [g.heading for g in board.groups] == [None, heading]
    assert board.groups[1].cards == [ws.card1]
    other = CardHeading.objects.create(session=ws.session, theme="initiatives", title="取り組み")
    client.post(reverse("workshops:card_group", args=[ws.card2.uuid]), {"heading": str(other.uuid)})
    ws.card2.refresh_from_db()
    assert ws.card2.heading is None


def test_the_group_button_says_which_card_it_groups(world, ws, login):
    """Read out of context (a list of buttons), 「まとめる」 alone did not say which card; 編集 and
    削除 beside it did."""
    CardHeading.objects.create(session=ws.session, theme="needs", title="ブランク")
    html = login(world.coordinator_a).get(reverse("workshops:session_detail", args=[ws.session.uuid])).content.decode()
    for card in (ws.card1, ws.card2):
        assert f'まとめる<span class="visually-hidden">: {card.text}</span></button>' in html


def test_a_heading_needs_a_title(world, ws, login):
    response = login(world.coordinator_a).post(
        reverse("workshops:heading_create", args=[ws.session.uuid]), {"theme": "needs", "title": ""}
    )
    assert response.status_code == 200 and "この項目は必須です。" in response.content.decode()
    assert not CardHeading.objects.exists()


# --- Editing -----------------------------------------------------------------------------------------


def test_a_card_is_corrected_and_leaves_a_heading_of_another_theme(world, ws, login):
    heading = CardHeading.objects.create(session=ws.session, theme="needs", title="ブランク")
    OpinionCard.objects.filter(pk=ws.card1.pk).update(heading=heading)
    client = login(world.coordinator_a)
    url = reverse("workshops:card_edit", args=[ws.card1.uuid])
    response = client.post(url, {"text": "", "theme": "needs"})
    assert "この項目は必須です。" in response.content.decode()
    response = client.post(url, {"text": "職歴がない人", "theme": "initiatives", "table": "D"})
    assert response.status_code == 302
    ws.card1.refresh_from_db()
    assert (ws.card1.text, ws.card1.theme, ws.card1.table, ws.card1.heading) == (
        "職歴がない人",
        "initiatives",
        "D",
        None,
    )


def test_merged_originals_are_not_edited(world, ws, login):
    services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, ws.card2])
    response = login(world.coordinator_a).post(
        reverse("workshops:card_edit", args=[ws.card1.uuid]), {"text": "書き換え", "theme": "needs"}
    )
    assert "統合されたカードです" in response.content.decode()
    ws.card1.refresh_from_db()
    assert ws.card1.text == "長くひきこもっている人"


def test_the_workshop_board_says_what_was_added_from_outside_the_board(world, ws, login):
    """The status line stays outside #board-area (swapped whole after each card); the board's
    data-status gives it the words (static/js/live-status.js)."""
    client = login(world.coordinator_a)
    page = client.get(reverse("workshops:session_detail", args=[ws.session.uuid])).content.decode()
    status = page.index('role="status" data-status-of="#board-area"')
    assert status < page.index('id="board-area"')
    response = client.post(
        capture_url(ws.session),
        {"text": "送り迎えがあれば", "theme": "needs", "table": "A", "agency": world.agency_a.pk},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'data-status="追加しました：送り迎えがあれば"' in body
    assert 'id="capture-status"' in body and 'role="status" class="small mt-2" id="capture-status"' not in body


def test_a_card_sent_back_lists_its_errors_and_leaves_the_focus_to_the_wrong_field(world, ws, login):
    # A too-long table: said in the box above the form too (the table's column is narrow), and
    # the opinion no longer takes the focus (autofocus), so the keyboard goes to the table.
    response = login(world.coordinator_a).post(
        capture_url(ws.session), {"text": "移動手段がない", "theme": "needs", "table": "あ" * 21}, **HTMX
    )
    html = response.content.decode()
    summary = html.split("error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_table"' in summary and "20文字までにしてください" in summary
    assert "autofocus" not in html and 'value="移動手段がない"' in html
    assert not OpinionCard.objects.filter(text="移動手段がない").exists()
