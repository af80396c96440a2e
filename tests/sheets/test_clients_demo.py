from io import StringIO

from django.core.management import call_command

from sheets.clients.models import Client, Outcome, Referral, ReferralStatus, SelfIntroduction


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
