#!/usr/bin/env bash
# Benchmarks collector side by side with the C and Python baselines of the shared benchmark
# kit, in the same run, and prints the kit's tables (medians, ratios) plus a few checks.
# Not a test: speed is measured here, never asserted in the test suite.
#
#   Benchmarks/run.sh [import|poll|all]      (default: all)
#
# Environment: BENCH_KIT (default ../shared/bench), BENCH_DATA (default /tmp/collector-bench),
# BENCH_SIZE (import size, default 1m), BENCH_REQUESTS (poll requests, default 100000),
# BENCH_RUNS (default 3), BENCH_PAIRS (alternating rounds of the paired checks, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
what="${1:-all}"
kit_source="${BENCH_KIT:-$repo/../shared/bench}"
data="${BENCH_DATA:-/tmp/collector-bench}"
size="${BENCH_SIZE:-1m}"
requests="${BENCH_REQUESTS:-100000}"
runs="${BENCH_RUNS:-3}"
pairs="${BENCH_PAIRS:-5}"

[ -f "$kit_source/bench.py" ] || { echo "benchmark kit not found at $kit_source (set BENCH_KIT)" >&2; exit 2; }
Scripts/install-deps.sh
need=()
for tool in gcc jq nginx openssl; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    packages=()
    for tool in "${need[@]}"; do
        case "$tool" in nginx) packages+=(nginx-light) ;; *) packages+=("$tool") ;; esac
    done
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi

echo "== building collector (release)" >&2
swift build -c release >&2
bin="$(swift build -c release --show-bin-path)/collector"
# Shell-quoted, for the command lines handed to Benchmarks/paired.py.
qdata=$(printf %q "$data")
qbin=$(printf %q "$bin")

# The kit is read-only where it is shared: work on a copy.
mkdir -p "$data"
rm -rf "$data/kit"
cp -r "$kit_source" "$data/kit"
(cd "$data/kit" && ./build.sh >/dev/null)

if [ "$what" = import ] || [ "$what" = all ]; then
    cat >"$data/exec.conf" <<CONF
[collector]
data_dir  = "$data/c"
state_dir = "$data/c-state"
timezone  = "Asia/Shanghai"

[[adapters.exec]]
platform = "xiaohongshu"
command  = ["cat", "$data/samples_$size.jsonl"]
timeout  = "10m"
CONF
    echo "== import: exec protocol and the WeChat 已通知内容 export, $size records" >&2
    python3 "$data/kit/bench.py" import --size "$size" --runs "$runs" --data "$data" \
        --with "collector exec=rm -rf {data}/c {data}/c-state && $bin run --once --config {data}/exec.conf" \
        --with "collector import=rm -rf {data}/c {data}/c-state && $bin import --platform wechat --account {account} --config {data}/exec.conf {notified}"

    echo "== check: collector's rows equal the C baseline's (order-free)" >&2
    rm -rf "$data/c" "$data/c-state"
    "$bin" run --once --config "$data/exec.conf" 2>/dev/null
    "$data/kit/c/samples_norm" xiaohongshu "$data/samples_$size.jsonl" "$data/reference.csv" 2>/dev/null
    a=$(tail -n +2 "$data/reference.csv" | LC_ALL=C sort | sha256sum)
    b=$(find "$data/c/xiaohongshu" -mindepth 2 -name '*.csv' -exec tail -q -n +2 {} + | LC_ALL=C sort | sha256sum)
    [ "$a" = "$b" ] && echo "exec rows identical to the C baseline: yes" || echo "exec rows identical to the C baseline: NO"
    echo "== check: re-running adds nothing; peak RSS of a re-run (dedup of every row)" >&2
    /usr/bin/time -f 'rerun: %e s wall, %U s user, %S s sys, peak RSS %M kB' "$bin" run --once --config "$data/exec.conf"
    echo "== exec, paired: the C + jansson reference and the collector alternating, $pairs rounds" >&2
    records=$(wc -l <"$data/samples_$size.jsonl")
    python3 Benchmarks/paired.py --rounds "$pairs" --units "$records" \
        --reference "$qdata/kit/c/samples_norm xiaohongshu $qdata/samples_$size.jsonl $qdata/reference.csv" \
        --collector "rm -rf $qdata/c $qdata/c-state && $qbin run --once --config $qdata/exec.conf"
fi

if [ "$what" = poll ] || [ "$what" = all ]; then
    echo "== poll: $requests accounts against the kit's nginx, 64 in flight" >&2
    python3 - "$data/poll.conf" "$requests" "$data" <<'PY'
import sys
path, n, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write('[collector]\ndata_dir = "%s/cp"\nstate_dir = "%s/cp-state"\nconcurrency = 64\n\n' % (data, data))
    f.write('[[adapters.bilibili]]\nbase_url = "http://127.0.0.1:18080"\ncard = false\nrate = "1000000/s"\nparallel_accounts = 64\n')
    f.write('accounts = [%s]\n' % ", ".join('"%d"' % i for i in range(n)))
PY
    python3 "$data/kit/bench.py" poll --requests "$requests" --runs "$runs" --data "$data" \
        --only "c=64, plain" --only "+parse+csv" \
        --only collector --with "collector bilibili=rm -rf {data}/cp {data}/cp-state && $bin run --once --config {data}/poll.conf"

    # The kit runs each client's runs one after the other: see Benchmarks/paired.py.
    echo "== poll, paired: the C reference (+parse+csv) and the collector alternating, $pairs rounds" >&2
    python3 Benchmarks/paired.py --rounds "$pairs" --units "$requests" --server "$data/nginx" \
        --reference "$qdata/kit/poll/curl_multi 'http://127.0.0.1:18080/x/relation/stat?vmid=' $requests 64 csv:$qdata/poll.csv" \
        --collector "rm -rf $qdata/cp $qdata/cp-state && $qbin run --once --config $qdata/poll.conf"
    rm -f "$data/poll.csv"
fi
