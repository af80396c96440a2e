"""Program search fields (sheets/search.py), back-filled; saved searches; and on PostgreSQL a
GIN index over the bigram array (serves 2-character keywords: docs tech-notes "Search")."""

import datetime
import unicodedata
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import sheets.textsearch

GIN_INDEX = "sheets_program_search_bigrams_gin"


# Frozen copy of the search fields as they were computed when this migration was written
# (sheets/programs/search_fields.py and sheets/textsearch.py then): a migration must not
# change what it does when the app's code changes later.
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
NOON = datetime.time(12, 0)
EVENING = datetime.time(17, 0)


def _normalise(text):
    folded = unicodedata.normalize("NFKC", text or "").translate(_KATAKANA_TO_HIRAGANA).casefold()
    return " ".join(folded.split())


def _bigrams(text):
    grams = set()
    for word in _normalise(text).split(" "):
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return sorted(grams)


def _times_of_day(start, end):
    if start is None and end is None:
        return []
    start = start or end
    end = end or start
    slots = []
    if start < NOON:
        slots.append("morning")
    if (start < EVENING and end > NOON) or NOON <= start < EVENING:
        slots.append("afternoon")
    if end > EVENING or start >= EVENING:
        slots.append("evening")
    return slots


def _search_values(program):
    employer = program.employer
    rows = list(program.source_rows.all())
    rest = [program.what_you_do, employer.name, employer.name_kana, employer.address, program.meeting_point]
    rest += [f"{row.duty} {row.task}" for row in rows]
    text = _normalise(program.title) + "\n" + _normalise(" ".join(part for part in rest if part))
    tokens = [f"day:{day}" for day in program.days or []]
    tokens += [f"tod:{slot}" for slot in _times_of_day(program.start_time, program.end_time)]
    tokens += [f"acc:{item}" for item in program.accommodations or []]
    places = {row.place for row in rows if row.place}
    if places & {"indoor", "indoor_ac"}:
        tokens.append("place:indoor")
    if "outdoor" in places:
        tokens.append("place:outdoor")
    tokens += [f"low:{key}" for key, level in sorted((program.demands or {}).items()) if level <= 1]
    return {
        "search_text": text,
        "search_bigrams": " ".join(_bigrams(text)),
        "search_facets": f" {' '.join(tokens)} " if tokens else "",
    }


def backfill(apps, schema_editor):
    Program = apps.get_model("sheets", "Program")
    for program in Program.objects.select_related("employer").prefetch_related("source_rows"):
        Program.objects.filter(pk=program.pk).update(**_search_values(program))


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON sheets_program USING gin (string_to_array(search_bigrams, ' '))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_agency_require_2fa"),
        ("sheets", "0003_photos_intro_print_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_bigrams",
            field=sheets.textsearch.BigramsField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_facets",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=100, verbose_name="name of the search")),
                ("query", models.CharField(blank=True, max_length=2000, verbose_name="search")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_searches",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "saved search",
                "verbose_name_plural": "saved searches",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "agency", "name"), name="saved_search_unique_name")
                ],
            },
        ),
    ]
