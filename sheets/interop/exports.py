"""CSV and Excel export of the program search: the same rows as the screen (the same
ProgramSearch over `Program.objects.for_user(user)`, the same order), every page at once.

The columns are defined here, once; the writer and the formula-injection rule are in
registry/exports.py. Headers and values are Japanese whatever the UI language: the file is a
data format that other offices read."""

from django.db.models import Prefetch

from registry.exports import Column, local_date
from sheets.breakdowns.models import TaskRow
from sheets.dimensions import DIMENSIONS
from sheets.programs.models import Program
from sheets.vocabulary import Accommodation, Weekday

PROGRAM_EXPORT_NAME = "プログラム一覧"


def _labels(choices, values) -> str:
    names = dict(choices)
    return "・".join(str(names.get(value, value)) for value in values or [])


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _demand_column(info) -> Column:
    return Column(f"求められる力：{info.label}", lambda p: (p.demands or {}).get(info.key))


def program_columns() -> list[Column]:
    """Built per export (inside translation.override("ja")): choice labels are translated."""
    return [
        Column("プログラムID", lambda p: str(p.uuid)),
        Column("体験のタイトル", lambda p: p.title),
        Column("形態", lambda p: p.get_engagement_type_display()),
        Column("事業所名", lambda p: p.employer.name),
        Column("ふりがな", lambda p: p.employer.name_kana),
        Column("都道府県", lambda p: p.employer.region.prefecture.name),
        Column("市区町村", lambda p: p.employer.region.name),
        Column("所在地", lambda p: p.employer.address),
        Column("業種", lambda p: p.employer.get_industry_display()),
        Column("作業内容", lambda p: p.what_you_do),
        Column("作業（洗い出しシート）", lambda p: "、".join(row.task for row in p.source_rows.all())),
        Column("曜日", lambda p: _labels(Weekday.choices, p.days)),
        Column("開始時刻", lambda p: _time(p.start_time)),
        Column("終了時刻", lambda p: _time(p.end_time)),
        Column("休憩", lambda p: p.breaks),
        Column("期間", lambda p: p.period),
        Column("集合場所", lambda p: p.meeting_point),
        Column("服装", lambda p: p.clothing),
        Column("持ち物", lambda p: p.belongings),
        Column("昼食", lambda p: p.lunch),
        Column("有償", lambda p: p.is_paid),
        Column("雇用契約", lambda p: p.has_contract),
        Column("保険", lambda p: p.has_insurance),
        Column("支援員の同行", lambda p: p.supporter_may_accompany),
        Column("給与・謝礼", lambda p: p.pay),
        Column("交通費", lambda p: p.travel_costs),
        Column("定員", lambda p: p.capacity),
        Column("申込期間", lambda p: p.application_window),
        Column("向いている人", lambda p: p.suits),
        Column("わかること", lambda p: p.can_find_out),
        Column("申込方法", lambda p: p.how_to_apply),
        *[_demand_column(info) for info in DIMENSIONS],
        Column("確認できる力", lambda p: _labels([(i.key, i.label) for i in DIMENSIONS], p.confirmable)),
        Column("身体の負担・環境", lambda p: p.physical_notes),
        Column("指示の出し方", lambda p: p.instructions),
        Column("作業の変化", lambda p: p.get_task_change_display()),
        Column("現場で支える人", lambda p: p.onsite_supporter),
        Column("配慮", lambda p: _labels(Accommodation.choices, p.accommodations)),
        Column("配慮（詳しく）", lambda p: p.accommodations_notes),
        Column("注意事項", lambda p: p.cautions),
        Column("次のステップ", lambda p: p.next_step),
        Column("公開状態", lambda p: p.get_status_display()),
        Column("共有範囲", lambda p: p.get_sharing_scope_display()),
        Column("担当機関", lambda p: p.owner.name),
        Column("版", lambda p: p.revision),
        Column("最終確認日", lambda p: p.last_verified_on),
        Column("公開日", lambda p: local_date(p.published_at)),
        Column("更新日", lambda p: local_date(p.updated_at)),
    ]


def program_rows(queryset) -> list[Program]:
    """The search's rows with what the columns read, in a constant number of queries."""
    return list(
        queryset.select_related("employer__region__prefecture", "owner").prefetch_related(
            Prefetch("source_rows", queryset=TaskRow.objects.order_by("position", "id"))
        )
    )
