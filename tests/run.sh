#!/usr/bin/env bash
# Runs every Berth test: the README's "run every test" command, and what CI runs (.ci/run).
#
# On Debian/Ubuntu it first installs whatever the tests need that is missing (as root, or
# through sudo): a real registry (docker-registry = CNCF distribution 2.8), skopeo as the
# independent client, htpasswd and openssl for the auth modes, zstd, podman for the engine
# store, and the GL libraries and Korean fonts for the UI snapshot tests. Then `cargo test`.
#
# Extra arguments go to cargo test, e.g. `tests/run.sh --test integration registry_read`.
set -euo pipefail

cd "$(dirname "$0")/.."
export LANG=C.UTF-8
unset LC_ALL LANGUAGE

PACKAGES=(
  docker-registry skopeo apache2-utils openssl zstd   # registries, fixtures, auth
  podman uidmap                                       # the engine store
  libegl1 libgl1-mesa-dri fonts-nanum fonts-nanum-coding xvfb   # UI snapshots
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "tests/run.sh: installing ${missing[*]}" >&2
    SUDO=()
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "tests/run.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
      SUDO=(sudo)
    fi
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
else
  echo "tests/run.sh: not a Debian system; make sure these are installed: ${PACKAGES[*]}" >&2
fi

command -v cargo >/dev/null || { echo "tests/run.sh: cargo not found (install Rust 1.95+ with rustup)" >&2; exit 1; }

start=$(date +%s)
# --no-fail-fast: one failing target must not hide the results of the others
cargo test --locked --no-fail-fast "$@"
echo "tests/run.sh: all tests passed in $(( $(date +%s) - start )) s" >&2
