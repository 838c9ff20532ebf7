#!/usr/bin/env bash
# Set up and run the app with the demo data on SQLite, on a fresh machine that has only python3.
#   ./scripts/run.sh                 serves http://127.0.0.1:5000
#   PORT=8080 ./scripts/run.sh       another port
# Safe to run again: the virtual environment, the database and the demo data are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${PORT:-5000}"  # flask demo load prints sign-in URLs on this port
source scripts/_venv.sh "."

export FLASK_APP=webapp
echo "Building the database schema (SQLite in instance/) ..."
.venv/bin/flask db upgrade
.venv/bin/flask demo load

# Each process of the app starts here. Today the web server is the only one and replaces this script
# (so Ctrl+C or a kill reaches it directly). A process beside it, such as a job runner, starts in the
# background first and is stopped with the script; the web server then runs without `exec`:
#   .venv/bin/flask jobs run &  trap 'kill $!' EXIT
echo
echo "Journey Voice runs at http://127.0.0.1:${PORT}/  (press Ctrl+C to stop)"
exec .venv/bin/gunicorn -b "127.0.0.1:${PORT}" -w 2 --threads 4 wsgi:app
