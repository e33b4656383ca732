# quarterly.sh: the quarterly profile: --previous adds a comparison (status changes, new and
# resolved failures, newly without evidence, stale editions, trend) to pack.json and the
# report; evpack diff prints the same; a previous pack that does not verify is refused.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
B="build -f pci-dss-4.0.1 -s samples/scope.json -q"
expect_status 0 "$EVPACK" $B --as-of 2026-04-01 -o "$T/q1" samples/findings.json
expect_status 0 "$EVPACK" $B --as-of 2026-07-01 -e samples/evidence.json -o "$T/q2" samples/findings.json
expect_status 0 "$EVPACK" $B --as-of 2026-10-01 -e samples/evidence.json -x samples/exceptions.json \
    --previous "$T/q1" --previous "$T/q2" -o "$T/q3" samples/findings.json
expect_status 0 "$EVPACK" verify "$T/q3"
python3 "$SRC/tests/cli/check_pack.py" "$T/q3" && ok || fail "check_pack.py on q3"
python3 - "$T" <<'PY' && ok || fail "comparison in pack.json"
import json, sys
t = sys.argv[1]
q2 = json.load(open(t + "/q2/pack.json")); q3 = json.load(open(t + "/q3/pack.json"))
c = q3["comparison"]
assert c["against"]["pack"] == "q2" and c["against"]["as_of"] == "2026-07-01"
assert c["against"]["inputs_digest"] == q2["inputs_digest"]
fw = c["frameworks"][0]
before = {x["id"]: x["status"] for x in q2["frameworks"][0]["controls"]}
after = {x["id"]: x["status"] for x in q3["frameworks"][0]["controls"]}
changed = {x["id"]: (x["from"], x["to"]) for x in fw["changed"]}
assert changed == {k: (before[k], after[k]) for k in after if before[k] != after[k]}, changed
assert {x["id"] for x in fw["new_failures"]} == {k for k in after if after[k] == "failing" != before[k]}
assert {x["id"] for x in fw["resolved"]} == {k for k in after if before[k] == "failing" and
                                              after[k] in ("passing", "passing-manual", "inherited")}
assert {x["id"] for x in fw["newly_accepted"]} == {k for k in after if after[k] == "accepted-risk" != before[k]}
assert "3.7.4" in {x["id"] for x in fw["newly_accepted"]}
assert fw["counts"]["changed"] == len(changed) > 0
assert [p["pack"] for p in c["trend"]] == ["q1", "q2", "this pack"]
assert [p["as_of"] for p in c["trend"]] == ["2026-04-01", "2026-07-01", "2026-10-01"]
assert c["trend"][1]["frameworks"][0]["by_status"] == q2["frameworks"][0]["summary"]["by_status"]
m = json.load(open(t + "/q3/manifest.json"))
assert [i["path"] for i in m["inputs"] if i["role"] == "previous-pack"] == ["q1", "q2"]
PY
expect_grep "$T/q3/report.md" "### Since the previous pack"
# the trend and the changes are in every output
/usr/bin/python3 "$SRC/tests/cli/xlsx_check.py" "$T/q3" > /dev/null && ok || fail "xlsx_check.py on a quarterly pack"
/usr/bin/python3 - "$T/q3" <<'PY' && ok || fail "History sheet"
import json, sys, openpyxl
d = sys.argv[1]
p = json.load(open(d + "/pack.json"))
ws = openpyxl.load_workbook(d + "/workbook.xlsx", read_only=True)["History"]
rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
packs = [r[0] for r in rows if r and isinstance(r[0], str) and r[0].endswith(")") and r[0] != "Pack (as of)"]
assert packs == ["q1 (2026-04-01)", "q2 (2026-07-01)", "this pack (2026-10-01)"], packs
changed = sum(len(f["changed"]) for f in p["comparison"]["frameworks"])
i = [r[0] for r in rows].index("Framework")
assert len([r for r in rows[i + 1:] if r and r[0]]) == changed
PY
pdftotext "$T/q3/report.pdf" - | grep -q "Since the previous pack" && ok || fail "no comparison in the PDF"
expect_grep "$T/q3/report.md" "| 3\\.7\\.4 | Keys are changed at the end of a defined cryptoperiod | failing | **accepted\\-risk** |"
expect_status 0 "$EVPACK" diff "$T/q2" "$T/q3" --format json
python3 - "$T/out" "$T/q3/pack.json" <<'PY' && ok || fail "evpack diff json equals the pack's comparison"
import json, sys
d = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))["comparison"]
assert d["frameworks"] == c["frameworks"] and d["artifacts_went_stale"] == c["artifacts_went_stale"]
assert d["trend"][-1]["pack"] == "q3"
PY
expect_status 0 "$EVPACK" diff "$T/q2" "$T/q3"
expect_grep "$T/out" "# Changes since 2026\\-07\\-01"
cmark-gfm -e table "$T/out" > /dev/null && ok || fail "diff markdown"
# an earlier pack that does not match its manifest is refused
printf ' ' >> "$T/q1/pack.json"
expect_status 2 "$EVPACK" diff "$T/q1" "$T/q3"
expect_grep "$T/err" "does not match its manifest"
expect_status 2 "$EVPACK" $B --as-of 2026-10-01 --previous "$T/q1" -o "$T/q4" samples/findings.json
[ ! -e "$T/q4" ] && ok || fail "pack written with a tampered previous pack"
# previous packs are put in date order, and one dated after this pack is refused
expect_status 0 "$EVPACK" $B --as-of 2026-10-01 --previous "$T/q2" -o "$T/q5" samples/findings.json
expect_status 0 "$EVPACK" $B --as-of 2026-12-01 --previous "$T/q5" --previous "$T/q2" -o "$T/q6" samples/findings.json
python3 - "$T/q6/pack.json" <<'PY' && ok || fail "previous packs in date order"
import json, sys
c = json.load(open(sys.argv[1]))["comparison"]
assert [p["pack"] for p in c["trend"]] == ["q2", "q5", "this pack"], c["trend"]
assert c["against"]["pack"] == "q5"
PY
expect_status 2 "$EVPACK" $B --as-of 2026-08-01 --previous "$T/q5" -o "$T/q7" samples/findings.json
expect_grep "$T/err" "after this pack's"
finish
