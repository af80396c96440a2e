"""Deployment pieces: read replica routing, connection pooling, JSON logs, gunicorn config."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from config.env import PREPARE_AFTER, env_database
from config.logging import JsonFormatter
from config.routers import PrimaryReplicaRouter
from registry.models import Employer

ROOT = Path(__file__).resolve().parents[1]


def test_router_reads_from_the_replica_and_writes_to_the_primary(transactional_db, monkeypatch):
    monkeypatch.setattr("config.routers.replica_available", lambda: True)
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Employer) == "replica"
    assert router.db_for_write(Employer) == "default"
    with transaction.atomic():
        # Read-your-writes: inside a transaction everything stays on the primary.
        assert router.db_for_read(Employer) == "default"
    assert router.allow_migrate("default", "registry")
    assert not router.allow_migrate("replica", "registry")


@pytest.mark.slow
def test_settings_route_querysets_when_a_replica_is_configured(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path}/r.sqlite3",
    }
    code = (
        "from django.db import router; from registry.models import Employer; "
        "print(Employer.objects.all().db, router.db_for_write(Employer))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["replica", "default"]


def test_pool_option_for_postgresql(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/shigoto")
    config = env_database("X_DB", "", pool=True)
    assert config["OPTIONS"]["pool"]["max_size"] == 10
    assert config["CONN_MAX_AGE"] == 0
    assert "pool" not in env_database("X_DB", "").get("OPTIONS", {})


def test_prepared_statements_option_for_postgresql(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/shigoto")
    options = env_database("X_DB", "")["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == PREPARE_AFTER
    off = env_database("X_DB", "", prepare=False).get("OPTIONS", {})
    assert "server_side_binding" not in off and "prepare_threshold" not in off  # PgBouncer before 1.21
    monkeypatch.setenv("X_DB", "sqlite:///x.sqlite3")
    assert "prepare_threshold" not in env_database("X_DB", "").get("OPTIONS", {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db
def test_a_repeated_query_is_prepared_and_its_plan_reused():
    for _ in range(PREPARE_AFTER + 2):
        assert Employer.objects.filter(name="同じ問い合わせ").count() == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ['SELECT COUNT(*) AS "__count" FROM "registry_employer"%'],
        )
        (executions,) = cursor.fetchone()
    assert executions >= 2  # executed as a prepared statement since its PREPARE_AFTER-th time


def test_json_log_lines():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "Not Found: /x" and line["logger"] == "django.request"


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    namespace: dict = {}
    exec((ROOT / "config/gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    assert namespace["workers"] == 4
    assert namespace["max_requests"] > 0


def test_the_cache_is_redis_when_redis_url_is_set_and_it_works(settings):
    """REDIS_URL (several app servers) puts the cache, and with it the API's rate counters and
    the search's facet choices, in Redis; the redis package must be installed for that."""
    import os

    from django.core.cache import cache

    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "config.cache.ResilientRedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("deploy-check", 41)
    assert cache.incr("deploy-check") == 42


