"""Seeds the bench database: regions of 47 prefectures, agencies with staff, employers with a
task breakdown, programs (80 % published) with their search fields, clients with a
self-introduction, and referrals — from a fixed random seed, through COPY.

`python -m bench.seed --scale full` (DATABASE_URL names the database; DJANGO_SETTINGS_MODULE
bench.settings). A marker table holds the fingerprint (seed, scale, SEED_VERSION): a database
already seeded with the same fingerprint is left alone, so repeated runs skip seeding."""

import argparse
import datetime
import hashlib
import json
import random
import re
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from types import SimpleNamespace

import django

from bench.bulk import NOW

SEED = 20261127
SEED_VERSION = 1  # bump when the generated data changes: bench databases are then re-seeded
PASSWORD = "bench-pass-2026"  # every bench account's password (make load logs in with it)
MARKER = "bench_seed_marker"


@dataclass(frozen=True)
class Scale:
    regions_per_prefecture: int
    agencies: int
    employers_per_agency: int
    programs_per_employer: int
    clients_per_agency: int
    referrals_per_client: int


SCALES = {
    # 47 × 36 regions, 2,000 agencies, 20,000 employers, 100,000 programs, 50,000 clients, 200,000 referrals.
    "full": Scale(36, 2000, 10, 5, 25, 4),
    # The same shape, a tenth of the programs: query counts must be the same at both sizes.
    "small": Scale(1, 47, 40, 5, 10, 4),
    # A hundredth (940 programs): trying the bench out (`BENCH_SCALE=small make bench`).
    "tiny": Scale(1, 47, 4, 5, 10, 4),
    # 10,000 programs and 100 counselors: the drill's data (`make drill`: 50 counselors log in).
    "drill": Scale(3, 100, 20, 5, 10, 4),
    # Ten times the full data: 1,000,000 programs, 200,000 employers, 4,000 agencies
    # (`BENCH_SCALE=1m make bench`; not part of .ci/run).
    "1m": Scale(36, 4000, 50, 5, 25, 4),
}


def fingerprint(scale_name: str, seed: int) -> str:
    text = json.dumps([SEED_VERSION, seed, scale_name, asdict(SCALES[scale_name])])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- helpers ---------------------------------------------------------------------------------


def make_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def local_government_code(prefecture_code: str, serial: int) -> str:
    from registry.models import local_government_check_digit

    first_five = f"{prefecture_code}{serial:03d}"
    return first_five + str(local_government_check_digit(first_five))


DEMO_PLACES = re.compile("伊丹|川西|玖珠|杵築|きつき|いたみ|くす|稲野|有岡|昆陽池|能勢|いながわ|黒川|山香")


def localise(text: str, stem: str) -> str:
    """A demo text moved to another town: the report's place names become the town's."""
    return DEMO_PLACES.sub(stem, text)


# --- the data, table by table ------------------------------------------------------------------


class World:
    """Ids and facts the later tables refer to; ids are assigned here (no round trips)."""

    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.regions: list[SimpleNamespace] = []
        self.agencies: list[SimpleNamespace] = []
        self.employers: list[SimpleNamespace] = []
        self.published_by_prefecture: dict[int, list[int]] = defaultdict(list)
        self.counts: dict[str, int] = {}
        self.prefecture_ids: dict[str, int] = {}
        self.password_hash = ""
        self.source_rows: list[tuple[int, int]] = []  # (program id, task row id)
        self.timetables: list[tuple[int, list]] = []  # (program id, [(time, activity)])


def prefectures(world: World, first_id: int):
    from bench.vocab import PREFECTURES

    for index, (code, name) in enumerate(PREFECTURES):
        world.prefecture_ids[code] = first_id + index
        yield {"id": first_id + index, "code": code, "name": name}


def regions(world: World, first_id: int):
    from bench.vocab import PLACE_HEADS, PLACE_SUFFIXES, PLACE_TAILS, PREFECTURES

    rng, next_id = world.rng, first_id
    for code, pref_name in PREFECTURES:
        for serial in range(1, world.scale.regions_per_prefecture + 1):
            (head, head_kana), (tail, tail_kana) = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
            suffix, suffix_kana = PLACE_SUFFIXES[0 if serial % 3 else rng.randrange(1, 3)]
            region = SimpleNamespace(
                id=next_id, prefecture_id=world.prefecture_ids[code], stem=head + tail, name=head + tail + suffix
            )
            region.full_name = pref_name + region.name
            world.regions.append(region)
            next_id += 1
            yield {
                "id": region.id,
                "uuid": make_uuid(rng),
                "prefecture_id": region.prefecture_id,
                "code": local_government_code(code, serial * 10 % 1000 or serial),
                "name": region.name,
                "name_kana": head_kana + tail_kana + suffix_kana,
            }


