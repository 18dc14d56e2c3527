#!/usr/bin/env bash
# Issue 19's browsing benchmark. Starts Debian's docker-registry with its storage under
# target/bench-browse/ (seeded once, by direct HTTP pushes, and kept for later runs):
#   - bench/repo-00001 … bench/repo-20000: 20,000 repositories sharing one layer and config
#     (blobs mounted across repositories), plus bench/base, bench/tags10k, bench/tags100k;
#   - bench/tags10k: 10,000 tags, each its own manifest digest (distinct annotations);
#   - bench/tags100k: 100,000 tags, all on one digest.
# Then prints one table: each figure, its peer measured in the same run, the ratio, as medians
# of interleaved runs; rows without a peer are absolute figures, under the machine they ran on.
#   1  berth repos --json (20,003 repositories)  vs curl following Link with n=1000
#   2  berth tags … > file (10,000 and 100,000)  vs skopeo list-tags; curl of tags/list as floor
#   3  the app: Enter on bench/tags100k until its first rows are drawn     (in-process, kittest)
#   4  the app's ui pass, 100,000 tags, a scroll step and a filter keystroke every frame (same)
#   5  start to first frame, release binary, cold settings, no registry (the real window
#      under Xvfb; BERTH_FRAME_LOG=1 makes it log each frame)
#   6  idle: frames asked for with nothing focused and with a focused filter (in-process), and
#      the real window's frames and CPU once its catalog is in and it went quiet (Xvfb, /proc)
#   7  peak RSS with 20,003 repositories and 100,000 tags loaded (the in-process app)
#   8  berth rm --dry-run REPO:TAG in bench/tags100k  vs curl --parallel HEADs of every tag
# Rows 3, 4, 6 and 7 run `cargo bench --bench ui_frames` (the real App through egui_kittest,
# release profile) against this registry.
#
# Usage: benches/browse.sh [--quick]     (--quick: fewer runs and frames; row 8 once)
#        benches/browse.sh --seed-only   (start, seed if needed, stop)
# Knobs: BENCH_UI_DEBUG=1 (in-process rows from the debug build), BENCH_RUNS (5; 3 with --quick), BENCH_FRAMES (600; 200 with --quick), BERTH (binary),
#        BENCH_SKIP=rm,window,ui (rows left out, for trying the script; printed as "skipped").
set -euo pipefail

cd "$(dirname "$0")/.."
QUICK=0 SEED_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        --seed-only) SEED_ONLY=1 ;;
        *) echo "usage: benches/browse.sh [--quick|--seed-only]" >&2; exit 2 ;;
    esac
done
SKIP=",${BENCH_SKIP:-},"
skipped() { [[ $SKIP == *",$1,"* ]]; }
RUNS=${BENCH_RUNS:-$([[ $QUICK == 1 ]] && echo 3 || echo 5)}
FRAMES=${BENCH_FRAMES:-$([[ $QUICK == 1 ]] && echo 200 || echo 600)}
SLOW_RUNS=$([[ $QUICK == 1 ]] && echo 1 || echo 3)
REPOS=20000 TAGS_SMALL=10000 TAGS_BIG=100000
TARGET=${CARGO_TARGET_DIR:-target}
DATA=$TARGET/bench-browse/repos${REPOS}-tags${TAGS_SMALL}-${TAGS_BIG}

for tool in curl skopeo docker-registry python3 /usr/bin/time Xvfb; do
    command -v "$tool" >/dev/null || { echo "benches/browse.sh needs $tool" >&2; exit 1; }
done
if [[ $SEED_ONLY == 0 && -z "${BERTH:-}" ]]; then
    cargo build --release --quiet --bin berth
    BERTH=$TARGET/release/berth
fi

