from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from registry.models import Agency, User
from sheets.network.models import Handoff, HandoffStatus


def test_demo_handoffs_and_directory(db, client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert Handoff.objects.count() == 2
    pending = Handoff.objects.get(status=HandoffStatus.SENT)
    assert (pending.from_agency.name, pending.to_agency.name) == ("伊丹市自立相談支援センター", "伊丹市社会福祉協議会")
    accepted = Handoff.objects.get(status=HandoffStatus.MET)
    assert accepted.from_agency.name == "川西市生活相談センター"
    assert accepted.to_agency.name == "伊丹市自立相談支援センター"
    assert accepted.received_client.agency == accepted.to_agency
    assert not Agency.objects.filter(support_kinds=[]).exists()
    for handoff in Handoff.objects.all():
        handoff.full_clean()

    client.force_login(User.objects.get(email="itami.shakyo@example.jp"))
    assert reverse("handoff_detail", args=[pending.uuid]) in client.get(reverse("handoff_list")).content.decode()
    assert "待ち時間が長くなっています" in client.get(reverse("dashboard")).content.decode()
    client.force_login(User.objects.get(email="kawanishi.counselor@example.jp"))
    assert client.get(reverse("handoff_detail", args=[pending.uuid])).status_code == 404
