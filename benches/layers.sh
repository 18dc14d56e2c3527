#!/usr/bin/env bash
# Issue 7's layer benchmark. Builds a gzip layer of 100,000 small files plus one 200 MiB file
# of random (incompressible) bytes, puts it in an OCI layout and in a local registry, then
# measures in the same run, as medians of several runs with a warm page cache:
#   - `berth files oci:DIR:TAG --layer 1`   vs `tar -tzf` on the same blob file (target ≤ 1.0×)
#   - `berth files HOST/REPO:TAG --layer 1` over loopback, digest verified, vs the same
#     `tar -tzf` (target ≤ 1.3×)
#   - peak RSS of `berth files` (target ≤ 150 MB)
# Both berth runs use --no-cache, so every run reads and verifies the whole blob, and hashes
# every file's bytes with SHA-256 (what Compare uses to see a change of content). Before timing,
# the hash berth gives for the 200 MiB file is checked against `tar -xzOf … | sha256sum`.
#
# Usage: benches/layers.sh            (builds target/release/berth first)
# Knobs: BENCH_FILES (100000), BENCH_BIG_MIB (200), BENCH_RUNS (5), BERTH (binary path).
set -euo pipefail

cd "$(dirname "$0")/.."
FILES=${BENCH_FILES:-100000}
BIG_MIB=${BENCH_BIG_MIB:-200}
RUNS=${BENCH_RUNS:-5}
if [[ -z "${BERTH:-}" ]]; then
    cargo build --release --quiet --bin berth
    BERTH=${CARGO_TARGET_DIR:-target}/release/berth
fi
for tool in tar gzip skopeo docker-registry python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "benches/layers.sh needs $tool" >&2; exit 1; }
done

BENCH_NAME=bench-layers PER_DIR=1000 LAST_FILE=0 REGISTRY_LOG=error
# shellcheck source=benches/common.sh
source benches/common.sh


LAYOUT_REF="oci:$LAYOUT:bench"
REG_REF="127.0.0.1:$PORT/bench/layer:v1"
ENTRIES=$("$BERTH" files "$LAYOUT_REF" --layer 1 --no-cache | wc -l)
TAR_ENTRIES=$(tar -tzf "$BLOB" | wc -l)
[[ "$ENTRIES" == "$TAR_ENTRIES" ]] || { echo "berth listed $ENTRIES entries, tar $TAR_ENTRIES" >&2; exit 1; }
BERTH_SHA=$("$BERTH" files --json "$LAYOUT_REF" --layer 1 --no-cache | python3 -c '
import json, sys
print(next(e["sha256"] for e in json.load(sys.stdin)["entries"] if e["path"] == "big/random.bin"))')
TAR_SHA=$(tar -xzOf "$BLOB" big/random.bin | sha256sum | cut -d" " -f1)
[[ "$BERTH_SHA" == "$TAR_SHA" ]] || { echo "berth hashed big/random.bin as $BERTH_SHA, sha256sum $TAR_SHA" >&2; exit 1; }

T_TAR=$(median_seconds tar -tzf "$BLOB")
T_TARV=$(median_seconds tar -tvzf "$BLOB")
T_LAYOUT=$(median_seconds "$BERTH" files "$LAYOUT_REF" --layer 1 --no-cache)
T_REG=$(median_seconds "$BERTH" --plain-http files "$REG_REF" --layer 1 --no-cache)
"$BERTH" files "$LAYOUT_REF" --layer 1 >/dev/null
T_CACHED=$(median_seconds "$BERTH" files "$LAYOUT_REF" --layer 1)
RSS_LAYOUT=$(peak_rss_mb "$BERTH" files "$LAYOUT_REF" --layer 1 --no-cache)
RSS_REG=$(peak_rss_mb "$BERTH" --plain-http files "$REG_REF" --layer 1 --no-cache)
RSS_MERGED=$(peak_rss_mb "$BERTH" files "$LAYOUT_REF" --merged --no-cache)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "layer: $TAR_ENTRIES entries, blob $(stat -c %s "$BLOB") bytes; median of $RUNS runs"
echo "tar -tzf                          ${T_TAR} s"
echo "tar -tvzf                         ${T_TARV} s"
echo "berth files (layout, --no-cache)  ${T_LAYOUT} s  $(ratio "$T_LAYOUT" "$T_TAR")x tar -tzf  (target <= 1.0)"
echo "berth files (registry, verified)  ${T_REG} s  $(ratio "$T_REG" "$T_TAR")x tar -tzf  (target <= 1.3)"
echo "berth files (layout, cached)      ${T_CACHED} s  $(ratio "$T_CACHED" "$T_TAR")x tar -tzf"
echo "peak RSS: layout ${RSS_LAYOUT} MB, registry ${RSS_REG} MB, --merged ${RSS_MERGED} MB  (target <= 150)"
