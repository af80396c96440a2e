import json
from typing import Any

from django.core.management.base import BaseCommand

from registry.backup import fingerprint


class Command(BaseCommand):
    help = "Print each table's row count and content checksum as JSON (used by the restore drill)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(fingerprint(), sort_keys=True))
