"""Demo workshops, called by `manage.py seed_demo` inside its transaction. Idempotent:
everything is looked up by its natural key before it is created."""

import uuid
from datetime import timedelta

from django.utils import timezone

from registry.models import Agency, Membership, Region, Role
from workshops import demo_data as demo
from workshops.models import (
    CardHeading,
    LogicModel,
    LogicModelItem,
    LogicModelLink,
    Mechanism,
    OpinionCard,
    RegionStep,
    Status,
    SurveyAnswer,
    WorkshopSeries,
    WorkshopSession,
)

DEMO_NAMESPACE = uuid.UUID("6f1c9a52-3f7e-4a53-9d2a-2b1d3c4e5f60")


def seed(stdout) -> None:
    today = timezone.localdate()
    for spec in (demo.KAWANISHI, demo.ITAMI):
        region = Region.objects.filter(code=spec["region"]).first()
        if region is None:
            continue
        series = _series(spec, region)
        sessions = _sessions(spec, series, today)
        _cards(spec, region, sessions)
        _logic_model(series, demo.LOGIC_MODELS[spec["region"]])
        _survey(region, sessions)
    _steps(today)
    _mechanisms()
    stdout.write("Workshops: demo series for 川西市 and 伊丹市.")


def _series(spec: dict, region: Region) -> WorkshopSeries:
    organiser = Agency.objects.get(region=region, name=spec["organiser"])
    series, _created = WorkshopSeries.objects.get_or_create(
        organiser=organiser,
        title=spec["title"],
        defaults={"region": region, "facilitator_notes": spec["notes"]},
    )
    series.participants.add(*Agency.objects.filter(region=region, name__in=spec["participants"]))
    return series


def _sessions(spec: dict, series: WorkshopSeries, today) -> dict[int, WorkshopSession]:
    from workshops.models import default_themes

    sessions = {}
    for number, days_ago, place, minutes in spec["sessions"]:
        sessions[number], _created = WorkshopSession.objects.get_or_create(
            series=series,
            number=number,
            defaults={
                "held_on": today - timedelta(days=days_ago),
                "place": place,
                "duration_minutes": minutes,
                "themes": default_themes(number),
                "is_open": False,
            },
        )
    return sessions


def _cards(spec: dict, region: Region, sessions: dict[int, WorkshopSession]) -> None:
    agencies = {key: Agency.objects.get(region=region, name=name) for key, name in spec["agencies"].items()}
    coordinator = (
        Membership.objects.filter(agency__name=spec["organiser"], role=Role.COORDINATOR).select_related("user").first()
    )
    author = coordinator.user if coordinator else None
    by_text = {}
    for number, theme, table, agency_key, text, votes in spec["cards"]:
        by_text[text], _created = OpinionCard.objects.get_or_create(
            session=sessions[number],
            text=text,
            defaults={
                "theme": theme,
                "table": table,
                "agency": agencies.get(agency_key),
                "votes": votes,
                "created_by": author,
            },
        )
    for merged_text, original_texts in spec["merges"]:
        originals = [by_text[t] for t in original_texts]
        merged, _created = OpinionCard.objects.get_or_create(
            session=originals[0].session,
            text=merged_text,
            defaults={
                "theme": originals[0].theme,
                "votes": sum(c.votes for c in originals),
                "created_by": author,
            },
        )
        OpinionCard.objects.filter(pk__in=[c.pk for c in originals]).update(merged_into=merged)
    for number, theme, title, fragments in spec["headings"]:
        heading, _created = CardHeading.objects.get_or_create(session=sessions[number], theme=theme, title=title)
        for fragment in fragments:
            OpinionCard.objects.live().filter(session=sessions[number], theme=theme, text__contains=fragment).update(
                heading=heading
            )


def _logic_model(series: WorkshopSeries, rows: list) -> None:
    logic_model, _created = LogicModel.objects.get_or_create(
        series=series,
        defaults={"title": f"{series.region.name} しごと・就労支援を切り口にした地域づくりロジックモデル目標ガイド"},
    )
    items = {}
    for position, (key, column, category, text, figure, _links) in enumerate(rows, start=1):
        items[key], _created = LogicModelItem.objects.get_or_create(
            logic_model=logic_model,
            column=column,
            text=text,
            defaults={"category": category, "figure": figure, "position": position},
        )
    for key, _column, _category, _text, _figure, links in rows:
        for target in links:
            LogicModelLink.objects.get_or_create(source=items[key], target=items[target])
    if logic_model.status != Status.PUBLISHED:
        logic_model.status = Status.PUBLISHED
        logic_model.published_at = timezone.now()
        logic_model.save(update_fields=["status", "published_at", "updated_at"])


def _survey(region: Region, sessions: dict[int, WorkshopSession]) -> None:
    for index, (code, number, count, connections, insights, next_steps) in enumerate(demo.SURVEY):
        if code != region.code:
            continue
        SurveyAnswer.objects.get_or_create(
            submission_id=uuid.uuid5(DEMO_NAMESPACE, f"survey-{index}"),
            defaults={
                "session": sessions[number],
                "new_connections": count,
                "connections": connections,
                "insights": insights,
                "next_steps": next_steps,
            },
        )


def _steps(today) -> None:
    for code, step, status, started, completed, notes in demo.STEPS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        RegionStep.objects.get_or_create(
            region=region,
            step=step,
            defaults={
                "status": status,
                "started_on": today - timedelta(days=started) if started is not None else None,
                "completed_on": today - timedelta(days=completed) if completed is not None else None,
                "notes": notes,
            },
        )


def _mechanisms() -> None:
    for position, (code, kind, custom_name, agency_name, description) in enumerate(demo.MECHANISMS, start=1):
        agency = Agency.objects.filter(region__code=code, name=agency_name).first()
        if agency is None:
            continue
        Mechanism.objects.get_or_create(
            region=agency.region,
            kind=kind,
            custom_name=custom_name,
            defaults={"agency": agency, "description": description, "position": position},
        )
