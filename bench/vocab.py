"""The words the bench data is made of: real prefectures, place-name parts, and the tasks,
employers and program texts of the demo data (sheets/demo_data.py, registry/demo_data.py),
which come from the report the product grew from. Nothing here touches the database."""

from dataclasses import dataclass

from registry.demo_data import EMPLOYERS as DEMO_EMPLOYERS
from sheets.demo.data import TASKS as DEMO_TASKS

# 都道府県 (JIS X 0401 codes).
PREFECTURES = [
    ("01", "北海道"), ("02", "青森県"), ("03", "岩手県"), ("04", "宮城県"), ("05", "秋田県"),
    ("06", "山形県"), ("07", "福島県"), ("08", "茨城県"), ("09", "栃木県"), ("10", "群馬県"),
    ("11", "埼玉県"), ("12", "千葉県"), ("13", "東京都"), ("14", "神奈川県"), ("15", "新潟県"),
    ("16", "富山県"), ("17", "石川県"), ("18", "福井県"), ("19", "山梨県"), ("20", "長野県"),
    ("21", "岐阜県"), ("22", "静岡県"), ("23", "愛知県"), ("24", "三重県"), ("25", "滋賀県"),
    ("26", "京都府"), ("27", "大阪府"), ("28", "兵庫県"), ("29", "奈良県"), ("30", "和歌山県"),
    ("31", "鳥取県"), ("32", "島根県"), ("33", "岡山県"), ("34", "広島県"), ("35", "山口県"),
    ("36", "徳島県"), ("37", "香川県"), ("38", "愛媛県"), ("39", "高知県"), ("40", "福岡県"),
    ("41", "佐賀県"), ("42", "長崎県"), ("43", "熊本県"), ("44", "大分県"), ("45", "宮崎県"),
    ("46", "鹿児島県"), ("47", "沖縄県"),
]  # fmt: skip

# Parts of Japanese place names (kanji, kana): two of them and a suffix make a municipality.
PLACE_HEADS = [
    ("伊丹", "いたみ"), ("川西", "かわにし"), ("玖珠", "くす"), ("杵築", "きつき"), ("尼崎", "あまがさき"),
    ("座間", "ざま"), ("東御", "とうみ"), ("竹田", "たけた"), ("北", "きた"), ("南", "みなみ"),
    ("東", "ひがし"), ("西", "にし"), ("中", "なか"), ("大", "おお"), ("小", "こ"), ("高", "たか"),
    ("上", "かみ"), ("下", "しも"), ("新", "しん"), ("本", "もと"), ("緑", "みどり"), ("若", "わか"),
]  # fmt: skip
PLACE_TAILS = [
    ("山", "やま"), ("川", "かわ"), ("田", "た"), ("野", "の"), ("原", "はら"), ("島", "しま"),
    ("岡", "おか"), ("浜", "はま"), ("松", "まつ"), ("沢", "さわ"), ("崎", "さき"), ("谷", "たに"),
    ("森", "もり"), ("里", "さと"), ("津", "つ"), ("宮", "みや"),
]  # fmt: skip
PLACE_SUFFIXES = [("市", "し"), ("町", "まち"), ("村", "むら")]

AGENCY_KINDS = [
    ("self_reliance", "自立相談支援センター", "じりつそうだんしえんせんたー"),
    ("social_welfare_council", "社会福祉協議会", "しゃかいふくしきょうぎかい"),
    ("municipality", "福祉課", "ふくしか"),
    ("free_placement", "無料職業紹介所", "むりょうしょくぎょうしょうかいじょ"),
    ("hello_work", "ハローワーク", "はろーわーく"),
    ("youth_support", "地域若者サポートステーション", "ちいきわかものさぽーとすてーしょん"),
    ("disability_support", "障害者就業・生活支援センター", "しょうがいしゃしゅうぎょうせいかつしえんせんたー"),
    ("npo", "NPO法人しごとサポート", "えぬぴーおーほうじんしごとさぽーと"),
]
STREETS = ["中央", "本町", "駅前", "東町", "西町", "緑町", "栄町", "旭町", "若葉", "昭和町"]
STATIONS = ["駅", "バス停", "中央駅", "東口バス停", "市役所前バス停"]


@dataclass(frozen=True)
class TaskTemplate:
    """One task row of the demo data (sheets/demo_data.py TASKS tuple order)."""

    duty: str
    task: str
    steps: str
    frequency: str
    months: list
    minutes: int | None
    batch: str
    place: str
    postures: list
    lifting: int | None
    tools: str
    gear: str
    environment: list
    teaching: list
    ratings: str
    cut_out: str
    conditions: str
    engagements: list
    capacity: int | None
    days: list
    time_slots: str


@dataclass(frozen=True)
class EmployerTemplate:
    """A demo employer: its kind, industry, description and the tasks it offers."""

    name: str
    kana: str
    kind: str
    industry: str
    access: str
    contact: str
    staff: int | None
    description: str
    tasks: tuple[TaskTemplate, ...]


def _employer_templates() -> list[EmployerTemplate]:
    result = []
    for _agency, _region, name, kana, kind, industry, _address, access, contact, staff, description in DEMO_EMPLOYERS:
        tasks = tuple(TaskTemplate(*spec) for spec in DEMO_TASKS.get(name, []))
        if tasks:
            result.append(EmployerTemplate(name, kana, kind, industry, access, contact, staff, description, tasks))
    return result


EMPLOYER_TEMPLATES = _employer_templates()
CLIENT_NAMES = [
    "さとう",
    "すずき",
    "たかはし",
    "たなか",
    "いとう",
    "わたなべ",
    "やまもと",
    "なかむら",
    "こばやし",
    "かとう",
]
INTERESTS = ["料理", "散歩", "ゲーム", "音楽", "動物", "植物の世話", "パソコン", "手芸", "掃除", "絵を描くこと"]
STRENGTHS = ["こつこつ続けられる", "あいさつができる", "時間を守る", "細かい作業が得意", "体を動かすのが好き"]
WORRIES = ["朝起きるのが苦手", "人が多いところが苦手", "体力に自信がない", "電話が苦手", "初めての場所が不安"]
