# mixed.sh: one run over every input kind evpack reads (Security Hub ASFF, Prowler
# JSON-OCSF and CSV, Prowler compliance CSV, AWS Config, OCSF compliance findings), with
# manual evidence and exceptions, across the four frameworks: one consistent pack, the
# findings-by-source table in every output.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -f hipaa-security -f soc2-2017 -f gdpr \
    -s samples/scope.json -e samples/evidence.json -x samples/exceptions.json --as-of 2026-10-01 -q \
    -o "$T/mixed" samples/findings.json \
    tests/data/prowler/defectdojo_prowler_v3plus_many_vuln_after_4_5_0.ocsf.json \
    tests/data/prowler/example_output_aws.csv \
    tests/data/prowler/test_expected_generic_compliance_nist_800_53_r4_aws.csv \
    tests/data/config/awscli_example_get-compliance-details-by-config-rule_1.json \
    tests/data/config/awscli_example_get-compliance-details-by-resource_1.json \
    tests/data/ocsf/securityhub_ocsf_findings.json tests/data/ocsf/compliance_finding_other_vendor.json
expect_status 0 "$EVPACK" verify "$T/mixed"
python3 - "$T/mixed/pack.json" <<'PY' && ok || fail "one pack from every source"
import json, sys
p = json.load(open(sys.argv[1]))
fmts = [s["format"] for s in p["sources"]]
assert fmts == ["asff", "prowler-ocsf", "prowler-csv", "prowler-compliance-csv", "config", "config",
                "ocsf", "ocsf"], fmts
src = {s["source"]: s["active"] for s in p["findings"]["by_source"]}
assert {"securityhub", "prowler", "config"} <= set(src), src
f = p["findings"]
assert f["read"] == f["duplicates"] + f["archived"] + f["active"]
assert sum(src.values()) == f["active"] - f["excluded"]
assert sum(s["records"] for s in p["sources"]) == f["read"]
assert [x["id"] for x in p["frameworks"]] == ["pci-dss-4.0.1", "hipaa-security", "soc2-2017", "gdpr"]
PY
python3 "$SRC/tests/cli/check_pack.py" "$T/mixed" && ok || fail "report.md against pack.json"
python3 "$SRC/tests/cli/pdf_check.py" "$T/mixed" > /dev/null && ok || fail "report.pdf against pack.json"
/usr/bin/python3 "$SRC/tests/cli/xlsx_check.py" "$T/mixed" > /dev/null && ok || fail "workbook.xlsx against pack.json"
pdftotext "$T/mixed/report.pdf" - | grep -q "by source" && ok || fail "no findings-by-source table in the PDF"
finish
