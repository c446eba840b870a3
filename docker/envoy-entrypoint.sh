#!/bin/sh
# Envoy in the scenelens image: render the config from SCENELENS_* variables, then run it.
set -eu
app="$(cd "$(dirname "$0")/.." && pwd)"
config="${ENVOY_CONFIG:-/tmp/envoy.yaml}"
python "$app/scripts/render_envoy.py" --out "$config"
exec envoy -c "$config" --disable-hot-restart --log-level "${ENVOY_LOG_LEVEL:-info}" "$@"
