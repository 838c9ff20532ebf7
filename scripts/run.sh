#!/usr/bin/env bash
# Set up and run the app with the demo data on SQLite, on a fresh machine that has only python3.
#   ./scripts/run.sh                 serves http://127.0.0.1:5000
#   PORT=8080 ./scripts/run.sh       another port
# Safe to run again: the virtual environment, the database and the demo data are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-5000}"
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..."
    "$PYTHON" -m venv .venv
fi
echo "Installing the app and its dependencies ..."
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .

export FLASK_APP=webapp
echo "Building the database schema (SQLite in instance/) ..."
.venv/bin/flask db upgrade
.venv/bin/flask demo load

# Each process of the app is started here; the web server runs in the foreground.
# (Another process, such as a job runner, starts above it in the background and is stopped on exit.)
echo
echo "Journey Voice runs at http://127.0.0.1:${PORT}/  (press Ctrl+C to stop)"
exec .venv/bin/gunicorn -b "127.0.0.1:${PORT}" -w 2 --threads 4 wsgi:app
