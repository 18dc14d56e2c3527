#!/usr/bin/env bash
# Pull benchmark: Berth against skopeo and against "the floor", on a local registry on
# loopback, in one run, printed as a table of ratios (median of --runs runs each).
#
#   case A: one image with a single 200 MiB random layer
#   case B: one image with 8 layers of 32 MiB each
#
#   berth   berth pull http://R/bench/IMG:latest --to oci:OUT      (fresh OUT each run)
#   skopeo  skopeo copy docker://R/bench/IMG:latest oci:OUT:IMG    (fresh OUT each run)
#   floor   for each blob: curl URL | tee FILE | openssl dgst -sha256; then sync FILE...
#           (download, hash with the CPU's SHA extensions, write, fsync: what a verified,
#           durable pull cannot avoid; Berth fsyncs each blob too, and so does skopeo)
#
# Targets (issue 6): A ≤ 0.40 × skopeo, B ≤ 0.35 × skopeo, A ≤ 1.3 × floor.
# Last, a CPU budget: CPU seconds of Berth and of the registry for one pull each, and a bound
# no client can beat here: receiving the bytes (curl to /dev/null) while the registry serves
# them, plus hashing them, spread perfectly over every CPU.
# It also checks that Berth's sha256 (the sha2 crate) runs at OpenSSL's speed, i.e. uses the
# SHA extensions: `berth fsck` of the 200 MiB layout (which hashes every blob) against
# `openssl dgst -sha256` of the same bytes.
#
# Usage: tests/bench-pull.sh [--runs N] [--keep]
# Needs: cargo, docker-registry (distribution 2.8), skopeo, curl, openssl, python3, jq.
# Not part of `cargo test`: run it by hand on an otherwise idle machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,24p' "$0" >&2; exit 2 ;;
  esac
done
for tool in cargo docker-registry skopeo curl openssl python3 jq; do
  command -v "$tool" >/dev/null || { echo "bench-pull: $tool is missing" >&2; exit 1; }
done

