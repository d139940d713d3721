#!/usr/bin/env bash
# Install HSTC Desk into a virtual environment from the offline wheelhouse alone: no index, every
# wheel checked against the lock file's SHA-256. For sites that run from a virtual environment
# instead of the bundle.
#   packaging/install-offline.sh WHEELHOUSE VENV      (PYTHON=python3.11 to choose the Python)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 WHEELHOUSE VENV" >&2; exit 2; }
WH=$(cd "$1" && pwd)
VENV=$2
PY=${PYTHON:-python3}
[ -f "$WH/requirements.lock" ] || { echo "$WH has no requirements.lock" >&2; exit 1; }
# No site or user pip configuration may add an index or a link behind our back.
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --no-index --find-links "$WH" --only-binary=:all: \
  --require-hashes -r "$WH/requirements.lock"
"$VENV/bin/hstc" --version
echo "installed HSTC Desk into $VENV from $WH"
