"""Demo figures for the evaluation page (`manage.py seed_demo`): pseudonymous clients of the
agencies of 伊丹市 and 川西市 with referrals, experiences, hires and 1/3/6-month follow-ups
over the last seven quarters — more experiences each quarter, and hires after an experience
staying somewhat more often than hires without one. Written through the referral services
(audit and all), dates set afterwards: each client is registered a few days before their first
referral, so an agency's list of clients starts with the ones it works with today (the demo
clients of sheets/demo/clients.py), as it would after two years of use. Idempotent: skipped
when the demo clients exist.

Also ties outcomes of those regions' demo logic models to indicators (Check → Act)."""

import datetime
import random

from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from registry.dates import add_months
from registry.models import Agency, Region
from sheets.clients import services
from sheets.clients.models import Client, Referral, TriedFirst
from sheets.programs.models import Program
from sheets.vocabulary import EngagementType
from workshops.evaluation.figures import region_programs
from workshops.evaluation.periods import quarter_of
from workshops.models import IndicatorKind, LogicModelItem

REGIONS = ("伊丹市", "川西市")
# The names they want to be called: common family names, as counselors write them (さとうさん);
# none of them is a name of sheets/demo/clients.py, whose clients are called by given names.
FAMILY_NAMES = (
    *("さとう", "すずき", "たかはし", "たなか", "わたなべ", "いとう", "やまもと", "なかむら", "こばやし", "かとう"),
    *("よしだ", "やまだ", "ささき", "やまぐち", "まつもと", "いのうえ", "きむら", "はやし", "さいとう", "しみず"),
    *("やまざき", "もり", "いけだ", "はしもと", "あべ", "いしかわ", "やました", "なかじま", "いしい", "おがわ"),
    *("まえだ", "おかだ", "はせがわ", "ふじた", "ごとう", "こんどう", "むらかみ", "えんどう", "あおき", "さかもと"),
    *("ふくだ", "おおた", "にしむら", "ふじい", "かねこ", "おかもと", "ふじわら", "なかの", "みうら", "はらだ"),
    *("まつだ", "たけうち", "なかがわ", "のむら", "まつい", "きくち", "うえの", "きのした", "のぐち", "すぎやま"),
    *("まるやま", "いまい", "こうの", "おおの", "たかぎ", "くどう", "ちば", "いわさき", "さくらい", "ほりえ"),
    *("かわむら", "ひらの", "うちだ", "あらい", "おおつか", "よこやま", "ひらた", "くぼ", "みやもと", "すがわら"),
)
NAMES = tuple(f"{name}さん" for name in FAMILY_NAMES)
# A referral is proposed this many days before the experience or job starts.
PROPOSED_BEFORE = 10
# A client is registered this many days before their first referral is proposed.
REGISTERED_BEFORE = 5
# Per quarter, oldest first: (clients who try a work experience, clients hired straight into a job).
PLAN = {
    "伊丹市": [(9, 4), (10, 4), (11, 4), (12, 5), (13, 4), (14, 4), (8, 2)],
    "川西市": [(6, 3), (7, 4), (7, 3), (8, 4), (9, 4), (10, 4), (6, 2)],
}
# Chance of still working at 1, 3 and 6 months (once someone has left, they have left).
STAY = {"after": (0.95, 0.9, 0.85), "without": (0.7, 0.45, 0.3)}
INDICATORS = {"work": IndicatorKind.EXPERIENCES, "general": IndicatorKind.HIRES, "retention": IndicatorKind.WORKING_6M}


def seed(stdout) -> None:
    created = 0
    for name in REGIONS:
        region = Region.objects.filter(name=name).first()
        if region is None:
            continue
        made = _seed_region(region)
        if made:
            _number_by_registration(Agency.objects.filter(region=region))
        created += made
        _tie_indicators(region)
    stdout.write(f"Evaluation: {created} demo referrals over seven quarters.")


def _counselor_of(agencies):
    from sheets.demo.clients import _counselor

    for agency in agencies:
        user = _counselor(agency)
        if user is not None:
            return agency, user
    return None, None


def _seed_region(region: Region) -> int:
    agencies = list(Agency.objects.filter(region=region, is_active=True).order_by("pk"))
    if Client.objects.filter(agency__in=agencies, preferred_name__in=NAMES).exists():
        return 0
    programs = list(region_programs(region).order_by("pk"))
    experiences = [p for p in programs if p.engagement_type == EngagementType.EXPERIENCE]
    job_types = (EngagementType.PART_TIME, EngagementType.FLEXIBLE)
    # Jobs the region's agencies may refer to (a neighbouring town's, shared with the prefecture).
    jobs = list(Program.objects.published_for(region).filter(engagement_type__in=job_types).order_by("pk"))
    jobs = jobs or experiences  # hired straight after a first referral, without trying the work
    if not experiences:
        return 0
    _backdate(programs, rng_seed=region.code)
    rng = random.Random(f"evaluation-{region.code}")  # noqa: S311 (demo data)
    today = timezone.localdate()
    quarter = quarter_of(today)
    quarters = []
    for _i in range(len(PLAN[region.name])):
        quarters.append(quarter)
        quarter = quarter.previous()
    quarters.reverse()
    made = 0
    named: dict[int, int] = {}  # agency pk → its clients so far: names differ within an agency
    for quarter, (tries, direct) in zip(quarters, PLAN[region.name], strict=True):
        for index in range(tries + direct):
            agency, by = _counselor_of(agencies[index % len(agencies) :] + agencies[: index % len(agencies)])
            if by is None:
                return made
            number = named[agency.pk] = named.get(agency.pk, -1) + 1
            client = services.client_create(agency=agency, by=by, preferred_name=NAMES[number % len(NAMES)])
            span = max((min(quarter.end, today) - quarter.start).days - 20, 1)
            day = quarter.start + datetime.timedelta(days=rng.randrange(span))
            _registered(client, day - datetime.timedelta(days=PROPOSED_BEFORE + REGISTERED_BEFORE))
            if index < tries:
                made += _experience(client, by, rng.choice(experiences), day, today, rng)
            else:
                made += _direct_hire(client, by, rng.choice(jobs), day, today, rng)
    return made


