from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobs.services import requeue_interrupted


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks a worker with this id was running when it was cut off "
        "(SIGKILL, power cut), with their jobs. Run it just before starting db_worker with the same "
        "--worker-id (docs/deploy.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--worker-id", required=True)

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        requeued = requeue_interrupted(worker_id)
        self.stdout.write(f"{len(requeued)} interrupted job(s) queued again.")
