#!/usr/bin/env python3
"""xlsx_check.py: checks a pack's workbook.xlsx against its pack.json, as a reviewer opening
the workbook in Excel would see it. Run it with the Python that has openpyxl
(/usr/bin/python3 on Debian: python3-openpyxl).

    xlsx_check.py PACK                       check PACK/workbook.xlsx against PACK/pack.json
    xlsx_check.py --hostile EVPACK SRC TMP   build a pack from hostile findings with EVPACK
                                             (--format json,xlsx), twice, and check it
    xlsx_check.py --libreoffice PACK         also convert every sheet to CSV with LibreOffice
                                             headless (soffice), and time it

Checks: sheet names (framework sheets named as the renderer names them, see sheet_names),
headers, one row per control with its status and counts, one row per AWS citation on
Inherited, Findings rows = findings.active (over "Findings", "Findings (2)" ...),
Unmapped rows = unmapped_listed, Sources, Services, Evidence, Exceptions, the Summary's
numbers, no cell is a formula, dates are dates and counts are numbers, and every text that
pack.json also holds reads back the same (Excel's _xHHHH_ escapes decoded; text past 32,767
bytes cut with the marker "… [cut: N characters]", and the Summary counts the cut cells).
Exit status 0 when all is well, 1 otherwise."""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import openpyxl

TEXT_MAX = 32767
CUT_RESERVE = 64
URL_MAX = 2079
ROWS = 1048575
NAME_MAX = 31
CUT_RE = re.compile(r"\u2026 \[cut: (\d+) characters\]\Z")
ESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
ESC_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")

FINDING_HEAD = ["Source", "Finding ID", "Check", "Status", "Workflow", "Severity", "Account",
                "Region", "Resource type", "Resource ID", "Title", "Updated at (UTC)",
                "Mapped controls", "Remediation URL"]
CONTROL_HEAD = ["Control", "Title", "Section", "Responsibility", "Status", "AWS statement",
                "Artifact citations", "Citation freshness", "Customer's complementary duty",
                "Customer statement", "Mapped checks", "Passed", "Failed", "Suppressed",
                "Needs review", "Accepted", "Stale", "Manual evidence passed",
                "Manual evidence failed", "Manual evidence expired", "Manual evidence",
                "Reviewer decision", "Reviewer notes"]
INHERITED_HEAD = ["Framework", "Control", "Title", "Responsibility", "Control status", "Report",
                  "Report title", "Section of the report", "Edition period start",
                  "Edition period end", "Retrieved", "Age (days)", "Freshness",
                  "Report SHA-256", "Report file"]
EXCEPTIONS_HEAD = ["Exception", "File", "Control", "Check", "Finding", "Resource",
                   "Justification", "Owner", "Approver", "Approved", "Expires", "State",
                   "Findings accepted"]
EVIDENCE_HEAD = ["Evidence", "File", "Controls", "Status", "State", "Description",
                 "Collected by", "Collected", "Expires", "Controls matched",
                 "References unmatched", "Attachment", "Attachment SHA-256", "Attachment bytes",
                 "In the pack"]
SOURCES_HEAD = ["Path", "Format", "Records", "Bytes", "SHA-256"]


class Checker:
    def __init__(self):
        self.problems = 0
        self.checks = 0

    def eq(self, got, want, what):
        self.checks += 1
        if got != want:
            self.problems += 1
            g, w = repr(got), repr(want)
            print(f"{what}: got {g[:160]} want {w[:160]}", file=sys.stderr)
            return False
        return True

    def true(self, cond, what):
        self.checks += 1
        if not cond:
            self.problems += 1
            print(what, file=sys.stderr)
        return cond


# ---- what the renderer promises, mirrored ----

def unescape(v):
    """The text Excel shows for a stored string: _xHHHH_ escapes decoded."""
    if not isinstance(v, str):
        return v
    return ESC_RE.sub(lambda m: chr(int(m.group(1), 16)), v)


def expected_text(s):
    """The text a cell must show for s: U+FFFE/U+FFFF as U+FFFD; cut past 32,767 bytes
    (counting a literal _xHHHH_'s escaped underscore as 7 bytes) with the marker."""
    if s is None or s == "":
        return None
    out, size, kept_chars = [], 0, 0
    for i, ch in enumerate(s):
        if ch in "\ufffe\uffff":
            ch = "\ufffd"
        n = 7 if ch == "_" and ESC_LIKE.match(s, i) else len(ch.encode("utf-8"))
        out.append(ch)
        size += n
        if size <= TEXT_MAX - CUT_RESERVE:
            kept_chars = len(out)
    if size <= TEXT_MAX:
        return "".join(out)
    return "".join(out[:kept_chars]) + f"\u2026 [cut: {len(out) - kept_chars} characters]"