WORK=$(mktemp -d)
REGISTRY_PID= XVFB_PID= APP_PID=
cleanup() {
    for pid in "$APP_PID" "$XVFB_PID" "$REGISTRY_PID"; do
        if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Isolated settings, credentials and cache for berth and skopeo (cargo keeps its own).
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache \
    XDG_DATA_HOME=$WORK/data DOCKER_CONFIG=$WORK/docker REGISTRY_AUTH_FILE=$WORK/auth.json
mkdir -p "$HOME" "$DATA/registry"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
HOST=127.0.0.1:$PORT
cat >"$WORK/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $PWD/$DATA/registry}, delete: {enabled: true}}
http: {addr: $HOST}
YML
# The registry reads REGISTRY_* variables as config (REGISTRY_AUTH_FILE would be auth.file).
env -u REGISTRY_AUTH_FILE docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 100); do
    curl -fs "http://$HOST/v2/" >/dev/null 2>&1 && break
    sleep 0.1
done
kill -0 "$REGISTRY_PID" || { cat "$WORK/registry.log" >&2; exit 1; }

if [[ ! -f "$DATA/seeded" ]]; then
    echo "seeding $DATA by HTTP pushes (once; kept for later runs) ..." >&2
    python3 - "$HOST" "$REPOS" "$TAGS_SMALL" "$TAGS_BIG" <<'PY'
import concurrent.futures, gzip, hashlib, http.client, io, json, sys, tarfile, threading
host, repos, small, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
local = threading.local()
def request(method, path, body=None, headers=None):
    for attempt in range(5):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host, timeout=120)
        try:
            local.conn.request(method, path, body=body, headers=headers or {})
            r = local.conn.getresponse()
            data = r.read()
            return r.status, r.getheader("Location"), data
        except (http.client.HTTPException, OSError):
            local.conn.close(); del local.conn
            if attempt == 4: raise
def check(status, want, what, data):
    if status != want:
        raise SystemExit(f"{what}: HTTP {status}: {data[:200]!r}")
def tag_name(i):
    # Version-like names (natural sorting has work to do): 0.0.0 … 99.99.9.
    return f"{i // 1000}.{i % 1000 // 10}.{i % 10}"

buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    body = b"berth browsing benchmark\n"
    info = tarfile.TarInfo("bench.txt"); info.size = len(body); info.mtime = 1_700_000_000
    t.addfile(info, io.BytesIO(body))
layer = gzip.compress(buf.getvalue(), mtime=0)
diff_id = "sha256:" + hashlib.sha256(buf.getvalue()).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "created": "2024-01-01T00:00:00Z",
                     "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
blobs = {"sha256:" + hashlib.sha256(b).hexdigest(): b for b in (config, layer)}
(config_digest, layer_digest) = list(blobs)
for digest, data in blobs.items():
    status, location, body = request("POST", "/v2/bench/base/blobs/uploads/")
    check(status, 202, "start upload", body)
    sep = "&" if "?" in location else "?"
    status, _, body = request("PUT", f"{location}{sep}digest={digest}", data,
                              {"Content-Type": "application/octet-stream"})
    check(status, 201, "upload", body)
def manifest(annotations=None):
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": config_digest, "size": len(config)},
         "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                     "digest": layer_digest, "size": len(layer)}]}
    if annotations:
        m["annotations"] = annotations
    return json.dumps(m).encode()
MT = {"Content-Type": "application/vnd.oci.image.manifest.v1+json"}
def put(repo, tag, body):
    status, _, data = request("PUT", f"/v2/{repo}/manifests/{tag}", body, MT)
    check(status, 201, f"{repo}:{tag}", data)
def mount_and_put(repo, tag, body):
    for digest in blobs:
        status, _, data = request("POST", f"/v2/{repo}/blobs/uploads/?mount={digest}&from=bench/base")
        check(status, 201, f"mount into {repo}", data)
    put(repo, tag, body)
one = manifest()
put("bench/base", "latest", one)
jobs = [("bench/tags10k", tag_name(0), manifest({"bench.tag": tag_name(0)}), True),
        ("bench/tags100k", tag_name(0), one, True)]
jobs += [(f"bench/repo-{i:05d}", "latest", one, True) for i in range(1, repos + 1)]
jobs += [("bench/tags10k", tag_name(i), manifest({"bench.tag": tag_name(i)}), False)
         for i in range(1, small)]
