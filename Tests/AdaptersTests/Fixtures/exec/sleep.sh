#!/bin/sh
# Exec fixture: prints one sample, starts a long sleep in the background (its pid goes to the
# file "$1"), and waits for it: only a kill of the whole process group ends the run early.
printf '%s\n' '{"time":"2026-03-31T00:00:00+08:00","account":"a1","metric":"followers","value":1}'
sleep 300 &
printf '%s' "$!" > "$1"
wait
