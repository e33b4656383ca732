#!/bin/sh
# run.sh [COUNT...]: the scale benchmark behind `make bench` (docs/performance.md).
# For each COUNT (default 100000 1000000) it generates COUNT findings with gen_findings.py
# (seed 1) into a temporary folder, then measures in the same run:
#   - ingest+evaluate: `evpack build --format json` (pack.json and the manifest only):
#     seconds, MB/s, findings/s, peak RSS;
#   - the baseline: jq's group-by of the same file (seconds, MB/s, peak RSS) and the ratios;
#   - the full pack time and peak RSS for each output alone (md, pdf, xlsx, json) and for
#     all four together.
# Needs python3, jq and GNU time (/usr/bin/time). Not part of `make test`.
# EVPACK=path/to/evpack picks the binary (default: build/evpack); TMPDIR where the
# generated files go (1M findings is about 1.7 GB; jq then needs about 10 GB of memory).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
evpack=${EVPACK:-$src/build/evpack}
[ $# -gt 0 ] || set -- 100000 1000000
command -v jq > /dev/null || { echo "run.sh: jq is needed for the baseline" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
[ -x "$evpack" ] || { echo "run.sh: no evpack at $evpack (make build, or set EVPACK)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/evpack-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
JQ_PROG='[.Findings[] | select(.RecordState=="ACTIVE") | {c: .Compliance.SecurityControlId, s: .Compliance.Status}] | group_by(.c) | map({c: .[0].c, n: length})'

# measure LABEL COMMAND...: runs COMMAND once; prints wall s, cpu s, MB/s, findings/s and
# peak RSS, and leaves "secs kb" in $work/last
measure() {
    label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > /dev/null
    read -r secs user sys kb < "$work/time"
    echo "$secs $kb" > "$work/last"
    awk -v l="$label" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" -v b="$bytes" \
        -v n="$count" 'BEGIN {
        if (s <= 0) s = 0.01
        printf "  %-22s %8.2f s wall %8.2f s cpu %8.1f MB/s %10.0f findings/s %8.1f MiB peak\n",
               l, s, u + y, b / 1e6 / s, n / s, kb / 1024 }'
}

measure_pack() { # measure_pack LABEL FORMAT|all: times one pack of the generated file
    rm -rf "$work/pack"
    fmtopt="--format $2"
    [ "$2" != all ] || fmtopt=
    # shellcheck disable=SC2086 # fmtopt is empty or two words
    measure "$1" "$evpack" build -f pci-dss-4.0.1 -s "$src/samples/scope.json" \
        --as-of 2026-10-01 $fmtopt -q -o "$work/pack" "$work/findings.json"
}

echo "evpack benchmark: $(nproc) CPUs, $(uname -sm); evpack $("$evpack" --version 2>&1 | head -1)"
for count in "$@"; do
    python3 "$src/tests/bench/gen_findings.py" --count "$count" --seed 1 -o "$work/findings.json"
    bytes=$(stat -c %s "$work/findings.json")
    echo
    echo "$count findings, $bytes bytes"
    echo " ingest+evaluate (--format json) against jq on the same file:"
    measure_pack "evpack --format json" json
    read -r ev_s ev_kb < "$work/last"
    measure "jq group-by" jq "$JQ_PROG" "$work/findings.json"
    read -r jq_s jq_kb < "$work/last"
    echo " full pack, each output alone and all together:"
    for fmt in md pdf xlsx json all; do
        measure_pack "evpack $fmt" "$fmt"
    done
    read -r all_s all_kb < "$work/last"
    awk -v e="$ev_s" -v j="$jq_s" -v ek="$ev_kb" -v jk="$jq_kb" -v ak="$all_kb" -v as="$all_s" 'BEGIN {
        if (e <= 0) e = 0.01
        printf " ratios: ingest+evaluate throughput %.1fx jq (target >= 10x); " \
               "full pack peak %.3f of jq (target <= 0.05: %.1f MiB)\n", j / e, ak / jk, jk / 20 / 1024
        printf " full pack: %.1f s, %.1f MiB peak (targets at 1M: < 60 s, < 512 MiB)\n", as, ak / 1024 }'
    rm -f "$work/findings.json"
done
