#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs a real collection on
# the bundled default — the platform simulator on 127.0.0.1 playing Bilibili, an external
# adapter, and WeChat export files from samples/ — into ./data. No credentials, no network.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-deps.sh
echo "== building (release)" >&2
swift build -c release >&2
bin="$(swift build -c release --show-bin-path)"

work="$(mktemp -d)"
"$bin/platform-simulator" --fixtures samples/simulator --port-file "$work/port" >"$work/simulator.log" 2>&1 &
simulator=$!
trap 'kill "$simulator" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the platform simulator did not start:" >&2; cat "$work/simulator.log" >&2; exit 1; }
export SIMULATOR_URL="http://127.0.0.1:$(cat "$work/port")"

echo "== collector run --once --config samples/demo.conf" >&2
status=0
"$bin/collector" run --once --config samples/demo.conf || status=$?

echo
echo "== files written under ./data"
find data -type f | sort
for file in data/bilibili/*/main.csv data/wechat/*/main.csv; do
    [ -f "$file" ] || continue
    echo
    echo "== $file (first rows)"
    head -n 5 "$file"
done
echo
echo "Run it again: exported and exec rows are already stored and are skipped (idempotent); polled snapshots add one new observation per run."
exit "$status"
