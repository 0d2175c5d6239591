#!/usr/bin/env bash
# Load run: `collector run --once` over many bilibili accounts against the platform simulator
# on 127.0.0.1, measuring requests/s, CPU per request and peak RSS. Each size runs in a fresh
# data and state folder; comparing sizes shows what grows with the number of accounts.
#
#   Scripts/load-test.sh [ACCOUNTS…]          (default: 10000 100000)
#
# Environment: LOAD_DIR (default /tmp/collector-load), LOAD_PARALLEL (parallel_accounts and
# concurrency, default 64), LOAD_SKIP_BUILD=1 to use the existing release build.
# Not a test: nothing is asserted; the figures go to stdout as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
dir="${LOAD_DIR:-/tmp/collector-load}"
parallel="${LOAD_PARALLEL:-64}"

if [ ! -x /usr/bin/time ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
fi
if [ "${LOAD_SKIP_BUILD:-0}" != 1 ]; then
    echo "== building (release)" >&2
    swift build -c release --product collector >&2
    swift build -c release --product platform-simulator >&2
fi
bin="$(swift build -c release --show-bin-path)"

rm -rf "$dir"
mkdir -p "$dir"
"$bin/platform-simulator" --fixtures "$repo/Tests/CollectorTests/Fixtures/simulator" --port-file "$dir/port" \
    2>"$dir/simulator.log" &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
port="$(cat "$dir/port")"

echo "| accounts | requests | wall s | requests/s | CPU µs/request | peak RSS MB | schedule file MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for accounts in "${sizes[@]}"; do
    run="$dir/run-$accounts"
    mkdir -p "$run"
    {
        printf '[collector]\ndata_dir = "%s/data"\nstate_dir = "%s/state"\nconcurrency = %s\njitter = "0s"\n\n' \
            "$run" "$run" "$parallel"
        printf '[[adapters.bilibili]]\nbase_url = "http://127.0.0.1:%s/bilibili"\ncard = false\n' "$port"
        printf 'rate = "1000000/s"\nparallel_accounts = %s\naccounts = [' "$parallel"
        seq 1 "$accounts" | awk '{ printf "%s\"%d\"", (NR > 1 ? ", " : ""), 100000000 + $1 }'
        printf ']\n'
    } >"$run/adapters.conf"
    /usr/bin/time -f '%e %U %S %M' -o "$run/time" "$bin/collector" run --once --config "$run/adapters.conf" \
        2>"$run/stderr" || { echo "collector failed, see $run/stderr" >&2; tail -5 "$run/stderr" >&2; exit 1; }
    read -r wall user sys rss <"$run/time"
    requests=$(awk '/^collector_http_requests_total/ { n += $NF } END { print n + 0 }' "$run/state/collector-main.prom")
    schedule=$(stat -c %s "$run/state/schedule-main.tsv")
    awk -v a="$accounts" -v r="$requests" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v f="$schedule" \
        'BEGIN { printf "| %d | %d | %.1f | %.0f | %.0f | %.1f | %.1f |\n", a, r, w, r / w, (u + s) * 1e6 / r, m / 1024, f / 1048576 }'
    grep -E "^summary:|^requests:" "$run/stderr" | sed 's/^/    /' >&2
done
