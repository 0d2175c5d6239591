#!/bin/sh
# Exec fixture: records the COLLECTOR_STATE it received into the file "$1", prints a sample,
# a state line that counts runs, and one more sample.
set -eu
printf '%s' "${COLLECTOR_STATE-<unset>}" > "$1"
runs=$(printf '%s' "${COLLECTOR_STATE-}" | sed -n 's/.*"runs":\([0-9]*\).*/\1/p')
runs=$(( ${runs:-0} + 1 ))
printf '%s\n' '{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"followers","value":100}'
printf '{"state":{"runs":%d,"cursor":"2026-03-31"}}\n' "$runs"
printf '%s\n' '{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"following","value":7}'
