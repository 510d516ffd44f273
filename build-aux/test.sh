#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: displayless tests and
# UI tests under Xvfb.  Ends with a line "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

test_packages=(
  xvfb xauth xfonts-base openssl imagemagick
  flatpak-builder
)
# kubectl-based tests skip themselves when it is missing, but we try.
command -v kubectl >/dev/null 2>&1 || test_packages+=(kubernetes-client)
command -v node >/dev/null 2>&1 || test_packages+=(nodejs)

porthole_build
porthole_apt_install "${test_packages[@]}"

status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C "$PORTHOLE_BUILD" --print-errorlogs --num-processes 2 "$@" || status=$?

python3 "$PORTHOLE_SRC/build-aux/test-summary.py" "$PORTHOLE_BUILD/meson-logs/testlog.json" || status=1
exit "$status"
