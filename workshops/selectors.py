"""Reads worth naming: the card board, the logic model layout, live registry figures,
survey summaries and the platform diagram."""

import math
from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet, Sum
from django.utils.translation import gettext as _

from registry.models import Region
from registry.smallcounts import SafeCount, safe
from sheets.vocabulary import EngagementType
from workshops.evaluation.figures import indicators, region_programs
from workshops.models import (
    COLUMN_CATEGORIES,
    COLUMN_CODES,
    CardHeading,
    Column,
    FigureKind,
    LogicModel,
    LogicModelItem,
    Mechanism,
    OpinionCard,
    SurveyAnswer,
    Theme,
    WorkshopSession,
)

# --- Registry figures ------------------------------------------------------------------------------

FIGURE_ENGAGEMENT = {
    FigureKind.PROGRAMS_VISIT: EngagementType.VISIT,
    FigureKind.PROGRAMS_EXPERIENCE: EngagementType.EXPERIENCE,
    FigureKind.PROGRAMS_PART_TIME: EngagementType.PART_TIME,
    FigureKind.PROGRAMS_FLEXIBLE: EngagementType.FLEXIBLE,
}


@dataclass
class Figure:
    kind: str
    label: str
    count: SafeCount


def registry_figure(region: Region, kind: str) -> Figure:
    """Published programs of the region's employers that every agency of the region may see
    (optionally of one engagement type), counted now. The evaluation page's rule
    (`region_programs`): a program of a neighbouring region shared with the prefecture is not
    the region's, and the logic model and the evaluation page must not disagree."""
    programs = region_programs(region)
    if kind in FIGURE_ENGAGEMENT:
        programs = programs.filter(engagement_type=FIGURE_ENGAGEMENT[kind])
    return Figure(kind, str(FigureKind(kind).label), safe(programs.count()))


# --- Card board ------------------------------------------------------------------------------------------


@dataclass
class HeadingGroup:
    heading: CardHeading | None
    cards: list[OpinionCard]


@dataclass
class ThemeBoard:
    theme: str
    label: str
    groups: list[HeadingGroup]
    headings: list[CardHeading]
    count: int


def session_board(session: WorkshopSession, order: str = "created") -> list[ThemeBoard]:
    """Live cards per theme, grouped under headings (ungrouped first), with their originals."""
    cards = list(
        session.cards.live()
        .select_related("agency", "heading")
        .prefetch_related("originals__agency")
        .order_by(*(("-votes", "created_at") if order == "votes" else ("created_at", "id")))
    )
    headings = list(session.headings.all())
    boards = []
    for theme in session.themes:
        theme_cards = [c for c in cards if c.theme == theme]
        theme_headings = [h for h in headings if h.theme == theme]
        groups = [HeadingGroup(None, [c for c in theme_cards if c.heading_id is None])]
        groups += [HeadingGroup(h, [c for c in theme_cards if c.heading_id == h.pk]) for h in theme_headings]
        boards.append(ThemeBoard(theme, Theme(theme).label, groups, theme_headings, len(theme_cards)))
    return boards


# --- Logic model layout ---------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One cell of a logic-model column: an item or a sub-heading (outcome kind)."""

    item: LogicModelItem | None = None
    label: str = ""
    code: str = ""
    targets: list[str] = field(default_factory=list)
    target_links: list[tuple[str, object]] = field(default_factory=list)  # (code, item uuid)
    figure: object = None
    indicator: object = None  # workshops.evaluation.figures.Indicator: value and trend (Check → Act)


@dataclass
class ColumnLayout:
    key: str
    label: str
    entries: list[Entry]


@dataclass
class LogicModelLayout:
    columns: list[ColumnLayout]
    items: list[LogicModelItem]
    links: list[tuple[Entry, Entry, object]]  # (from, to, LogicModelLink)
    item_count: int


def logic_model_layout(logic_model: LogicModel, *, with_figures: bool = True) -> LogicModelLayout:
    """Columns left to right; every item gets a short code (N1, I2, S3…) so that links can be
    printed as "→ S1, S3" — readable on paper and in text extraction."""
    items = list(
        logic_model.items.prefetch_related("links_out__target").select_related("source_card").order_by("position", "id")
    )
    region = logic_model.series.region
    measured = indicators(region, [i.indicator for i in items]) if with_figures else {}
    codes: dict[int, str] = {}
    columns = []
    for column in Column:
        in_column = [i for i in items if i.column == column.value]
        ordered: list[tuple[str, list[LogicModelItem]]] = []
        if column in COLUMN_CATEGORIES:
            for category in COLUMN_CATEGORIES[column]:
                ordered.append((str(category.label), [i for i in in_column if i.category == category.value]))
        else:
            ordered.append(("", in_column))
        entries = []
        number = 0
        for label, group in ordered:
            if label and group:
                entries.append(Entry(label=label))
            for item in group:
                number += 1
                codes[item.pk] = f"{COLUMN_CODES[column.value]}{number}"
                figure = registry_figure(region, item.figure) if (item.figure and with_figures) else None
                entries.append(
                    Entry(item=item, code=codes[item.pk], figure=figure, indicator=measured.get(item.indicator))
                )
        columns.append(ColumnLayout(column.value, str(column.label), entries))
    by_item = {e.item.pk: e for c in columns for e in c.entries if e.item is not None}
    links = []
    for column in columns:
        for entry in column.entries:
            if entry.item is None:
                continue
            targets = sorted(entry.item.links_out.all(), key=lambda link: _code_key(codes[link.target_id]))
            entry.targets = [codes[link.target_id] for link in targets]
            entry.target_links = [(codes[link.target_id], link.target.uuid) for link in targets]
            links += [(entry, by_item[link.target_id], link) for link in targets]
    return LogicModelLayout(columns, items, links, len(items))