def plain_name(text, max_units):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp < 0x20 or cp == 0x7F or 0x80 <= cp <= 0x9F or cp in (0xFFFE, 0xFFFF):
            out.append(" ")
        elif ch in "[]:*?/\\":
            out.append("-")
        else:
            out.append(ch)
    s = "".join(out).lstrip(" '")
    res, units = [], 0
    for ch in s:
        u = 2 if ord(ch) > 0xFFFF else 1
        if units + u > max_units:
            break
        units += u
        res.append(ch)
    return "".join(res).rstrip(" '")


def ascii_lower(s):
    return s.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def fw_label(fw):
    name = fw["name"] if fw.get("name") is not None else fw["id"]
    return f"{name} {fw['version']}" if fw.get("version") else name


def sheet_names(pack):
    """The sheets in tab order, named as the renderer names them."""
    active = pack["findings"]["active"] - pack["findings"].get("excluded", 0)
    n_findings = 1 if active == 0 else (active + ROWS - 1) // ROWS
    findings = ["Findings"] + [f"Findings ({i + 1})" for i in range(1, n_findings)]
    taken = ["Summary", "Services", "Inherited"] + findings + \
        ["Evidence", "Exceptions", "Unmapped", "Sources"]
    lowered = {ascii_lower(n) for n in taken} | {"history"}
    fws = []
    for fw in pack["frameworks"]:
        text = fw_label(fw)
        name = plain_name(text, NAME_MAX) or "Sheet"
        k = 2
        while ascii_lower(name) in lowered:
            suffix = f" ({k})"
            name = (plain_name(text, NAME_MAX - len(suffix)) or "Sheet") + suffix
            k += 1
        lowered.add(ascii_lower(name))
        fws.append(name)
    history = ["History"] if pack.get("comparison") else []
    return (["Summary"] + history + ["Services"] + fws + ["Inherited"] + findings +
            ["Evidence", "Exceptions", "Unmapped", "Sources"]), fws, findings


def status_label(name):
    s = name.replace("-", " ")
    return s[:1].upper() + s[1:]


def to_date(s):
    try:
        return datetime.datetime.strptime(s, "%Y-%m-%d")
    except (TypeError, ValueError):
        return None


def to_time(s):
    if not s:
        return None
    try:
        t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo:
        t = t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return t.replace(microsecond=0)


def linkable(url):
    """An http/https URL of printable ASCII whose %-escaped form fits Excel's limit."""
    if not url or not url.startswith(("https://", "http://")) or \
            not all(0x20 < ord(c) < 0x7F for c in url):
        return False
    grow = sum(2 for i, c in enumerate(url) if c in '"<>[]`^{}\\|' or
               (c == "%" and not re.match(r"%[0-9A-Fa-f]{2}", url[i:])))
    return len(url) + grow <= URL_MAX


# ---- reading ----

def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def cells_of(ws):
    return [list(r) for r in ws.iter_rows()]


class Book:
    """The workbook's cells: values (escapes decoded), types and links, sheet by sheet."""

    def __init__(self, path, read_only):
        self.read_only = read_only
        self.wb = openpyxl.load_workbook(path, read_only=read_only)
        self.names = self.wb.sheetnames
        self.formulas = 0
        self.cut_cells = 0

    def rows(self, name):
        """Yields [(value, hyperlink target or None)] per row, header first, with Excel's
        escapes decoded and trailing empty cells trimmed; counts formulas and cut cells."""
        for row in self.wb[name].iter_rows():
            cells = []
            for c in row:
                if getattr(c, "data_type", None) == "f":
                    self.formulas += 1
                v = unescape(c.value)
                if isinstance(v, str) and CUT_RE.search(v):
                    self.cut_cells += 1
                link = None
                if not self.read_only and getattr(c, "hyperlink", None) is not None:
                    h = c.hyperlink
                    link = (h.target or "") + ("#" + h.location if h.location else "")
                cells.append((v, link))
            while cells and cells[-1][0] is None:
                cells.pop()
            yield cells

    def table(self, name):
        return list(self.rows(name))


def values(row, n):
    v = [c[0] for c in row] + [None] * max(0, n - len(row))
    return v[:n] if len(row) <= n else [c[0] for c in row]


# ---- the checks ----

def check_text(ck, got, want, what):
    ck.eq(got, expected_text(want), what)


