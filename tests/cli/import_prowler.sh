# import_prowler.sh: every Prowler compliance file in tests/data/prowler-compliance (legacy
# and universal schemas) converts into a framework that evpack validate accepts and
# evpack build uses; the counts match the source file.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
for f in tests/data/prowler-compliance/*.json; do
    name=$(basename "$f" .json)
    expect_status 0 "$EVPACK" import-prowler "$f"
    cp "$T/out" "$T/$name.json"
    expect_status 0 "$EVPACK" validate "$T/$name.json"
    python3 - "$f" "$T/$name.json" <<'PY' && ok || fail "$name: imported content"
import json, sys
src, out = (json.load(open(p)) for p in sys.argv[1:])
reqs = src.get("Requirements") or src.get("requirements")
ids = {r.get("Id") or r.get("id") for r in reqs}
ctl = {c["id"]: c for c in out["controls"]}
assert set(ctl) == ids, "control ids differ from requirement ids"
for r in reqs:
    rid = r.get("Id") or r.get("id")
    checks = r.get("Checks") if "Checks" in r else r.get("checks")
    if isinstance(checks, dict):
        checks = checks.get("aws", [])
    for chk in checks or []:
        assert "prowler:" + chk in ctl[rid]["customer"]["checks"], (rid, chk)
for c in out["controls"]:
    assert c["responsibility"] == "customer" and c["tags"] == ["needs-review"], c["id"]
PY
done
# an imported framework builds a pack
"$EVPACK" import-prowler tests/data/prowler-compliance/hipaa_aws.json > "$T/hipaa.json" 2>/dev/null
expect_status 0 "$EVPACK" build -f "$T/hipaa.json" -s samples/scope.json --as-of 2026-10-01 -q -o "$T/pack" samples/findings.json
expect_status 0 "$EVPACK" verify "$T/pack"
# not a Prowler file
expect_status 2 "$EVPACK" import-prowler samples/scope.json
expect_grep "$T/err" "samples/scope.json:1:1: expected a Prowler compliance file"
finish
