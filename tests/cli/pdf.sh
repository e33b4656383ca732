# pdf.sh: report.pdf as auditors open it: qpdf --check, pdftotext against pack.json
# (pdf_check.py), hostile finding text extracted intact or visibly replaced, a
# consultant-branded pack, and a change ticket on at most two pages.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
A="-f pci-dss-4.0.1 --as-of 2026-10-01 -q"
expect_status 0 "$EVPACK" build $A -s samples/scope.json -e samples/evidence.json -x samples/exceptions.json \
    -o "$T/full" samples/findings.json
python3 "$SRC/tests/cli/pdf_check.py" "$T/full" && ok || fail "pdf_check.py on the sample pack"
pdfinfo "$T/full/report.pdf" > "$T/info"
expect_grep "$T/info" "Creator:"
grep -q "CreationDate: *.*2026" "$T/info" && ok || fail "creation date is not the as-of date: $(cat "$T/info")"

# hostile text from findings: literal or visibly replaced, never dropped
python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
texts = ["pipe | in | the | title", "<script>alert(1)</script>", '=HYPERLINK("http://evil","click")',
         "+cmd|' /C calc'!A0", "@SUM(1+1)", "日本語のテキスト", "W" * 10000,
         "\u202eevil right-to-left override", "[x](javascript:alert(1))"]
expect = ["pipe | in | the | title", "<script>alert(1)</script>", '=HYPERLINK("http://evil","click")',
          "+cmd|' /C calc'!A0", "@SUM(1+1)", "日本語のテキスト", "W" * 10000,
          "\ufffdevil right-to-left override", "[x](javascript:alert(1))"]
fs = [{"SchemaVersion": "2018-10-08", "Id": f"hostile-{i}", "AwsAccountId": "111122223333",
       "Region": "eu-west-1", "UpdatedAt": "2026-09-01T00:00:00Z", "Title": x,
       "Resources": [{"Type": "Other", "Id": f"res-{i}"}], "Severity": {"Label": "HIGH"},
       "RecordState": "ACTIVE"} for i, x in enumerate(texts)]
json.dump({"Findings": fs}, open(t + "/hostile.json", "w"), ensure_ascii=False)
json.dump(expect, open(t + "/expect.json", "w"), ensure_ascii=False)
PY
expect_status 0 "$EVPACK" build $A -s samples/scope.json -o "$T/hostile" "$T/hostile.json"
python3 "$SRC/tests/cli/pdf_check.py" "$T/hostile" --expect "$T/expect.json" && ok || fail "hostile text in the PDF"

# a consultant deliverable: logo and preamble on the cover
expect_status 0 "$EVPACK" build $A --profile consultant -s samples/scope-consultant.json -o "$T/consultant" samples/findings.json
python3 "$SRC/tests/cli/pdf_check.py" "$T/consultant" && ok || fail "pdf_check.py on the consultant pack"
pdftotext -f 1 -l 1 "$T/consultant/report.pdf" - | grep -q "Northbridge Assurance" && ok || fail "consultancy not on the cover"
pdfimages -list "$T/consultant/report.pdf" | grep -q "image" && ok || fail "no logo image in the PDF"

# a change ticket fits on two pages and shows the inputs digest
expect_status 0 "$EVPACK" build $A -s samples/scope.json --ticket CHG-1042 --service iam -o "$T/ticket" samples/findings.json
pages=$(pdfinfo "$T/ticket/report.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -le 2 ] && ok || fail "ticket PDF has $pages pages"
digest=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['inputs_digest'])" "$T/ticket/pack.json")
pdftotext "$T/ticket/report.pdf" - | tr -d ' \n' | grep -q "$digest" && ok || fail "inputs digest not on the ticket"
finish