def check_num(ck, got, want, what):
    ck.true(isinstance(got, (int, float)) and not isinstance(got, bool), f"{what}: not a number: "
            f"{got!r}")
    ck.eq(got, want, what)


def check_date(ck, got, want, what):
    d = to_date(want)
    if d is None:
        check_text(ck, got, want, what)
        return
    ck.true(isinstance(got, datetime.datetime), f"{what}: not a date: {got!r}")
    ck.eq(got, d, what)


def check_header(ck, table, want, sheet):
    ck.true(len(table) >= 1, f"{sheet}: no header row")
    if table:
        ck.eq([c[0] for c in table[0]], want, f"{sheet}: header")


def check_framework(ck, table, fw, sheet):
    check_header(ck, table, CONTROL_HEAD, sheet)
    rows = table[1:]
    ck.eq(len(rows), len(fw["controls"]), f"{sheet}: rows (controls)")
    for row, c in zip(rows, fw["controls"]):
        v = values(row, len(CONTROL_HEAD))
        w = f"{sheet} control {c['id']}"
        check_text(ck, v[0], c["id"], w + " id")
        check_text(ck, v[1], c["title"], w + " title")
        check_text(ck, v[2], c["section"], w + " section")
        ck.eq(v[3], c["responsibility"], w + " responsibility")
        ck.eq(v[4], c["status"], w + " status")
        aws, cu = c.get("aws"), c.get("customer")
        check_text(ck, v[5], aws["statement"] if aws else None, w + " AWS statement")
        ck.eq(v[6] is not None, bool(aws and aws["citations"]), w + " citations present")
        if aws and aws["citations"]:
            ck.eq(len(v[6].split("\n")), len(aws["citations"]), w + " citations")
        ck.eq(v[7], c.get("citation_freshness"), w + " citation freshness")
        check_text(ck, v[8], aws.get("cuec") if aws else None, w + " complementary duty")
        check_text(ck, v[9], cu["statement"] if cu else None, w + " customer statement")
        check_text(ck, v[10], "\n".join(cu["checks"]) if cu and cu["checks"] else None,
                   w + " checks")
        check_num(ck, v[11], c["passed"], w + " passed")
        check_num(ck, v[12], c["failed"], w + " failed")
        check_num(ck, v[13], c["suppressed"], w + " suppressed")
        check_num(ck, v[14], c["needs_review"], w + " needs review")
        check_num(ck, v[15], c.get("accepted", 0), w + " accepted")
        check_num(ck, v[16], c.get("stale", 0), w + " stale")
        man = c.get("manual_evidence") or {"passed": 0, "failed": 0, "expired": 0, "items": []}
        check_num(ck, v[17], man["passed"], w + " manual passed")
        check_num(ck, v[18], man["failed"], w + " manual failed")
        check_num(ck, v[19], man["expired"], w + " manual expired")
        check_text(ck, v[20], "\n".join(man["items"]) if man["items"] else None,
                   w + " manual evidence")
        ck.eq(v[21:23], [None, None], w + " reviewer columns empty")


def check_inherited(ck, table, pack):
    check_header(ck, table, INHERITED_HEAD, "Inherited")
    want = []
    for fw in pack["frameworks"]:
        for c in fw["controls"]:
            if c.get("aws"):
                for ci in c["aws"]["citations"]:
                    want.append((fw, c, ci))
    rows = table[1:]
    ck.eq(len(rows), len(want), "Inherited: rows (control x citation)")
    for row, (fw, c, ci) in zip(rows, want):
        v = values(row, len(INHERITED_HEAD))
        w = f"Inherited {fw['id']}:{c['id']} {ci['report']}"
        check_text(ck, v[0], fw_label(fw), w + " framework")
        check_text(ck, v[1], c["id"], w + " control")
        check_text(ck, v[2], c["title"], w + " title")
        ck.eq(v[3], c["responsibility"], w + " responsibility")
        ck.eq(v[4], c["status"], w + " status")
        check_text(ck, v[5], ci["report"], w + " report")
        check_text(ck, v[6], ci.get("report_title"), w + " report title")
        check_text(ck, v[7], ci.get("section"), w + " section")
        ed = ci.get("edition")
        if ed:
            per = ed.get("period") or {}
            check_date(ck, v[8], per.get("start"), w + " period start")
            check_date(ck, v[9], per.get("end"), w + " period end")
            check_date(ck, v[10], ed.get("retrieved"), w + " retrieved")
            check_num(ck, v[11], ci["age_days"], w + " age")
            check_text(ck, v[13], ed.get("sha256"), w + " sha256")
            check_text(ck, v[14], ed.get("file"), w + " file")
        else:
            ck.eq(v[8:12] + v[13:15], [None] * 6, w + " no edition")
        ck.eq(v[12], ci["freshness"], w + " freshness")


