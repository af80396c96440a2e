"""`make run` is the demo a first-time user sees: the product's own error pages (DEBUG off),
static files still served (WhiteNoise), and the demo's conveniences kept (issue 21 item 22)."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _make_run_environment() -> dict[str, str]:
    """The DJANGO_* variables `make run` gives the server, read from the Makefile's own recipe."""
    make, bash = shutil.which("make"), shutil.which("bash")
    assert make and bash
    recipe = subprocess.run([make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    (line,) = [line for line in recipe.splitlines() if "scripts/run-dev.sh" in line]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    printed = subprocess.run(
        [bash, "-c", line.replace("scripts/run-dev.sh", "env")],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(item.split("=", 1) for item in printed.splitlines() if item.startswith("DJANGO_"))


def test_make_run_keeps_debug_off_and_turns_the_demo_on():
    env = _make_run_environment()
    assert env.get("DJANGO_DEBUG", "false") == "false"
    assert env.get("DJANGO_DEMO") == "true"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own local server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_demo_server_shows_the_products_pages_and_serves_static_files():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | _make_run_environment()
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env |= {"DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3", "TASKS_BACKEND": "immediate"}
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    status, body = _get(f"{base}/no-such-page/")
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                server.kill()
                pytest.fail(f"the demo server did not start: {server.communicate()[1]}")
            assert status == 404
            assert "ページが見つかりません" in body
            assert "URLconf" not in body  # Django's technical 404 lists every URL pattern
            status, css = _get(f"{base}/static/css/app.css")
            assert status == 200
            assert css.strip()
            status, _ = _get(f"{base}/static/vendor/bootstrap/css/bootstrap.min.css")
            assert status == 200
        finally:
            server.terminate()
            server.wait(timeout=10)
