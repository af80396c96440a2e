"""The program's column table: one row per field that goes in or out of a file (see
registry/columns.py for what a row says). Imports, the CSV/Excel export, the HSDS mapping
table and the print caps (`limits.PRINT_LIMITS`) are read from it.

Adding a Program field to the files: the model field (+ migration), ONE row here, and the
templates that show it.

This module imports no model (the models read their print caps from it): choice classes of
`sheets.programs.models` are named by their dotted path. The demand profile's ten ratings are
one row per dimension, made from `sheets.dimensions.DIMENSIONS` (`program_fields()`)."""

import datetime
from functools import cache

from django.utils import translation

from registry.columns import PROGRAM, Field, local_date, yes_no
from sheets.dimensions import DIMENSIONS, Dimension
from sheets.vocabulary import Accommodation, EngagementType, TaskChange, Weekday


def _labels(choices, values) -> str:
    names = dict(choices.choices)
    return "・".join(str(names.get(value, value)) for value in values or [])


def _time(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def P(field: str, header: str, **kwargs) -> Field:
    return Field(field, header, target=PROGRAM, **kwargs)


BOOL_NOTE = "はい／いいえ（○／×）。空欄なら参加形態のふつうの値。"

# The rows before the demand profile, then DEMAND_POSITION, then the rest.
PROGRAM_FIELDS: tuple[Field, ...] = (
    P(
        "uuid",
        "プログラムID",
        read="uuid",
        write=lambda p: str(p.uuid),
        hsds="service.id",
        note="登録済みのプログラムの ID（書き出したファイルにあります）。あれば管理番号より優先します。",
    ),
    P(
        "external_id",
        "プログラム管理番号",
        read="id",
        write=lambda p: p.external_id,
        note="貴機関が決めるプログラムの番号（例 P-001）。事業所の列だけの行（事業所だけ登録）では空欄。",
        example="P-001",
    ),
    P(
        "title",
        "プログラム名",
        read="text",
        write=lambda p: p.title,
        cap=50,
        hsds="service.name",
        required=True,
        aliases=("体験のタイトル",),
        example="部品の袋詰め体験",
    ),
    P(
        "engagement_type",
        "参加形態",
        read="choice",
        write=lambda p: p.get_engagement_type_display(),
        hsds="attribute → taxonomy_term (taxonomy shigoto-engagement-type)",
        choices=EngagementType,
        required=True,
        aliases=("形態",),
        note="見学・体験・短期／短時間アルバイト・柔軟な雇用 のどれか。",
        example="体験",
    ),
    P(
        "is_paid",
        "有償",
        read="bool",
        write=lambda p: yes_no(p.is_paid),
        hsds="cost_option (pay), service.fees_description",
        note=BOOL_NOTE,
        example="いいえ",
    ),
    P(
        "has_contract",
        "雇用契約",
        read="bool",
        write=lambda p: yes_no(p.has_contract),
        note=BOOL_NOTE,
        example="いいえ",
    ),
    P("has_insurance", "保険", read="bool", write=lambda p: yes_no(p.has_insurance), note=BOOL_NOTE, example="はい"),
    P(
        "supporter_may_accompany",
        "支援員の同行",
        read="bool",
        write=lambda p: yes_no(p.supporter_may_accompany),
        hsds="accessibility.details",
        note="はい／いいえ。",
        example="はい",
    ),
    P(
        "what_you_do",
        "作業内容",
        read="text",
        write=lambda p: p.what_you_do,
        cap=200,
        hsds="service.description",
        example="部品を10個ずつ袋に入れて口を閉じます",
    ),
    P("", "作業（洗い出しシート）", write=lambda p: "、".join(row.task for row in p.source_rows.all())),
    P(
        "days",
        "曜日",
        read="choices",
        write=lambda p: _labels(Weekday, p.days),
        hsds="schedule.byday",
        choices=Weekday,
        note="例「月・水・金」「火、木」。",
        example="火・木",
    ),
    P(
        "start_time",
        "開始時刻",
        read="time",
        write=lambda p: _time(p.start_time),
        hsds="schedule.opens_at (+09:00)",
        note="例 9:00",
        example="10:00",
    ),
    P(
        "end_time",
        "終了時刻",
        read="time",
        write=lambda p: _time(p.end_time),
        hsds="schedule.closes_at (+09:00)",
        note="例 12:00",
        example="12:00",
    ),
    P("breaks", "休憩", read="text", write=lambda p: p.breaks, cap=40, hsds="schedule.notes", example="11時に10分"),
    P("period", "期間", read="text", write=lambda p: p.period, cap=40, hsds="schedule.description", example="1日だけ"),
    P(
        "meeting_point",
        "集合場所",
        read="text",
        write=lambda p: p.meeting_point,
        cap=60,
        hsds="service_at_location.description",
        example="事務所の入口",
    ),
    P("clothing", "服装", read="text", write=lambda p: p.clothing, cap=60, example="動きやすい服"),
    P("belongings", "持ち物", read="text", write=lambda p: p.belongings, cap=60, example="飲み物"),
    P("lunch", "昼食", read="text", write=lambda p: p.lunch, cap=40, example="なし（正午に終わります）"),
    P(
        "pay",
        "給与・謝礼",
        read="text",
        write=lambda p: p.pay,
        cap=60,
        hsds="cost_option.amount_description, service.fees_description",
        example="なし",
    ),
    P(
        "travel_costs",
        "交通費",
        read="text",
        write=lambda p: p.travel_costs,
        cap=60,
        hsds="cost_option.amount_description, service.fees_description",
        example="自己負担",
    ),
    P(
        "capacity",
        "定員",
        read="int",
        write=lambda p: p.capacity,
        aliases=("受け入れ人数",),
        note="1〜999 の数字。",
        example=2,
    ),
    P(
        "application_window",
        "申込期間",
        read="text",
        write=lambda p: p.application_window,
        cap=60,
        hsds="service.alert",
        example="通年",
    ),
    P(
        "suits",
        "向いている人",
        read="text",
        write=lambda p: p.suits,
        cap=120,
        hsds="service.eligibility_description",
        example="こつこつした作業が好きな人",
    ),
    P(
        "can_find_out",
        "わかること",
        read="text",
        write=lambda p: p.can_find_out,
        cap=120,
        example="細かい作業が続けられるか",
    ),
    P(
        "how_to_apply",
        "申込方法",
        read="text",
        write=lambda p: p.how_to_apply,
        cap=120,
        hsds="service.application_process",
        example="担当の相談員に伝えてください",
    ),
    # ← the demand profile's rows go here (program_fields())
    P(
        "confirmable",
        "確認できる力",
        read="choices",
        write=lambda p: _labels(Dimension, p.confirmable),
        choices=Dimension,
        note="この体験で確かめられる力。例「正確性・ていねいさ、手先の器用さ」。",
        example="手先の器用さ、正確性・ていねいさ",
    ),
    P(
        "employer_needs",
        "人材ニーズ・困りごと",
        read="text",
        write=lambda p: p.employer_needs,
        cap=150,
        note="事業所が人手を求めている仕事。③に印刷します。",
        example="繁忙期の袋詰め",
    ),
    P(
        "physical_notes",
        "身体の負担・環境",
        read="text",
        write=lambda p: p.physical_notes,
        cap=150,
        example="座って作業。冷暖房あり",
    ),
    P(
        "instructions",
        "指示の出し方",
        read="text",
        write=lambda p: p.instructions,
        cap=120,
        example="見本を見せてから一緒にやります",
    ),
    P(
        "task_change",
        "作業の変化",
        read="choice",
        write=lambda p: p.get_task_change_display(),
        choices=TaskChange,
        example="一日中同じ作業",
    ),
    P(
        "onsite_supporter",
        "現場で支える人",
        read="text",
        write=lambda p: p.onsite_supporter,
        cap=60,
        example="パート長の田中さん",
    ),
    P(
        "accommodations",
        "配慮",
        read="choices",
        write=lambda p: _labels(Accommodation, p.accommodations),
        hsds="accessibility.description",
        choices=Accommodation,
        example="休憩を多めに、毎回同じ作業",
    ),
    P(
        "accommodations_notes",
        "配慮（詳しく）",
        read="text",
        write=lambda p: p.accommodations_notes,
        cap=120,
        hsds="accessibility.details",
    ),
    P("cautions", "注意事項", read="text", write=lambda p: p.cautions, cap=150, example="刃物は使いません"),
    P(
        "next_step",
        "次のステップ",
        read="text",
        write=lambda p: p.next_step,
        cap=60,
        example="体験 → 短時間アルバイト",
    ),
    P(
        "furigana",
        "ふりがなを振る",
        read="bool",
        write=lambda p: yes_no(p.furigana),
        note="②にふりがなを振るか。はい／いいえ。",
        example="いいえ",
    ),
    P(
        "sharing_scope",
        "共有範囲",
        read="choice",
        write=lambda p: p.get_sharing_scope_display(),
        hsds="service_area.description",
        choices="sheets.programs.models.SharingScope",
        note="公開したときに見られる機関。空欄なら「地域（市町村）の機関」。取り込んだプログラムは下書きです。",
        example="地域（市町村）の機関",
    ),
    P("", "公開状態", write=lambda p: p.get_status_display(), hsds="service.status"),
    P("", "担当機関", write=lambda p: p.owner.name, hsds="contact (the agency's contact point)"),
    P("", "版", write=lambda p: p.revision),
    P("", "最終確認日", write=lambda p: p.last_verified_on, hsds="service.assured_date"),
    P("", "公開日", write=lambda p: local_date(p.published_at)),
    P("", "更新日", write=lambda p: local_date(p.updated_at), hsds="service.last_modified"),
)
DEMANDS_AFTER = "how_to_apply"

# Print caps of fields that are not columns of the files (the timetable's rows).
OTHER_PRINT_CAPS: dict[str, int] = {"timetable_activity": 40}


def _demand_example(key: str) -> int:
    return {"dexterity": 2, "accuracy": 2, "pace": 1, "people": 1}.get(key, 0)


@cache
def demand_fields() -> tuple[Field, ...]:
    """One row per matching dimension (0–3), headers in Japanese."""
    with translation.override("ja"):
        return tuple(
            P(
                f"demands.{info.key}",
                f"求められる力：{info.label}",
                read="rating",
                write=lambda p, key=info.key: (p.demands or {}).get(key),
                note=f"0〜3 の数字。0「{info.levels[0]}」〜 3「{info.levels[3]}」。空欄は「未評価」。",
                example=_demand_example(info.key),
            )
            for info in DIMENSIONS
        )


def program_fields() -> tuple[Field, ...]:
    """The whole table, in file order."""
    position = next(i for i, f in enumerate(PROGRAM_FIELDS) if f.field == DEMANDS_AFTER) + 1
    return PROGRAM_FIELDS[:position] + demand_fields() + PROGRAM_FIELDS[position:]
