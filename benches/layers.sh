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

# The layer is slow to make, so it is kept under target/, keyed by its parameters.
DATA=${CARGO_TARGET_DIR:-target}/bench-layers/files${FILES}-big${BIG_MIB}
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
        d = f"app/d{i // 1000:03d}"
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

# Isolated settings, credentials and cache for berth.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache \
    XDG_DATA_HOME=$WORK/data DOCKER_CONFIG=$WORK/docker REGISTRY_AUTH_FILE=$WORK/auth.json
mkdir -p "$HOME"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: error}
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
