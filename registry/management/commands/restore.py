from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.backup import restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with a backup made by `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", type=Path, required=True)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, source: Path, yes: bool = False, **options: Any) -> None:
        if not source.is_dir():
            raise CommandError(f"{source} is not a backup folder.")
        if not yes and input("This replaces the current data. Type 'yes' to continue: ") != "yes":
            raise CommandError("Cancelled.")
        restore(source)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}."))
