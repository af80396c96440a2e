"""`manage.py seed_demo` hook: task breakdowns and 70 programs across the demo employers, in
every life-cycle state, written through the services (so history, audit and versions are real).
Idempotent: breakdowns are reused per employer, rows by task name, programs by title."""

import datetime
import re

from django.utils import timezone

from registry.dates import add_months
from registry.models import Employer, Membership, Role, User, acting_membership
from sheets.breakdowns import services as breakdown_services
from sheets.breakdowns.models import TaskBreakdown
from sheets.demo.data import DEFAULT_VISIT, RICH_PROGRAMS, TASKS, VISITS
from sheets.dimensions import BY_KEY, KEYS
from sheets.programs import services
from sheets.programs.models import Program, ProgramStatus, ReviewSection, SharingScope

ENGAGEMENT_SUFFIX = {"visit": "見学", "experience": "体験", "part_time": "アルバイト", "flexible": "（柔軟な雇用）"}
PERIOD = {
    "visit": "1回（1時間程度）",
    "experience": "1日（希望により2回まで）",
    "part_time": "週2回から。3か月ごとに更新",
    "flexible": "時間・日数は本人と相談して決めます",
}
PAY = {
    "visit": "なし",
    "experience": "なし（体験）",
    "part_time": "時給950円から",
    "flexible": "時給950円から（時間・作業は相談）",
}
NEXT_STEP = {
    "visit": "見学 → 体験",
    "experience": "体験 → 短時間アルバイト",
    "part_time": "短時間アルバイト → 雇用",
    "flexible": "柔軟な雇用 → 長く働き続ける",
}


def ratings(code: str) -> dict[str, int]:
    return {key: int(ch) for key, ch in zip(KEYS, code, strict=True) if ch != "-"}


def writer_for(employer: Employer, admin: User) -> User:
    """A coordinator of the owning agency who acts for it; the platform admin otherwise."""
    for membership in Membership.objects.active().filter(agency=employer.owner).select_related("user"):
        if membership.has_role(Role.COORDINATOR):
            user = User.objects.get(pk=membership.user_id)
            acting = acting_membership(user)
            if acting is not None and acting.agency_id == employer.owner_id:
                return user
    return admin


def title_for(task: str, engagement: str) -> str:
    return re.sub(r"（.*?）", "", task) + ENGAGEMENT_SUFFIX[engagement]


def _times(slots: str) -> tuple[datetime.time | None, datetime.time | None]:
    match = re.match(r"(\d{1,2}):(\d{2})〜(\d{1,2}):(\d{2})", slots)
    if not match:
        return None, None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return datetime.time(h1, m1), datetime.time(h2, m2)


