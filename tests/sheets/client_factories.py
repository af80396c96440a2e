import datetime

import factory
from factory.django import DjangoModelFactory

from sheets.clients.models import Client, Referral, SelfIntroduction, SharingConsent
from tests.factories import AgencyFactory


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"C-2026-{n + 1:04d}")
    preferred_name = factory.Sequence(lambda n: f"ひなた{n}さん")


class SelfIntroductionFactory(DjangoModelFactory):
    class Meta:
        model = SelfIntroduction

    client = factory.SubFactory(ClientFactory)
    preferred_name = factory.LazyAttribute(lambda o: o.client.preferred_name)
    age_band = "30s"
    counselor_name = "伊藤"
    interests = "植物の世話、パズル"
    interest_tags = ["realistic", "conventional"]
    strengths = "コツコツ続けられる"
    confidence = {"stamina": 0, "accuracy": 2, "dexterity": 2}
    want_to_confirm = ["accuracy"]
    experience = "コンビニで半年（品出し）"
    goals = "決まった時間に通えるか確かめたい"
    worries = "長く立っていると腰が痛む"
    coping = "休憩を少し多めにもらえると続けられる"
    accommodations = ["extra_breaks"]
    requests = "最初は作業を見せてほしい"
    days = ["tue", "thu"]
    available_from = datetime.time(9, 0)
    available_until = datetime.time(13, 0)
    commute = ["bicycle"]
    engagement_types = ["experience"]


class SharingConsentFactory(DjangoModelFactory):
    class Meta:
        model = SharingConsent

    introduction = factory.SubFactory(SelfIntroductionFactory)
    employer = None
    sections = ["profile", "interests", "strengths"]
    valid_from = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    client = factory.SubFactory(ClientFactory)
    program = None
    proposed_on = datetime.date(2026, 11, 1)