jobs += [("bench/tags100k", tag_name(i), one, False) for i in range(1, big)]
done = 0
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    # The first tag of each repository mounts the blobs; the rest only put manifests.
    firsts = [j for j in jobs if j[3]]
    for _ in pool.map(lambda j: mount_and_put(*j[:3]), firsts[:2]):
        pass
    for n, _ in enumerate(pool.map(lambda j: mount_and_put(*j[:3]) if j[3] else put(*j[:3]),
                                   jobs[2:], chunksize=64)):
        if n % 10000 == 0:
            print(f"  {n:,} of {len(jobs):,} pushes", file=sys.stderr, flush=True)
PY
    touch "$DATA/seeded"
fi
[[ $SEED_ONLY == 1 ]] && exit 0

MACHINE="$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# now_us: microseconds since the epoch.
now_us() { echo $(( $(date +%s%N) / 1000 )); }
# run_ms OUT CMD...: runs CMD with stdout to OUT, prints its wall time in ms.
run_ms() {
    local out=$1; shift
    local start end
    start=$(now_us)
    "$@" >"$out"
    end=$(now_us)
    awk -v d=$(( end - start )) 'BEGIN {printf "%.1f\n", d / 1000}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

curl_catalog() {
    local url="http://$HOST/v2/_catalog?n=1000" headers=$WORK/catalog.headers
    while [[ -n "$url" ]]; do
        curl -sS -D "$headers" "$url"
        local link
        link=$(grep -i '^link:' "$headers" | sed -E 's/.*<([^>]*)>.*/\1/' | tr -d '\r' || true)
        url=${link:+http://$HOST$link}
    done
}
SKOPEO=(skopeo list-tags --tls-verify=false)

# Correctness first: berth lists what the registry has.
"$BERTH" repos --json "http://$HOST" >"$WORK/repos.json"
N_REPOS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["repositories"]))' "$WORK/repos.json")
[[ $N_REPOS == $(( REPOS + 3 )) ]] || { echo "berth repos listed $N_REPOS repositories" >&2; exit 1; }
for repo in tags10k tags100k; do
    "$BERTH" tags "http://$HOST/bench/$repo" >"$WORK/$repo.berth"
    "${SKOPEO[@]}" "docker://$HOST/bench/$repo" | python3 -c 'import json,sys; print("\n".join(sorted(json.load(sys.stdin)["Tags"])))' >"$WORK/$repo.skopeo"
    cmp -s <(sort "$WORK/$repo.berth") "$WORK/$repo.skopeo" || { echo "berth tags bench/$repo differs from skopeo" >&2; exit 1; }
done

# Rows 1 and 2: interleaved runs, medians.
declare -A T
for _ in $(seq "$RUNS"); do
    T[repos]+=" $(run_ms "$WORK/o" "$BERTH" repos --json "http://$HOST")"
    T[repos_curl]+=" $(run_ms "$WORK/o" curl_catalog)"
    for repo in tags10k tags100k; do
        T[$repo]+=" $(run_ms "$WORK/o" "$BERTH" tags "http://$HOST/bench/$repo")"
        T[${repo}_skopeo]+=" $(run_ms "$WORK/o" "${SKOPEO[@]}" "docker://$HOST/bench/$repo")"
        T[${repo}_curl]+=" $(run_ms "$WORK/o" curl -sS "http://$HOST/v2/bench/$repo/tags/list")"
    done
done
declare -A M
for k in "${!T[@]}"; do
    # shellcheck disable=SC2086
    M[$k]=$(median ${T[$k]})
done

# Row 8: the delete plan of one tag among 100,000 on one digest, against curl HEADs of every
# tag in parallel (the least any client must send without a tag-to-digest index).
ACCEPT="application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json"
python3 - "$HOST" "$WORK/tags100k.berth" >"$WORK/heads.curl" <<'PY'
import sys
host = sys.argv[1]
for tag in open(sys.argv[2]).read().split():
    print(f'url = "http://{host}/v2/bench/tags100k/manifests/{tag}"\noutput = "/dev/null"')
