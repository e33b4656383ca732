# services.sh: the service catalogue and the responsibility matrix: evpack matrix in md and
# json, "services": "auto" taking the services from the findings, unknown services refused.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
expect_status 0 "$EVPACK" validate frameworks/aws-services.json
expect_status 0 "$EVPACK" matrix --services ec2,rds,lambda,s3 --format json
python3 - "$T/out" <<'PY' && ok || fail "matrix json"
import json, sys
m = json.load(open(sys.argv[1]))
rows = {r["id"]: r for r in m["matrix"]}
assert list(rows) == ["ec2", "rds", "lambda", "s3"], list(rows)
assert len(m["domains"]) == 15
# the line moves with the service model: guest OS patching
assert rows["ec2"]["responsibility"]["guest_os"] == "customer"
assert rows["rds"]["responsibility"]["guest_os"] == "aws"
assert rows["lambda"]["responsibility"]["guest_os"] == "aws"
assert rows["rds"]["responsibility"]["database_engine"] == "aws"
assert rows["s3"]["responsibility"]["database_engine"] == "not-applicable"
assert rows["ec2"]["responsibility"]["physical"] == "aws"
assert rows["ec2"]["model"] == "infrastructure" and rows["s3"]["model"] == "abstracted"
PY
expect_status 0 "$EVPACK" matrix --services ec2,rds
expect_grep "$T/out" "| Domain | ec2 | rds |"
cmark-gfm -e table "$T/out" > /dev/null && ok || fail "matrix markdown"
expect_status 0 "$EVPACK" matrix --list
[ "$(wc -l < "$T/out")" -ge 40 ] && ok || fail "fewer than 40 services"
expect_status 2 "$EVPACK" matrix --services ec2,nosuch
expect_grep "$T/err" "unknown service 'nosuch'"

# "services": "auto": the services come from the findings' resource types
python3 - samples/scope.json "$T/auto.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["services"] = "auto"
json.dump(s, open(sys.argv[2], "w"))
PY
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s "$T/auto.json" --as-of 2026-10-01 -q -o "$T/auto" samples/findings.json
python3 - "$T/auto/pack.json" <<'PY' && ok || fail "auto services"
import json, sys
p = json.load(open(sys.argv[1]))
sv = p["services"]
assert sv["scope"] == "auto"
ids = [r["id"] for r in sv["matrix"]]
assert {"iam", "s3", "kms", "rds"} <= set(ids), ids
assert all(r["in_scope"] and r["findings"] > 0 for r in sv["matrix"])
assert sum(r["findings"] for r in sv["matrix"]) + sum(u["count"] for u in sv["unknown_resource_types"]) <= p["findings"]["active"]
PY
# listed services: rows in scope order, unknown ids refused with file:line:col
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q -o "$T/listed" samples/findings.json
python3 - "$T/listed/pack.json" samples/scope.json <<'PY' && ok || fail "listed services"
import json, sys
p = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
rows = [r for r in p["services"]["matrix"] if r["in_scope"]]
assert [r["id"] for r in rows] == s["services"], [r["id"] for r in rows]
PY
python3 - samples/scope.json "$T/bad.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["services"] = ["ec2", "ec3"]
open(sys.argv[2], "w").write(json.dumps(s, indent=2))
PY
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s "$T/bad.json" --as-of 2026-10-01 -q -o "$T/bad" samples/findings.json
expect_grep "$T/err" "unknown service \"ec3\""
grep -q "bad.json:[0-9]*:[0-9]*: " "$T/err" && ok || fail "no file:line:col for an unknown service"
finish
