import factory
from factory.django import DjangoModelFactory

from tests.factories import AgencyFactory
from workshops.models import (
    LogicModel,
    LogicModelItem,
    OpinionCard,
    Theme,
    WorkshopSeries,
    WorkshopSession,
    default_themes,
)


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopSeries
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"地域づくりワークショップ{n}")
    organiser = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.organiser.region)

    @factory.post_generation
    def participants(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participants.set(extracted)

    @factory.post_generation
    def logic_model(obj, create, extracted, **kwargs):
        if create:
            LogicModel.objects.get_or_create(
                series=obj, defaults={"title": f"{obj.region.name} ロジックモデル目標ガイド"}
            )


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = WorkshopSession

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    themes = factory.LazyAttribute(lambda o: default_themes(o.number) or [Theme.NEEDS.value])
    place = "市役所 会議室"


class CardFactory(DjangoModelFactory):
    class Meta:
        model = OpinionCard

    session = factory.SubFactory(SessionFactory)
    theme = factory.LazyAttribute(lambda o: o.session.themes[0])
    text = factory.Sequence(lambda n: f"就労支援のニーズがある人 その{n}")
    table = "A"


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = LogicModelItem

    logic_model = factory.LazyAttribute(lambda o: SeriesFactory().logic_model)
    column = "needs"
    category = ""
    text = factory.Sequence(lambda n: f"項目{n}")
    position = factory.Sequence(lambda n: n)