def gunicorn_settings(monkeypatch, **env: str) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict = {}
    exec((ROOT / "config/gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    return namespace


def test_the_pdf_pool_runs_few_workers_at_a_lower_priority_with_a_long_timeout(monkeypatch):
    """The production default (docs/deploy.md): PDFs in a pool of their own, so that cheap
    pages do not wait behind them."""
    pages = gunicorn_settings(monkeypatch, GUNICORN_POOL="pages")
    pdf = gunicorn_settings(monkeypatch, GUNICORN_POOL="pdf")
    assert (pages["workers"], pages["nice"], pages["timeout"]) == (3, 0, 30)
    assert (pdf["workers"], pdf["nice"], pdf["timeout"]) == (2, 10, 120)
    monkeypatch.setenv("GUNICORN_POOL", "everything")
    with pytest.raises(SystemExit):
        gunicorn_settings(monkeypatch)


def test_workers_start_with_the_loaded_app_out_of_the_garbage_collectors_reach(monkeypatch):
    """gunicorn's pre_fork (config/gunicorn.conf.py → config.wsgi.freeze_loaded_app): what the
    master has loaded is frozen, so a worker's full collections no longer walk it; garbage that
    requests make afterwards is still collected."""
    import gc
    import weakref

    class Node:
        pass

    hooks = gunicorn_settings(monkeypatch, GUNICORN_POOL="pages")
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        hooks["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 10_000  # the app's modules, URL patterns, settings…
        cycle = Node()
        cycle.itself = cycle
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_balancer_sends_pdfs_exports_and_previews_to_the_pdf_pools():
    import re

    from config.haproxy import HEAVY_PATHS, AppServer, config

    heavy = re.compile(HEAVY_PATHS)
    heavy_paths = ["/programs/3f0c/sheets/client.pdf", "/programs/binder.pdf", "/programs/export.xlsx"]
    heavy_paths += ["/employers/export.csv", "/programs/3f0c/sheets/client/", "/workshops/9/logic-model/pdf/"]
    for path in heavy_paths:
        assert heavy.search(path), path
    for path in ("/programs/", "/programs/3f0c/", "/", "/accounts/login/", "/clients/3f0c/matches/"):
        assert not heavy.search(path), path
    text = config([AppServer("app1", "10.0.0.1:8001", "10.0.0.1:8002")])
    assert "server app1 10.0.0.1:8001 check maxconn 3" in text
    assert "server app1 10.0.0.1:8002 check maxconn 2" in text


def test_the_deploy_guide_shows_the_balancer_configuration_the_drill_runs():
    from config.haproxy import PAGES_PORT, PDF_PORT, AppServer, config

    servers = [AppServer(f"app{i}", f"10.0.0.1{i}:{PAGES_PORT}", f"10.0.0.1{i}:{PDF_PORT}") for i in (1, 2)]
    expected = config(servers, bind=":443", tls_certificate="/etc/haproxy/certs/shigoto.pem")
    assert expected in (ROOT / "docs/deploy.md").read_text(encoding="utf-8")


def test_a_redis_that_does_not_answer_is_an_empty_cache_not_an_error():
    """`make drill` restarts Redis under load: meanwhile reads miss, writes are dropped, and a
    counter that cannot be counted is a missing key (its callers start it again)."""
    from config.cache import ResilientRedisCache

    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("k", "default") == "default"
    cache.set("k", 1)
    assert cache.add("k", 1) is False and cache.get_many(["k"]) == {} and not cache.has_key("k")
    assert cache.get_or_set("k", 7) == 7
    cache.delete("k")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")


def test_the_pdf_pool_lowers_its_sessions_priority_when_it_leads_one(monkeypatch, tmp_path):
    """A nice value orders processes within one scheduling group only, and Linux gives each
    session a group of its own: the master of a pool started in its own session lowers the
    group as well (config/gunicorn.conf.py lower_priority); in a shared session it must not,
    or it would lower the pages pool with it."""
    import os

    namespace = gunicorn_settings(monkeypatch, GUNICORN_POOL="pdf")
    autogroup = tmp_path / "autogroup"
    namespace["AUTOGROUP"] = str(autogroup)
    niced = []
    monkeypatch.setattr(os, "nice", niced.append)
    monkeypatch.setattr(os, "sched_setscheduler", lambda *args: None)  # not this test process
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid())
    namespace["on_starting"](None)
    assert niced == [10] and autogroup.read_text() == "10"

    autogroup.unlink()
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid() + 1)
    namespace["on_starting"](None)
    assert niced == [10, 10] and not autogroup.exists()

    pages = gunicorn_settings(monkeypatch, GUNICORN_POOL="pages")
    pages["on_starting"](None)
    assert niced == [10, 10]


def test_the_pdf_pool_runs_only_on_cores_nothing_else_wants(monkeypatch):
    """SCHED_IDLE for the PDF pool's master (its workers inherit it), not for the pages pool;
    GUNICORN_SCHED_IDLE=0 leaves the nice value alone."""
    import os

    policies = []
    monkeypatch.setattr(os, "nice", lambda increment: None)
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid() + 1)  # a shared session: no autogroup
    monkeypatch.setattr(os, "sched_setscheduler", lambda pid, policy, param: policies.append((pid, policy)))
    gunicorn_settings(monkeypatch, GUNICORN_POOL="pdf")["on_starting"](None)
    assert policies == [(0, os.SCHED_IDLE)]
    gunicorn_settings(monkeypatch, GUNICORN_POOL="pages")["on_starting"](None)
    gunicorn_settings(monkeypatch, GUNICORN_POOL="pdf", GUNICORN_SCHED_IDLE="0")["on_starting"](None)
    assert policies == [(0, os.SCHED_IDLE)]


def test_a_job_reads_from_the_primary_so_a_replica_that_stops_cannot_fail_it(transactional_db, world, monkeypatch):
    from jobs.models import JobStatus
    from jobs.services import JobOutput, run_job
    from tests.jobs.factories import JobFactory

    monkeypatch.setattr("config.routers.replica_available", lambda: True)
    router = PrimaryReplicaRouter()
    seen = []

    def work(job, user, progress):
        seen.append(router.db_for_read(Employer))
        return JobOutput(b"x", "x.txt", "text/plain")

    job = JobFactory(requested_by=world.counselor_a, agency=world.agency_a)
    assert run_job(str(job.uuid), work) == JobStatus.DONE
    assert seen == ["default"]
    assert router.db_for_read(Employer) == "replica"  # outside the job, reads go to the replica again
