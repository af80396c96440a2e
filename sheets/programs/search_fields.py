"""The stored search fields of a program (what the program search reads: sheets/search/).

`refresh_search_fields(program)` is the ONE place that computes them; the program services
(and, through the registry's `employer_changed` signal, an employer's new name, kana or
address) call it after
every change of what it reads. It writes with `update()`: no new revision, no history entry.

- search_text: normalise(title) + "\\n" + normalise(the rest) — the newline lets relevance
  count hits in the title apart (keywords never contain white space);
- search_bigrams: the text's character bigrams, served by a GIN index on PostgreSQL so that
  2-character words (検品, 清掃) are found through an index (docs: tech-notes "Search");
- search_reading: the same text as it reads and in the dictionary's normalised forms
  (sheets/textsearch.py `reading_text`: title's reading + "\\n" + the rest's + "\\n" + the
  normalised forms + "\\n" + longer readings), and search_reading_bigrams, its bigrams, indexed
  like the text's on PostgreSQL: けんぴん finds 検品, 葱 finds ネギ;
- search_facets: " day:mon tod:morning acc:extra_breaks place:indoor low:stamina " — list
  facts of JSON fields and task rows as space-delimited tokens, matched portably by LIKE.
"""

import datetime

from sheets.programs.models import Program
from sheets.textsearch import bigrams, normalise, reading_text

LOW_DEMAND = 1  # "low demand" on a dimension: rated 0 or 1
NOON = datetime.time(12, 0)
EVENING = datetime.time(17, 0)
INDOOR_PLACES = ("indoor", "indoor_ac")


def _times_of_day(start: datetime.time | None, end: datetime.time | None) -> list[str]:
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


def search_values(program, rows=None) -> dict[str, str]:
    """The search fields of `program` (works on migration-state models too); `rows`
    are its task rows when already at hand (bulk loads), else read from `source_rows`."""
    employer = program.employer
    rows = list(program.source_rows.all()) if rows is None else list(rows)
    rest = [program.what_you_do, employer.name, employer.name_kana, employer.address, program.meeting_point]
    rest += [f"{row.duty} {row.task}" for row in rows]
    rest_text = " ".join(part for part in rest if part)
    text = normalise(program.title) + "\n" + normalise(rest_text)
    reading = reading_text(program.title, rest_text)

    tokens = [f"day:{day}" for day in program.days or []]
    tokens += [f"tod:{slot}" for slot in _times_of_day(program.start_time, program.end_time)]
    tokens += [f"acc:{item}" for item in program.accommodations or []]
    places = {row.place for row in rows if row.place}
    if places & set(INDOOR_PLACES):
        tokens.append("place:indoor")
    if "outdoor" in places:
        tokens.append("place:outdoor")
    tokens += [f"low:{key}" for key, level in sorted((program.demands or {}).items()) if level <= LOW_DEMAND]
    return {
        "search_text": text,
        "search_bigrams": " ".join(bigrams(text)),
        "search_reading": reading,
        "search_reading_bigrams": " ".join(bigrams(reading)),
        "search_facets": f" {' '.join(tokens)} " if tokens else "",
    }


def refresh_search_fields(program) -> None:
    type(program).objects.filter(pk=program.pk).update(**search_values(program))


def refresh_programs_of_rows(rows) -> None:
    """After a task row changed: the programs made from it carry its text and place."""
    for program in Program.objects.filter(source_rows__in=rows).distinct().select_related("employer"):
        refresh_search_fields(program)


def refresh_programs_of_employer(employer) -> None:
    """After the employer's name, kana or address changed."""
    for program in employer.programs.select_related("employer"):
        refresh_search_fields(program)


def employer_changed_receiver(sender, *, employer, **kwargs) -> None:
    """registry.extensions.employer_changed: the employer's name, kana or address may be new."""
    refresh_programs_of_employer(employer)
