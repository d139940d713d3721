#!/usr/bin/env bash
# What the security officer does with a release, and the proof that nothing is fetched:
#   VERIFIER=path/to/hstc packaging/release_check.sh RELEASE RELEASE_KEY.pub WORKDIR
# 1. hstc release verify checks every file against the signed SHA256SUMS;
# 2. the bundle is unpacked and runs the whole workflow (packaging/airgap_check.sh) inside a
#    network namespace with no interfaces (unshare -n);
# 3. a virtual environment is installed from the wheelhouse alone, inside such a namespace too,
#    and runs the same workflow there.
set -euo pipefail
REL=$(cd "$1" && pwd); KEY=$2; WORK=$3
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
  echo "release_check: needs root and unshare -n (a network namespace with no interfaces)" >&2
  exit 1
fi
offline() { unshare -n "$@"; }
# Checked first, with an hstc already trusted (VERIFIER; on the workstation: the installed one).
echo "== release verify"
offline "${VERIFIER:-hstc}" release verify "$REL" --key "$KEY" | tail -1
TAR=$(ls "$REL"/*.tar.gz)
echo "== bundle: unpack $(basename "$TAR") and run the workflow with no network"
tar -xf "$TAR" -C "$WORK"
BUNDLE=$(ls -d "$WORK"/hstc-desk-*/)
offline bash "$HERE/airgap_check.sh" "$BUNDLE" "$WORK/bundle-run"
echo "== wheelhouse: install with the registries unreachable, then run the workflow"
offline "$REL/install-offline.sh" "$REL/wheelhouse" "$WORK/venv"
offline bash "$HERE/airgap_check.sh" "$WORK/venv/bin" "$WORK/venv-run"
echo "release_check: passed"
