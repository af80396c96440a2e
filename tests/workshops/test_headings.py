"""Card headings: one title per theme of a session (ＡＢＣ = abc, spaces do not count), the error
next to the field, renaming under the same rule, and the migration that merges old duplicates."""

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from registry.models import AuditEntry
from tests.factories import AgencyFactory
from tests.workshops.factories import SessionFactory
from workshops import services
from workshops.models import CardHeading, OpinionCard, heading_key


def add(client, session, title, theme="needs"):
    return client.post(reverse("workshops:heading_create", args=[session.uuid]), {"theme": theme, "title": title})


@pytest.mark.parametrize("typed", ["ブランク", " ブランク ", "ＡＢＣ の 壁", "abc の壁", "ＡＢＣの壁"])
def test_the_same_heading_twice_in_a_theme_is_refused_next_to_the_field(world, ws, login, typed):
    CardHeading.objects.create(session=ws.session, theme="needs", title="ブランク")
    CardHeading.objects.create(session=ws.session, theme="needs", title="ABCの壁")
    response = add(login(world.coordinator_a), ws.session, typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "このテーマにはすでに同じ見出し「" in body and 'id="error_1_id_title"' in body
    assert CardHeading.objects.count() == 2
    assert not AuditEntry.objects.filter(action="workshop.heading.create").exists()


def test_the_same_title_is_fine_in_another_theme_or_session(world, ws, login):
    client = login(world.coordinator_a)
    add(client, ws.session, "ブランク")
    add(client, ws.session, "ブランク", theme="initiatives")
    add(client, SessionFactory(series=ws.series, number=2, themes=["needs"]), "ブランク")
    assert CardHeading.objects.filter(title="ブランク").count() == 3


def test_the_database_refuses_a_duplicate_too(world, ws):
    CardHeading.objects.create(session=ws.session, theme="needs", title="Ｉｔ")
    with pytest.raises(IntegrityError):
        CardHeading.objects.create(session=ws.session, theme="needs", title="i t")


def test_a_heading_is_renamed_and_keeps_its_cards(world, ws, login):
    heading = CardHeading.objects.create(session=ws.session, theme="needs", title="ブランク")
    OpinionCard.objects.filter(pk=ws.card1.pk).update(heading=heading)
    client = login(world.coordinator_a)
    url = reverse("workshops:heading_edit", args=[heading.uuid])
    assert 'value="ブランク"' in client.get(url).content.decode()

    response = client.post(url, {"title": "働いた経験が少ない"})

    assert response.status_code == 302 and response["Location"].endswith(f"#heading-{heading.uuid}")
    heading.refresh_from_db()
    assert heading.title == "働いた経験が少ない" and heading.title_key == heading_key("働いた経験が少ない")
    assert list(heading.cards.all()) == [ws.card1]
    entry = AuditEntry.objects.get(action="workshop.heading.rename")
    assert entry.detail == {"before": "ブランク", "after": "働いた経験が少ない"}
    board = client.get(reverse("workshops:session_detail", args=[ws.session.uuid])).content.decode()
    assert "働いた経験が少ない" in board


def test_renaming_follows_the_same_rule(world, ws, login):
    CardHeading.objects.create(session=ws.session, theme="needs", title="ブランク")
    heading = CardHeading.objects.create(session=ws.session, theme="needs", title="abc")
    client = login(world.coordinator_a)
    url = reverse("workshops:heading_edit", args=[heading.uuid])

    body = client.post(url, {"title": "ブ ラ ン ク"}).content.decode()
    assert "このテーマにはすでに同じ見出し「ブランク」があります。" in body
    assert "見出しの名前を変更" in body and "abc ·" in body  # the page still names the saved title
    long = client.post(url, {"title": "あ" * 101}).content.decode()
    assert "100文字までにしてください（いま101文字）。" in long
    heading.refresh_from_db()
    assert heading.title == "abc"
    # Its own title in another width or case is not a duplicate of itself.
    assert client.post(url, {"title": "ＡＢＣ"}).status_code == 302
    heading.refresh_from_db()
    assert heading.title == "ＡＢＣ"


def test_only_those_who_manage_the_series_rename(world, ws, login):
    heading = services.heading_create(session=ws.session, by=world.coordinator_a, theme="needs", title="ブランク")
    url = reverse("workshops:heading_edit", args=[heading.uuid])
    assert login(ws.coordinator_b).post(url, {"title": "x"}).status_code == 403
    assert login(ws.coordinator_c).post(url, {"title": "x"}).status_code == 404
    heading.refresh_from_db()
    assert heading.title == "ブランク"


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_existing_duplicates_into_the_first_heading():
    executor = MigrationExecutor(connection)
    executor.migrate([("workshops", "0004_merge_indicator_and_survey_round")])
    apps = executor.loader.project_state([("workshops", "0004_merge_indicator_and_survey_round")]).apps
    Series = apps.get_model("workshops", "WorkshopSeries")
    Session = apps.get_model("workshops", "WorkshopSession")
    Heading = apps.get_model("workshops", "CardHeading")
    Card = apps.get_model("workshops", "OpinionCard")
    agency = AgencyFactory()  # registry is not rolled back: its current models fit its tables
    series = Series.objects.create(title="WS", region_id=agency.region_id, organiser_id=agency.pk)
    session = Session.objects.create(series=series, number=1, themes=["needs", "initiatives"])
    first = Heading.objects.create(session=session, theme="needs", title="ブランク")
    second = Heading.objects.create(session=session, theme="needs", title=" ﾌﾞﾗﾝｸ")
    other_theme = Heading.objects.create(session=session, theme="initiatives", title="ブランク")
    card1 = Card.objects.create(session=session, theme="needs", text="a", heading=first)
    card2 = Card.objects.create(session=session, theme="needs", text="b", heading=second)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("workshops", "0006_card_heading_unique_title")])

    headings = CardHeading.objects.order_by("id")
    assert [(h.pk, h.theme, h.title_key) for h in headings] == [
        (first.pk, "needs", "ブランク"),
        (other_theme.pk, "initiatives", "ブランク"),
    ]
    assert set(OpinionCard.objects.filter(pk__in=[card1.pk, card2.pk]).values_list("heading_id", flat=True)) == {
        first.pk
    }
    assert not CardHeading.objects.filter(pk=second.pk).exists()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
