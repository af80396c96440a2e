from typing import Any

from django.core.management.base import BaseCommand

from sheets.programs.models import Program
from sheets.programs.search_fields import refresh_search_fields


class Command(BaseCommand):
    help = (
        "Compute every program's stored search fields again (after an upgrade that reads Japanese "
        "differently, e.g. new readings of the dictionary's compounds). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.select_related("employer").prefetch_related("source_rows").order_by("pk")
        count = 0
        for program in programs.iterator(chunk_size=500):
            refresh_search_fields(program)
            count += 1
        self.stdout.write(f"Search fields of {count} programs computed again.")
