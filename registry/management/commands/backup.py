from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from registry.backup import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder (default backups/<timestamp>)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None)

    def handle(self, *args: Any, to: Path | None = None, **options: Any) -> None:
        target = to or Path("backups") / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        for path in backup(target):
            self.stdout.write(f"wrote {path}")
