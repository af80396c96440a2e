"""Loaded by pytest before Django (see addopts): the environment the test run needs.

Tests run with DEBUG off, like production, but over plain HTTP (the test client and the
browser tests talk to http://localhost)."""

import os
import tempfile
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ["DJANGO_HTTPS"] = "false"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# live server thread are unaffected, and the tests' own ORM use is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Uploaded files (sheet photos) go to a throw-away folder, never the project's media/.
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="shigoto-test-media-"))

# With REDIS_URL (the production-like pass of .ci/run) the cache is Redis: each test process
# gets a database of its own (pytest-xdist worker gw0 → 1, gw1 → 2, …), emptied when the
# process starts (tests/conftest.py), so processes and earlier runs never see each other's keys.
if os.environ.get("REDIS_URL"):
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    os.environ["REDIS_URL"] = urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{1 + _worker % 15}").geturl()
