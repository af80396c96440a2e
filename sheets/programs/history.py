"""Revisions of a program (django-simple-history) and a readable diff between two of them.

The diff speaks the screen's language: field labels, choice labels, one line per changed
dimension, the timetable as text. Bookkeeping fields (ids, timestamps, version) are left out."""

from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from registry.models import User
from sheets.dimensions import DIMENSIONS
from sheets.fields import ChoiceListField, RatingsField, ReadingsField
from sheets.programs.models import Program, TimetableRow, visible_to

SKIPPED = {"id", "uuid", "version", "revision", "created_at", "updated_at", "created_by"}
SKIPPED |= {
    "search_text",
    "search_bigrams",
    "search_facets",
    "search_reading",
    "search_reading_bigrams",
}  # derived (sheets/search.py), not in the history

CHANGE_REASONS = {
    "create": pgettext_lazy("revision", "Created"),
    "update": pgettext_lazy("revision", "Edited"),
    "submit_for_review": pgettext_lazy("revision", "Sent for review"),
    "publish": pgettext_lazy("revision", "Published"),
    "archive": pgettext_lazy("revision", "Archived"),
    "return_to_draft": pgettext_lazy("revision", "Returned to draft"),
    "reverify": pgettext_lazy("revision", "Verified with the employer"),
    "import": pgettext_lazy("revision", "Imported from a spreadsheet"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


def revision_list(program: Program, viewer) -> list:
    """The program's versions the viewer's agency could see when each was saved (visible_to):
    the owning agency all of them, another agency only what was published and shared with it."""
    records = []
    seen_versions = set()
    history = program.history.filter(visible_to(viewer)).select_related("history_user")
    for record in history.order_by("-history_date", "-history_id"):
        # Setting the source rows after the first save leaves a second record of version 1
        # (simple-history records m2m changes): one revision per version, the latest.
        if record.version in seen_versions:
            continue
        seen_versions.add(record.version)
        records.append(record)
    for record in records:
        record.reason_label = CHANGE_REASONS.get(record.history_change_reason or "", record.history_change_reason or "")
    return records


def _display(field: models.Field, value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(field, ChoiceListField):
        return "、".join(field.choice_labels(value))
    if isinstance(field, ReadingsField):  # the corrected readings of ②: 玖珠（くす）、…
        return "、".join(f"{word}（{reading}）" for word, reading in value.items())
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.ForeignKey):
        if field.related_model is User:
            user = User.objects.filter(pk=value).first()
            return str(user) if user else "—"
        obj = field.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else "—"
    if isinstance(field, models.DateTimeField):  # stored in UTC: said in the reader's time, as the list is
        return formats.localize(timezone.localtime(value))
    if isinstance(field, (models.DateField, models.TimeField)):
        return formats.localize(value)
    return str(value)


def _timetable_at(program: Program, when) -> str:
    latest: dict[int, object] = {}
    for record in TimetableRow.history.filter(program_id=program.pk, history_date__lte=when).order_by("history_date"):
        latest[record.id] = record
    rows = sorted((r for r in latest.values() if r.history_type != "-"), key=lambda r: (r.position, r.id))
    return "\n".join(f"{r.time} {r.activity}" for r in rows)


def _source_rows(record) -> str:
    names = [str(item.taskrow) for item in record.source_rows.select_related("taskrow") if item.taskrow_id]
    return "、".join(sorted(names))


def revision_diff(program: Program, older, newer, skip: set[str] = frozenset()) -> list[Change]:
    changes: list[Change] = []
    for field in Program._meta.concrete_fields:
        if field.name in SKIPPED or field.name in skip:
            continue
        old, new = getattr(older, field.attname), getattr(newer, field.attname)
        if old == new:
            continue
        if isinstance(field, RatingsField):
            for info in DIMENSIONS:
                a, b = (old or {}).get(info.key), (new or {}).get(info.key)
                if a != b:
                    changes.append(
                        Change(
                            f"{field.verbose_name}：{info.label}",
                            "—" if a is None else str(a),
                            "—" if b is None else str(b),
                        )
                    )
            continue
        changes.append(Change(str(field.verbose_name), _display(field, old), _display(field, new)))
    old_tt, new_tt = _timetable_at(program, older.history_date), _timetable_at(program, newer.history_date)
    if old_tt != new_tt:
        changes.append(Change(_("A day's timetable"), old_tt or "—", new_tt or "—"))
    old_rows, new_rows = _source_rows(older), _source_rows(newer)
    if old_rows != new_rows:
        changes.append(
            Change(str(Program._meta.get_field("source_rows").verbose_name), old_rows or "—", new_rows or "—")
        )
    return changes


# What the employer's review is about: the content, not its status or bookkeeping.
NOT_CONTENT = {
    "revision",
    "status",
    "employer_approved",
    "published_at",
    "published_by",
    "last_verified_on",
    "verified_by",
    "verification_method",
    "external_id",
    "owner",
}


def changes_since(program: Program, approval) -> list[Change]:
    """The content changes since the revision the employer approved (what the coordinator
    sends back for re-approval, and what the review page shows the employer)."""
    records = program.history.order_by("-history_date", "-history_id")
    if approval.revision is not None:
        older = records.filter(revision=approval.revision).first()
    else:
        older = records.filter(version__lte=approval.program_version).first()
    newer = records.first()
    if older is None or newer is None or older.history_id == newer.history_id:
        return []
    return revision_diff(program, older, newer, skip=NOT_CONTENT)
