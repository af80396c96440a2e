"""The production serving set-up on this machine's loopback, for the bench and the drill: app
servers of two gunicorn pools each (config/gunicorn.conf.py: pages, pdf) behind HAProxy
(config/haproxy.py). Every process is started in a session of its own and remembered, so that
stopping stops exactly these processes (their process groups), nothing else."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from config.haproxy import AppServer, config

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HAPROXY_MISSING = (
    "bench: HAProxy is not installed. It is the load balancer of the production set-up "
    "(docs/deploy.md): install it from Debian with `apt-get install haproxy`."
)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if not found:
        raise SystemExit(HAPROXY_MISSING)
    return found


@dataclass
class Process:
    """A process this module started, in its own process group."""

    name: str
    command: list[str]
    env: dict
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 (the child keeps it)
        self.popen = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL to the whole group (the master and its workers at once: a crash)."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait()

    def stop(self, timeout: float = 30) -> None:
        if not self.running:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        # Workers that outlived their master (they exit on their own within a second or two).
        self.signal_group(signal.SIGKILL)


def wait_for_http(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http://127.0.0.1 only)
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


@dataclass
class AppServerProcesses:
    """One app server: its pages pool and its PDF pool."""

    server: AppServer
    pages: Process
    pdf: Process

    @property
    def processes(self) -> list[Process]:
        return [self.pages, self.pdf]


@dataclass
class Serving:
    """App servers behind HAProxy. `env` is the app's environment (database, cache, …)."""

    env: dict
    work_dir: Path
    bind: str = "127.0.0.1:8765"
    ports: list[tuple[int, int]] = field(default_factory=lambda: [(8766, 8767)])
    pages_workers: int = 3
    pdf_workers: int = 2
    apps: list[AppServerProcesses] = field(default_factory=list)
    haproxy: Process | None = None

    @property
    def url(self) -> str:
        return f"http://{self.bind}"

    def _pool(self, name: str, pool: str, port: int, workers: int) -> Process:
        env = self.env | {
            "GUNICORN_POOL": pool,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        }
        command = [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
        return Process(f"{name}-{pool}", command, env, self.work_dir / f"{name}-{pool}.log")

    def start(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        binary = haproxy_binary()
        for index, (pages_port, pdf_port) in enumerate(self.ports, 1):
            name = f"app{index}"
            server = AppServer(
                name, f"127.0.0.1:{pages_port}", f"127.0.0.1:{pdf_port}", self.pages_workers, self.pdf_workers
            )
            app = AppServerProcesses(
                server,
                self._pool(name, "pages", pages_port, self.pages_workers),
                self._pool(name, "pdf", pdf_port, self.pdf_workers),
            )
            self.apps.append(app)
            self.start_app(app)
        cfg = self.work_dir / "haproxy.cfg"
        cfg.write_text(config([a.server for a in self.apps], bind=self.bind), encoding="utf-8")
        check = subprocess.run([binary, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise SystemExit(f"bench: HAProxy refused {cfg}: {check.stderr or check.stdout}")
        command = [binary, "-db", "-f", str(cfg)]
        self.haproxy = Process("haproxy", command, dict(os.environ), self.work_dir / "haproxy.log")
        self.haproxy.start()
        if not wait_for_http(f"{self.url}/healthz", 30):
            self.stop()
            raise SystemExit(f"bench: HAProxy did not answer /healthz (see {self.work_dir})")

    def start_app(self, app: AppServerProcesses) -> None:
        for process in app.processes:
            process.start()
        for process, address in ((app.pages, app.server.pages), (app.pdf, app.server.pdf)):
            if not wait_for_http(f"http://{address}/healthz", 60):
                self.stop()
                raise SystemExit(f"bench: gunicorn {process.name} did not answer /healthz (see {process.log_path})")

    def kill_app(self, app: AppServerProcesses) -> None:
        for process in app.processes:
            process.kill()

    def stop(self) -> None:
        if self.haproxy is not None:
            self.haproxy.stop()
        for app in self.apps:
            for process in app.processes:
                process.stop()
