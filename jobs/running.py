"""Whether this thread runs a job's work (set by `jobs.services.run_job`).

config/routers.py then reads from the primary: a job takes seconds and nobody clicks it again,
so a read replica stopping under it must not fail all of it (a page fails one request), and what
it builds right after an edit must not lag behind that edit. A module of its own, with no
imports, so that the router reads it without importing the jobs app's models."""

import contextvars

running_job = contextvars.ContextVar("running_job", default=False)
