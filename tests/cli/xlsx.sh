# xlsx.sh: workbook.xlsx as auditors open it: openpyxl (the system python3) checks sheet
# names, headers, row counts and totals against pack.json, no cell is a formula, and hostile
# text round-trips; the sample pack with evidence and exceptions, and a change ticket.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
PY=/usr/bin/python3
$PY -c "import openpyxl" 2>/dev/null || { echo "python3-openpyxl is missing (scripts/install-deps installs it)"; exit 1; }
A="-f pci-dss-4.0.1 --as-of 2026-10-01 -q --format xlsx,json"
expect_status 0 "$EVPACK" build $A -s samples/scope.json -e samples/evidence.json -x samples/exceptions.json \
    -o "$T/full" samples/findings.json
$PY "$SRC/tests/cli/xlsx_check.py" "$T/full" && ok || fail "xlsx_check.py on the sample pack"
expect_status 0 "$EVPACK" build $A -s samples/scope.json --ticket CHG-1042 --service iam -o "$T/ticket" samples/findings.json
$PY "$SRC/tests/cli/xlsx_check.py" "$T/ticket" && ok || fail "xlsx_check.py on a ticket"
mkdir "$T/h"
$PY "$SRC/tests/cli/xlsx_check.py" --hostile "$EVPACK" "$SRC" "$T/h" && ok || fail "hostile text in the workbook"
finish
