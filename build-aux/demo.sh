#!/usr/bin/env bash
# Sets everything up and launches Porthole on the built-in demo clusters.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

porthole_build

# Run from the build tree: schemas compiled there, no install needed.
export GSETTINGS_SCHEMA_DIR="$PORTHOLE_BUILD/data"
export PORTHOLE_LOCALEDIR="$PORTHOLE_BUILD/po"
export PORTHOLE_PLUGIN_PATH="$PORTHOLE_BUILD/plugins/shipped${PORTHOLE_PLUGIN_PATH:+:$PORTHOLE_PLUGIN_PATH}"
exec "$PORTHOLE_BUILD/src/porthole" --demo "$@"
