"""Program search by reading and normalised form (sheets/textsearch.py `reading_text`): two
columns, back-filled for the programs already there, and on PostgreSQL a GIN index over the
reading's bigram array, like the text's (0004_program_search)."""

import re
import unicodedata
from functools import cache

from django.db import migrations, models

import sheets.textsearch

GIN_INDEX = "sheets_program_search_reading_bigrams_gin"

# Frozen copy of the reading as it was computed when this migration was written
# (sheets/textsearch.py `reading_text`, sheets/japanese.py, sheets/programs/search_fields.py):
# a migration must not change what it does when the app's code changes later.
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ\U00020000-\U0003134f]")


def _normalise(text):
    folded = unicodedata.normalize("NFKC", text or "").translate(_KATAKANA_TO_HIRAGANA).casefold()
    return " ".join(folded.split())


def _bigrams(text):
    grams = set()
    for word in _normalise(text).split(" "):
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return sorted(grams)


@cache
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


@cache
def _tokenizer():
    from sudachipy import SplitMode

    return _dictionary().tokenizer(mode=SplitMode.C)


def _reading_text(*parts):
    spoken, normalised, others = [], [], []
    for part in parts:
        text = unicodedata.normalize("NFKC", part or "")
        words = list(_tokenizer().tokenize(text)) if text else []
        spoken.append(
            _normalise("".join(m.reading_form() if _KANJI.search(m.surface()) else m.surface() for m in words))
        )
        normalised.append("".join(m.normalized_form() for m in words))
        for m in words:
            if _KANJI.search(m.surface()) and len(m.reading_form()) == 1:
                readings = dict.fromkeys(e.reading_form() for e in _dictionary().lookup(m.surface()))
                others.extend(r for r in readings if len(r) > 1)
    return "\n".join([*spoken, _normalise(" ".join(normalised)), _normalise(" ".join(others))])


def _reading_values(program):
    employer = program.employer
    rest = [program.what_you_do, employer.name, employer.name_kana, employer.address, program.meeting_point]
    rest += [f"{row.duty} {row.task}" for row in program.source_rows.all()]
    reading = _reading_text(program.title, " ".join(part for part in rest if part))
    return {"search_reading": reading, "search_reading_bigrams": " ".join(_bigrams(reading))}


def backfill(apps, schema_editor):
    Program = apps.get_model("sheets", "Program")
    for program in Program.objects.select_related("employer").prefetch_related("source_rows").iterator(500):
        Program.objects.filter(pk=program.pk).update(**_reading_values(program))


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON sheets_program "
            "USING gin (string_to_array(search_reading_bigrams, ' '))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("sheets", "0009_program_furigana_and_employer_needs"),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="search_reading",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_reading_bigrams",
            field=sheets.textsearch.BigramsField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
