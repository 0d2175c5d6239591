#!/usr/bin/env bash
# Crash test: SIGKILLs real `collector run --once` processes at random moments, then checks
# the files after each kill and after a last, complete run:
#   - every sample a saved exec cursor vouches for is in the files (SPEC §5: the cursor is
#     saved only after the samples before it are durable);
#   - no key (time, platform, account, object, metric) appears twice;
#   - after the next open no torn row is left: every row has 8 fields and every file ends
#     with a newline.
#
#   Scripts/crash-test.sh [KILLS]       (default 200; CRASH_DIR, default /tmp/collector-crash)
#
# The test suite runs the same check with 50 kills (Tests/EndToEndTests/CrashTests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-200}"
dir="${CRASH_DIR:-/tmp/collector-crash}"
swift build --product collector >&2
bin="$(swift build --show-bin-path)/collector"

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
write_generator() {  # write_generator TOTAL REWIND
    cat >gen.sh <<GEN
#!/bin/sh
next=\$(printf '%s' "\$COLLECTOR_STATE" | tr -dc '0-9')
[ -n "\$next" ] || next=0
next=\$((next > $2 ? next - $2 : 0))
exec awk -v start="\$next" 'BEGIN { for (i = start; i < $1; i++) { printf "{\\"time\\":\\"2026-%02d-%02dT00:00:00+08:00\\",\\"account\\":\\"a%d\\",\\"object\\":\\"\\",\\"metric\\":\\"followers\\",\\"value\\":%d}\\n", (i % 2) + 1, (i % 28) + 1, i, i; if ((i + 1) % 100 == 0) printf "{\\"state\\":{\\"next\\":%d}}\\n", i + 1 } }'
GEN
    chmod +x gen.sh
}
write_generator 10000000 0
cat >adapters.conf <<'CONF'
[collector]
data_dir = "data"
state_dir = "state"

[[adapters.exec]]
name = "gen"
platform = "xiaohongshu"
command = ["./gen.sh"]
CONF

cursor() { if [ -s state/exec-gen.state ]; then tr -dc '0-9' <state/exec-gen.state; else echo 0; fi; }
failures=0
killed=0
for round in $(seq 1 "$kills"); do
    "$bin" run --once >/dev/null 2>&1 &
    victim=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.005 + (r % 300) / 1000 }')"
    kill -KILL "$victim" 2>/dev/null && killed=$((killed + 1)) || true
    wait "$victim" 2>/dev/null || true
    next=$(cursor)
    [ -n "$next" ] || next=0
    have=$(find data -name 'main.csv' -exec cat {} + 2>/dev/null | awk -F, -v n="$next" \
        'NF == 8 && $3 ~ /^a[0-9]+$/ { i = substr($3, 2) + 0; if (i < n && !seen[i]++) c++ } END { print c + 0 }')
    if [ "$have" -ne "$next" ]; then
        echo "kill $round: cursor $next but only $have of the samples before it are in the files" >&2
        failures=$((failures + 1))
    fi
done

# The next open: go over the last 100 samples again (opening both partitions, cutting torn
# rows) and 100 new ones.
final=$(( $(cursor) + 100 ))
write_generator "$final" 100
"$bin" run --once >/dev/null 2>"run.log" || { echo "the last run failed:" >&2; cat run.log >&2; exit 1; }
torn=$(find data -name 'main.csv' -exec awk -F, 'FNR > 1 && NF != 8' {} + | wc -l)
unterminated=0
for file in $(find data -name 'main.csv'); do
    [ -z "$(tail -c 1 "$file")" ] || unterminated=$((unterminated + 1))
done
duplicates=$(find data -name 'main.csv' -exec awk -F, 'FNR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 }' {} + \
    | sort | uniq -d | wc -l)
count=$(find data -name 'main.csv' -exec awk 'FNR > 1' {} + | wc -l)
highest=$(find data -name 'main.csv' -exec awk -F, 'FNR > 1 { i = substr($3, 2) + 0; if (i > m) m = i } END { print m + 0 }' {} +)
echo "kills: $kills ($killed hit a running process); cursor after the kills: $((final - 100)); rows: $count; highest sample: a$highest"
echo "torn rows: $torn; files without a final newline: $unterminated; duplicate keys: $duplicates; cursor violations: $failures"
[ "$(cursor)" = "$final" ] || { echo "FAILED: cursor $(cursor), expected $final" >&2; exit 1; }
if [ "$torn" -ne 0 ] || [ "$unterminated" -ne 0 ] || [ "$duplicates" -ne 0 ] || [ "$failures" -ne 0 ] \
    || [ "$count" -ne $((highest + 1)) ]; then
    echo "crash test: FAILED" >&2
    exit 1
fi
echo "crash test: passed"