def check_finding_row(ck, v, f, with_controls, w, link=None):
    check_text(ck, v[0], f.get("source"), w + " source")
    check_text(ck, v[1], f.get("id"), w + " id")
    check_text(ck, v[2], f.get("check"), w + " check")
    ck.eq(v[3], f["result"], w + " status")
    check_text(ck, v[4], f.get("workflow"), w + " workflow")
    ck.eq(v[5], f["severity"], w + " severity")
    check_text(ck, v[6], f.get("account"), w + " account")
    check_text(ck, v[7], f.get("region"), w + " region")
    check_text(ck, v[8], f.get("resource_type"), w + " resource type")
    check_text(ck, v[9], f.get("resource_id"), w + " resource id")
    check_text(ck, v[10], f.get("title"), w + " title")
    t = to_time(f.get("updated_at"))
    if t is not None and datetime.datetime(1900, 3, 1) <= t:
        ok = isinstance(v[11], datetime.datetime) and abs((v[11] - t).total_seconds()) < 1
        ck.true(ok, f"{w} updated at: {v[11]!r} is not the date {t}")
    else:
        check_text(ck, v[11], f.get("updated_at"), w + " updated at")
    url = f.get("remediation_url")
    col = 13 if with_controls else 12
    check_text(ck, v[col], url, w + " remediation URL")
    if link is not None or url:
        if linkable(url) and link is not False:
            ck.true(link and urllib.parse.unquote(link) == urllib.parse.unquote(url),
                    f"{w}: {url[:80]!r} is not a link (got {str(link)[:80]!r})")
        elif not linkable(url):
            ck.true(not link, f"{w}: {str(url)[:80]!r} must not be a link")


def check_findings(ck, book, names, pack):
    listed = {}
    for fw in pack["frameworks"]:
        for c in fw["controls"]:
            for f in c["findings"]:
                listed.setdefault(expected_text(f["id"]), (f, set()))[1].add(
                    f"{fw['id']}:{c['id']}")
    for f in pack["findings"]["unmapped_listed"]:
        listed.setdefault(expected_text(f["id"]), (f, set()))
    total, seen = 0, set()
    results = {"passed", "failed", "warning", "not-available", "unrecognised", "none"}
    for i, name in enumerate(names):
        rows = book.rows(name)
        check_header(ck, [next(rows, [])], FINDING_HEAD, name)
        n_rows = 0
        for n, row in enumerate(rows):
            n_rows += 1
            v = values(row, len(FINDING_HEAD))
            if v[3] not in results:
                ck.true(False, f"{name} row {n + 2}: status {v[3]!r}")
            if v[1] in listed:
                f, controls = listed[v[1]]
                seen.add(v[1])
                w = f"{name} finding {str(v[1])[:40]!r}"
                link = row[13][1] if len(row) > 13 and not book.read_only else \
                    (False if book.read_only else None)
                check_finding_row(ck, v, f, True, w, link)
                got = set(v[12].split("; ")) if v[12] else set()
                ck.true(controls <= got, f"{w}: mapped controls {v[12]!r} lack {controls}")
                if f in pack["findings"]["unmapped_listed"]:
                    ck.eq(v[12], None, w + " mapped controls (unmapped)")
        ck.true(n_rows <= ROWS, f"{name}: {n_rows} rows, past Excel's limit")
        if i + 1 < len(names):
            ck.eq(n_rows, ROWS, f"{name}: a full sheet before the next")
        total += n_rows
    ck.eq(total, pack["findings"]["active"] - pack["findings"].get("excluded", 0),
          "Findings: rows (findings.active - findings.excluded)")
    ck.eq(len(seen), len(listed), "findings of pack.json found on the Findings sheets")


def check_unmapped(ck, table, pack, read_only):
    head = [h for h in FINDING_HEAD if h != "Mapped controls"]
    check_header(ck, table, head, "Unmapped")
    rows = table[1:]
    want = pack["findings"]["unmapped_listed"]
    ck.eq(len(rows), len(want), "Unmapped: rows (unmapped_listed)")
    for n, (row, f) in enumerate(zip(rows, want)):
        v = values(row, len(head))
        link = row[12][1] if len(row) > 12 and not read_only else (False if read_only else None)
        check_finding_row(ck, v, f, False, f"Unmapped row {n + 2}", link)


