"""The WSGI application. gunicorn imports it once, in the master (`preload_app`), then forks its
workers; `freeze_loaded_app()` runs just before each fork (config/gunicorn.conf.py `pre_fork`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def freeze_loaded_app() -> None:
    """Import every view now and keep what exists from then on out of the garbage collector.

    Python's cyclic garbage collector walks every object of the oldest generation in a full
    collection: the app's 140,000 objects (modules, URL patterns, translations) cost a worker a
    pause of 80–100 ms every so often, in the middle of someone's request. `gc.freeze()` moves
    them to a permanent generation that collections skip, so collections also stop writing to
    the memory pages a worker shares with its master (the gc module's documentation advises it
    before a fork for both reasons; measured in docs/performance-history.md, section 18). The
    objects stay alive as before: only what requests create is collected."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views, otherwise done by the first request)
    gc.collect()
    gc.freeze()
