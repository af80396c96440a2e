#!/usr/bin/env bash
# `make run`: the development server plus the task worker that makes big binders and confirms
# large imports in the background — one command, like production's two processes. The worker is
# stopped when the server stops (Ctrl+C). With TASKS_BACKEND=immediate no worker is started:
# jobs then run inside the request.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

if [ "${TASKS_BACKEND:-database}" = "database" ]; then
  # Its own session (process group), so that the worker and its autoreloader child stop together.
  setsid "$PY" manage.py db_worker --interval 1 &
  WORKER=$!
  stop_worker() { kill -TERM -- "-$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true; }
  trap stop_worker EXIT
  trap 'exit 130' INT TERM
  echo "Task worker started (pid $WORKER); it stops with the server."
fi
"$PY" manage.py runserver "$HOST:$PORT"
