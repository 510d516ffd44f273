#!/usr/bin/env bash
# Installs what building Porthole needs (Debian 12), then configures and
# builds it in _build/.  Sourced by demo.sh and test.sh; safe to run again.
set -euo pipefail

PORTHOLE_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORTHOLE_BUILD="${PORTHOLE_BUILD:-$PORTHOLE_SRC/_build}"

build_packages=(
  meson ninja-build pkg-config gcc gettext git
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libarchive-dev libyaml-dev libgtksourceview-5-dev
  glib-networking desktop-file-utils appstream
)

# Installs the packages of "$@" that are not installed yet.
porthole_apt_install () {
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  echo "Installing: ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

porthole_build () {
  porthole_apt_install "${build_packages[@]}"

  if [ ! -f "$PORTHOLE_BUILD/build.ninja" ]; then
    local werror=false
    if [ -n "${CI:-}" ]; then
      werror=true
    fi
    meson setup "$PORTHOLE_BUILD" "$PORTHOLE_SRC" -Dwerror="$werror" >&2
  fi
  ninja -C "$PORTHOLE_BUILD" >&2
}
