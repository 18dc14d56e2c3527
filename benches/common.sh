# Shared by the layer benchmarks (sourced, not run): builds the bench layer once under
# target/$BENCH_NAME/ (FILES small files in folders of PER_DIR, one BIG_MIB MiB random file,
# and with LAST_FILE=1 a 64 KiB text file etc/last.txt written last), isolates berth's
# settings and cache under a temporary WORK directory, starts Debian's docker-registry with
# the layer pushed as 127.0.0.1:$PORT/bench/layer:v1, and defines median_seconds and
# peak_rss_mb. Needs FILES, BIG_MIB, RUNS, BENCH_NAME, PER_DIR, LAST_FILE, REGISTRY_LOG.
# shellcheck shell=bash

# The layer is slow to make, so it is kept under target/, keyed by its parameters.
DATA=${CARGO_TARGET_DIR:-target}/$BENCH_NAME/files${FILES}-big${BIG_MIB}
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
    python3 - "$DATA" "$FILES" "$BIG_MIB" "$PER_DIR" "$LAST_FILE" <<'EOF'
import hashlib, io, json, os, subprocess, sys, tarfile
data, files, big_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per_dir, last_file = int(sys.argv[4]), sys.argv[5] == "1"
tar_path = os.path.join(data, "layer.tar")
with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as t:
    dirs = set()
    for i in range(files):
        d = f"app/d{i // per_dir:03d}" if per_dir == 1000 else f"app/d{i // per_dir:02d}"
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
    if last_file:
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

# Isolated settings, credentials and cache for berth.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache \
    XDG_DATA_HOME=$WORK/data DOCKER_CONFIG=$WORK/docker REGISTRY_AUTH_FILE=$WORK/auth.json
mkdir -p "$HOME"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: $REGISTRY_LOG}
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
