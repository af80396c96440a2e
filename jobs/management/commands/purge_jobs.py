from django.core.management.base import BaseCommand

from jobs.services import purge_expired_jobs


class Command(BaseCommand):
    help = (
        "Delete background jobs (and their files) finished more than JOB_RETENTION_DAYS ago, and mark "
        "jobs whose worker was cut off as interrupted. The worker also does this after every job."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_expired_jobs()
        self.stdout.write(f"{deleted} old job(s) deleted.")
