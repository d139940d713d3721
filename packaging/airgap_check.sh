#!/usr/bin/env bash
# The whole workflow an installed HSTC Desk must run with no network at all, from the programs in
# BIN (a built bundle's folder, or a virtual environment's bin/):
#   packaging/airgap_check.sh BIN WORKDIR
# Run it inside `unshare -n` (a network namespace with no interfaces) to prove nothing is fetched.
# It creates a store with a small demo world, searches, drafts, submits, approves and signs a
# product, renders and verifies its PDF, draws a figure, exports a bundle and imports it into a
# second workstation's store, and starts the window offscreen (hstc-desk --smoke).
set -euo pipefail
BIN=$(cd "$1" && pwd)
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK"
hstc() { "$BIN/hstc" "$@"; }
as() { local who=$1; shift; HSTC_USER=$who HSTC_PASSWORD="$who-demo-pass" "$@"; }
step() { echo "airgap: $*"; }
export QT_QPA_PLATFORM=offscreen

step "version"; hstc --version
step "demo world (store A)"; hstc demo "$WORK/a" --items 300 --seed 7 >/dev/null
step "search"; as analyst hstc search "$WORK/a" smuggling --limit 3
step "draft a product"
ID=$(as analyst hstc product new "$WORK/a" --type intelligence_bulletin \
       --title "Airgap check bulletin" --title-marking "(U)" \
       --portion "(U) A route shift seen in the demo world." \
       --portion "(U//FOUO) Indicators for partner review." | grep -o 'PRD-[0-9a-f]\{16\}' | head -1)
[ -n "$ID" ] || { echo "airgap: no product id printed" >&2; exit 1; }
step "submit and approve $ID"
as analyst hstc product submit "$WORK/a" "$ID"
printf 'supervisor-demo-pass' > "$WORK/confirm"
as supervisor hstc product approve "$WORK/a" "$ID" --confirm-password-file "$WORK/confirm"
as supervisor hstc product verify "$WORK/a" "$ID"
step "PDF"
as analyst hstc report "$WORK/a" "$ID" --out "$WORK/bulletin.pdf"
as analyst hstc report verify "$WORK/bulletin.pdf" --store "$WORK/a"
step "figure"; as analyst hstc figure "$WORK/a" --view map --out "$WORK/map.png"
step "export to USA and import into store B"
as analyst hstc export "$WORK/a" --to USA --out "$WORK/a-to-usa.zip"
hstc demo "$WORK/b" --items 50 --seed 8 >/dev/null
as admin hstc keys export "$WORK/a" --out "$WORK/a.pub"
FP=$(grep -o '"fingerprint": "[0-9a-f ]*"' "$WORK/a.pub" | sed 's/.*: "\(.*\)"/\1/')
as admin hstc keys trust "$WORK/b" "$WORK/a.pub" --fingerprint "$FP"
as analyst hstc verify "$WORK/a-to-usa.zip" --store "$WORK/b"
as analyst hstc import "$WORK/b" "$WORK/a-to-usa.zip"
as analyst hstc check "$WORK/b"
step "window"; as analyst "$BIN/hstc-desk" "$WORK/a" --user analyst --smoke
step "passed"
