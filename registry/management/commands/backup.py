from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from registry.backup import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder (default backups/<timestamp>)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", type=Path, default=None)

    def handle(self, *args, to: Path | None = None, **options) -> None:
        target = to or Path("backups") / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        for path in backup(target):
            self.stdout.write(f"wrote {path}")
