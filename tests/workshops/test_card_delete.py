"""Deleting an opinion card: who may (the series' managers, the author while they may still add
cards), a confirmation that says what goes with it, and nothing left pointing at it."""

from django.urls import reverse

from registry.models import AuditEntry, Role
from tests.factories import MembershipFactory
from tests.workshops.factories import CardFactory, ItemFactory
from workshops import services
from workshops.models import OpinionCard
from workshops.selectors import session_board


def delete_url(card):
    return reverse("workshops:card_delete", args=[card.uuid])


CONFIRMED = {"confirmed": "1"}


def board_url(session):
    return reverse("workshops:session_detail", args=[session.uuid])


def test_the_organiser_confirms_and_the_card_leaves_the_board_and_its_count(world, ws, login):
    client = login(world.coordinator_a)
    # The board's button asks first; that page deletes nothing.
    page = client.post(delete_url(ws.card1)).content.decode()
    assert "「長くひきこもっている人」をボードから削除し" in page and "2票" in page and "やめて戻る" in page
    assert OpinionCard.objects.filter(pk=ws.card1.pk).exists()
    assert client.get(delete_url(ws.card1)).status_code == 405

    response = client.post(delete_url(ws.card1), CONFIRMED)

    # Back at the card's place on the board (its theme), not at the top of the page.
    assert response.status_code == 302 and response["Location"].endswith("#theme-needs")
    assert not OpinionCard.objects.filter(pk=ws.card1.pk).exists()
    needs = session_board(ws.session)[0]
    assert needs.count == 1 and [c.text for g in needs.groups for c in g.cards] == ["ひきこもりが長い人"]
    page = client.get(board_url(ws.session)).content.decode()
    assert "カードを削除しました：長くひきこもっている人" in page and "1枚" in page
    assert 'id="theme-needs"' in page
    entry = AuditEntry.objects.get(action="workshop.card.delete")
    assert entry.actor == world.coordinator_a and entry.target_id == str(ws.card1.uuid)
    assert entry.detail["text"] == "長くひきこもっている人" and entry.detail["votes"] == 2


def test_a_merged_card_goes_with_its_originals_and_its_logic_model_items_keep_their_text(world, ws, login):
    merged = services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, ws.card2])
    again = services.card_merge(
        session=ws.session,
        by=world.coordinator_a,
        cards=[merged, CardFactory(session=ws.session, theme="needs", text="家から出られない人")],
    )
    logic_model = ws.series.logic_model
    item = ItemFactory(logic_model=logic_model, column="needs", text="ひきこもりの人", source_card=ws.card1)
    revision = logic_model.revision
    client = login(world.coordinator_a)

    page = client.post(delete_url(again)).content.decode()
    assert "このカードに統合された4枚のカード" in page and "「家から出られない人」" in page
    assert "ロジックモデルの項目1件" in page and "「ひきこもりの人」" in page
    client.post(delete_url(again), CONFIRMED)

    assert not OpinionCard.objects.filter(session=ws.session).exists()
    item.refresh_from_db()
    logic_model.refresh_from_db()
    assert item.text == "ひきこもりの人" and item.source_card is None
    assert logic_model.revision == revision + 1
    entry = AuditEntry.objects.get(action="workshop.card.delete")
    assert len(entry.detail["originals"]) == 4 and entry.detail["unlinked_items"] == 1


def test_a_merged_original_is_not_deleted_on_its_own(world, ws, login):
    merged = services.card_merge(session=ws.session, by=world.coordinator_a, cards=[ws.card1, ws.card2])
    client = login(world.coordinator_a)
    response = client.post(delete_url(ws.card1), CONFIRMED)
    assert response.status_code == 302
    assert OpinionCard.objects.filter(pk__in=[ws.card1.pk, merged.pk]).count() == 2
    assert "統合後のカードを削除してください" in client.get(response["Location"]).content.decode()
    assert not AuditEntry.objects.filter(action="workshop.card.delete").exists()


def test_the_author_from_a_participating_agency_deletes_their_own_card_while_the_session_is_open(world, ws, login):
    own = services.card_create(session=ws.session, by=ws.coordinator_b, theme="needs", text="打ち間違い")
    client = login(ws.coordinator_b)
    board = client.get(board_url(ws.session)).content.decode()
    # The delete link is offered on their own card only.
    assert delete_url(own) in board and delete_url(ws.card1) not in board
    assert client.post(delete_url(ws.card1), CONFIRMED).status_code == 403

    ws.session.is_open = False
    ws.session.save()
    assert client.post(delete_url(own), CONFIRMED).status_code == 403
    ws.session.is_open = True
    ws.session.save()
    assert client.post(delete_url(own), CONFIRMED).status_code == 302
    assert not OpinionCard.objects.filter(pk=own.pk).exists()


def test_who_else_may_not_delete(world, ws, login):
    counselor_a = world.counselor_a
    assert login(counselor_a).post(delete_url(ws.card1), CONFIRMED).status_code == 403
    assert login(ws.coordinator_c).post(delete_url(ws.card1), CONFIRMED).status_code == 404
    # An organiser's counselor does not see the link either.
    assert delete_url(ws.card1) not in login(counselor_a).get(board_url(ws.session)).content.decode()
    other_coordinator = MembershipFactory(agency=world.agency_a, role=Role.COORDINATOR).user
    assert login(other_coordinator).post(delete_url(ws.card1), CONFIRMED).status_code == 302
    assert OpinionCard.objects.filter(pk=ws.card2.pk).exists()


def test_a_card_under_a_heading_is_deleted_back_to_its_heading(world, ws, login):
    heading = services.heading_create(session=ws.session, by=world.coordinator_a, theme="needs", title="ひきこもり")
    card = CardFactory(session=ws.session, theme="needs", text="見出しの下のカード", heading=heading)
    client = login(world.coordinator_a)

    response = client.post(delete_url(card), CONFIRMED)

    assert response["Location"].endswith(f"#heading-{heading.uuid}")
    assert f'id="heading-{heading.uuid}"' in client.get(board_url(ws.session)).content.decode()
