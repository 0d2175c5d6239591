#!/bin/sh
# Exec fixture: the sample shapes of SPEC §5 (a count printed as 12000.0), a blank line, and a
# last line without "\n".
printf '%s\n' '{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"","metric":"followers","value":123,"quality":"exact"}'
printf '%s\n' '{"time":"2026-11-25T08:30:00Z","account":"a1","object":"2650000030_1","metric":"views","value":10234}'
printf '\n'
printf '%s\n' '{"account":"a2","metric":"completion_rate","value":0.4123,"time":"2026-11-25T00:00:00+08:00","quality":null,"object":null}'
printf '%s\n' '{"time":"2026-11-25T00:00:00-05:00","account":"a2","metric":"followers","value":12000.0,"quality":"approx"}'
printf '%s' '{"time":"2026-11-25T00:00:00+08:00","account":"a3","metric":"xiaohongshu_collects","value":100001,"quality":"lower_bound"}'
