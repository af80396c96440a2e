from io import StringIO

from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from registry.models import Agency
from sheets.clients.models import Client, Outcome, Referral, ReferralStatus, SelfIntroduction
from workshops.evaluation import demo as evaluation_demo


def test_demo_clients_cover_every_referral_state_and_are_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (Client.objects.count(), SelfIntroduction.objects.count(), Referral.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert counts == (Client.objects.count(), SelfIntroduction.objects.count(), Referral.objects.count())
    assert counts[0] >= 4
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(Referral.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        Outcome.HIRED,
        Outcome.ANOTHER_PROGRAM,
    }
    assert Client.objects.values("agency").distinct().count() >= 3
    for model in (Client, SelfIntroduction, Referral):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_client_lists_start_with_the_clients_of_today(db):
    """The evaluation's two years of clients were registered before their first referral and are
    numbered in the order of registration, per year: an agency's list opens with the demo
    clients it works with now."""
    call_command("seed_demo", stdout=StringIO())
    agency = Agency.objects.get(name="伊丹市自立相談支援センター")
    # The list's order (newest first, as client_list), each client's first referral in the same query.
    first_proposed = Min("referrals__proposed_on")
    listed = list(Client.objects.filter(agency=agency).annotate(first_proposed=first_proposed).order_by("-created_at"))
    of_today = [c for c in listed if c.preferred_name not in evaluation_demo.NAMES]
    assert {"あおいさん", "けんさん"} <= {c.preferred_name for c in of_today}
    assert listed[: len(of_today)] == of_today
    older = listed[len(of_today) :]
    assert len(older) > 25  # more than the list's first page
    for client in older:
        registered = timezone.localtime(client.created_at).date()
        assert registered < client.first_proposed
        assert client.code.startswith(f"C-{registered.year}-")
    assert len({c.preferred_name for c in older}) == len(older)  # no two alike in one agency
    registered_first = listed[::-1]
    assert [c.code for c in registered_first] == sorted(c.code for c in registered_first)
