#!/usr/bin/env python3
"""check_pack.py PACK: checks a pack as an auditor would. report.md is parsed with the
cmark-gfm command (GFM tables) and every number it shows is compared with pack.json;
pack.json's invariants are checked; every control of every framework is in the report
with its responsibility, status and counts."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://commonmark.org/xml/1.0}"


def text_of(el):
    """Plain text of a node, as a reader sees it."""
    out = []
    for n in el.iter():
        tag = n.tag.replace(NS, "")
        if tag in ("text", "code") and n.text:
            out.append(n.text)
        elif tag in ("softbreak", "linebreak"):
            out.append(" ")
    return "".join(out).strip()


def tables(md_path):
    """Returns [(heading text, [rows of cell text])] in document order."""
    xml = subprocess.run(["cmark-gfm", "-e", "table", "-t", "xml", md_path],
                         check=True, capture_output=True).stdout
    doc = ET.fromstring(xml)
    result, heading = [], None
    for node in doc:
        tag = node.tag.replace(NS, "")
        if tag == "heading":
            heading = text_of(node)
        elif tag == "table":
            rows = []
            for r in node:
                rows.append([text_of(c) for c in r])
            result.append((heading, rows))
    return result


def main(pack):
    p = json.load(open(f"{pack}/pack.json"))
    problems = []

    def check(cond, what):
        if not cond:
            problems.append(what)

    f = p["findings"]
    check(p["schema"] == "evpack/pack@1", "schema")
    import hashlib
    m = json.load(open(f"{pack}/manifest.json"))
    lines = "".join(f"{i['role']}\t{i['path']}\t{i['sha256']}\n" for i in m["inputs"])
    check(p["inputs_digest"] == hashlib.sha256(lines.encode()).hexdigest(),
          "inputs_digest is not the SHA-256 of the manifest's input list")
    check(p["as_of"] == m["as_of"], "as_of differs between pack.json and manifest.json")
    check(f["read"] == f["duplicates"] + f["archived"] + f["active"],
          "read != duplicates + archived + active")
    check(sum(f["by_result"].values()) == f["active"] - f["excluded"],
          "by_result does not sum to active - excluded")
    check(f["unmapped"] == len(f["unmapped_listed"]) + f["unmapped_not_listed"],
          "unmapped listed + not listed")
    tabs = tables(f"{pack}/report.md")
    by_first = {}
    for heading, rows in tabs:
        by_first.setdefault(rows[0][0], []).append((heading, rows))

    def kv(first):
        (_, rows), = by_first[first][:1]
        return {r[0]: r[1] for r in rows[1:]}

    counts = kv("Findings")
    check(counts["Records read"] == str(f["read"]), "read")
    check(counts["Superseded by a newer delivery of the same finding"] == str(f["duplicates"]),
          "duplicates")
    check(counts["Archived (not counted)"] == str(f["archived"]), "archived")
    check(counts["Active"] == str(f["active"]), "active")
    check(counts["Active and suppressed (shown as suppressed, not as passing)"]
          == str(f["suppressed"]), "suppressed")
    check(counts["Active with an unrecognised status"] == str(f["unrecognised"]), "unrecognised")
    check(counts["Active that map to no control"] == str(f["unmapped"]), "unmapped")
    res = kv("Active findings by result")
    for label, key in (("Passed", "passed"), ("Failed", "failed"), ("Warning", "warning"),
                       ("Not available", "not-available"), ("Unrecognised", "unrecognised"),
                       ("No compliance result", "none")):
        check(res[label] == str(f["by_result"][key]), f"by_result {key}")
    sev = kv("Failing findings by severity (not suppressed)")
    for k, v in f["failing_by_severity"].items():
        check(sev[k.capitalize()] == str(v), f"severity {k}")

    status_cols = ["inherited", "passing", "passing-manual", "failing", "accepted-risk",
                   "no-evidence", "suppressed", "needs-review"]
    stale = kv("Evidence")
    check(stale["Manual evidence items past their expiry (not counted as evidence)"]
          == str(p["stale"]["manual_evidence"]), "stale manual evidence")
    check(stale["AWS Artifact editions held that are past their freshness rule"]
          == str(p["stale"]["artifact_editions"]), "stale editions")
    check(stale["Failing findings accepted by an exception in force"] == str(f["accepted"]),
          "accepted findings")
    check(p["stale"]["findings"] == f["stale"], "stale findings in two places")
    (_, src_rows), = by_first["Findings by source"][:1]
    check([r[:4] for r in src_rows[1:]] ==
          [[x["source"], str(x["active"]), str(x["by_result"]["passed"]),
            str(x["by_result"]["failed"])] for x in f["by_source"]], "findings by source")
    check(sum(x["active"] for x in f["by_source"]) == f["active"] - f["excluded"],
          "by_source sums to active - excluded")
    (_, ex_rows), = by_first["Exception"][:1]
    got = [r[0] for r in ex_rows[1:] if r[0] != "none"]
    check(got == [x["id"] for x in p["exceptions"]], "exceptions table")
    for r, x in zip(ex_rows[1:], p["exceptions"]):
        check(r[2] == x["state"] and r[3] == str(x["findings_accepted"]), f"exception {x['id']}")
    (_, ev_rows), = by_first["Item"][:1]
    got = [r[0] for r in ev_rows[1:] if r[0] != "none"]
    check(got == [x["id"] for x in p["evidence"]], "manual evidence table")
    control_tables = [t for t in by_first.get("Control", []) if len(t[1][0]) > 4
                      and t[1][0][1] == "Title"
                      and t[1][0][4] == "Status"]
    matrices = by_first.get("Responsibility", [])
    check(len(control_tables) == len(p["frameworks"]), "one controls table per framework")
    check(len(matrices) == len(p["frameworks"]), "one matrix per framework")
    for i, fw in enumerate(p["frameworks"]):
        s = fw["summary"]
        check(s["controls"] == len(fw["controls"]), f"{fw['id']}: summary.controls")
        check(sum(s["by_status"].values()) == s["controls"], f"{fw['id']}: by_status sum")
        check(sum(s["by_responsibility"].values()) == s["controls"], f"{fw['id']}: by_resp sum")
        for row in s["matrix"]:
            check(sum(row[c] for c in status_cols) == row["total"],
                  f"{fw['id']}: matrix row {row['responsibility']}")
        _, mrows = matrices[i]
        for mrow, row in zip(mrows[1:], s["matrix"]):
            check(mrow == [row["responsibility"]] + [str(row[c]) for c in status_cols]
                  + [str(row["total"])], f"{fw['id']}: matrix {mrow}")
        _, crows = control_tables[i]
        check(len(crows) - 1 == len(fw["controls"]), f"{fw['id']}: control rows")
        for r, c in zip(crows[1:], fw["controls"]):
            want = [c["id"], c["title"], c["section"], c["responsibility"], c["status"],
                    str(c["passed"]), str(c["failed"]), str(c["accepted"]),
                    str(c["suppressed"]), str(c["needs_review"]),
                    " ".join(c["manual_evidence"]["items"])]
            check(r == want, f"{fw['id']}: control row {r} != {want}")
            if c["responsibility"] == "aws":
                check(c["status"] == "inherited", f"{c['id']}: aws control not inherited")
            if c["responsibility"] != "customer":
                check(len(c["aws"]["citations"]) > 0, f"{c['id']}: no citation")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
