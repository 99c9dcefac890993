#!/usr/bin/env bash
# System services for the test suite, set up when the machine allows it (root + apt):
# Debian's chromium (browser tests) and a throwaway PostgreSQL (store tests).
# Prints the PostgreSQL URL on stdout (empty when none could be started); progress on stderr.
set -uo pipefail
cd "$(dirname "$0")/.."
log() { echo "test-services: $*" >&2; }

if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    log "not root or no apt-get: browser and PostgreSQL tests will be skipped unless already set up"
    exit 0
fi
if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Debian's chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; } >&2 || log "chromium install failed"
fi
bash .ci/postgres.sh || log "PostgreSQL could not be started"
