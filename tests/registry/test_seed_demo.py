from io import StringIO

from django.core.management import call_command

from registry.models import Agency, AgencyKind, Employer, Membership, Region, Role, User


def test_seed_demo_is_realistic_and_idempotent(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Region.objects.count(), Agency.objects.count(), Employer.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert counts == (Region.objects.count(), Agency.objects.count(), Employer.objects.count(), User.objects.count())
    assert {r.name for r in Region.objects.all()} == {"伊丹市", "川西市", "玖珠町", "杵築市"}
    assert Agency.objects.count() >= 8
    assert len(set(Agency.objects.values_list("kind", flat=True))) >= 5
    assert Employer.objects.count() >= 30
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    assert User.objects.filter(is_superuser=True).exists()
    assert "demo-pass-2026" in out.getvalue()
    for region in Region.objects.all():
        region.full_clean()  # real 全国地方公共団体コード with check digits
    assert Agency.objects.filter(kind=AgencyKind.SOCIAL_WELFARE_COUNCIL).count() >= 3


def test_seed_demo_hides_passwords_without_debug(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo-pass-2026" not in out.getvalue()


def test_if_empty_leaves_existing_data_alone(db):
    call_command("seed_demo", stdout=StringIO())
    Employer.objects.filter(name="玖珠木工所").update(description="変更済み")
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert Employer.objects.get(name="玖珠木工所").description == "変更済み"


def test_seed_demo_lists_the_logins_in_the_demo_without_debug(db, settings):
    settings.DEBUG = False
    settings.DEMO = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo-pass-2026" in out.getvalue()
