#!/usr/bin/env bash
# Issue 22's seek benchmark. Builds a gzip layer of 100,000 small files, one 200 MiB file of
# random bytes and a 64 KiB text file written last (etc/last.txt), puts it in a local
# registry, then measures in the same run (medians of several runs, warm page cache):
#   - `berth cat` of the last file, first time (empty cache: listing, index and the file)
#     vs `curl` of the blob piped to `tar -xzO` of that file (target <= 1.0x)
#   - `berth cat` again (listing and seek index cached: one Range request)
#     vs the same peer (target <= 0.05x), and the bytes the registry sent for it
#     (from its log; target < 4 MiB)
#   - `berth extract` of a 10,000-file folder (app/d00) vs `tar -xzf` of that
#     folder from the blob (target <= 1.0x)
#   - `berth extract` of a late folder (etc/, after the big file; index cached: ranged
#     reads) vs `tar -xzf` of that folder from the blob, and the bytes the registry sent
#   - peak RSS of each berth run (target <= 150 MB)
# Not part of tests/run.sh.
#
# Usage: benches/seek.sh            (builds target/release/berth first)
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
for tool in tar gzip curl skopeo docker-registry python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "benches/seek.sh needs $tool" >&2; exit 1; }
done

BENCH_NAME=bench-seek PER_DIR=10000 LAST_FILE=1
REGISTRY_LOG="info, accesslog: {disabled: true}"
# shellcheck source=benches/common.sh
source benches/common.sh
DIGEST=sha256:$(sha256sum "$BLOB" | cut -d" " -f1)


REF="127.0.0.1:$PORT/bench/layer:v1"
BLOB_URL="http://127.0.0.1:$PORT/v2/bench/layer/blobs/$DIGEST"
# The folders hold 10,000 files each.
FOLDER=app/d00

peer_cat() { curl -fs "$BLOB_URL" | tar -xzO etc/last.txt; }
berth_cat_first() { rm -rf "$XDG_CACHE_HOME"; "$BERTH" --plain-http cat "$REF" /etc/last.txt; }
berth_cat_again() { "$BERTH" --plain-http cat "$REF" /etc/last.txt; }
peer_extract() { rm -rf "$WORK/tar-out"; mkdir -p "$WORK/tar-out"; tar -xzf "$BLOB" -C "$WORK/tar-out" "$FOLDER"; }
berth_extract() {
    rm -rf "$WORK/berth-out"; mkdir -p "$WORK/berth-out"
    "$BERTH" --plain-http extract "$REF" "/$FOLDER" --to "$WORK/berth-out" >/dev/null
}
# The late folder: etc/ holds the last file, after the 200 MiB one.
peer_extract_late() { rm -rf "$WORK/tar-late"; mkdir -p "$WORK/tar-late"; tar -xzf "$BLOB" -C "$WORK/tar-late" etc; }
berth_extract_late() {
    rm -rf "$WORK/berth-late"; mkdir -p "$WORK/berth-late"
    "$BERTH" --plain-http extract "$REF" /etc --to "$WORK/berth-late" >/dev/null
}
# fetched CMD...: runs CMD once, prints the bytes the registry sent meanwhile (the sum of
# its "response completed" sizes).
fetched() {
    local lines
    lines=$(wc -l <"$WORK/registry.log")
    "$@" >/dev/null
    tail -n +"$((lines + 1))" "$WORK/registry.log" | grep -o 'http.response.written=[0-9]*' \
        | cut -d= -f2 | awk '{s += $1} END {print s + 0}'
}

cmp <(peer_cat) <(berth_cat_first) || { echo "berth cat gave other bytes" >&2; exit 1; }
cmp <(peer_cat) <(berth_cat_again) || { echo "berth cat (indexed) gave other bytes" >&2; exit 1; }

T_PEER=$(median_seconds peer_cat)
T_FIRST=$(median_seconds berth_cat_first)
berth_cat_again >/dev/null
T_AGAIN=$(median_seconds berth_cat_again)
FETCHED=$(fetched berth_cat_again)
T_TAR_X=$(median_seconds peer_extract)
T_BERTH_X=$(median_seconds berth_extract)
FETCHED_X=$(fetched berth_extract)
peer_extract_late; berth_extract_late
diff -r "$WORK/tar-late/etc" "$WORK/berth-late/etc" || { echo "berth extract /etc differs" >&2; exit 1; }
T_TAR_XL=$(median_seconds peer_extract_late)
T_BERTH_XL=$(median_seconds berth_extract_late)
FETCHED_XL=$(fetched berth_extract_late)
RSS_FIRST=$(rm -rf "$XDG_CACHE_HOME"; peak_rss_mb "$BERTH" --plain-http cat "$REF" /etc/last.txt)
RSS_AGAIN=$(peak_rss_mb "$BERTH" --plain-http cat "$REF" /etc/last.txt)
RSS_X=$(rm -rf "$WORK/berth-out"; mkdir -p "$WORK/berth-out"; peak_rss_mb "$BERTH" --plain-http extract "$REF" "/$FOLDER" --to "$WORK/berth-out")
RSS_XL=$(rm -rf "$WORK/berth-late"; mkdir -p "$WORK/berth-late"; peak_rss_mb "$BERTH" --plain-http extract "$REF" /etc --to "$WORK/berth-late")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo "blob $(stat -c %s "$BLOB") bytes; median of $RUNS runs"
echo "curl | tar -xzO (last file)          ${T_PEER} s"
echo "berth cat, first time                ${T_FIRST} s  $(ratio "$T_FIRST" "$T_PEER")x  (target <= 1.0)"
echo "berth cat, again (index cached)      ${T_AGAIN} s  $(ratio "$T_AGAIN" "$T_PEER")x  (target <= 0.05)"
echo "registry bytes for the indexed cat   ${FETCHED}  (target < 4194304)"
echo "tar -xzf of app/d00 (10,000 files)  ${T_TAR_X} s"
echo "berth extract /app/d00              ${T_BERTH_X} s  $(ratio "$T_BERTH_X" "$T_TAR_X")x  (target <= 1.0)"
echo "registry bytes for that extract      ${FETCHED_X}"
echo "tar -xzf of etc (late folder)        ${T_TAR_XL} s"
echo "berth extract /etc (index cached)    ${T_BERTH_XL} s  $(ratio "$T_BERTH_XL" "$T_TAR_XL")x"
echo "registry bytes for that extract      ${FETCHED_XL}"
echo "peak RSS: cat first ${RSS_FIRST} MB, cat again ${RSS_AGAIN} MB, extract ${RSS_X} MB, late extract ${RSS_XL} MB  (target <= 150)"
