"""The logic model goal guide: items from cards, rightward links, codes, publishing to the
region, and registry figures counted live (or reported as not available)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.factories import AgencyFactory, EmployerFactory, RegionFactory
from tests.sheets.factories import ProgramFactory
from tests.workshops.factories import CardFactory, ItemFactory, SeriesFactory
from workshops import services
from workshops.evaluation.figures import program_breakdowns
from workshops.models import LogicModelItem, LogicModelLink, Status
from workshops.selectors import logic_model_layout, registry_figure


@pytest.fixture
def model(ws):
    return ws.series.logic_model


def edit_url(series):
    return reverse("workshops:logic_model_edit", args=[series.uuid])


def test_an_item_made_from_a_card_takes_the_cards_text(world, ws, model, login):
    response = login(world.coordinator_a).post(
        reverse("workshops:item_create", args=[ws.series.uuid]),
        {"column": "needs", "source_card": str(ws.card1.uuid), "text": ""},
    )
    assert response.status_code == 302
    item = model.items.get()
    assert item.text == "長くひきこもっている人" and item.source_card == ws.card1
    model.refresh_from_db()
    assert model.revision == 2


def test_outcome_columns_need_an_outcome_kind_and_nothing_is_saved_otherwise(world, ws, model, login):
    client = login(world.coordinator_a)
    response = client.post(
        reverse("workshops:item_create", args=[ws.series.uuid]), {"column": "short", "text": "外出が増える"}
    )
    assert response.status_code == 200
    assert "この列の成果の種類を選んでください。" in response.content.decode()
    response = client.post(
        reverse("workshops:item_create", args=[ws.series.uuid]),
        {"column": "needs", "text": "ニーズ", "figure": "programs_all"},
    )
    assert "登録データの数値を示せるのは取り組みの列だけです。" in response.content.decode()
    response = client.post(reverse("workshops:item_create", args=[ws.series.uuid]), {"column": "needs"})
    assert "文言を入力するか、カードを選んでください。" in response.content.decode()
    assert not model.items.exists()


def test_each_item_form_problem_is_said_once_at_its_own_field(world, ws, model, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:item_create", args=[ws.series.uuid])
    long_card = CardFactory(session=ws.session, theme="needs", text="あ" * 275)

    # A card longer than an item may be, text left empty: said at the card, not as the empty text's length.
    response = client.post(url, {"column": "needs", "source_card": str(long_card.uuid), "text": ""})
    errors = response.context["item_form"].errors
    assert response.status_code == 200 and list(errors) == ["source_card"]
    assert errors["source_card"] == [
        "このカードは275文字あり、項目にできる200文字より長いです。"
        "200文字までの短い文言を「項目の文言」に書いてください。"
    ]
    assert "いま275文字" not in response.content.decode()
    # …and a shorter wording of the same card is taken.
    response = client.post(url, {"column": "needs", "source_card": str(long_card.uuid), "text": "短い文言"})
    assert response.status_code == 302 and model.items.get().source_card == long_card
    model.items.all().delete()

    # A text over the limit: only that (not also "enter the text or choose a card").
    response = client.post(url, {"column": "needs", "text": "い" * 400})
    assert response.context["item_form"].errors == {"text": ["200文字までにしてください（いま400文字）。"]}

    # An outcome kind chosen on the needs column is refused like a figure or an indicator there.
    response = client.post(url, {"column": "needs", "text": "ニーズ", "category": "work", "indicator": "hires"})
    assert response.context["item_form"].errors == {
        "category": ["成果の種類を選べるのは成果の列（短期・中期・長期）だけです。"],
        "indicator": ["指標で測れるのは成果の項目だけです。"],
    }
    assert response.context["item_form"].data["text"] == "ニーズ"
    assert not model.items.exists()


def test_a_card_of_another_series_cannot_be_used(world, ws, model):
    other = SeriesFactory(organiser=world.agency_a)
    card = other.sessions.create(number=1, themes=["needs"]).cards.create(theme="needs", text="別のカード")
    with pytest.raises(ValidationError):
        services.item_create(logic_model=model, by=world.coordinator_a, column="needs", source_card=card)


def test_links_go_rightwards_only_and_once(world, ws, model, login):
    need = ItemFactory(logic_model=model, column="needs", text="ミスマッチ")
    initiative = ItemFactory(logic_model=model, column="initiatives", text="切り出し")
    client = login(world.coordinator_a)
    url = reverse("workshops:link_create", args=[ws.series.uuid])
    assert client.post(url, {"source": str(need.uuid), "target": str(initiative.uuid)}).status_code == 302
    assert LogicModelLink.objects.filter(source=need, target=initiative).exists()
    response = client.post(url, {"source": str(need.uuid), "target": str(initiative.uuid)})
    html = response.content.decode()
    assert html.count("この2つの項目はすでにつながっています。") == 1  # said once, read out (role="alert")
    assert 'role="alert">' in html.split("この2つの項目はすでにつながっています。")[0][-300:]
    # The form comes back offering the items as the model shows them: codes, the columns in order.
    offered = [str(label) for _value, label in response.context["link_form"].fields["source"].choices][1:]
    assert offered == ["N1 ミスマッチ", "I1 切り出し"]
    response = client.post(url, {"source": str(initiative.uuid), "target": str(need.uuid)})
    assert "つながりは右側の列の項目に向けてください。" in response.content.decode()
    assert LogicModelLink.objects.count() == 1


def test_items_of_another_model_are_not_offered_as_link_ends(world, ws, model, login):
    need = ItemFactory(logic_model=model, column="needs")
    foreign = ItemFactory(column="initiatives")
    response = login(world.coordinator_a).post(
        reverse("workshops:link_create", args=[ws.series.uuid]), {"source": str(need.uuid), "target": str(foreign.uuid)}
    )
    assert response.status_code == 200 and "正しく選択してください" in response.content.decode()
    assert not LogicModelLink.objects.exists()


def test_layout_gives_codes_sub_headings_and_link_targets(world, ws, model):
    need = ItemFactory(logic_model=model, column="needs", text="N")
    init = ItemFactory(logic_model=model, column="initiatives", text="I")
    work = ItemFactory(logic_model=model, column="short", category="work", text="W")
    life = ItemFactory(logic_model=model, column="short", category="life", text="L")
    for target in (init,):
        LogicModelLink.objects.create(source=need, target=target)
    LogicModelLink.objects.create(source=init, target=work)
    LogicModelLink.objects.create(source=init, target=life)
    layout = logic_model_layout(model)
    short = layout.columns[2]
    # Outcome kinds in the fixed order 生活自立 → 社会自立 → 就労自立, empty ones left out.
    assert [(e.label, e.code) for e in short.entries] == [("生活自立", ""), ("", "S1"), ("就労自立", ""), ("", "S2")]
    codes = {e.item.text: (e.code, e.targets) for c in layout.columns for e in c.entries if e.item}
    assert codes["N"] == ("N1", ["I1"])
    assert codes["I"] == ("I1", ["S1", "S2"])
    assert len(layout.links) == 3


def test_deleting_an_item_removes_its_links(world, ws, model, login):
    need = ItemFactory(logic_model=model, column="needs")
    init = ItemFactory(logic_model=model, column="initiatives")
    LogicModelLink.objects.create(source=need, target=init)
    assert login(world.coordinator_a).post(reverse("workshops:item_delete", args=[need.uuid])).status_code == 302
    assert not LogicModelLink.objects.exists() and LogicModelItem.objects.filter(pk=init.pk).exists()


def test_item_edit_keeps_the_column_and_validates(world, ws, model, login):
    item = ItemFactory(logic_model=model, column="mid", category="general", text="就職する")
    client = login(world.coordinator_a)
    url = reverse("workshops:item_edit", args=[item.uuid])
    page = client.get(url).content.decode()
    assert 'name="figure"' not in page and "中間的就労" in page
    response = client.post(url, {"text": "", "category": "general", "position": 1})
    assert "この項目は必須です。" in response.content.decode()
    assert client.post(url, {"text": "一般就労に就く", "category": "intermediate", "position": 1}).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.category) == ("一般就労に就く", "intermediate")


def test_publishing_opens_the_model_to_the_region_and_draft_closes_it(world, ws, model, login):
    url = reverse("workshops:logic_model_detail", args=[ws.series.uuid])
    publish = reverse("workshops:logic_model_publish", args=[ws.series.uuid])
    assert login(world.counselor_b).get(url).status_code == 404
    login(world.coordinator_a).post(publish, {"publish": "1"})
    model.refresh_from_db()
    assert model.status == Status.DRAFT  # an empty model is not published
    ItemFactory(logic_model=model, column="needs")
    login(world.coordinator_a).post(publish, {"publish": "1"})
    model.refresh_from_db()
    assert model.status == Status.PUBLISHED
    assert login(world.counselor_b).get(url).status_code == 200
    assert login(world.counselor_c).get(url).status_code == 404
    listing = login(world.counselor_b).get(reverse("workshops:series_list")).content.decode()
    assert model.title in listing
    login(world.coordinator_a).post(publish, {"publish": "0"})
    assert login(world.counselor_b).get(url).status_code == 404


# --- Registry figures --------------------------------------------------------------------------------


def test_region_figure_counts_only_what_every_agency_of_the_region_may_see(world):
    """The figure counts published programs of active employers shared with the region or the
    prefecture: not drafts, not own-agency-only programs, not programs of archived employers,
    not programs of another region shared with their own region only."""
    employer_b = EmployerFactory(owner=world.agency_b)
    counted = [
        ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION),
        ProgramFactory(employer=employer_b, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.PREFECTURE),
    ]
    ProgramFactory(employer=world.employer_a, status=ProgramStatus.DRAFT, sharing_scope=SharingScope.REGION)
    ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.OWN_AGENCY)
    ProgramFactory(
        employer=world.employer_a_archived, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    ProgramFactory(employer=world.employer_c, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION)
    assert registry_figure(world.region_x, "programs_all").count.value == len(counted)
    assert registry_figure(world.region_x, "programs_experience").count.value == sum(
        p.engagement_type == "experience" for p in counted
    )
    # The same set as the search's visibility rule for every agency of the region.
    for user in (world.counselor_a, world.counselor_b):
        shared = Program.objects.published_for(user).exclude(sharing_scope=SharingScope.OWN_AGENCY)
        assert set(shared) == set(counted)


def test_region_figure_and_the_evaluation_page_count_the_same_programs(world):
    """A program of a neighbouring region shared with the whole prefecture is visible to the
    region but is not the region's: neither the logic model nor /evaluation/ counts it."""
    neighbour = AgencyFactory(region=RegionFactory(prefecture=world.region_x.prefecture, name="川西市"))
    for employer in (world.employer_a, world.employer_a, world.employer_a, EmployerFactory(owner=neighbour)):
        ProgramFactory(
            employer=employer,
            status=ProgramStatus.PUBLISHED,
            sharing_scope=SharingScope.PREFECTURE,
            engagement_type="experience",
        )
    assert Program.objects.published_for(world.region_x).count() == 4
    evaluation_total = program_breakdowns(world.region_x)[0].total.value
    assert evaluation_total == 3
    assert registry_figure(world.region_x, "programs_all").count.value == evaluation_total
    assert registry_figure(world.region_x, "programs_experience").count.value == evaluation_total


def test_an_initiative_shows_its_figure_on_screen(world, ws, model, login, monkeypatch):
    ItemFactory(logic_model=model, column="initiatives", text="体験メニュー", figure="programs_experience")
    page = login(world.coordinator_a).get(reverse("workshops:logic_model_detail", args=[ws.series.uuid]))
    # 0 programs read "fewer than 3" like every figure of the region (registry/smallcounts.py).
    assert "地域で公開中の体験プログラム：3件未満" in page.content.decode()
