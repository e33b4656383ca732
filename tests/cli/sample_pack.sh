# sample_pack.sh: the sample pack end to end: build, verify, sha256sum -c, byte-identical
# rebuilds, stdin, --format, --force, --fail-on, and the report against pack.json.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
B="build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01"

expect_status 0 "$EVPACK" $B -o "$T/a" samples/findings.json
for f in report.md report.pdf workbook.xlsx pack.json manifest.json SHA256SUMS; do
    [ -f "$T/a/$f" ] && ok || fail "missing $f"
done
[ "$(ls -A "$T/a" | wc -l)" -eq 6 ] && ok || fail "unexpected files in the pack: $(ls -A "$T/a")"
ls -A "$T" | grep -q '\.tmp-' && fail "temporary folder left behind" || ok
expect_status 0 "$EVPACK" verify "$T/a"
expect_grep "$T/out" "OK"
(cd "$T/a" && sha256sum -c --quiet SHA256SUMS) && ok || fail "sha256sum -c"

# the same inputs and as-of date give the same bytes
expect_status 0 "$EVPACK" $B -o "$T/b" samples/findings.json
for f in report.md report.pdf workbook.xlsx pack.json manifest.json SHA256SUMS; do
    cmp -s "$T/a/$f" "$T/b/$f" && ok || fail "$f differs between two runs"
done
SOURCE_DATE_EPOCH=1790812800 expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json -o "$T/c" samples/findings.json
cmp -s "$T/a/pack.json" "$T/c/pack.json" && ok || fail "SOURCE_DATE_EPOCH of 2026-10-01 differs from --as-of"
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json -o "$T/d" samples/findings.json
expect_grep "$T/err" "missing --as-of"

# the sample's deliberate cases (samples/README.md) come out as documented
python3 - "$T/a/pack.json" <<'PY' && ok || fail "sample counts and statuses"
import json, sys
p = json.load(open(sys.argv[1]))
f = p["findings"]
want = {"read": 80, "duplicates": 2, "archived": 3, "active": 75, "suppressed": 2,
        "unrecognised": 1, "unmapped": 3}
got = {k: f[k] for k in want}
assert got == want, got
assert f["unrecognised_values"] == [{"value": "INFOED", "count": 1}], f["unrecognised_values"]
ids = {x["id"].rsplit("/", 1)[-1][:8] for x in f["unmapped_listed"]}
assert {"e8d97a9d", "7a1c635a", "f38755a4"} <= ids, ids
c = {x["id"]: x for x in p["frameworks"][0]["controls"]}
assert c["8.4.2"]["status"] == "failing", c["8.4.2"]     # IAM.6 root hardware MFA
assert c["3.7.4"]["status"] == "failing", c["3.7.4"]     # KMS.4: the newer delivery failed
assert c["9.2.1"]["status"] == "inherited", c["9.2.1"]
assert c["9.2.1"]["citation_freshness"] == "citation missing", c["9.2.1"]
assert c["3.1.1"]["status"] == "no-evidence", c["3.1.1"]
listed = [x["id"] for x in c["3.7.4"]["findings"]]
assert any("2fa26492" in i for i in listed), listed
PY

# manual evidence, exceptions and attachments (samples/evidence.json, samples/exceptions.json)
expect_status 0 "$EVPACK" $B -e samples/evidence.json -x samples/exceptions.json --attach \
    -o "$T/ev" samples/findings.json
expect_status 0 "$EVPACK" verify "$T/ev"
(cd "$T/ev" && sha256sum -c --quiet SHA256SUMS) && ok || fail "sha256sum -c with attachments"
python3 "$SRC/tests/cli/check_pack.py" "$T/ev" && ok || fail "check_pack.py with evidence"
python3 - "$T/ev" <<'PY' && ok || fail "evidence and exceptions applied as documented"
import hashlib, json, sys
d = sys.argv[1]
p = json.load(open(d + "/pack.json"))
c = {x["id"]: x for x in p["frameworks"][0]["controls"]}
assert c["12.6.1"]["status"] == "passing-manual", c["12.6.1"]["status"]
assert c["12.10.2"]["status"] == "passing-manual"
assert c["11.3.1"]["status"] == "failing"                 # EV-005 fails
assert c["12.1.1"]["status"] == "no-evidence"             # EV-004 expired
assert c["3.7.4"]["status"] == "accepted-risk"            # EX-002 covers KMS.4
assert c["3.7.5"]["status"] == "failing"                  # EX-002 names 3.7.4 only
assert any(f["accepted_by"] == "EX-002" for f in c["3.7.4"]["findings"])
assert c["8.4.2"]["accepted"] == 1 and c["8.4.2"]["status"] == "failing"  # IAM.5 still fails
x = {e["id"]: e for e in p["exceptions"]}
assert x["EX-001"]["state"] == "in-force" and x["EX-001"]["findings_accepted"] == 1
assert x["EX-003"]["state"] == "expired" and x["EX-003"]["findings_accepted"] == 0
assert p["stale"] == {"findings": 0, "manual_evidence": 1, "artifact_editions": 1}, p["stale"]
e = {i["id"]: i for i in p["evidence"]}
assert e["EV-004"]["references_unmatched"] == 1
for i in p["evidence"]:
    a = i["attachment"]
    if a:
        data = open(d + "/" + a["in_pack"], "rb").read()
        assert hashlib.sha256(data).hexdigest() == a["sha256"]