def agencies(world: World, first_id: int):
    from bench.vocab import AGENCY_KINDS, STREETS

    rng, per_region = world.rng, defaultdict(int)
    for index in range(world.scale.agencies):
        region = world.regions[index % len(world.regions)]
        kind, kind_name, kind_kana = AGENCY_KINDS[(index + per_region[region.id]) % len(AGENCY_KINDS)]
        per_region[region.id] += 1
        agency = SimpleNamespace(id=first_id + index, region=region, name=f"{region.name}{kind_name}")
        world.agencies.append(agency)
        yield {
            "id": agency.id,
            "uuid": make_uuid(rng),
            "name": agency.name,
            "name_kana": kind_kana,
            "kind": kind,
            "region_id": region.id,
            "address": f"{region.full_name}{rng.choice(STREETS)}{rng.randint(1, 9)}-{rng.randint(1, 30)}",
            "phone": f"0{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            "is_active": True,
        }


def users(world: World, first_id: int):
    """Two staff per agency: a coordinator (agency admin too) and a counselor."""
    rng = world.rng
    for index, agency in enumerate(world.agencies):
        agency.coordinator_id = first_id + 2 * index
        agency.counselor_id = first_id + 2 * index + 1
        for offset, role in ((0, "coordinator"), (1, "counselor")):
            yield {
                "id": first_id + 2 * index + offset,
                "uuid": make_uuid(rng),
                "email": f"{role}{index + 1}@bench.invalid",
                "name": f"{role.title()} {index + 1}",
                "password": world.password_hash,
                "is_active": True,
                "is_superuser": False,
                "is_staff": False,
            }


def memberships(world: World, first_id: int):
    """Each agency's two staff; every tenth counselor also helps out at the next agency
    (people who work for two agencies exist: the acting agency decides what they see)."""
    rng, next_id = world.rng, first_id
    for index, agency in enumerate(world.agencies):
        pairs = [(agency.coordinator_id, agency.id, "agency_admin"), (agency.counselor_id, agency.id, "counselor")]
        if index % 10 == 0 and index + 1 < len(world.agencies):
            pairs.append((agency.counselor_id, world.agencies[index + 1].id, "counselor"))
        for user_id, agency_id, role in pairs:
            yield {"id": next_id, "uuid": make_uuid(rng), "user_id": user_id, "agency_id": agency_id, "role": role}
            next_id += 1


def employers(world: World, first_id: int):
    from bench.vocab import EMPLOYER_TEMPLATES, STREETS

    rng, next_id = world.rng, first_id
    for agency in world.agencies:
        for _ in range(world.scale.employers_per_agency):
            template = rng.choice(EMPLOYER_TEMPLATES)
            region = agency.region
            name = localise(template.name, region.stem)
            if name == template.name:
                name = f"{name} {region.stem}{rng.choice(STREETS)}事業所"
            employer = SimpleNamespace(
                id=next_id,
                agency=agency,
                region=region,
                template=template,
                name=name[:100],
                name_kana=template.kana,
                address=f"{region.full_name}{rng.choice(STREETS)}{rng.randint(1, 9)}-{rng.randint(1, 30)}",
                contact_name=template.contact,
                is_active=rng.random() > 0.02,
            )
            world.employers.append(employer)
            next_id += 1
            yield {
                "id": employer.id,
                "uuid": make_uuid(rng),
                "name": employer.name,
                "name_kana": employer.name_kana,
                "kind": template.kind,
                "industry": template.industry,
                "region_id": region.id,
                "address": employer.address,
                "access_notes": localise(template.access, region.stem)[:150],
                "contact_name": template.contact,
                "staff_count": template.staff,
                "description": localise(template.description, region.stem)[:300],
                "owner_id": agency.id,
                "is_active": employer.is_active,
            }


