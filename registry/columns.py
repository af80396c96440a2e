"""Column tables: ONE row per field of a record that goes in or out of a file.

A row says, for one field: its Japanese header (and the other headers accepted), how an
import reads the cell (`read`, one of READ_KINDS; "" = never imported), how an export writes
it (`write`, a function of the record; None = never exported), its print cap, and where
HSDS 3.0 carries it. Imports (sheets/interop/imports/reader.py), the CSV/Excel exports
(registry/exports.py, sheets/interop/exports.py), the HSDS mapping table (docs/hsds.md) and
the print caps (sheets/programs/limits.py) are all read from these tables: adding a field
to a file is adding a row.

The employer's table lives here (the registry owns employers); the program's is
sheets/programs/columns.py."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

EMPLOYER = "employer"
PROGRAM = "program"

# How an import reads a cell (sheets/interop/imports/reader.py `convert`).
READ_KINDS = ("text", "id", "uuid", "int", "bool", "time", "choice", "choices", "rating", "region", "postal")


@dataclass(frozen=True)
class Field:
    field: str  # the model field; "demands.<dimension>" for one rating; "" for an export-only value
    header: str  # the Japanese header in files (a data format: Japanese whatever the UI language)
    target: str = EMPLOYER
    read: str = ""  # how an import reads it ("" = not imported)
    write: Callable[[Any], Any] | None = None  # how an export writes it (None = not exported)
    cap: int | None = None  # print cap (characters), enforced by the model's validators
    hsds: str = ""  # where HSDS 3.0 carries it ("" = not published)
    choices: Any = None  # a TextChoices class, or its dotted path (resolved on use)
    required: bool = False  # an import needs the column (program columns: in files with programs)
    aliases: tuple[str, ...] = ()  # other headers an import accepts
    note: str = ""  # for the template's 記入方法 sheet
    example: object = ""
    in_program_file: bool = True  # employer fields: also a column of the program files

    @property
    def kind(self) -> str:
        return self.read

    @property
    def choice_class(self) -> Any:
        return import_string(self.choices) if isinstance(self.choices, str) else self.choices

    @property
    def imported(self) -> bool:
        return bool(self.read)

    @property
    def exported(self) -> bool:
        return self.write is not None


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


def yes_no(value: bool | None) -> str:
    """Booleans as the import reads them back (はい／いいえ)."""
    if value is None:
        return ""
    return "はい" if value else "いいえ"


EMPLOYER_FIELDS: tuple[Field, ...] = (
    Field(
        "uuid",
        "事業所ID",
        read="uuid",
        write=lambda e: str(e.uuid),
        note="登録済みの事業所の ID（書き出したファイルにあります）。"
        "あれば管理番号より優先して、その事業所を更新します。",
    ),
    Field(
        "external_id",
        "事業所管理番号",
        read="id",
        write=lambda e: e.external_id,
        note="貴機関が決める事業所の番号（例 E-001）。同じ番号の行は同じ事業所。"
        "次に同じ番号で取り込むと、新しく登録せずに更新します。事業所IDがあれば空欄でもかまいません。",
        example="E-001",
    ),
    Field(
        "name",
        "事業所名",
        read="text",
        write=lambda e: e.name,
        hsds="organization.name, location.name",
        required=True,
        example="有限会社みどり紙工",
    ),
    Field(
        "name_kana",
        "ふりがな",
        read="text",
        write=lambda e: e.name_kana,
        hsds="organization.alternate_name",
        required=True,
        aliases=("事業所名ふりがな",),
        note="ひらがな・カタカナ。",
        example="みどりしこう",
    ),
    Field(
        "kind",
        "種別",
        read="choice",
        write=lambda e: e.get_kind_display(),
        hsds="organization.description (when the employer has none)",
        choices="registry.models.EmployerKind",
        required=True,
        aliases=("事業所の種別",),
        example="企業",
    ),
    Field(
        "industry",
        "業種",
        read="choice",
        write=lambda e: e.get_industry_display(),
        hsds="organization.description (when the employer has none)",
        choices="registry.models.Industry",
        required=True,
        note="日本標準産業分類の大分類（名前か A〜T の記号）。",
        example="製造業",
    ),
    Field("", "都道府県", write=lambda e: e.region.prefecture.name, hsds="address.state_province"),
    Field(
        "region",
        "市区町村",
        read="region",
        write=lambda e: e.region.name,
        hsds="address.city, service_area",
        aliases=("地域",),
        note="市区町村名か全国地方公共団体コード（6桁または5桁）。貴機関と同じ都道府県のもの。"
        "空欄なら新しい事業所は貴機関の市区町村になります。",
        example="伊丹市",
    ),
    Field(
        "postal_code",
        "郵便番号",
        read="postal",
        write=lambda e: e.postal_code,
        hsds="address.postal_code",
        aliases=("〒",),
        note="7桁（例 664-0851）。",
        example="664-0851",
    ),
    Field(
        "address",
        "所在地",
        read="text",
        write=lambda e: e.address,
        hsds="address.address_1",
        required=True,
        aliases=("住所",),
        example="伊丹市中央1-2-3",
    ),
    Field(
        "access_notes",
        "アクセス",
        read="text",
        write=lambda e: e.access_notes,
        cap=150,
        hsds="location.transportation",
        note="最寄り駅・バス停、徒歩の分数、駐車場。",
        example="阪急伊丹駅から徒歩8分。駐車場あり",
        in_program_file=False,
    ),
    Field("contact_name", "担当者", read="text", write=lambda e: e.contact_name, example="山田", in_program_file=False),
    Field(
        "contact_phone",
        "電話番号",
        read="text",
        write=lambda e: e.contact_phone,
        example="072-000-0000",
        in_program_file=False,
    ),
    Field("contact_email", "メールアドレス", read="text", write=lambda e: e.contact_email, in_program_file=False),
    Field(
        "staff_count",
        "従業員数",
        read="int",
        write=lambda e: e.staff_count,
        note="数字。",
        example=12,
        in_program_file=False,
    ),
    Field(
        "description",
        "事業内容",
        read="text",
        write=lambda e: e.description,
        cap=300,
        hsds="organization.description",
        note="どんな仕事をしているかをやさしい言葉で。",
        example="紙箱の組み立てと部品の袋詰め",
        in_program_file=False,
    ),
    Field("", "担当機関", write=lambda e: e.owner.name, in_program_file=False),
    Field("", "状態", write=lambda e: "登録中" if e.is_active else "アーカイブ", in_program_file=False),
    Field("", "登録日", write=lambda e: local_date(e.created_at), in_program_file=False),
    Field("", "更新日", write=lambda e: local_date(e.updated_at), in_program_file=False),
)

EMPLOYER_TEXT_CAPS: dict[str, int] = {f.field: f.cap for f in EMPLOYER_FIELDS if f.cap}
