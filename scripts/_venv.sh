# Sourced by run.sh and test.sh from the repository root: make .venv when missing and install into it
# what "$1" names ("." for the app, ".[test]" with its test tools).
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..."
    "$PYTHON" -m venv .venv
fi
echo "Installing $1 into .venv ..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$1"
