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

# Two processes: the job runner labels answers in the background (the demo's within a minute), the web
# server serves. Both start in the background so that this script can stop both: on Ctrl+C, on a kill
# of the script, or when either of them exits.
.venv/bin/flask jobs run &
jobs_pid=$!
.venv/bin/gunicorn -b "127.0.0.1:${PORT}" -w 2 --threads 4 wsgi:app &
web_pid=$!
stop() {
    kill "$jobs_pid" "$web_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo
echo "Journey Voice runs at http://127.0.0.1:${PORT}/  (press Ctrl+C to stop)"
echo "Answers are labelled in the background by 'flask jobs run'; its log follows."
wait -n
