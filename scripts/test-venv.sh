#!/usr/bin/env bash
# Creates the test servers' Python environment: scripts/test-venv.sh VENV REQUIREMENTS
# A virtual environment under .build/ keeps the packages out of the system's and the user's Python.
set -euo pipefail
venv=$1 requirements=$2

mkdir -p "$(dirname "$venv")"
if [ ! -x "$venv/bin/python3" ]; then
    command -v python3 >/dev/null || {
        echo "make test: python3 is not installed; the test servers are Python (apt-get install python3 python3-venv)" >&2
        exit 1
    }
    echo "make test: creating $venv (python3 -m venv) for the Python test servers"
    if ! python3 -m venv "$venv" >"$venv.log" 2>&1; then
        cat "$venv.log" >&2
        rm -rf "$venv" "$venv.log"
        echo "make test: python3 -m venv failed; on Debian and Ubuntu install the python3-venv package (apt-get install python3-venv)" >&2
        exit 1
    fi
    rm -f "$venv.log"
fi

echo "make test: installing the test servers' Python packages into $venv (pip install -r $requirements)"
if ! "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check -r "$requirements"; then
    echo "make test: pip could not install $requirements into $venv; it needs PyPI (or a pip index in PIP_INDEX_URL)" >&2
    exit 1
fi