def _backdate(programs, *, rng_seed: str) -> None:
    """Demo programs were all published when the demo was loaded: spread their publication over
    the seven quarters so that the region's supply grows on the page (demo only)."""
    rng = random.Random(f"published-{rng_seed}")  # noqa: S311 (demo data)
    now = timezone.now()
    for program in programs:
        days = rng.randrange(30, 600)
        Program.objects.filter(pk=program.pk).update(published_at=now - datetime.timedelta(days=days))


def _registered(client: Client, on: datetime.date) -> None:
    """The client as registered on `on` (numbered afterwards: _number_by_registration)."""
    # In office hours, a minute apart from the day's other clients (the list is newest first).
    in_the_day = datetime.timedelta(minutes=client.pk % 480)
    registered = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)) + in_the_day)
    Client.objects.filter(pk=client.pk).update(created_at=registered, updated_at=registered)


def _number_by_registration(agencies) -> None:
    """Each agency's client numbers in the order the clients were registered, per year
    (C-2025-0001, …), as client_create gives them when they come one by one."""
    for agency in agencies:
        clients = list(Client.objects.filter(agency=agency).order_by("created_at", "pk"))
        Client.objects.filter(agency=agency).update(code=Concat(Value("renumbering-"), "pk"))  # codes are unique
        numbers: dict[int, int] = {}
        for client in clients:
            year = timezone.localtime(client.created_at).year
            numbers[year] = numbers.get(year, 0) + 1
            client.code = f"C-{year}-{numbers[year]:04d}"
        Client.objects.bulk_update(clients, ["code"])


def _dated(referral: Referral, **dates) -> None:
    Referral.objects.filter(pk=referral.pk).update(**dates)


def _experience(client, by, program, day, today, rng) -> int:
    referral = services.referral_propose(client=client, program=program, by=by)
    _dated(referral, proposed_on=day - datetime.timedelta(days=PROPOSED_BEFORE))
    if rng.random() < 0.08 or day + datetime.timedelta(days=3) > today:
        return 1  # still proposed
    referral.refresh_from_db()
    referral = services.referral_schedule(referral=referral, by=by, starts_on=day, ends_on=day)
    referral = services.referral_complete(referral=referral, by=by, done_on=day)
    if rng.random() < 0.6:
        hired_on = day + datetime.timedelta(days=14)
        if hired_on <= today:
            group = TriedFirst.REGISTRY if rng.random() < 0.5 else ""  # recorded, or known from the program
            services.referral_outcome(
                referral=referral,
                by=by,
                outcome="hired",
                hired_on=hired_on,
                tried_first=group,
                **_checks(hired_on, today, "after", rng),
            )
    return 1


def _direct_hire(client, by, program, day, today, rng) -> int:
    referral = services.referral_propose(client=client, program=program, by=by)
    _dated(referral, proposed_on=day - datetime.timedelta(days=PROPOSED_BEFORE))
    referral.refresh_from_db()
    referral = services.referral_schedule(referral=referral, by=by, starts_on=day, ends_on=day)
    referral = services.referral_complete(referral=referral, by=by, done_on=day)
    # Most were recorded as hired without trying the work first; a few were not recorded.
    tried = TriedFirst.NONE if rng.random() < 0.8 else ""
    group = "without"
    services.referral_outcome(
        referral=referral, by=by, outcome="hired", hired_on=day, tried_first=tried, **_checks(day, today, group, rng)
    )
    return 1


def _checks(hired_on: datetime.date, today: datetime.date, group: str, rng) -> dict:
    checks = {}
    working = True
    for (name, months), chance in zip(
        (("working_1m", 1), ("working_3m", 3), ("working_6m", 6)), STAY[group], strict=True
    ):
        if add_months(hired_on, months) > today:
            break
        if working:
            # The chance of staying until this check, given they stayed until the last one.
            before = (
                STAY[group][("working_1m", "working_3m", "working_6m").index(name) - 1] if name != "working_1m" else 1
            )
            working = rng.random() < chance / before
        checks[name] = working
    return checks


def _tie_indicators(region: Region) -> None:
    """The first outcome of each kind that a figure measures gets its indicator (demo only)."""
    for category, kind in INDICATORS.items():
        item = (
            LogicModelItem.objects.filter(logic_model__series__region=region, category=category, indicator="")
            .order_by("position", "pk")
            .first()
        )
        if (
            item is not None
            and not LogicModelItem.objects.filter(logic_model=item.logic_model, indicator=kind).exists()
        ):
            LogicModelItem.objects.filter(pk=item.pk).update(indicator=kind)