def _timetable(start: datetime.time | None, end: datetime.time | None, task: str) -> list[tuple[str, str]]:
    if start is None or end is None:
        return []
    total = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)

    def at(minutes: int) -> str:
        value = start.hour * 60 + start.minute + minutes
        return f"{value // 60}:{value % 60:02d}"

    rows = [(at(0), "あいさつ・作業の説明"), (at(15), f"{re.sub(r'（.*?）', '', task)}（見本を見ながら）")]
    if total >= 120:
        rows.append((at(total // 2), "休憩"))
        rows.append((at(total // 2 + 10), "作業のつづき"))
    rows.append((at(max(total - 15, 30)), "片付け・ふりかえり"))
    return rows


def _suits(demands: dict) -> str:
    bits = []
    if demands.get("stamina", 0) <= 1:
        bits.append("体力に自信がなくても大丈夫です")
    if demands.get("stamina", 0) >= 2:
        bits.append("体を動かすのが好きな人に向いています")
    if demands.get("people", 0) <= 1:
        bits.append("人と話すのが苦手でも大丈夫です")
    if demands.get("dexterity", 0) >= 2:
        bits.append("手先の細かい作業が好きな人に向いています")
    if demands.get("environment", 0) >= 2:
        bits.append("屋外や音・においが気にならない人に向いています")
    return "。".join(bits) + ("。" if bits else "")


def _confirmable(demands: dict) -> list[str]:
    ranked = sorted(demands.items(), key=lambda item: (-item[1], KEYS.index(item[0])))
    return [key for key, level in ranked[:3] if level > 0]


def default_fields(employer: Employer, row, engagement: str, gear: str, conditions: str) -> dict:
    start, end = _times(row.time_slots)
    confirm = _confirmable(row.demands)
    labels = "」「".join(str(BY_KEY[k].label) for k in confirm)
    return {
        "what_you_do": row.steps,
        "days": row.days,
        "start_time": start,
        "end_time": end,
        "breaks": "2時間ごとに10分",
        "period": PERIOD[engagement],
        "meeting_point": f"{employer.name} 受付",
        "clothing": f"動きやすい服（{gear}は貸し出しあり）" if gear else "動きやすい服",
        "belongings": "飲み物、タオル、筆記用具",
        "lunch": "不要（午前または午後のみ）",
        "pay": PAY[engagement],
        "travel_costs": "自己負担（支援機関から支給できる場合があります）",
        "capacity": row.capacity,
        "application_window": "随時（参加日の1週間前までに）",
        "suits": _suits(row.demands),
        "can_find_out": f"「{labels}」をこの体験で確かめられます。" if confirm else "",
        "how_to_apply": "担当の相談員に伝えてください。相談員が事業所と日程を調整します。",
        "confirmable": confirm,
        "task_change": "rarely" if row.demands.get("change", 0) <= 1 else "sometimes",
        "onsite_supporter": (employer.contact_name or "担当者").replace("様", "さん"),
        "accommodations": ["shorter_hours", "extra_breaks"]
        + (["written_steps"] if "written" in row.teaching_methods else []),
        "cautions": conditions,
        "next_step": NEXT_STEP[engagement],
        "timetable": _timetable(start, end, row.task),
    }


def ensure_breakdown(employer: Employer, by: User) -> TaskBreakdown:
    existing = employer.breakdowns.order_by("created_at").first()
    if existing is not None:
        return existing
    days_ago, visitors, interviewee, needs, culture = VISITS.get(employer.name, DEFAULT_VISIT)
    return breakdown_services.breakdown_create(
        employer=employer,
        by=by,
        visited_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        visitors=visitors,
        interviewee=interviewee if employer.name in VISITS else (employer.contact_name or interviewee),
        unmet_needs=needs,
        culture_notes=culture,
    )


def ensure_rows(breakdown: TaskBreakdown, tasks: list, by: User) -> list:
    rows = []
    for spec in tasks:
        (duty, task, steps, frequency, months, minutes, batch, place, postures, lifting, tools, gear, env,
         teaching, code, cut_out, conditions, engagements, capacity, days, slots) = spec  # fmt: skip
        row = breakdown.rows.filter(task=task).first()
        if row is None:
            row = breakdown_services.row_add(
                breakdown=breakdown, by=by, duty=duty, task=task, steps=steps, frequency=frequency,
                months=months, duration_minutes=minutes, batch_size=batch, place=place, postures=postures,
                lifting_kg=lifting, tools=tools, protective_gear=gear, environment_factors=env,
                teaching_methods=teaching, demands=ratings(code), cut_out=cut_out,
                cut_out_conditions=conditions, engagement_types=engagements, capacity=capacity, days=days,
                time_slots=slots,
            )  # fmt: skip
        rows.append((row, spec))
    return rows


class Counter:
    def __init__(self) -> None:
        self.index = 0

    def next(self) -> int:
        self.index += 1
        return self.index


def plan_state(i: int, rich: bool) -> tuple[ProgramStatus, SharingScope, int | None]:
    """Status, scope and how many months ago it was verified (None: never), spread so that
    every state, scope and the re-verification queue have examples."""
    if rich:
        return ProgramStatus.PUBLISHED, SharingScope.PREFECTURE, 1
    if i % 9 == 1:
        return ProgramStatus.DRAFT, SharingScope.REGION, None
    if i % 9 == 4:
        return ProgramStatus.IN_REVIEW, SharingScope.REGION, None
    if i % 13 == 7:
        return ProgramStatus.ARCHIVED, SharingScope.REGION, 20
    scope = SharingScope.PREFECTURE if i % 4 == 0 else SharingScope.OWN_AGENCY if i % 7 == 3 else SharingScope.REGION
    months = None if i % 11 == 5 else (14 + i % 6) if i % 5 == 2 else 1 + i % 8
    return ProgramStatus.PUBLISHED, scope, months


def make_program(employer, rows_specs, engagement, by, i, stdout) -> Program | None:
    row, spec = rows_specs[0]
    title = title_for(row.task, engagement)
    if Program.objects.filter(employer=employer, title=title).exists():
        return None
    rows = [r for r, _ in rows_specs]
    program = breakdown_services.program_create_from_rows(
        employer=employer, rows=rows, by=by, title=title, engagement_type=engagement
    )
    fields = default_fields(employer, row, engagement, spec[11], spec[16])
    rich = RICH_PROGRAMS.get((employer.name, title))
    if rich:
        fields.update(rich)
    timetable = fields.pop("timetable")
    program = services.program_update(program=program, by=by, version=program.version, timetable=timetable, **fields)
    status, scope, months = plan_state(i, rich is not None)
    if scope != program.sharing_scope:
        program = services.program_update(program=program, by=by, version=program.version, sharing_scope=scope)
    if status == ProgramStatus.IN_REVIEW or rich or i % 3 == 0:
        link, _token = services.review_link_create(program=program, by=by)
        if status == ProgramStatus.IN_REVIEW:
            program = services.program_submit_for_review(program=program, by=by)
            services.review_comment_add(
                link=link,
                section=ReviewSection.CLIENT,
                body="集合場所は裏の通用口に変更してください。",
                author_name=employer.contact_name,
            )
        else:
            # The page says "○○ 様が承認": the typed name carries no honorific.
            approver = (employer.contact_name or "ご担当者").removesuffix("様")
            services.review_approve(link=link, approver_name=approver)
    if status in (ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED):
        program = services.program_publish(program=program, by=by)
        if months is not None:
            verified = add_months(timezone.localdate(), -months)
            method = ["visit", "phone", "review_link"][i % 3]
            program = services.program_reverify(program=program, by=by, method=method, on=verified)
    if status == ProgramStatus.ARCHIVED:
        program = services.program_archive(program=program, by=by)
    return program


def seed(stdout) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    counter = Counter()
    created = 0
    for employer in Employer.objects.filter(name__in=TASKS).select_related("owner").order_by("pk"):
        by = writer_for(employer, admin)
        breakdown = ensure_breakdown(employer, by)
        rows_specs = ensure_rows(breakdown, TASKS[employer.name], by)
        for row, spec in rows_specs:
            engagements = spec[17]
            engagement = "experience" if "experience" in engagements else engagements[0]
            if make_program(employer, [(row, spec)], engagement, by, counter.next(), stdout):
                created += 1
        if employer.name in VISITS:  # the report's examples: also a visit and a part-time job
            first = rows_specs[0]
            for engagement in ("visit", "part_time"):
                if make_program(employer, [first], engagement, by, counter.next(), stdout):
                    created += 1
    stdout.write(f"Sheets: {created} programs created ({Program.objects.count()} in total).")
    # Clients, self-introductions and referrals (issue 4): sheets/demo_clients.py.
    from sheets.demo.clients import seed as seed_clients

    seed_clients(stdout)
    # つなぎ: the agency directory, needs checks and hand-offs (issue 18): sheets/demo/network.py.
    from sheets.demo.network import seed as seed_network

    seed_network(stdout)
    # ① employer introductions (printing work): sheets/print_demo.py.
    from sheets.demo.intros import seed as seed_print

    seed_print(stdout)
