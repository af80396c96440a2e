"""Send reads to the replica and writes to the primary (used when DATABASE_REPLICA_URL is set)."""

from django.db import transaction

# Always read from the primary: the task queue and job progress are read right after they are
# written (a job page straight after queueing, the worker picking up a task) and a lagging
# replica would answer "not found".
PRIMARY_ONLY_APPS = {"jobs", "django_tasks_database"}  # django_tasks_database: django-tasks-db's label


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        # Inside a transaction on the primary, read your own writes from the primary.
        if not transaction.get_autocommit(using="default"):
            return "default"
        return "replica"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == "default"
