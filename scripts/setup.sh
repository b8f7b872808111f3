#!/usr/bin/env bash
# Installs what building and running DLQ Manager needs on Debian, skipping what is already there.
# Extra package names given as arguments are installed too (the test command adds the real Alertmanager).
# Run as root (the demo and the test command call it). Swift itself is expected at /opt/swift or on PATH.
set -euo pipefail

log() { echo "setup.sh: $*" >&2; }

# python3 runs the demo's webhook receiver and a test's independent HMAC check.
packages=(librdkafka-dev libpq-dev postgresql pkg-config python3 "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        log "swift is at /opt/swift/usr/bin; add it to PATH"
    else
        log "Swift 6 is required (https://www.swift.org/install/linux/); it is not on PATH"
    fi
    exit 1
fi
