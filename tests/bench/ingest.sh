#!/bin/sh
# ingest.sh [COUNT]: ingest+evaluate throughput and peak memory of evpack (--format json)
# against jq on the same generated get-findings file. Not part of `make test`.
# Usage: tests/bench/ingest.sh 115000   (about 200 MB; needs python3, jq, GNU time)
set -eu
count=${1:-115000}
src=$(cd "$(dirname "$0")/../.." && pwd)
evpack=${EVPACK:-$src/build/evpack}
work=$(mktemp -d "${TMPDIR:-/tmp}/evpack-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$src/tests/bench/gen_findings.py" --count "$count" --seed 1 > "$work/findings.json"
bytes=$(stat -c %s "$work/findings.json")
echo "input: $count findings, $bytes bytes"

measure() { # label command...: prints seconds, MB/s and peak RSS of the command
    label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
    read -r secs kb < "$work/time"
    awk -v l="$label" -v s="$secs" -v kb="$kb" -v b="$bytes" -v n="$count" 'BEGIN {
        printf "%-8s %7.2f s  %8.1f MB/s  %9.0f findings/s  peak RSS %7.1f MB\n",
               l, s, b / 1e6 / s, n / s, kb / 1024 }'
}
rm -rf "$work/pack"
measure evpack "$evpack" build -f pci-dss-4.0.1 -s "$src/samples/scope.json" --as-of 2026-10-01 \
    --format json -q -o "$work/pack" "$work/findings.json"
measure jq jq '[.Findings[] | select(.RecordState=="ACTIVE") | {c: .Compliance.SecurityControlId, s: .Compliance.Status}] | group_by(.c) | map({c: .[0].c, n: length})' "$work/findings.json"
