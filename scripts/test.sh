#!/usr/bin/env bash
# Set up and run the whole test suite (SQLite, and PostgreSQL where reachable; the browser test on chromium).
#   ./scripts/test.sh                  everything
#   ./scripts/test.sh -k surveys -x    extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/_venv.sh ".[test]"

# The browser test drives Debian's chromium through Playwright; Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser test ..."
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "chromium is missing and neither root nor sudo is available to install it." >&2
        exit 1
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests; that counts as a failure." >&2
    exit 1
fi
exit "$status"
