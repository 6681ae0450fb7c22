#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: the docker CLI, whose `docker stack config` is the
# reference validator for stack files. Runs before `npm test`; does nothing when everything is present.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if ! have docker; then
  if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "test-deps: installing docker.io (the docker CLI) from Debian" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  else
    echo "test-deps: the docker CLI is missing; install docker (Debian: apt-get install docker.io)" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi

# The built CLI is what the end-to-end tests run.
if [ ! -f dist/main.cjs ] || [ -n "$(find src scripts package.json -newer dist/main.cjs -print -quit)" ]; then
  node scripts/build.mjs
fi
