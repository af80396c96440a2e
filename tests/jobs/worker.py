"""Run the real task worker (django-tasks-db's `db_worker` command) inside a test.

`--batch` makes it run every queued task and return. The command installs SIGINT/SIGTERM
handlers for a graceful shutdown; the test run's own handlers are put back afterwards.
Tests that use it need `transactional_db`: the worker checks its connection between tasks
(close_old_connections), which must not happen inside a test's wrapping transaction."""

import signal
from contextlib import contextmanager

from django.core.management import call_command

SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s is not None]


@contextmanager
def _own_signal_handlers():
    saved = {number: signal.getsignal(number) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def run_worker() -> None:
    """Process every queued task once, through the worker command's own loop."""
    with _own_signal_handlers():
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, worker_id="test-worker", verbosity=0
        )