def _code_key(code: str) -> tuple[int, int]:
    return ("NISML".index(code[0]), int(code[1:]))


def merged_family(card: OpinionCard, cards: QuerySet[OpinionCard] | None = None) -> list[OpinionCard]:
    """The card and every card merged into it, at any depth (a merged card may be merged
    again). `cards` is where to look: the deleting service passes a locking queryset."""
    cards = OpinionCard.objects.all() if cards is None else cards
    found, level = [card], [card.pk]
    while level:
        originals = list(cards.filter(merged_into_id__in=level).order_by("created_at", "id"))
        found += originals
        level = [c.pk for c in originals]
    return found


@dataclass
class CardDeletion:
    """What goes with a card: the originals merged into it, and the logic-model items made
    from any of them (they stay, without the pointer to the card)."""

    card: OpinionCard
    originals: list[OpinionCard]
    items: list[LogicModelItem]


def card_deletion(card: OpinionCard) -> CardDeletion:
    family = merged_family(card)
    items = list(LogicModelItem.objects.filter(source_card__in=family).order_by("column", "position", "id"))
    return CardDeletion(card, family[1:], items)


def cards_for_logic_model(logic_model: LogicModel) -> list[OpinionCard]:
    """Live cards of every session of the series, most voted first: the raw material."""
    return list(
        OpinionCard.objects.live()
        .filter(session__series=logic_model.series)
        .select_related("session")
        .order_by("-votes", "session__number", "created_at")
    )


# --- Survey ---------------------------------------------------------------------------------------------------------


QUESTIONS = ("connections", "insights", "next_steps")


def survey_answered(session: WorkshopSession, submission_id) -> bool:
    """Whether this submission id (one browser's) has already answered the session's survey."""
    return SurveyAnswer.objects.filter(session=session, submission_id=submission_id).exists()


def survey_summary(session: WorkshopSession) -> dict:
    answers = SurveyAnswer.objects.filter(session=session)
    stats = answers.aggregate(
        count=Count("id"), average=Avg("new_connections"), total=Sum("new_connections"), rated=Count("new_connections")
    )
    questions = []
    for name in QUESTIONS:
        texts = [t for t in answers.exclude(**{name: ""}).values_list(name, flat=True)]
        questions.append({"name": name, "label": SurveyAnswer._meta.get_field(name).verbose_name, "answers": texts})
    return {"stats": stats, "questions": questions}


# --- Platform diagram ------------------------------------------------------------------------------------------------


@dataclass
class DiagramText:
    y: float
    text: str
    size: int
    bold: bool = False


@dataclass
class DiagramNode:
    mechanism: Mechanism
    x: float  # top-left corner of the box
    y: float
    centre_x: float
    centre_y: float
    texts: list[DiagramText]


DIAGRAM_SIZE = (760, 520)
NODE_SIZE = (224, 92)


# Japanese lines are best broken after particles and separators, not mid-word.
BREAK_AFTER = "のをとにで・、）"


def _wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """Wrap Japanese (no spaces) into lines of at most `width` characters, preferring breaks
    after particles that balance the lines; an ellipsis marks text that did not fit."""
    lines: list[str] = []
    rest = text
    while len(rest) > width and len(lines) < max_lines - 1:
        cut = _best_break(rest, width)
        lines.append(rest[:cut])
        rest = rest[cut:]
    if len(rest) > width:
        rest = rest[: width - 1] + "…"
    return [*lines, rest]


def _best_break(text: str, width: int) -> int:
    """After a particle, as balanced as possible within `width`; else a hard cut."""
    candidates = [i + 1 for i, ch in enumerate(text[:width]) if ch in BREAK_AFTER and i + 1 >= width // 3]
    if not candidates:
        return width
    return min(candidates, key=lambda cut: max(cut, len(text) - cut))


def _node_texts(mechanism: Mechanism, top: float) -> list[DiagramText]:
    texts = [
        DiagramText(round(top + 24 + 19 * i, 1), line, 14, True) for i, line in enumerate(_wrap(mechanism.name, 13))
    ]
    texts.append(DiagramText(round(top + NODE_SIZE[1] - 12, 1), _wrap(mechanism.agency.name, 19, 1)[0], 11))
    return texts


def platform_diagram(region: Region) -> dict:
    """Mechanisms placed on an ellipse around the region's platform, for an inline SVG."""
    mechanisms = list(Mechanism.objects.filter(region=region).select_related("agency"))
    width, height = DIAGRAM_SIZE
    cx, cy = width / 2, height / 2
    nodes = []
    for index, mechanism in enumerate(mechanisms):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(mechanisms), 1)
        x = cx + (width / 2 - NODE_SIZE[0] / 2 - 8) * math.cos(angle)
        y = cy + (height / 2 - NODE_SIZE[1] / 2 - 8) * math.sin(angle)
        top = y - NODE_SIZE[1] / 2
        nodes.append(
            DiagramNode(
                mechanism,
                round(x - NODE_SIZE[0] / 2, 1),
                round(top, 1),
                round(x, 1),
                round(y, 1),
                _node_texts(mechanism, top),
            )
        )
    centre_lines = _wrap(_("Employment support platform of %(region)s") % {"region": region.name}, 10, 3)
    first = cy - 10 * (len(centre_lines) - 1) + 6
    return {
        "nodes": nodes,
        "width": width,
        "height": height,
        "cx": cx,
        "cy": cy,
        "node_w": NODE_SIZE[0],
        "node_h": NODE_SIZE[1],
        "centre_texts": [DiagramText(round(first + 20 * i, 1), line, 16, True) for i, line in enumerate(centre_lines)],
    }
