#!/bin/sh
# xlsx_bench.sh [COUNT]: workbook.xlsx throughput and peak memory. Generates COUNT findings
# (default 1,000,000, about 1.7 GB), then times `evpack build --format json` (ingest +
# evaluate + pack.json) and `evpack build --format xlsx` (ingest + evaluate + workbook.xlsx)
# on the same file, printing seconds, Findings rows per second and peak RSS for each, the
# workbook's own share (the difference) and the workbook's size. Past 1,048,575 active
# findings the Findings sheet continues on "Findings (2)". Not part of `make test`.
# Usage: tests/bench/xlsx_bench.sh 1000000   (needs python3 and GNU time, /usr/bin/time)
#   EVPACK=path/to/evpack   the binary (default: build/evpack)
#   CHECK=1                 also build with --format json,xlsx and run tests/cli/xlsx_check.py
#                           on it (read-only openpyxl; minutes for a million rows)
#   LIBREOFFICE=1           also convert the workbook with LibreOffice headless, timed
set -eu
count=${1:-1000000}
src=$(cd "$(dirname "$0")/../.." && pwd)
evpack=${EVPACK:-$src/build/evpack}
py=${EV_PYTHON:-/usr/bin/python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/evpack-xlsx-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$src/tests/bench/gen_findings.py" --count "$count" --seed 1 -o "$work/findings.json"
bytes=$(stat -c %s "$work/findings.json")
echo "input: $count findings, $bytes bytes"

# run LABEL FORMAT: builds a pack with --format FORMAT, prints seconds, rows/s and peak RSS
# and leaves the seconds in $secs and the active findings in $active.
run() {
    label=$1
    /usr/bin/time -f "%e %M" -o "$work/time" "$evpack" build -f pci-dss-4.0.1 \
        -s "$src/samples/scope.json" --as-of 2026-10-01 --format "$2" -o "$work/pack-$label" \
        "$work/findings.json" > "$work/out"
    read -r secs kb < "$work/time"
    active=$(sed -n 's/.* \([0-9][0-9]*\) active .*/\1/p' "$work/out")
    awk -v l="$label" -v s="$secs" -v kb="$kb" -v n="$active" 'BEGIN {
        printf "%-6s %8.2f s  %10.0f rows/s  peak RSS %7.1f MB\n", l, s, n / s, kb / 1024 }'
}
run json json
json_secs=$secs
run xlsx xlsx
xlsx=$work/pack-xlsx/workbook.xlsx
awk -v a="$json_secs" -v b="$secs" -v n="$active" -v sz="$(stat -c %s "$xlsx")" 'BEGIN {
    d = b - a
    printf "workbook alone: %.2f s for %d Findings rows (%.0f rows/s); workbook.xlsx %.1f MB\n",
           d, n, (d > 0 ? n / d : 0), sz / 1e6 }'
"$py" - "$xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
print(f"sheets: {len(sheets)}; zip test: {'ok' if z.testzip() is None else 'BAD'}")
PY

if [ "${LIBREOFFICE:-0}" = 1 ]; then
    profile=$work/lo-profile
    /usr/bin/time -f "libreoffice --convert-to csv (every sheet): %e s, peak RSS %M KB" \
        soffice "-env:UserInstallation=file://$profile" --headless --convert-to \
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1" \
        --outdir "$work/csv" "$xlsx" > /dev/null
    ls -l "$work/csv"
fi
if [ "${CHECK:-0}" = 1 ]; then
    rm -rf "$work/pack-xlsx"
    run check json,xlsx
    /usr/bin/time -f "xlsx_check.py: %e s, peak RSS %M KB" \
        "$py" "$src/tests/cli/xlsx_check.py" "$work/pack-check"
fi
