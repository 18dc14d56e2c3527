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
  time strace                                         # peak memory (/usr/bin/time), counting writes
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

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
# --no-fail-fast: one failing target must not hide the results of the others. Cargo's
# progress (stderr) goes into the same stream, so each "Running" line precedes its results.
# The pipeline must not end the script (set -e) before the summary: its status is kept.
set +e
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log"
cargo_status=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))

# One line per test binary, then the totals over every binary's "test result:" line; the
# very last line is the plain totals line, whatever happened.
summary=$(awk '
    function flush() {
        if (name != "" && !seen) { printf "  %-44s no result (build failed or the binary crashed)\n", name; crashed++ }
    }
    /^ *Running / || /^ *Doc-tests / {
        flush()
        name = $0; sub(/^ *(Running|Doc-tests) /, "", name); sub(/ \(.*\)$/, "", name)
        if ($0 ~ /Doc-tests/) name = "doc-tests " name
        seen = 0; next
    }
    /^test result: / {
        p = f = ig = 0; t = ""
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^passed;?$/) p = $(i - 1)
            if ($i ~ /^failed;?$/) f = $(i - 1)
            if ($i ~ /^ignored;?$/) ig = $(i - 1)
            if ($i == "in") t = $(i + 1)
        }
        printf "  %-44s %5d passed, %d failed, %d ignored in %s\n", name, p, f, ig, t
        P += p; F += f; I += ig; seen = 1
    }
    END {
        flush()
        printf "ignored %d\n", I
        printf "crashed %d\n", crashed
        printf "%d passed, %d failed\n", P, F
    }
' "$log")
totals=$(tail -n 1 <<<"$summary")
ignored=$(tail -n 3 <<<"$summary" | head -n 1 | cut -d' ' -f2)
crashed=$(tail -n 2 <<<"$summary" | head -n 1 | cut -d' ' -f2)
echo
echo "tests/run.sh: per test binary (cargo exited with $cargo_status after $elapsed s):"
head -n -3 <<<"$summary"
echo "tests/run.sh: $ignored ignored, $crashed binaries without a result"
echo "$totals"
exit "$cargo_status"
