#!/usr/bin/env bash
# Install the Debian packages HSTC Desk needs (Qt's libraries, Xvfb, poppler), or say which.
# Run as root it installs what is missing; otherwise it prints the exact command and fails.
set -euo pipefail
PKGS=(
  python3-venv
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  xvfb xauth
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1
  poppler-utils
  tzdata
)
# A Python that already has venv (pyenv, a custom build) does not need Debian's python3-venv.
if python3 -c 'import venv, ensurepip' 2>/dev/null; then PKGS=("${PKGS[@]:1}"); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "HSTC Desk needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
