import factory
from factory.django import DjangoModelFactory

from registry.models import (
    Agency,
    AgencyKind,
    Employer,
    EmployerKind,
    Industry,
    Membership,
    Prefecture,
    Region,
    Role,
    User,
    local_government_check_digit,
)

TEST_PASSWORD = "correct-horse-battery-42"


class PrefectureFactory(DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ["code"]

    code = "28"
    name = factory.LazyAttribute(lambda o: {"28": "兵庫県", "44": "大分県"}.get(o.code, f"県{o.code}"))


def _region_code(prefecture: Prefecture, n: int) -> str:
    first_five = f"{prefecture.code}{n % 1000:03d}"
    return first_five + str(local_government_check_digit(first_five))


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.LazyAttributeSequence(lambda o, n: _region_code(o.prefecture, 200 + n))
    name = factory.Sequence(lambda n: f"テスト市{n}")
    name_kana = factory.Sequence(lambda n: f"てすとし{n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"自立相談支援機関{n}")
    name_kana = "じりつそうだんしえんきかん"
    kind = AgencyKind.SELF_RELIANCE
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.jp")
    name = factory.Sequence(lambda n: f"職員 {n}")
    name_kana = "しょくいん"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.COUNSELOR


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"株式会社テスト紙工{n}")
    name_kana = "かぶしきがいしゃてすとしこう"
    kind = EmployerKind.COMPANY
    industry = Industry.E
    owner = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.owner.region)
    address = "伊丹市中央1-1-1"
    description = "部品の袋詰めと検品"