def check_services(ck, table, pack):
    sv = pack.get("services")
    if not sv:
        check_header(ck, table, ["Service", "Note"], "Services")
        want = pack["scope"]["services"] or ["none listed in the scope"]
        ck.eq([r[0][0] if r else None for r in table[1:]], [expected_text(s) for s in want],
              "Services: rows")
        return
    doms = sv["domains"]
    head = ["Service", "Name", "Service model", "In scope", "Active findings"] + \
        [d["title"] or d["id"] for d in doms] + ["Note"]
    check_header(ck, table, head, "Services")
    rows = table[1:]
    ck.eq(len(rows), len(sv["matrix"]), "Services: rows (services.matrix)")
    for row, m in zip(rows, sv["matrix"]):
        v = values(row, len(head))
        w = f"Services {m['id']}"
        check_text(ck, v[0], m["id"], w + " id")
        check_text(ck, v[1], m["name"], w + " name")
        check_text(ck, v[2], m["model"], w + " model")
        ck.eq(v[3], "yes" if m["in_scope"] else "no", w + " in scope")
        check_num(ck, v[4], m["findings"], w + " findings")
        ck.eq(v[5:5 + len(doms)], [m["responsibility"][d["id"]] for d in doms], w + " owners")
        check_text(ck, v[5 + len(doms)], m.get("note"), w + " note")


def check_exceptions(ck, table, pack):
    check_header(ck, table, EXCEPTIONS_HEAD, "Exceptions")
    rows = table[1:]
    want = pack.get("exceptions") or []
    if not want:
        ck.eq(len(rows), 1, "Exceptions: one row saying none are recorded")
        ck.eq(rows[0][0][0] if rows and rows[0] else None, "none recorded", "Exceptions: none")
        return
    ck.eq(len(rows), len(want), "Exceptions: rows")
    for row, e in zip(rows, want):
        v = values(row, len(EXCEPTIONS_HEAD))
        w = f"Exceptions {e['id']}"
        cov = e.get("covers") or {}
        check_text(ck, v[0], e["id"], w + " id")
        check_text(ck, v[2], cov.get("control"), w + " control")
        check_text(ck, v[3], cov.get("check"), w + " check")
        check_text(ck, v[4], cov.get("finding"), w + " finding")
        check_text(ck, v[5], cov.get("resource"), w + " resource")
        check_text(ck, v[6], e.get("justification"), w + " justification")
        check_date(ck, v[9], e.get("approved"), w + " approved")
        check_date(ck, v[10], e.get("expires"), w + " expires")
        ck.eq(v[11], e["state"], w + " state")
        check_num(ck, v[12], e["findings_accepted"], w + " findings accepted")


def check_evidence(ck, table, pack):
    check_header(ck, table, EVIDENCE_HEAD, "Evidence")
    rows = table[1:]
    want = pack.get("evidence") or []
    if not want:
        ck.eq(len(rows), 1, "Evidence: one row saying none are recorded")
        return
    ck.eq(len(rows), len(want), "Evidence: rows")
    for row, e in zip(rows, want):
        v = values(row, len(EVIDENCE_HEAD))
        w = f"Evidence {e['id']}"
        check_text(ck, v[0], e["id"], w + " id")
        check_text(ck, v[2], "\n".join(e["controls"]) or None, w + " controls")
        ck.eq(v[3], e["status"], w + " status")
        ck.eq(v[4], e["state"], w + " state")
        check_text(ck, v[5], e.get("description"), w + " description")
        check_date(ck, v[7], e.get("collected"), w + " collected")
        check_date(ck, v[8], e.get("expires"), w + " expires")
        check_num(ck, v[9], e["controls_matched"], w + " controls matched")
        check_num(ck, v[10], e["references_unmatched"], w + " references unmatched")


def check_sources(ck, table, pack):
    check_header(ck, table, SOURCES_HEAD, "Sources")
    rows = table[1:]
    ck.eq(len(rows), len(pack["sources"]), "Sources: rows")
    for row, s in zip(rows, pack["sources"]):
        v = values(row, 5)
        check_text(ck, v[0], s["path"], "Sources path")
        check_text(ck, v[1], s["format"], "Sources format")
        check_num(ck, v[2], s["records"], "Sources records")
        check_num(ck, v[3], s["bytes"], "Sources bytes")
        ck.eq(v[4], s["sha256"], "Sources sha256")


