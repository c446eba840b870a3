#!/usr/bin/env bash
# Installs the system packages the native stack needs (rabbitmq-server, ffmpeg, postgresql) when
# they are missing, and kubectl, whose `kubectl kustomize` renders deploy/k8s for its test (Debian's
# kubernetes-client when no kubectl is there). As root it runs apt-get; otherwise it prints the
# command and fails.
# Used by `make up`, `make test` and .ci/run, so README's first command does the whole set-up.
#   --dry-run   only print what would be installed
# The paths it checks can be overridden (RABBITMQ_SERVER, FFMPEG, PG_BINDIR_GLOB, KUBECTL) for tests.
set -euo pipefail

dry_run=0
[ "${1:-}" = "--dry-run" ] && dry_run=1

rabbitmq_server=${RABBITMQ_SERVER:-/usr/lib/rabbitmq/bin/rabbitmq-server}
ffmpeg=${FFMPEG:-ffmpeg}
pg_glob=${PG_BINDIR_GLOB:-/usr/lib/postgresql/*/bin/postgres}
kubectl=${KUBECTL:-kubectl}
uid=${SCENELENS_INSTALL_UID:-$(id -u)}

need=()
[ -x "$rabbitmq_server" ] || need+=(rabbitmq-server)
command -v "$ffmpeg" >/dev/null 2>&1 || need+=(ffmpeg)
compgen -G "$pg_glob" >/dev/null || need+=(postgresql)
command -v "$kubectl" >/dev/null 2>&1 || need+=(kubernetes-client)

if ((${#need[@]} == 0)); then
    echo "system packages: rabbitmq-server, ffmpeg, postgresql and kubectl are present"
    exit 0
fi
if [ "$dry_run" = 1 ]; then
    echo "would install: ${need[*]}"
    exit 0
fi
if [ "$uid" -ne 0 ]; then
    echo "missing system packages: ${need[*]}; as root run: apt-get install -y ${need[*]}" >&2
    exit 1
fi

echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep the packages from starting their system services: they would hold 5432 and 5672.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -q || echo "apt-get update failed; trying the install anyway" >&2
apt-get install -y -q --no-install-recommends "${need[@]}"