PY
RM_REF="http://$HOST/bench/tags100k:0.0.0"
M[rm]=skipped M[rm_curl]=skipped PLAN_TAGS=?
skipped rm || "$BERTH" rm --dry-run "$RM_REF" >"$WORK/plan.txt"
skipped rm || PLAN_TAGS=$(grep -c '^  ' "$WORK/plan.txt" || true)
[[ $(grep -c '^url' "$WORK/heads.curl") == "$TAGS_BIG" ]] || { echo "no HEAD list for curl" >&2; exit 1; }
for _ in $(seq "$SLOW_RUNS"); do
    skipped rm && break
    T[rm]+=" $(run_ms "$WORK/o" "$BERTH" rm --dry-run "$RM_REF")"
    T[rm_curl]+=" $(run_ms "$WORK/o" curl -sS --no-progress-meter --parallel --parallel-max 32 -I -H "Accept: $ACCEPT" --config "$WORK/heads.curl")"
done
if ! skipped rm; then
    # shellcheck disable=SC2086
    M[rm]=$(median ${T[rm]})
    # shellcheck disable=SC2086
    M[rm_curl]=$(median ${T[rm_curl]})
fi

# Rows 5 and 6 (the real window): start to first frame with cold settings, and the CPU and
# frames of an idle window.
M[start]=skipped M[idle_frames]=skipped M[idle_cpu]=skipped M[idle_waited]=skipped
if ! skipped window; then
DISPLAY_NO=$(( 50 + PORT % 100 ))
Xvfb ":$DISPLAY_NO" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$DISPLAY_NO ]] && break; sleep 0.1; done
TICKS=$(getconf CLK_TCK)
# launch LOG ARGS...: the window, logging its frames to LOG.
launch() {
    local log=$1; shift
    DISPLAY=:$DISPLAY_NO BERTH_FRAME_LOG=1 WAYLAND_DISPLAY= "$BERTH" --no-default-registries "$@" 2>"$log" &
    APP_PID=$!
}
frames() { grep -c '^berth-frame' "$1" || true; }
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }
# Row 5: a cold start (no settings file, no registry) until the first frame is drawn.
START_MS=()
for _ in $(seq "$RUNS"); do
    rm -rf "$XDG_CONFIG_HOME/berth"
    log=$WORK/start.log
    start=$(date +%s%N)
    launch "$log"
    for _ in $(seq 600); do grep -q '^berth-frame' "$log" && break; sleep 0.02; done
    first=$(grep -m1 '^berth-frame' "$log" | cut -d' ' -f2)
    START_MS+=("$(awk -v a="$first" -v b="$start" 'BEGIN {printf "%.1f", (a - b) / 1e6}')")
    stop_app
done
M[start]=$(median "${START_MS[@]}")
# Row 6: the window as it opens with `--registry`, once no frame has come for 3 s (at most
# 120 s): its frames and CPU over the next 10 s.
log=$WORK/idle.log
launch "$log" --registry "http://$HOST"
quiet=0 waited=0 last=0
while (( quiet < 3 && waited < 120 )); do
    sleep 1; waited=$(( waited + 1 ))
    n=$(frames "$log")
    if [[ $n == "$last" ]]; then quiet=$(( quiet + 1 )); else quiet=0 last=$n; fi
done
before=$(frames "$log")
cpu0=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
sleep 10
cpu1=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
after=$(frames "$log")
stop_app
M[idle_frames]=$(awk -v n=$(( after - before )) 'BEGIN {printf "%.1f", n / 10}')
M[idle_cpu]=$(awk -v t=$(( cpu1 - cpu0 )) -v hz="$TICKS" 'BEGIN {printf "%.1f", 100 * t / hz / 10}')
M[idle_waited]=$waited
kill "$XVFB_PID" 2>/dev/null || true; XVFB_PID=
fi

