#!/bin/sh
# run.sh: runs every libFuzzer harness (or those named) for SECONDS each, from its seed
# corpus, and prints executions, speed, corpus growth and findings per harness.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]
#
# BUILD_DIR is a build configured with -DEV_FUZZ=ON (make fuzz does that in build-fuzz).
# Per harness, the working corpus BUILD_DIR/fuzz-corpus/NAME keeps what the fuzzer finds
# across runs (the seeds in tests/fuzz/corpus/NAME are read too, never written); crash,
# leak and timeout inputs land in BUILD_DIR/fuzz-artifacts/NAME/ and the output in
# BUILD_DIR/fuzz-logs/NAME.log. FUZZ_JOBS harnesses run at a time (default: the number of
# CPUs). Exit status 1 when any harness found something: once fixed, copy the input into
# tests/fuzz/regress/NAME/ so that ctest replays it in every build.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# Longest input per harness: a few findings, controls or requirements, so that each run
# stays fast.
max_len() {
    case $1 in
    glob | md_escape) echo 4096 ;;
    csv | json_stream | template) echo 8192 ;;
    *) echo 16384 ;;
    esac
}

# run.sh --one BUILD_DIR SECONDS TMP NAME: one harness (what the job pool below runs)
if [ "${1:-}" = "--one" ]; then
    build=$2 seconds=$3 tmp=$4 h=$5
    bin="$build/tests/fuzz/fuzz_$h"
    log="$build/fuzz-logs/$h.log"
    [ -x "$bin" ] || { echo "$h: $bin not built" >"$log"; exit 0; }
    work="$build/fuzz-corpus/$h"
    art="$build/fuzz-artifacts/$h"
    mkdir -p "$work" "$art" "$tmp/$h"
    # -rss_limit_mb: a run needing more than 2 GB (ASan's shadow included) is a finding
    TMPDIR="$tmp/$h" EV_SOURCE_DIR="${here%/tests/fuzz}" "$bin" "$work" "$here/corpus/$h" \
        -max_total_time="$seconds" -max_len="$(max_len "$h")" -timeout=20 \
        -rss_limit_mb=2048 -artifact_prefix="$art/" -print_final_stats=1 -close_fd_mask=1 \
        >"$log" 2>&1 || true
    exit 0
fi

build=${1:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
seconds=${2:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
shift 2
build=$(cd "$build" && pwd)
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
if [ $# -eq 0 ]; then
    set -- $(sed -n '/^set(EV_FUZZ_HARNESSES/,/)/p' "$here/CMakeLists.txt" |
        sed 's/set(EV_FUZZ_HARNESSES//; s/)//')
fi
mkdir -p "$build/fuzz-logs"
# Every run writes its input to a file (the readers take paths): a RAM-backed folder keeps
# that from dominating (on a slow disk, fifteen times fewer executions).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    tmp=$(mktemp -d /dev/shm/evpack-fuzz.XXXXXX)
else
    tmp=$(mktemp -d "$build/fuzz-tmp.XXXXXX")
fi
trap 'rm -rf "$tmp"' EXIT
for h in "$@"; do rm -f "$build/fuzz-logs/$h.log"; done

echo "fuzzing $# harnesses for ${seconds}s each, $jobs at a time"
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 "$0" --one "$build" "$seconds" "$tmp"

found=0
total=0
printf '%-15s %12s %10s %8s %9s  %s\n' harness execs execs/s corpus findings status
for h in "$@"; do
    log="$build/fuzz-logs/$h.log"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    corpus=$(ls "$build/fuzz-corpus/$h" 2>/dev/null | wc -l)
    crashes=$(ls "$build/fuzz-artifacts/$h" 2>/dev/null | wc -l)
    status=ok
    if [ "$crashes" -gt 0 ] || grep -q 'ERROR: \|invariant broken\|^SUMMARY' "$log"; then
        status="FOUND: see $log and $build/fuzz-artifacts/$h/"
        found=1
    elif [ -z "$execs" ]; then
        status="did not run: see $log"
        found=1
    fi
    total=$((total + ${execs:-0}))
    printf '%-15s %12s %10s %8s %9s  %s\n' "$h" "${execs:-?}" "${speed:-?}" "$corpus" \
        "$crashes" "$status"
done
echo "total executions: $total"
exit $found