def breakdowns(world: World, first_id: int):
    from sheets.demo.data import DEFAULT_VISIT

    rng = world.rng
    days_ago, visitors, interviewee, needs, culture = DEFAULT_VISIT
    for index, employer in enumerate(world.employers):
        employer.breakdown_id = first_id + index
        yield {
            "id": employer.breakdown_id,
            "uuid": make_uuid(rng),
            "employer_id": employer.id,
            "visited_on": (NOW - datetime.timedelta(days=days_ago + rng.randint(0, 400))).date(),
            "visitors": visitors,
            "interviewee": employer.contact_name or interviewee,
            "unmet_needs": needs,
            "culture_notes": culture,
            "created_by_id": employer.agency.coordinator_id,
        }


def task_rows(world: World, first_id: int):
    from sheets.demo.seed import ratings

    rng, next_id = world.rng, first_id
    for employer in world.employers:
        employer.rows = []
        for position, task in enumerate(employer.template.tasks):
            row = SimpleNamespace(
                id=next_id, task=task.task, duty=task.duty, steps=task.steps, place=task.place, template=task
            )
            row.demands = ratings(task.ratings)
            employer.rows.append(row)
            next_id += 1
            yield {
                "id": row.id,
                "uuid": make_uuid(rng),
                "breakdown_id": employer.breakdown_id,
                "position": position,
                "duty": task.duty,
                "task": task.task,
                "steps": task.steps,
                "frequency": task.frequency,
                "months": task.months,
                "duration_minutes": task.minutes,
                "batch_size": task.batch,
                "place": task.place,
                "postures": task.postures,
                "lifting_kg": task.lifting,
                "tools": task.tools,
                "protective_gear": task.gear,
                "environment_factors": task.environment,
                "teaching_methods": task.teaching,
                "demands": row.demands,
                "cut_out": task.cut_out,
                "cut_out_conditions": task.conditions,
                "engagement_types": task.engagements,
                "capacity": task.capacity,
                "days": task.days,
                "time_slots": task.time_slots,
            }


STATUS_WEIGHTS = (("published", 80), ("draft", 8), ("in_review", 5), ("archived", 7))
SCOPE_WEIGHTS = (("region", 60), ("prefecture", 30), ("own_agency", 10))


def _weighted(rng: random.Random, weights) -> str:
    return rng.choices([value for value, _w in weights], [w for _v, w in weights])[0]


def program_fields(world: World, employer, row, engagement: str) -> dict:
    """What a coordinator would write for this task and engagement (the demo's defaults)."""
    from sheets.demo.seed import default_fields, title_for

    task = row.template
    employer_facts = SimpleNamespace(name=employer.name, contact_name=employer.contact_name)
    row_facts = SimpleNamespace(
        steps=row.steps,
        time_slots=task.time_slots,
        demands=row.demands,
        capacity=task.capacity,
        teaching_methods=task.teaching,
        task=task.task,
        days=task.days,
    )
    fields = default_fields(employer_facts, row_facts, engagement, task.gear, task.conditions)
    fields["title"] = title_for(task.task, engagement)[:100]
    fields["what_you_do"] = f"{fields['what_you_do']}\n{employer.region.name}の{employer.name}で{task.duty}をします。"
    return fields