def check_summary(ck, table, pack, n_findings_sheets, cut_cells):
    rows = [[c[0] for c in r] for r in table]
    col_a = [r[0] if r else None for r in rows]

    def value(label, col=1):
        if label not in col_a:
            ck.true(False, f"Summary: no row {label!r}")
            return None
        r = rows[col_a.index(label)]
        return r[col] if len(r) > col else None

    sc, fo = pack["scope"], pack["findings"]
    ck.eq(rows[0][:2], ["Pack", "Value"], "Summary: header")
    check_text(ck, value("Organisation"), sc.get("organisation"), "Summary organisation")
    check_text(ck, value("Title"), sc.get("title"), "Summary title")
    check_text(ck, value("Classification"), sc.get("classification"), "Summary classification")
    per = sc.get("period") or {}
    check_date(ck, value("Period start"), per.get("start"), "Summary period start")
    check_date(ck, value("Period end"), per.get("end"), "Summary period end")
    check_date(ck, value("As of"), pack["as_of"], "Summary as of")
    ck.eq(value("Inputs digest (SHA-256)"), pack.get("inputs_digest"), "Summary inputs digest")
    check_num(ck, value("Findings listed per control (list limit)"), pack["list_limit"],
              "Summary list limit")
    for label, key in (("Records read", "read"),
                       ("Superseded by a newer delivery of the same finding", "duplicates"),
                       ("Archived (not counted)", "archived"), ("Active", "active"),
                       ("Active and suppressed", "suppressed"),
                       ("Active with an unrecognised status", "unrecognised"),
                       ("Active that map to no control", "unmapped")):
        check_num(ck, value(label), fo[key], f"Summary {label}")
    ck.eq(value("Profile"), pack.get("profile") or "audit", "Summary profile")
    if pack.get("ticket"):
        check_text(ck, value("Change ticket"), pack["ticket"], "Summary ticket")
    if fo.get("excluded"):
        check_num(ck, value("Active outside the ticket's selection (not counted further)"),
                  fo["excluded"], "Summary excluded")
    check_num(ck, value("Unmapped findings listed on the Unmapped sheet"),
              len(fo["unmapped_listed"]), "Summary unmapped listed")
    if "accepted" in fo:
        check_num(ck, value("Active failing and accepted by an exception in force"),
                  fo["accepted"], "Summary accepted")
    st = pack.get("stale")
    if st:
        check_num(ck, value("Active findings older than the scope's maximum evidence age"),
                  st["findings"], "Summary stale findings")
        check_num(ck, value("Manual evidence items past their expiry"), st["manual_evidence"],
                  "Summary stale manual evidence")
        check_num(ck, value("Artifact editions past their freshness rule"),
                  st["artifact_editions"], "Summary stale editions")
    for s in fo.get("by_source", []):
        i = col_a.index("Active findings by source")
        got = [r[1:2 + len(s["by_result"])] for r in rows[i + 1:] if r and
               r[0] == expected_text(s["source"])]
        ck.eq(got[:1], [[s["active"]] + list(s["by_result"].values())],
              f"Summary by source {s['source']}")
    for key, n in fo["by_result"].items():
        check_num(ck, value(key), n, f"Summary by result {key}")
    start = col_a.index("Failing findings by severity (not suppressed)")
    for k, (key, n) in enumerate(fo["failing_by_severity"].items()):
        ck.eq(col_a[start + 1 + k], key, "Summary severity label")
        check_num(ck, rows[start + 1 + k][1], n, f"Summary severity {key}")
    for i, s in enumerate(pack["sources"]):
        r = rows[col_a.index("Findings input") + 1 + i]
        check_text(ck, r[0], s["path"], "Summary input path")
        ck.eq(r[4] if len(r) > 4 else None, s["sha256"], "Summary input sha256")
    for u in fo["unrecognised_values"]:
        i = col_a.index("Unrecognised status value")
        got = [r[1] for r in rows[i + 1:] if r and r[0] == expected_text(u["value"])]
        ck.true(got[:1] == [u["count"]], f"Summary unrecognised {u['value']!r}: {got}")

    statuses = list(pack["frameworks"][0]["summary"]["by_status"]) if pack["frameworks"] else []
    i = col_a.index("Controls by status")
    ck.eq(rows[i][:2 + len(statuses) + 1],
          ["Controls by status", "Controls"] + [status_label(s) for s in statuses] +
          ["Mapped findings"], "Summary controls by status header")
    for k, fw in enumerate(pack["frameworks"]):
        r = rows[i + 1 + k]
        sm = fw["summary"]
        check_text(ck, r[0], fw_label(fw), "Summary framework")
        ck.eq(r[1:2 + len(statuses) + 1],
              [sm["controls"]] + [sm["by_status"][s] for s in statuses] + [sm["mapped_findings"]],
              f"Summary {fw['id']} by status")
        # the framework's block: title, header, aws/customer/shared, total
        blocks = [j for j in range(len(rows) - 1)
                  if col_a[j] == expected_text(fw_label(fw)) and col_a[j + 1] == "Responsibility"]
        if not ck.true(len(blocks) >= 1, f"Summary: no matrix block for {fw['id']}"):
            continue
        b = blocks[0]
        ck.eq(rows[b + 1][:len(statuses) + 2],
              ["Responsibility"] + [status_label(s) for s in statuses] + ["Total"],
              f"Summary {fw['id']} matrix header")
        for m, mrow in enumerate(sm["matrix"]):
            ck.eq(rows[b + 2 + m][:len(statuses) + 2],
                  [mrow["responsibility"]] + [mrow[s] for s in statuses] + [mrow["total"]],
                  f"Summary {fw['id']} matrix {mrow['responsibility']}")
        t = rows[b + 2 + len(sm["matrix"])]
        ck.eq(t[:len(statuses) + 2], ["Total"] + [sm["by_status"][s] for s in statuses] +
              [sm["controls"]], f"Summary {fw['id']} matrix total")
        ck.eq(rows[b + 3 + len(sm["matrix"])][1], sm["mapped_findings"],
              f"Summary {fw['id']} mapped findings")
        cf = sm["by_citation_freshness"]
        ck.eq([rows[b + 4 + len(sm["matrix"]) + j][1] for j in range(3)],
              [cf["current"], cf["stale"], cf["missing"]], f"Summary {fw['id']} freshness")
    check_num(ck, value("Findings sheets"), n_findings_sheets, "Summary findings sheets")
    check_num(ck, value("Cells cut at Excel's limit of 32,767 characters"), cut_cells,
              "Summary cells cut (= cells with the cut marker)")


