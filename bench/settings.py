"""Settings for the bench: the production settings (DEBUG off) with the bench's own URLs on top
(bench/urls.py adds the floor view, which production never has). Plain HTTP on 127.0.0.1."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