def programs(world: World, first_id: int):
    """Programs with their search fields; their task-row links and timetables are kept for later."""
    from sheets.programs.search_fields import search_values

    rng, next_id = world.rng, first_id
    for employer in world.employers:
        for n in range(world.scale.programs_per_employer):
            row = employer.rows[n % len(employer.rows)]
            engagement = row.template.engagements[(n // len(employer.rows)) % len(row.template.engagements)]
            fields = program_fields(world, employer, row, engagement)
            timetable = fields.pop("timetable")
            status = _weighted(rng, STATUS_WEIGHTS)
            program = SimpleNamespace(id=next_id, employer=employer, demands=row.demands, **fields)
            next_id += 1
            if status == "published" and employer.is_active:
                world.published_by_prefecture[employer.region.prefecture_id].append(program.id)
            world.source_rows.append((program.id, row.id))
            world.timetables.append((program.id, timetable))
            verified = NOW.date() - datetime.timedelta(days=rng.randint(0, 500))
            yield {
                "id": program.id,
                "uuid": make_uuid(rng),
                "employer_id": employer.id,
                "owner_id": employer.agency.id,
                "engagement_type": engagement,
                "is_paid": engagement in ("part_time", "flexible"),
                "has_contract": engagement in ("part_time", "flexible"),
                "has_insurance": engagement != "visit",
                "demands": row.demands,
                "physical_notes": row.template.gear,
                "status": status,
                "sharing_scope": _weighted(rng, SCOPE_WEIGHTS),
                "last_verified_on": verified if status != "draft" else None,
                "verification_method": "visit" if status != "draft" else "",
                "verified_by_id": employer.agency.coordinator_id if status != "draft" else None,
                "published_at": NOW - datetime.timedelta(days=rng.randint(0, 700)) if status == "published" else None,
                "employer_approved": True if status in ("published", "archived") else None,
                "version": rng.randint(1, 5),
                "created_by_id": employer.agency.coordinator_id,
                **fields,
                **search_values(program, rows=[row]),
            }


def source_row_links(world: World, first_id: int):
    for index, (program_id, row_id) in enumerate(world.source_rows):
        yield {"id": first_id + index, "program_id": program_id, "taskrow_id": row_id}


def timetable_rows(world: World, first_id: int):
    next_id = first_id
    for program_id, rows in world.timetables:
        for position, (at, activity) in enumerate(rows):
            yield {"id": next_id, "program_id": program_id, "position": position, "time": at, "activity": activity}
            next_id += 1


def clients(world: World, first_id: int):
    from bench.vocab import CLIENT_NAMES

    rng, next_id = world.rng, first_id
    world.clients = []
    for agency in world.agencies:
        for n in range(world.scale.clients_per_agency):
            client = SimpleNamespace(id=next_id, agency=agency, name=f"{rng.choice(CLIENT_NAMES)}さん")
            world.clients.append(client)
            next_id += 1
            yield {
                "id": client.id,
                "uuid": make_uuid(rng),
                "agency_id": agency.id,
                "code": f"C{n + 1:05d}",
                "preferred_name": client.name,
                "created_by_id": agency.counselor_id,
            }


def introductions(world: World, first_id: int):
    from bench.vocab import INTERESTS, STRENGTHS, WORRIES
    from sheets.dimensions import KEYS

    rng = world.rng
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for index, client in enumerate(world.clients):
        client.introduction_id = first_id + index
        start = rng.choice([8, 9, 10, 13])
        yield {
            "id": client.introduction_id,
            "uuid": make_uuid(rng),
            "client_id": client.id,
            "preferred_name": client.name,
            "age_band": rng.choice(["10s", "20s", "30s", "40s", "50s", "60s"]),
            "counselor_name": "担当相談員",
            "interests": "、".join(rng.sample(INTERESTS, 2)),
            "interest_tags": sorted(rng.sample(["realistic", "investigative", "social", "conventional"], 2)),
            "strengths": "。".join(rng.sample(STRENGTHS, 2)),
            "confidence": {key: rng.randint(0, 3) for key in KEYS if rng.random() > 0.2},
            "want_to_confirm": [key for key in KEYS if rng.random() < 0.2],
            "worries": rng.choice(WORRIES),
            "accommodations": [a for a in ("extra_breaks", "written_steps", "shorter_hours") if rng.random() < 0.3],
            "days": [d for d in days if rng.random() < 0.5],
            "available_from": datetime.time(start, 0),
            "available_until": datetime.time(start + 3, 0),
            "engagement_types": rng.sample(["visit", "experience", "part_time"], 2),
            "created_by_id": client.agency.counselor_id,
        }


def introduction_regions(world: World, first_id: int):
    for index, client in enumerate(world.clients):
        yield {
            "id": first_id + index,
            "selfintroduction_id": client.introduction_id,
            "region_id": client.agency.region.id,
        }


REFERRAL_STATES = (("done", 45), ("proposed", 20), ("scheduled", 15), ("cancelled", 20))
OUTCOMES = (("hired", 30), ("another_program", 30), ("ended", 40))


def referrals(world: World, first_id: int):
    rng, next_id = world.rng, first_id
    for client in world.clients:
        candidates = world.published_by_prefecture.get(client.agency.region.prefecture_id)
        if not candidates:
            continue
        for _ in range(world.scale.referrals_per_client):
            status = _weighted(rng, REFERRAL_STATES)
            proposed = NOW.date() - datetime.timedelta(days=rng.randint(30, 700))
            row = {
                "id": next_id,
                "uuid": make_uuid(rng),
                "client_id": client.id,
                "program_id": rng.choice(candidates),
                "introduction_id": client.introduction_id,
                "status": status,
                "proposed_on": proposed,
                "created_by_id": client.agency.counselor_id,
            }
            if status in ("scheduled", "done"):
                row["starts_on"] = proposed + datetime.timedelta(days=14)
            if status == "cancelled":
                row |= {"cancelled_on": proposed + datetime.timedelta(days=7), "cancel_reason": "体調不良のため"}
            if status == "done":
                row |= done_fields(rng, row["starts_on"])
            next_id += 1
            yield row


def done_fields(rng: random.Random, starts_on: datetime.date) -> dict:
    outcome = _weighted(rng, OUTCOMES)
    fields = {"done_on": starts_on, "ends_on": starts_on, "outcome": outcome, "reflection": "最後まで参加できた。"}
    if outcome == "hired":
        fields |= {"hired_on": starts_on + datetime.timedelta(days=30), "working_1m": rng.random() < 0.85}
    return fields


# --- orchestration -----------------------------------------------------------------------------


def seeded_fingerprint() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT fingerprint FROM {MARKER}")  # noqa: S608 (constant name)
        row = cursor.fetchone()
    return row[0] if row else None


def load(world: World) -> None:
    """Every table in dependency order, one COPY each."""
    from django.apps import apps

    from bench.bulk import Table, next_id, reset_sequences

    program, intro = apps.get_model("sheets", "Program"), apps.get_model("sheets", "SelfIntroduction")
    steps = [
        (apps.get_model("registry", "Prefecture"), prefectures),
        (apps.get_model("registry", "Region"), regions),
        (apps.get_model("registry", "Agency"), agencies),
        (apps.get_model("registry", "User"), users),
        (apps.get_model("registry", "Membership"), memberships),
        (apps.get_model("registry", "Employer"), employers),
        (apps.get_model("sheets", "TaskBreakdown"), breakdowns),
        (apps.get_model("sheets", "TaskRow"), task_rows),
        (program, programs),
        (program.source_rows.through, source_row_links),
        (apps.get_model("sheets", "TimetableRow"), timetable_rows),
        (apps.get_model("sheets", "Client"), clients),
        (intro, introductions),
        (intro.regions.through, introduction_regions),
        (apps.get_model("sheets", "Referral"), referrals),
    ]
    for model, generator in steps:
        started, table = time.perf_counter(), model._meta.db_table
        world.counts[table] = Table(model).copy(generator(world, next_id(model)))
        print(f"  {table}: {world.counts[table]:,} rows ({time.perf_counter() - started:.1f} s)", flush=True)
    reset_sequences([model for model, _generator in steps])


def without_gin_index(work) -> None:
    """The bigram GIN index is built once after the load (as its migration defines it): far
    faster than maintaining it row by row."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("sheets.migrations.0004_program_search")
    with connection.schema_editor() as editor:
        migration.drop_gin_index(None, editor)
    work()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys now
    with connection.schema_editor() as editor:
        migration.create_gin_index(None, editor)


def seed(scale_name: str, seed_value: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from sheets.programs.models import Program

    call_command("migrate", verbosity=0, interactive=False)
    wanted = fingerprint(scale_name, seed_value)
    found = seeded_fingerprint()
    if found == wanted:
        print(f"bench: database already seeded ({scale_name}, fingerprint {wanted}): seeding skipped", flush=True)
        return read_marker()
    if found is not None or Program.objects.exists():
        sys.exit("bench: the database holds other data: drop it first (`make bench BENCH_FORCE_SEED=1` does)")
    world = World(SCALES[scale_name], seed_value)
    world.password_hash = make_password(PASSWORD)
    started = time.perf_counter()
    with transaction.atomic():
        without_gin_index(lambda: load(world))
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    info = {
        "fingerprint": wanted,
        "scale": scale_name,
        "seed": seed_value,
        "seconds": round(time.perf_counter() - started, 1),
        "load_seconds": round(load_seconds, 1),
        "rows": world.counts,
    }
    write_marker(info)
    return info


def write_marker(info: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (fingerprint text PRIMARY KEY, info jsonb NOT NULL)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", [info["fingerprint"], json.dumps(info)])  # noqa: S608


def read_marker() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT info FROM {MARKER}")  # noqa: S608 (constant name)
        info = cursor.fetchone()[0]
    return json.loads(info) if isinstance(info, str) else info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", help="write the seeding figures here (JSON)")
    args = parser.parse_args()
    django.setup()
    info = seed(args.scale, args.seed)
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(info, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