def check_pack(pack_dir, read_only=None):
    ck = Checker()
    path = os.path.join(pack_dir, "workbook.xlsx")
    with open(os.path.join(pack_dir, "pack.json"), encoding="utf-8") as fp:
        pack = json.load(fp)
    if read_only is None:
        read_only = os.path.getsize(path) > 20_000_000
    book = Book(path, read_only)
    names, fw_names, findings_names = sheet_names(pack)
    ck.eq(book.names, names, "sheet names")
    if book.names != names:
        return ck
    for fw, name in zip(pack["frameworks"], fw_names):
        check_framework(ck, book.table(name), fw, name)
    check_inherited(ck, book.table("Inherited"), pack)
    check_findings(ck, book, findings_names, pack)
    check_services(ck, book.table("Services"), pack)
    check_evidence(ck, book.table("Evidence"), pack)
    check_exceptions(ck, book.table("Exceptions"), pack)
    check_unmapped(ck, book.table("Unmapped"), pack, read_only)
    check_sources(ck, book.table("Sources"), pack)
    summary = book.table("Summary")  # last: the cut count covers every other sheet
    check_summary(ck, summary, pack, len(findings_names), book.cut_cells)
    ck.eq(book.formulas, 0, "cells stored as formulas")
    props = book.wb.properties
    ck.eq(props.created, to_date(pack["as_of"]), "workbook created = as-of date")
    return ck


# ---- LibreOffice ----

def libreoffice(pack_dir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("libreoffice: soffice not found (apt-get install libreoffice-calc-nogui)",
              file=sys.stderr)
        return 1
    out = tempfile.mkdtemp(prefix="evpack-xlsx-lo.")  # never inside the pack
    profile = "file://" + os.path.abspath(os.path.join(out, "profile"))
    # every sheet (the trailing -1), UTF-8 (76), comma-separated, quoted text
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    t0 = time.monotonic()
    r = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", fmt, "--outdir", out,
                        os.path.join(pack_dir, "workbook.xlsx")],
                       capture_output=True, text=True, timeout=3600)
    secs = time.monotonic() - t0
    csvs = sorted(f for f in os.listdir(out) if f.endswith(".csv"))
    ok = r.returncode == 0 and any("Summary" in f for f in csvs)
    print(f"libreoffice: exit {r.returncode}, {len(csvs)} CSV files, {secs:.1f} s")
    if not ok:
        print(r.stdout + r.stderr, file=sys.stderr)
    else:
        with open(os.path.join(out, [f for f in csvs if "Summary" in f][0]),
                  encoding="utf-8") as fp:
            text = fp.read()
        with open(os.path.join(pack_dir, "pack.json"), encoding="utf-8") as fp:
            pack = json.load(fp)
        want = f"Records read,{pack['findings']['read']}"
        ok = want in text
        if not ok:
            print(f"libreoffice: the Summary CSV lacks {want!r}", file=sys.stderr)
    shutil.rmtree(out, ignore_errors=True)
    return 0 if ok else 1


