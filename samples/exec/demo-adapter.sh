#!/bin/sh
# A tiny external adapter (SPEC §5): prints one JSON sample per line, then its cursor.
# COLLECTOR_STATE holds the cursor the previous run saved (empty on the first run).
# The previous cursor, when there is one, tells where to resume: ${COLLECTOR_STATE}
printf '%s\n' \
  '{"time":"2026-11-25T00:00:00+08:00","account":"xhs_demo_school","object":"","metric":"followers","value":48211,"quality":"exact"}' \
  '{"time":"2026-11-25T00:00:00+08:00","account":"xhs_demo_school","object":"note_001","metric":"likes","value":1200,"quality":"approx"}' \
  '{"state":{"cursor":"2026-11-25"}}'
