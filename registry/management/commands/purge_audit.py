from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from registry.models import AuditEntry
from registry.services import audit


class Command(BaseCommand):
    help = "Remove audit entries older than AUDIT_RETENTION_DAYS and record the purge in the log."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        with transaction.atomic():
            count = purge_before(cutoff)
            audit(by=None, agency=None, action="audit.purge", purged=count, before=cutoff.isoformat())
        self.stdout.write(f"Purged {count} audit entries older than {cutoff:%Y-%m-%d}.")


def purge_before(cutoff: datetime) -> int:
    """The one sanctioned deletion: the ORM refuses it, so this runs SQL, and on PostgreSQL it
    tells the append-only trigger that this transaction is the purge."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL shigoto.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])  # noqa: S608 (table name from the model)
        return int(cursor.rowcount)