# ---- hostile text ----

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=tab first",
    "_x0041_ looks like an Excel escape, _x005F_ too",
    "bell \u0007 escape \u001b[31m and DEL \u007f",
    "line one\nline two\r\nline three\rafter CR",
    "non-characters \ufffe and \uffff",
    "<script>alert(1)</script> &amp; \"quotes\" 'single'",
    "\u202eevil right-to-left override\u202c",
    "emoji \U0001F600 and combining e\u0301 and CJK 日本語",
    "   leading and trailing spaces   ",
    "W" * 40000,
    "\u00e9" * 20000,
    "\U0001F600" * 9000,
    "x" * 32700 + "_x0041_" * 20,
]

URLS = [
    "javascript:alert(1)",
    "https://example.com/" + "a" * 2100,
    "https://docs.example.com/remediation?a=1&b=<2>#section",
    "HTTPS://UPPER.example.com/",
    "file:///etc/passwd",
    "https://example.com/with space",
    "https://example.com/" + "<" * 1000,
    "https://example.com/%zz/" + "b" * 2040,
]


def hostile_findings():
    out = []
    for i, text in enumerate(HOSTILE + URLS):
        mapped = i % 2 == 0
        f = {
            "SchemaVersion": "2018-10-08",
            "Id": f"hostile-{i:02d} {text[:100]}",
            "AwsAccountId": "111122223333",
            "Region": "eu-west-1",
            "UpdatedAt": "2026-09-01T12:34:56.789Z",
            "Title": text if i < len(HOSTILE) else f"URL case {i}",
            "Resources": [{"Type": "AwsAccount", "Id": text}],
            "Severity": {"Label": "HIGH"},
            "RecordState": "ACTIVE",
            "Workflow": {"Status": "NEW"},
            "Remediation": {"Recommendation": {
                "Text": text,
                "Url": text if i >= len(HOSTILE) else
                "https://docs.aws.amazon.com/console/securityhub/IAM.6/remediation"}},
        }
        if mapped:
            f["Compliance"] = {"Status": "FAILED", "SecurityControlId": "IAM.6"}
        out.append(f)
    return out


def hostile(evpack, src, tmp):
    inp = os.path.join(tmp, "hostile.json")
    with open(inp, "w", encoding="utf-8") as fp:
        json.dump({"Findings": hostile_findings()}, fp, ensure_ascii=False)
    case = os.path.join(src, "tests", "cases", "basic")
    packs, stderr = [], []
    for name in ("hostile-a", "hostile-b"):
        out = os.path.join(tmp, name)
        r = subprocess.run([evpack, "build", "-f", os.path.join(case, "framework.json"),
                            "-a", os.path.join(case, "artifacts.json"),
                            "-s", os.path.join(case, "scope.json"), "--as-of", "2026-10-01",
                            "--list-limit", "1000", "--format", "json,xlsx", "-q", "-o", out,
                            inp], capture_output=True, text=True, check=True)
        packs.append(out)
        stderr.append(r.stderr)
    ck = check_pack(packs[0])
    # the core never prints: nor may libxlsxwriter, whose warnings go to stderr
    ck.eq(stderr, ["", ""], "evpack build stderr")
    with open(os.path.join(packs[0], "workbook.xlsx"), "rb") as a, \
            open(os.path.join(packs[1], "workbook.xlsx"), "rb") as b:
        ck.true(a.read() == b.read(), "two builds give different workbook.xlsx bytes")
    book = openpyxl.load_workbook(os.path.join(packs[0], "workbook.xlsx"))
    titles = {unescape(r[10]) for r in book["Findings"].iter_rows(min_row=2, values_only=True)}
    for text in HOSTILE:
        ck.true(expected_text(text) in titles, f"hostile title lost: {text[:60]!r}")
    marks = sum(1 for t in titles if isinstance(t, str) and CUT_RE.search(t))
    ck.true(marks >= 4, f"only {marks} hostile titles carry the cut marker")
    return ck


def main(argv):
    if len(argv) == 4 and argv[0] == "--hostile":
        ck = hostile(*argv[1:4])
    elif len(argv) == 2 and argv[0] == "--libreoffice":
        ck = check_pack(argv[1])
        if libreoffice(argv[1]):
            ck.problems += 1
    elif len(argv) == 1:
        ck = check_pack(argv[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"xlsx_check: {ck.checks} checks, {ck.problems} problems")
    return 1 if ck.problems or not ck.checks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