echo "building berth (release)..." >&2
(cd "$ROOT" && cargo build --release --quiet --bin berth)
BERTH=$ROOT/target/release/berth

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
REG_PID=""
cleanup() {
  [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null || true
  [ "$KEEP" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
# Berth runs with its own HOME: no settings or credentials of the user's.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share
export DOCKER_CONFIG=$WORK/home/.docker REGISTRY_AUTH_FILE=$WORK/home/auth.json
mkdir -p "$HOME" "$DOCKER_CONFIG"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
R=127.0.0.1:$PORT
cat > "$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/storage
http:
  addr: 127.0.0.1:$PORT
EOF
# REGISTRY_* variables configure distribution itself (REGISTRY_AUTH_FILE would be read as
# its auth section): none of ours may reach it.
env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 1 100); do curl -sf "http://$R/v2/" >/dev/null && break; sleep 0.1; done

echo "building the images (random layers, gzip -1)..." >&2
python3 - "$WORK/layout" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
os.makedirs(f"{root}/blobs/sha256", exist_ok=True)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(f"{root}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{d}", "size": len(data)}
def layer(mib, name):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        info = tarfile.TarInfo(name)
        info.size = mib << 20
        info.mtime = 1700000000
        t.addfile(info, io.BytesIO(os.urandom(info.size)))
    diff = "sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()
    blob = gzip.compress(raw.getvalue(), compresslevel=1, mtime=0)
    return dict(put(blob), mediaType="application/vnd.oci.image.layer.v1.tar+gzip"), diff
index = {"schemaVersion": 2, "manifests": []}
for tag, sizes in [("big", [200]), ("eight", [32] * 8)]:
    layers = [layer(s, f"blob/{tag}-{i}.bin") for i, s in enumerate(sizes)]
    config = {"architecture": "amd64", "os": "linux",
              "rootfs": {"type": "layers", "diff_ids": [d for _, d in layers]}}
    cdesc = dict(put(json.dumps(config).encode()), mediaType="application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cdesc, "layers": [l for l, _ in layers]}
    mdesc = dict(put(json.dumps(manifest).encode()), mediaType=manifest["mediaType"])
    mdesc["annotations"] = {"org.opencontainers.image.ref.name": tag}
    index["manifests"].append(mdesc)
with open(f"{root}/index.json", "w") as f:
    json.dump(index, f)
with open(f"{root}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
PY
for img in big eight; do
  skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$WORK/layout:$img" "docker://$R/bench/$img:latest"
done

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The blobs (config and layers) of an image, as "DIGEST" lines.
blobs_of() {
  local m
  m=$(jq -r --arg t "$1" '.manifests[]|select(.annotations["org.opencontainers.image.ref.name"]==$t)|.digest' "$WORK/layout/index.json")
  jq -r '.config.digest, .layers[].digest' "$WORK/layout/blobs/sha256/${m#sha256:}"
}

run_berth() {
  rm -rf "$WORK/out"; sync
  local t; t=$(now_ms)
  "$BERTH" pull "http://$R/bench/$1:latest" --to "oci:$WORK/out" >/dev/null
  echo $(( $(now_ms) - t ))
}
run_skopeo() {
  rm -rf "$WORK/out"; sync
  local t; t=$(now_ms)
  skopeo copy -q --src-tls-verify=false "docker://$R/bench/$1:latest" "oci:$WORK/out:$1"
  echo $(( $(now_ms) - t ))
}
run_floor() {
  rm -rf "$WORK/out"; mkdir -p "$WORK/out"; sync
  local t d; t=$(now_ms)
  for d in $(blobs_of "$1"); do
    curl -sf "http://$R/v2/bench/$1/blobs/$d" | tee "$WORK/out/${d#sha256:}" | openssl dgst -sha256 >/dev/null
  done
  sync "$WORK"/out/*
  echo $(( $(now_ms) - t ))
}

declare -A MED
for img in big eight; do
  for tool in berth skopeo floor; do : > "$WORK/times-$img-$tool"; done
  for i in $(seq 1 "$RUNS"); do
    # Interleaved, so that a busy moment of the machine hits every tool alike.
    for tool in berth skopeo floor; do
      "run_$tool" "$img" >> "$WORK/times-$img-$tool"
    done
    echo "  $img run $i: berth $(tail -1 "$WORK/times-$img-berth") ms, skopeo $(tail -1 "$WORK/times-$img-skopeo") ms, floor $(tail -1 "$WORK/times-$img-floor") ms" >&2
  done
  for tool in berth skopeo floor; do
    MED[$img-$tool]=$(median < "$WORK/times-$img-$tool")
  done
done

# sha256 speed: Berth's fsck hashes every blob of the layout it just pulled.
run_berth big >/dev/null
BIG=$(ls -S "$WORK/out/blobs/sha256" | head -1)
# Blobs are written past the page cache: a first fsck reads from disk, so time the second.
"$BERTH" fsck "oci:$WORK/out" >/dev/null
t=$(now_ms); "$BERTH" fsck "oci:$WORK/out" >/dev/null; FSCK=$(( $(now_ms) - t ))
t=$(now_ms); openssl dgst -sha256 "$WORK/out/blobs/sha256/$BIG" >/dev/null; OSSL=$(( $(now_ms) - t ))
# SHA-256 at OpenSSL's speed (the SHA extensions): CPU seconds for those 200 MiB.
TIMEFORMAT='%U'
SHA_200=$( { time openssl dgst -sha256 "$WORK/out/blobs/sha256/$BIG" >/dev/null; } 2>&1 )

# Where the time goes, for one more pull of each image: CPU seconds of Berth and of the
# registry serving it (bash's `time`; /proc/PID/stat), and of the least any client must do:
# receive the blobs (one curl, all at once, to /dev/null) while the registry serves them.
reg_ticks() { awk '{print $14 + $15}' "/proc/$REG_PID/stat"; }
reg_ms() { echo $(( ($2 - $1) * 1000 / $(getconf CLK_TCK) )); }
cpu_ms() { awk -v t="$1" 'BEGIN {split(t, a, " "); printf "%d", (a[1] + a[2]) * 1000}'; }
receive_all() {
  local d args=()
  for d in $(blobs_of "$1"); do
    args+=(-o /dev/null "http://$R/v2/bench/$1/blobs/$d")
  done
  # curl 7.88 draws its parallel progress meter even with -s; it must not reach `time`'s
  # output, which is read below.
  curl -sf --no-progress-meter --parallel --parallel-max 8 "${args[@]}" 2>/dev/null
}
declare -A CPU
TIMEFORMAT='%U %S'
for img in big eight; do
  rm -rf "$WORK/out"; sync
  r0=$(reg_ticks)
  t=$( { time "$BERTH" pull "http://$R/bench/$img:latest" --to "oci:$WORK/out" >/dev/null; } 2>&1 )
  r1=$(reg_ticks)
  CPU[$img-berth]=$(cpu_ms "$t"); CPU[$img-registry]=$(reg_ms "$r0" "$r1")
  t=$( { time receive_all "$img"; } 2>&1 )
  r2=$(reg_ticks)
  CPU[$img-curl]=$(cpu_ms "$t"); CPU[$img-curl-registry]=$(reg_ms "$r1" "$r2")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r <= t) ? "met" : "MISSED"}'; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f s", ms / 1000}'; }

echo
echo "Pull from a local registry on loopback, median of $RUNS runs ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-22s %9s %9s %9s   %-22s %-22s\n' "image" "berth" "skopeo" "floor" "berth/skopeo (target)" "berth/floor (target)"
for img in big eight; do
  case $img in big) name="1 x 200 MiB"; target=0.40 ;; eight) name="8 x 32 MiB"; target=0.35 ;; esac
  b=${MED[$img-berth]}; s=${MED[$img-skopeo]}; f=${MED[$img-floor]}
  rs=$(ratio "$b" "$s"); rf=$(ratio "$b" "$f")
  printf '%-22s %9s %9s %9s   %-22s %-22s\n' "$name" "$(secs "$b")" "$(secs "$s")" "$(secs "$f")" \
    "$rs (<= $target $(verdict "$rs" "$target"))" "$rf (<= 1.30 $(verdict "$rf" 1.30))"
done
echo "sha256 of 200 MiB: berth fsck $(secs "$FSCK") (whole layout, with startup), openssl dgst $(secs "$OSSL")"

# The physical limit: a verified, durable pull must at least receive every byte while the
# registry serves it, hash every byte, and write every byte to disk, on the same CPUs. Even
# spread perfectly over every CPU, that bounds the fastest possible pull: a target below the
# bound cannot be met on this machine by any client.
# Writing, as Berth's store does it: O_DIRECT in 1 MiB writes, then fsync (the CPU of reading
# /dev/zero is counted too, a slight overestimate).
write_ms() {
  local t
  t=$( { time dd if=/dev/zero of="$WORK/dd-test" bs=1M count="$1" oflag=direct conv=fsync status=none; } 2>&1 )
  rm -f "$WORK/dd-test"
  cpu_ms "$t"
}
TIMEFORMAT='%U %S'
echo
echo "CPU budget of one pull each ($(nproc) CPUs; SHA-256 by OpenSSL: $(secs "$(cpu_ms "$SHA_200 0")") CPU per 200 MiB)"
printf '%-14s %10s %13s %14s %8s %7s %28s %26s\n' "image" "berth CPU" "registry CPU" "curl+registry" "sha256" "write" "bound (curl+reg+sha+write)/$(nproc)" "target wall"
for img in big eight; do
  case $img in big) name="1 x 200 MiB"; mib=200; target=0.40 ;; eight) name="8 x 32 MiB"; mib=256; target=0.35 ;; esac
  sha=$(awk -v u="$SHA_200" -v m="$mib" 'BEGIN {printf "%d", u * 1000 * m / 200}')
  recv=$(( ${CPU[$img-curl]} + ${CPU[$img-curl-registry]} ))
  write=$(write_ms "$mib")
  bound=$(( (recv + sha + write) / $(nproc) ))
  want=$(awk -v s="${MED[$img-skopeo]}" -v t="$target" 'BEGIN {printf "%d", s * t}')
  printf '%-14s %10s %13s %14s %8s %7s %28s %26s\n' "$name" "$(secs "${CPU[$img-berth]}")" "$(secs "${CPU[$img-registry]}")" \
    "$(secs "$recv")" "$(secs "$sha")" "$(secs "$write")" "$(secs "$bound")" \
    "$(secs "$want") ($(awk -v w="$want" -v b="$bound" 'BEGIN {print (w >= b) ? "above the bound" : "below the bound"}'))"
done
