#!/usr/bin/env bash
# Fuzzes the parsers that read outside input (count strings, CSV/TSV, XLSX and JSON exports, exec
# lines, JSON bodies, RFC 3339 times) with libFuzzer for a fixed budget, and reports.
#
#   Scripts/fuzz.sh [SECONDS]        (default 60; FUZZ_JOBS parallel workers, default 1)
#
# Leak detection is off unless FUZZ_LEAKS=1: ZIPFoundation leaks the 40-byte path from
# Foundation's FileManager.fileSystemRepresentation(withPath:) on every archive it opens
# (Archive+BackingConfiguration.swift), which would stop the run at the first XLSX input.
#
# Builds the FuzzTargets executable with -sanitize=fuzzer,address into .build-fuzz (a separate
# scratch folder: the normal build is untouched), seeds a corpus from the test fixtures, runs,
# and exits non-zero when libFuzzer found a crash, a leak or a sanitizer error; the input that
# triggered it is kept in .build-fuzz/artifacts/ and replays with the plain build:
#   swift build --product FuzzTargets && .build/debug/FuzzTargets .build-fuzz/artifacts/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-60}"
jobs="${FUZZ_JOBS:-1}"
scratch=.build-fuzz
corpus="$scratch/corpus"
artifacts="$scratch/artifacts"

echo "== building FuzzTargets with libFuzzer and AddressSanitizer (first time: several minutes)" >&2
swift build -c release --scratch-path "$scratch" --product FuzzTargets \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -D -Xswiftc COLLECTOR_FUZZING >&2
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/FuzzTargets"

# The seed corpus: each fixture behind the selector byte of its parser (see FuzzTargets.names).
mkdir -p "$corpus" "$artifacts"
seed() {  # seed SELECTOR FILE
    local name
    name="$corpus/seed-$1-$(basename "$2" | tr -c 'A-Za-z0-9._-' _)"
    { printf "\\x$(printf %02x "$1")"; cat "$2"; } >"$name"
}
seedText() {  # seedText SELECTOR TEXT
    local name="$corpus/seed-$1-$(printf '%s' "$2" | cksum | cut -d' ' -f1)"
    { printf "\\x$(printf %02x "$1")"; printf '%s' "$2"; } >"$name"
}
for text in "86231" "1.2万" "10万+" "3.5亿" "1,234" "-" "12.3w" "1.2k" "100001+" "共1.2万人"; do seedText 0 "$text"; done
for text in "83.21%" "0.4123" "1:02:03" "45秒" "-"; do seedText 1 "$text"; done
for file in Tests/AdaptersTests/Fixtures/wechat/*.csv Tests/AdaptersTests/Fixtures/wechat/*.txt; do
    seed 2 "$file"
    seed 3 "$file"
done
for file in Tests/AdaptersTests/Fixtures/wechat/*.xlsx; do seed 4 "$file"; done
for file in Tests/AdaptersTests/Fixtures/wechat/json/*.json; do seed 3 "$file"; done
seedText 5 '{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"","metric":"followers","value":123,"quality":"exact"}'
seedText 5 '{"state":{"cursor":"2026-03-31"}}'
seedText 5 '{"time":"2026-11-25T00:00:00Z","account":"a1","metric":"completion_rate","value":0.5}'
for file in Tests/CollectorTests/Fixtures/simulator/bilibili/x/relation/*.json; do seed 6 "$file"; done
for text in "2026-11-25T00:00:00+08:00" "2026-02-29T23:59:60Z" "1999-12-31T24:00:00-00:30"; do seedText 7 "$text"; done

echo "== fuzzing for ${budget}s ($jobs job(s)), corpus $corpus" >&2
status=0
parallel=()
# -jobs forks workers that log to fuzz-N.log in the working folder: only when asked for.
[ "$jobs" -le 1 ] || parallel=(-jobs="$jobs" -workers="$jobs")
# -rss_limit_mb: 2048 per worker on a 24 GiB machine; -max_len: big enough for a small xlsx.
(cd "$scratch" && ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=${FUZZ_LEAKS:-0}}" "$binary" corpus \
    -max_total_time="$budget" "${parallel[@]}" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -detect_leaks="${FUZZ_LEAKS:-0}" -artifact_prefix=artifacts/ -print_final_stats=1) \
    >"$scratch/fuzz.log" 2>&1 || status=$?
grep -E "^(stat::|#[0-9]+ +DONE)" "$scratch/fuzz.log" >&2 || tail -n 20 "$scratch/fuzz.log" >&2
inputs=$(find "$corpus" -type f | wc -l)
if [ "$status" -ne 0 ]; then
    echo "fuzz: FAILED (libFuzzer exit $status); the log is $scratch/fuzz.log, inputs in $artifacts/:" >&2
    ls "$artifacts" >&2
    exit 1
fi
echo "fuzz: no crash in ${budget}s; corpus $inputs inputs" >&2
