import datetime

import factory
from factory.django import DjangoModelFactory

from sheets.network.models import Handoff, NeedsCheck
from tests.sheets.client_factories import ClientFactory


class NeedsCheckFactory(DjangoModelFactory):
    class Meta:
        model = NeedsCheck

    client = factory.SubFactory(ClientFactory)
    checked_on = factory.LazyFunction(datetime.date.today)
    wish_to_work = "soon"
    situation = "家計が苦しく、少しずつ働きたい"
    time_available = "平日の午前"
    past_work = "スーパーの品出し（3年）"
    want_to_try = "軽作業"


class HandoffFactory(DjangoModelFactory):
    class Meta:
        model = Handoff

    client = factory.SubFactory(ClientFactory)
    from_agency = factory.LazyAttribute(lambda o: o.client.agency)
    to_agency = None
    items = ["interests"]
    introduction = None
    consent_given_by = "client"
    consent_on = factory.LazyFunction(datetime.date.today)
    consent_method = "written"
    consent_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=90))
    sent_on = factory.LazyFunction(datetime.date.today)