PY

# the report and pack.json carry the same numbers
python3 "$SRC/tests/cli/check_pack.py" "$T/a" && ok || fail "check_pack.py on the sample pack"

# an existing pack is refused, and kept, unless --force
before=$(sha256sum "$T/a/pack.json")
expect_status 2 "$EVPACK" $B --as-of 2026-12-31 -o "$T/a" samples/findings.json
expect_grep "$T/err" "use --force"
[ "$(sha256sum "$T/a/pack.json")" = "$before" ] && ok || fail "refused target was modified"
expect_status 0 "$EVPACK" $B --as-of 2026-12-31 --force -q -o "$T/a" samples/findings.json
[ ! -s "$T/out" ] && ok || fail "-q printed: $(cat "$T/out")"
expect_grep "$T/a/pack.json" '"as_of": "2026-12-31"'
expect_status 0 "$EVPACK" verify "$T/a"

# --force replaces an earlier pack, never a folder of other files
mkdir "$T/mine" && echo precious > "$T/mine/keep.txt"
expect_status 2 "$EVPACK" $B --force -o "$T/mine" samples/findings.json
expect_grep "$T/err" "not an evpack pack"
[ -f "$T/mine/keep.txt" ] && ok || fail "--force deleted a folder that was not a pack"
echo '{"name": "my app"}' > "$T/mine/manifest.json"
expect_status 2 "$EVPACK" $B --force -o "$T/mine" samples/findings.json
[ -f "$T/mine/keep.txt" ] && ok || fail "--force replaced a folder whose manifest.json is not evpack's"

# absolute input paths never reach the pack: only the file names do
cp samples/findings.json "$T/abs-findings.json"
expect_status 0 "$EVPACK" $B -o "$T/abs" "$T/abs-findings.json"
grep -rq "$T" "$T/abs" && fail "a machine path reached the pack" || ok
expect_grep "$T/abs/pack.json" '"file": "abs-findings.json"'

# custom templates override any subset; the rest comes from the bundled ones
mkdir "$T/tpl"
printf '#### CUSTOM {{id}}\n' > "$T/tpl/control_findings.mustache"
expect_status 0 "$EVPACK" $B --templates "$T/tpl" -o "$T/custom" samples/findings.json
expect_grep "$T/custom/report.md" "#### CUSTOM 8\\.4\\.2"
expect_grep "$T/custom/report.md" "## Findings that map to no control"
printf '{{#frameworks}}\n' > "$T/tpl/report.md.mustache"
expect_status 2 "$EVPACK" $B --templates "$T/tpl" -o "$T/custom2" samples/findings.json
expect_grep "$T/err" "report.md.mustache:1:1: "
[ ! -e "$T/custom2" ] && ok || fail "output left after a template error"

# stdin gives the same evaluation
expect_status 0 "$EVPACK" $B -o "$T/stdin" - < samples/findings.json
python3 - "$T/b/pack.json" "$T/stdin/pack.json" <<'PY' && ok || fail "stdin pack differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ("sources", "inputs_digest"):
    a.pop(k); b.pop(k)
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k != "source_position"}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
sys.exit(0 if strip(a) == strip(b) else 1)
PY

# several files at once: the same file twice is all duplicates
expect_status 0 "$EVPACK" $B -o "$T/twice" samples/findings.json samples/findings.json
python3 - "$T/b/pack.json" "$T/twice/pack.json" <<'PY' && ok || fail "two copies of a file"
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:])
assert b["read"] == 2 * a["read"], b
assert b["duplicates"] == a["read"] + a["duplicates"], b
assert b["active"] == a["active"] and b["archived"] == a["archived"], b
PY

# --format json writes pack.json alone
expect_status 0 "$EVPACK" $B --format json -o "$T/json" samples/findings.json
[ -f "$T/json/pack.json" ] && [ ! -e "$T/json/report.md" ] && ok || fail "--format json"
expect_status 0 "$EVPACK" verify "$T/json"
expect_status 2 "$EVPACK" $B --format pdfx -o "$T/bad" samples/findings.json
[ ! -e "$T/bad" ] && ok || fail "output written on a usage error"

# --fail-on failing: the sample has failing controls; the pack is still written
expect_status 1 "$EVPACK" $B --fail-on failing -o "$T/failon" samples/findings.json
expect_status 0 "$EVPACK" verify "$T/failon"

# a tampered pack fails verification
printf 'x' >> "$T/b/report.md"
expect_status 1 "$EVPACK" verify "$T/b"
expect_grep "$T/err" "report.md"
(cd "$T/b" && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1) && fail "sha256sum accepted a tampered pack" || ok
finish
