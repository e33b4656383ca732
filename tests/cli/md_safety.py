#!/usr/bin/env python3
"""md_safety.py EVPACK SRC TMP: hostile finding text goes through report.md and must come
out of cmark-gfm's parse as the same literal text, cell by cell: no markup, no HTML, no
links, no broken tables. Control characters become spaces; bidirectional overrides and C1
controls become U+FFFD (visible), as docs/user-guide.md says."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from check_pack import tables  # noqa: E402

HOSTILE = [
    "pipe | in | the | title",
    "`backticks` and ``double`` ticks",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "line one\nline two\r\nline three\tafter tab",
    "# not a heading",
    "[x](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "**bold** _italic_ ~~strike~~ *em*",
    "\u202eevil right-to-left override\u202c",
    "isolate \u2066inside\u2069 and line sep \u2028 here",
    "C1 control \u0085 here",
    "W" * 10000,
    "日本語のテキスト 中文 한국어 עברית العربية",
    "&amp; &lt;not a tag&gt; &#x41;",
    "back\\slash \\| and a trailing backslash \\",
    "1. not a list",
    "- not a list either",
    "<!-- comment --> after",
    "http://www.example.com/autolink?a=1&b=2",
    "| --- | --- |",
    "[^1] footnote-like and [link][ref]",
    "\\`escaped\\` and \\\\ double",
    "NUL-free but bell \u0007 and escape \u001b[31m",
    "   leading and trailing spaces   ",
    "emoji 😀 and combining e\u0301",
]


def expected(s):
    out = []
    for ch in s:
        cp = ord(ch)
        if cp < 0x20 or cp == 0x7F:
            out.append(" ")
        elif 0x80 <= cp <= 0x9F or 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069 \
                or cp in (0x2028, 0x2029):
            out.append("\ufffd")
        else:
            out.append(ch)
    # GFM trims cell content
    return "".join(out).strip()


def main(evpack, src, tmp):
    findings = []
    for i, text in enumerate(HOSTILE):
        findings.append({
            "SchemaVersion": "2018-10-08",
            "Id": f"hostile-{i:02d} {text[:200]}",
            "AwsAccountId": "111122223333",
            "Region": "eu-west-1",
            "UpdatedAt": "2026-09-01T00:00:00Z",
            "Title": text,
            "Resources": [{"Type": "Other", "Id": text}],
            "Severity": {"Label": "HIGH"},
            "RecordState": "ACTIVE",
        })
    inp = os.path.join(tmp, "hostile.json")
    with open(inp, "w", encoding="utf-8") as fp:
        json.dump({"Findings": findings}, fp, ensure_ascii=False)
    out = os.path.join(tmp, "pack")
    subprocess.run([evpack, "build", "-f", "pci-dss-4.0.1", "-s",
                    os.path.join(src, "samples/scope.json"), "--as-of", "2026-10-01",
                    "--list-limit", "1000", "-q", "-o", out, inp], check=True)
    report = os.path.join(out, "report.md")
    unmapped = [rows for heading, rows in tables(report)
                if heading == "Findings that map to no control"]
    assert len(unmapped) == 1, "no unmapped table"
    rows = unmapped[0][1:]
    bad = 0
    if len(rows) != len(HOSTILE):
        print(f"{len(rows)} rows for {len(HOSTILE)} findings", file=sys.stderr)
        bad += 1
    for row, text in zip(rows, HOSTILE):
        if len(row) != 8:
            print(f"row split into {len(row)} cells: {text[:60]!r}", file=sys.stderr)
            bad += 1
            continue
        for col, want in ((6, expected(text)), (7, expected(text))):
            if row[col] != want:
                print(f"cell {col}: {row[col][:80]!r} != {want[:80]!r}", file=sys.stderr)
                bad += 1
    # nothing in the rendered HTML may be live markup from findings
    html = subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink", report],
                          check=True, capture_output=True, text=True).stdout
    for needle in ("<script", "<img", "<!--"):
        if needle in html:
            print(f"rendered HTML contains {needle!r}", file=sys.stderr)
            bad += 1
    for href in re.findall(r'(?:href|src)="([^"]*)"', html):
        if not href.startswith(("http://", "https://")):
            print(f"rendered HTML links to {href[:60]!r}", file=sys.stderr)
            bad += 1
    print(f"{len(HOSTILE)} hostile strings, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
