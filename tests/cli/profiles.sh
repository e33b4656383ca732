# profiles.sh: the consultant profile (branding from the scope: client, consultancy,
# author, logo, accent colour, Markdown preamble; rebranding through --templates) and the
# change-ticket profile (--ticket with --service / --resource / --control).
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
A="--as-of 2026-10-01 -q"
# consultant
expect_status 0 "$EVPACK" build --profile consultant -f pci-dss-4.0.1 -s samples/scope-consultant.json $A -o "$T/c" samples/findings.json
expect_grep "$T/c/report.md" "Prepared for **Example Payments Ltd** by **Northbridge Assurance**"
expect_grep "$T/c/report.md" "- the AWS Artifact reports named in each citation;"
python3 - "$T/c" <<'PY' && ok || fail "consultant branding in pack.json and manifest"
import hashlib, json, sys
d = sys.argv[1]
p = json.load(open(d + "/pack.json")); m = json.load(open(d + "/manifest.json"))
b = p["branding"]
assert p["profile"] == "consultant"
assert b["consultancy"] == "Northbridge Assurance" and b["accent_colour"] == "#1F4E79"
logo = open("samples/branding/logo.png", "rb").read()
assert b["logo"]["sha256"] == hashlib.sha256(logo).hexdigest()
assert [i["path"] for i in m["inputs"] if i["role"] == "logo"] == ["samples/branding/logo.png"]
PY
expect_status 2 "$EVPACK" build --profile consultant -f pci-dss-4.0.1 -s samples/scope.json $A -o "$T/x" samples/findings.json
expect_grep "$T/err" "has no \"branding\""
python3 - samples/scope-consultant.json "$T/badlogo.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["branding"]["logo"] = "preamble.md"
s["branding"]["preamble_file"] = "preamble.md"
open(sys.argv[2], "w").write(json.dumps(s, indent=2))
PY
cp samples/branding/preamble.md "$T/preamble.md"
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s "$T/badlogo.json" $A -o "$T/x" samples/findings.json
grep -q "badlogo.json:[0-9]*:[0-9]*: \"logo\": expected a PNG file" "$T/err" && ok || fail "logo not PNG: $(cat "$T/err")"
# rebranding without C: a custom template folder overrides the report, the rest is bundled
mkdir "$T/tpl"
sed 's/^Prepared for /Deliverable for /' templates/report.md.mustache > "$T/tpl/report.md.mustache"
expect_status 0 "$EVPACK" build --profile consultant --templates "$T/tpl" -f pci-dss-4.0.1 -s samples/scope-consultant.json $A -o "$T/c2" samples/findings.json
expect_grep "$T/c2/report.md" "Deliverable for **Example Payments Ltd**"
python3 "$SRC/tests/cli/check_pack.py" "$T/c2" && ok || fail "check_pack.py on a rebranded pack"

# ticket
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --ticket CHG-1042 \
    --service iam --resource 'arn:aws:iam::111122223333:*' -o "$T/t" samples/findings.json
expect_status 0 "$EVPACK" verify "$T/t"
python3 - "$T/t/pack.json" samples/findings.json <<'PY' && ok || fail "ticket selection"
import fnmatch, json, sys
p = json.load(open(sys.argv[1]))
assert p["profile"] == "ticket" and p["ticket"] == "CHG-1042"
assert p["selection"] == {"services": ["iam"], "resources": ["arn:aws:iam::111122223333:*"], "controls": []}
f = p["findings"]
assert f["read"] == f["duplicates"] + f["archived"] + f["active"]
assert sum(f["by_result"].values()) == f["active"] - f["excluded"] > 0
ctl = p["frameworks"][0]["controls"]
assert 0 < len(ctl) < 250
assert p["frameworks"][0]["summary"]["controls"] == len(ctl)
for c in ctl:
    assert c["passed"] + c["failed"] + c["accepted"] + c["suppressed"] + c["needs_review"] > 0, c["id"]
    for x in c["findings"]:
        assert fnmatch.fnmatchcase(x["resource_id"], "arn:aws:iam::111122223333:*"), x["resource_id"]
PY
expect_grep "$T/t/report.md" "# Change CHG\\-1042: compliance evidence"
expect_grep "$T/t/report.md" "| Inputs digest |"
cmark-gfm -e table "$T/t/report.md" > /dev/null && ok || fail "ticket markdown"
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --ticket CHG-7 \
    --control 8.4.2,pci-dss-4.0.1:9.2.1 -o "$T/t2" samples/findings.json
python3 - "$T/t2/pack.json" <<'PY' && ok || fail "ticket by control"
import json, sys
p = json.load(open(sys.argv[1]))
assert [c["id"] for c in p["frameworks"][0]["controls"]] == ["8.4.2", "9.2.1"]
assert p["frameworks"][0]["summary"]["by_responsibility"] == {"aws": 1, "customer": 1, "shared": 0}
PY
python3 - "$T/t2/pack.json" <<'PY' && ok || fail "a ticket by control counts only the findings of those controls"
import json, sys
p = json.load(open(sys.argv[1])); f = p["findings"]
c = p["frameworks"][0]["controls"]
assert f["excluded"] > 0 and f["active"] - f["excluded"] >= c[0]["passed"] + c[0]["failed"]
PY
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --ticket CHG-9 --control 99.99 -o "$T/x" samples/findings.json
expect_grep "$T/err" "'99.99' names no control"
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --ticket CHG-8 -o "$T/x" samples/findings.json
expect_grep "$T/err" "expected --service, --resource or --control"
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --service iam -o "$T/x" samples/findings.json
expect_grep "$T/err" "belong to the ticket profile"
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json $A --ticket CHG-9 --service nosuch -o "$T/x" samples/findings.json
expect_grep "$T/err" "unknown service 'nosuch'"
[ ! -e "$T/x" ] && ok || fail "output written on a usage error"
finish