# Rows 3, 4, 6 and 7 in-process: the real App through egui_kittest, release profile.
# BENCH_UI_DEBUG=1: the debug build instead (`cargo test --bench`), when there is no time for
# a release build of the harness; the table then says so.
UI_CARGO=(bench) UI_BUILD="release profile"
if [[ -n "${BENCH_UI_DEBUG:-}" ]]; then UI_CARGO=(test) UI_BUILD="DEBUG build"; fi
UI_OUT=$WORK/ui.txt
: >"$UI_OUT"
skipped ui || BENCH_REGISTRY="http://$HOST" BENCH_FRAMES=$FRAMES BENCH_RUNS=$RUNS \
    BENCH_REPOS=$(( REPOS + 3 )) BENCH_TAGS=$TAGS_BIG BENCH_TAGS_REPO=bench/tags100k \
    BENCH_FIRST_TAG=0.0.0 cargo "${UI_CARGO[@]}" --quiet --bench ui_frames >"$UI_OUT"
ui() {
    local v
    v=$(awk -v k="$1" '$1 == "bench-row" && $2 == k {print $3}' "$UI_OUT")
    echo "${v:-skipped}"
}

printf '\nBerth browsing benchmark (benches/browse.sh%s), %s\n' "$([[ $QUICK == 1 ]] && echo ' --quick')" "$(date -u +%Y-%m-%d)"
echo "machine: $MACHINE"
echo "medians of $RUNS interleaved runs (row 8: $SLOW_RUNS); times in ms; berth: $BERTH; in-process rows: $UI_BUILD, $(ui frames) frames"
echo
echo "| # | what | berth | peer | ratio | target |"
echo "|---|---|---|---|---|---|"
echo "| 1 | \`repos --json\`, $(( REPOS + 3 )) repositories | ${M[repos]} | curl, Link, n=1000: ${M[repos_curl]} | $(ratio "${M[repos]}" "${M[repos_curl]}")× | ≤ 1.0× |"
for repo in tags10k tags100k; do
    echo "| 2 | \`tags\` bench/$repo > file | ${M[$repo]} | skopeo: ${M[${repo}_skopeo]}; curl floor: ${M[${repo}_curl]} | $(ratio "${M[$repo]}" "${M[${repo}_skopeo]}")× skopeo, $(ratio "${M[$repo]}" "${M[${repo}_curl]}")× curl | ≤ 0.8× skopeo |"
done
echo "| 3 | Enter on bench/tags100k until the first rows are drawn | $(ui enter_ms) | — | — | ≤ 300 |"
echo "| 4 | ui pass p99 (median, p95), 100,000 tags, scroll + filter keystroke each frame | $(ui frame_p99_ms) ($(ui frame_median_ms), $(ui frame_p95_ms)) | empty window p99: $(ui empty_p99_ms) | — | p99 ≤ 2 |"
echo "| 5 | start to first frame, cold settings, no registry (Xvfb) | ${M[start]} | — | — | ≤ 250 |"
echo "| 6 | idle, nothing focused: frames/s and CPU % of the window (10 s, once quiet after ${M[idle_waited]:-?} s); frames asked for in-process | ${M[idle_frames]} /s, ${M[idle_cpu]} %; $(ui idle_frames) in $(ui idle_seconds) s | — | — | 0 /s, ≤ 1 % |"
echo "| 6 | idle, filter focused: frames asked for in the first $(ui blink_seconds) s, then in the next $(ui idle_seconds) s (in-process) | $(ui focused_first_frames), then $(ui focused_later_frames) | — | — | 0 /s |"
echo "| 7 | peak RSS, $(( REPOS + 3 )) repositories + 100,000 tags loaded (in-process app, MB) | $(ui peak_rss_mb) | — | — | ≤ 200 |"
echo "| 8 | \`rm --dry-run\` one tag of bench/tags100k ($PLAN_TAGS tags in the plan) | ${M[rm]} | curl --parallel HEADs of 100,000 tags: ${M[rm_curl]} | $(ratio "${M[rm]}" "${M[rm_curl]}")× | ≤ 1.0× |"
