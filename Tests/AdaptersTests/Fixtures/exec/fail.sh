#!/bin/sh
# Exec fixture: prints a sample and two stderr lines, then fails with status 3.
printf '%s\n' '{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"followers","value":1}'
echo "starting" >&2
echo "token expired" >&2
exit 3
