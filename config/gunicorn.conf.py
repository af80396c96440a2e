"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`. Every knob is an env var."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Recycle workers now and then: a long-lived process's memory only grows (fragmentation), and
# a fresh worker costs nothing with preload_app.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "500"))
max_requests_jitter = 50
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Import the app before forking so that workers share its memory and start at once.
preload_app = True
accesslog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
