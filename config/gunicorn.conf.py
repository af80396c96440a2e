"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`. Every knob is an env var.

The production default (docs/deploy.md, measured by `make bench`, docs/performance.md) is two
pools per app server behind the load balancer (config/haproxy.py routes by path):

- `GUNICORN_POOL=pages`: every cheap page (search, program, home, forms). Sync workers, more of
  them than cores (a worker waits on PostgreSQL part of the time), a short timeout.
- `GUNICORN_POOL=pdf`: PDFs, spreadsheet exports and sheet previews (hundreds of milliseconds of
  CPU each). Few sync workers, run at a lower CPU priority (`nice`), a long timeout: a burst of
  prints then waits in its own queue instead of in front of every search.

`GUNICORN_POOL=all` (the default: one gunicorn serving everything, as on a small installation)
keeps the earlier single-pool settings."""

import contextlib
import os

POOLS = {
    # pool → (workers, timeout in seconds, nice increment, idle scheduling, max requests before recycling)
    "all": (2, 60, 0, False, 500),
    "pages": (3, 30, 0, False, 1000),
    "pdf": (2, 120, 10, True, 200),
}
pool = os.environ.get("GUNICORN_POOL", "all")
if pool not in POOLS:
    raise SystemExit(f"GUNICORN_POOL={pool!r} must be one of: {', '.join(POOLS)}")
default_workers, default_timeout, default_nice, default_idle, default_max_requests = POOLS[pool]

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(default_workers)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Recycle workers now and then: a long-lived process's memory only grows (fragmentation, and
# WeasyPrint's more so), and a fresh worker costs nothing with preload_app.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", str(default_max_requests)))
max_requests_jitter = 50
timeout = int(os.environ.get("GUNICORN_TIMEOUT", str(default_timeout)))
# How much lower the pool's CPU priority is (0–19): the PDF pool yields the cores to the pages
# pool when both have work. See lower_priority() for where a nice value counts.
nice = int(os.environ.get("GUNICORN_NICE", str(default_nice)))
# SCHED_IDLE on top (Linux): the pool runs only on a core no other process wants. A nice value
# still lets a PDF finish its time slice before a search that wakes up on its core, and the
# kernel counts a core busy with it as taken when placing the search; an idle-policy process is
# preempted at once and its core counts as free (docs/performance.md, fifteenth session).
idle = os.environ.get("GUNICORN_SCHED_IDLE", "1" if default_idle else "0") not in ("0", "false", "")
# Import the app before forking so that workers share its memory and start at once.
preload_app = True
accesslog = "-"
proc_name = f"shigoto-{pool}"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


AUTOGROUP = "/proc/self/autogroup"


def lower_priority(increment: int) -> None:
    """Lower this process's CPU priority, and its session's when it leads one.

    A nice value only orders processes of one scheduling group. Linux puts every session in an
    autogroup of its own (kernel.sched_autogroup_enabled, on by default) and shares the CPU
    equally between groups: a PDF pool started in a session of its own (a service, `setsid`)
    at nice 10 took as much CPU as the pages pool beside it (measured: two busy loops in two
    sessions, one at nice 10, ran equally fast; with the session's autogroup at nice 10, the
    niced one got a ninth). So the master that leads its session lowers the autogroup too.
    Under systemd with the cgroup CPU controller the unit's CPUWeight decides instead
    (docs/deploy.md)."""
    os.nice(increment)
    if os.getsid(0) != os.getpid():
        return  # one session with other processes (a shell, the pages pool): the nice value counts
    try:
        with open(AUTOGROUP, "w") as handle:
            handle.write(str(increment))
    except OSError:  # no autogroups in this kernel, or not allowed: the nice value alone remains
        pass


def pre_fork(server, worker) -> None:
    from config.wsgi import freeze_loaded_app

    freeze_loaded_app()  # the master, with the app loaded (preload_app): every worker inherits it


def idle_scheduling() -> None:
    """This process and the workers it forks run only when a core is otherwise free (they
    inherit the policy). Left as it is where the kernel has no SCHED_IDLE or refuses it."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def on_starting(server) -> None:
    if nice:
        lower_priority(nice)  # the master: its workers inherit the nice value and the session
    if idle:
        idle_scheduling()
