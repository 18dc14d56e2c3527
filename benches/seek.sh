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

DATA=${CARGO_TARGET_DIR:-target}/bench-seek/files${FILES}-big${BIG_MIB}
WORK=$(mktemp -d)
REGISTRY_PID=
cleanup() {
    if [[ -n "$REGISTRY_PID" ]]; then kill "$REGISTRY_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ ! -f "$DATA/layout/index.json" ]]; then
    echo "building the layer ($FILES files + $BIG_MIB MiB random) in $DATA ..." >&2
    rm -rf "$DATA" && mkdir -p "$DATA"
    python3 - "$DATA" "$FILES" "$BIG_MIB" <<'EOF'
import hashlib, io, json, os, subprocess, sys, tarfile
data, files, big_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tar_path = os.path.join(data, "layer.tar")
with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as t:
    dirs = set()
    for i in range(files):
        d = f"app/d{i // 10000:02d}"
        if d not in dirs:
            dirs.add(d)
            info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o755
            info.mtime = 1_700_000_000; t.addfile(info)
        body = f"small file {i}\n".encode() * (1 + i % 7)
        info = tarfile.TarInfo(f"{d}/file-{i:06d}.txt"); info.size = len(body)
        info.mtime = 1_700_000_000; info.mode = 0o644
        t.addfile(info, io.BytesIO(body))
    class Random(io.RawIOBase):
        def __init__(self, n): self.left = n
        def readable(self): return True
        def readinto(self, b):
            n = min(len(b), self.left)
            b[:n] = os.urandom(n); self.left -= n; return n
    info = tarfile.TarInfo("big/random.bin"); info.size = big_mib * 1024 * 1024
    info.mtime = 1_700_000_000
    t.addfile(info, io.BufferedReader(Random(info.size), 1 << 20))
    body = b"".join(f"line {i:05d} of the last file, written last in the layer\n".encode()
                    for i in range(1200))[:64 * 1024]
    info = tarfile.TarInfo("etc/last.txt"); info.size = len(body)
    info.mtime = 1_700_000_000; info.mode = 0o644
    t.addfile(info, io.BytesIO(body))
subprocess.run(["gzip", "-6", "-f", "-n", tar_path], check=True)
blob_path = tar_path + ".gz"
h = hashlib.sha256()
with open(blob_path, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
layer_digest, layer_size = "sha256:" + h.hexdigest(), os.path.getsize(blob_path)
layout = os.path.join(data, "layout")
blobs = os.path.join(layout, "blobs", "sha256")
os.makedirs(blobs)
os.link(blob_path, os.path.join(blobs, h.hexdigest()))
def put(obj):
    b = json.dumps(obj).encode()
    d = hashlib.sha256(b).hexdigest()
    open(os.path.join(blobs, d), "wb").write(b)
    return {"digest": "sha256:" + d, "size": len(b)}
config = put({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
              "rootfs": {"type": "layers", "diff_ids": []}, "history": [{"created_by": "bench"}]})
manifest = put({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": layer_digest, "size": layer_size}]})
json.dump({"schemaVersion": 2, "manifests": [{
    "mediaType": "application/vnd.oci.image.manifest.v1+json", **manifest,
    "annotations": {"org.opencontainers.image.ref.name": "bench"}}]},
    open(os.path.join(layout, "index.json"), "w"))
open(os.path.join(layout, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
EOF
fi
BLOB=$DATA/layer.tar.gz
LAYOUT=$DATA/layout
DIGEST=sha256:$(sha256sum "$BLOB" | cut -d" " -f1)
BLOB=$DATA/layer.tar.gz
LAYOUT=$DATA/layout

# Isolated settings, credentials and cache for berth.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache \
    XDG_DATA_HOME=$WORK/data DOCKER_CONFIG=$WORK/docker REGISTRY_AUTH_FILE=$WORK/auth.json
mkdir -p "$HOME"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: info, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry}}
http: {addr: 127.0.0.1:$PORT}
EOF
# The registry reads REGISTRY_* variables as config (REGISTRY_AUTH_FILE would be auth.file).
env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break
    sleep 0.1
done
kill -0 "$REGISTRY_PID" || { cat "$WORK/registry.log" >&2; exit 1; }
skopeo copy --quiet --dest-tls-verify=false "oci:$LAYOUT:bench" \
    "docker://127.0.0.1:$PORT/bench/layer:v1" >/dev/null

# median_seconds CMD...: runs CMD $RUNS times (after one warm-up), prints the median.
median_seconds() {
    "$@" >/dev/null 2>&1
    local times=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]/1e6}'
}
peak_rss_mb() {
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f\n", $1/1024}'
}

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

cmp <(peer_cat) <(berth_cat_first) || { echo "berth cat gave other bytes" >&2; exit 1; }
cmp <(peer_cat) <(berth_cat_again) || { echo "berth cat (indexed) gave other bytes" >&2; exit 1; }

T_PEER=$(median_seconds peer_cat)
T_FIRST=$(median_seconds berth_cat_first)
berth_cat_again >/dev/null
T_AGAIN=$(median_seconds berth_cat_again)
# What the registry sent for one indexed cat: the sum of its "response completed" sizes.
LOG_LINES=$(wc -l <"$WORK/registry.log")
berth_cat_again >/dev/null
FETCHED=$(tail -n +"$((LOG_LINES + 1))" "$WORK/registry.log" | grep -o 'http.response.written=[0-9]*' \
    | cut -d= -f2 | awk '{s += $1} END {print s + 0}')
T_TAR_X=$(median_seconds peer_extract)
T_BERTH_X=$(median_seconds berth_extract)
RSS_FIRST=$(rm -rf "$XDG_CACHE_HOME"; peak_rss_mb "$BERTH" --plain-http cat "$REF" /etc/last.txt)
RSS_AGAIN=$(peak_rss_mb "$BERTH" --plain-http cat "$REF" /etc/last.txt)
RSS_X=$(rm -rf "$WORK/berth-out"; mkdir -p "$WORK/berth-out"; peak_rss_mb "$BERTH" --plain-http extract "$REF" "/$FOLDER" --to "$WORK/berth-out")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo "blob $(stat -c %s "$BLOB") bytes; median of $RUNS runs"
echo "curl | tar -xzO (last file)          ${T_PEER} s"
echo "berth cat, first time                ${T_FIRST} s  $(ratio "$T_FIRST" "$T_PEER")x  (target <= 1.0)"
echo "berth cat, again (index cached)      ${T_AGAIN} s  $(ratio "$T_AGAIN" "$T_PEER")x  (target <= 0.05)"
echo "registry bytes for the indexed cat   ${FETCHED}  (target < 4194304)"
echo "tar -xzf of app/d00 (10,000 files)  ${T_TAR_X} s"
echo "berth extract /app/d00              ${T_BERTH_X} s  $(ratio "$T_BERTH_X" "$T_TAR_X")x  (target <= 1.0)"
echo "peak RSS: cat first ${RSS_FIRST} MB, cat again ${RSS_AGAIN} MB, extract ${RSS_X} MB  (target <= 150)"
