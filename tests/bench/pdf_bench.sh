#!/bin/sh
# pdf_bench.sh [COUNT] [LIST_LIMIT]: report.pdf typesetting speed, in pages per second, on a
# large pack (about 500 pages with the defaults: 20,000 generated findings, the bundled PCI DSS
# framework, up to 3,600 unmapped findings listed). Not part of `make test`.
#
# It times `evpack build --format json` (ingest, evaluate, pack.json) and then
# `--format json,pdf` on the same input: the difference is the PDF renderer. It also checks
# the PDF with qpdf and that a second build gives a byte-identical report.pdf.
# Needs python3, qpdf and poppler-utils (pdfinfo); EVPACK overrides the binary.
set -eu
count=${1:-20000}
limit=${2:-3600}
src=$(cd "$(dirname "$0")/../.." && pwd)
evpack=${EVPACK:-$src/build/evpack}
work=$(mktemp -d "${TMPDIR:-/tmp}/evpack-pdfbench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! "$evpack" build --help 2>&1 | grep -q 'pdf'; then
    echo "pdf_bench: $evpack does not offer --format pdf yet" >&2
    exit 2
fi
python3 "$src/tests/bench/gen_findings.py" --count "$count" --seed 1 > "$work/findings.json"
echo "input: $count findings, $(stat -c %s "$work/findings.json") bytes, --list-limit $limit"

now() { date +%s.%N; }
build() { # FORMATS OUT
    "$evpack" build -f pci-dss-4.0.1 -s "$src/samples/scope.json" --as-of 2026-10-01 \
        --list-limit "$limit" --format "$1" -q -o "$2" "$work/findings.json"
}

t0=$(now); build json "$work/json"; t1=$(now)
build json,pdf "$work/pdf"; t2=$(now)
build json,pdf "$work/pdf2"
pages=$(pdfinfo "$work/pdf/report.pdf" | awk '/^Pages:/ { print $2 }')
bytes=$(stat -c %s "$work/pdf/report.pdf")
awk -v a="$t0" -v b="$t1" -v c="$t2" -v p="$pages" -v n="$bytes" 'BEGIN {
    base = b - a; all = c - b; pdf = all - base
    if (pdf <= 0) pdf = 0.001
    printf "json only      %7.2f s\n", base
    printf "json + pdf     %7.2f s\n", all
    printf "report.pdf     %7d pages, %.1f MB, rendered in %.2f s: %.0f pages/s (%.0f pages/s end to end)\n",
           p, n / 1e6, pdf, p / pdf, p / all }'
if qpdf --check "$work/pdf/report.pdf" > "$work/qpdf.txt" 2>&1; then
    echo "qpdf --check  OK"
else
    echo "qpdf --check  FAILED"; tail -5 "$work/qpdf.txt"; exit 1
fi
if cmp -s "$work/pdf/report.pdf" "$work/pdf2/report.pdf"; then
    echo "second build  byte-identical"
else
    echo "second build  DIFFERS"; exit 1
fi
