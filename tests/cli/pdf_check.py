#!/usr/bin/env python3
"""pdf_check.py PACK [--expect FILE]: checks a pack's report.pdf against its pack.json.

- `qpdf --check report.pdf` succeeds without warnings;
- `pdftotext -layout`: every control id of every framework in pack.json appears; the
  summary carries the counts of pack.json (findings read, by result, failing by severity,
  stale evidence and accepted risk, controls by status per framework); every page says
  "page N of M" with N its own number and M the page count from `pdfinfo`;
- with --expect FILE (a JSON array of strings): each string is found intact in the text,
  comparing without whitespace, where a table cell broken over lines and pages is
  reassembled column by column from `pdftotext -bbox-layout` (text that a font cannot
  show is expected as U+FFFD).

Exit status 0 when everything holds, 1 otherwise (each failure printed), 2 on bad usage or a
missing tool. Needs qpdf and poppler-utils.
"""

import html
import json
import os
import re
import subprocess
import sys


def run(args):
    try:
        p = subprocess.run(args, capture_output=True)
    except FileNotFoundError:
        print(f"pdf_check: {args[0]} not found (install qpdf and poppler-utils)", file=sys.stderr)
        sys.exit(2)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def numbers_row(text, label, values, any_row=False):
    """Lines of text that are exactly `label` followed by numbers: all of them must be
    `values` (the summary draws some rows twice: chart and table), or with any_row one of
    them (a framework also has a row in the comparison with the previous pack)."""
    want = [str(v) for v in values]
    # a long label wraps in its cell: the numbers then follow the label's first words
    words = label.split()
    found = []
    for n in range(len(words), 0, -1):
        head = r'\s+'.join(re.escape(w) for w in words[:n])
        rx = re.compile(r'^\s*' + head + r'((?:\s+\d+)+)\s*$', re.M)
        found = [m.group(1).split() for m in rx.finditer(text)]
        found = [f for f in found if len(f) == len(want)] or found
        if found:
            break
    if not found:
        return f"no row '{label}' with {' '.join(want)}"
    bad = [f for f in found if f != want]
    if bad and (not any_row or len(bad) == len(found)):
        return f"row '{label}': found {' '.join(bad[0])}, pack.json has {' '.join(want)}"
    return None


def columns_text(pdf):
    """Text of each table column, reassembled in reading order over all pages. A table's
    header row is repeated on every page it reaches: a block that opens the same column on
    several pages is taken for a header and left out."""
    rc, out, err = run(['pdftotext', '-bbox-layout', pdf, '-'])
    if rc != 0:
        return []
    pages = []
    for page in re.findall(r'<page[^>]*>(.*?)</page>', out, re.S):
        cols = {}
        for m in re.finditer(r'<block xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</block>',
                             page, re.S):
            words = re.findall(r'<word[^>]*>(.*?)</word>', m.group(3), re.S)
            cols.setdefault(round(float(m.group(1))), []).append(
                (float(m.group(2)), ''.join(html.unescape(w) for w in words)))
        pages.append({x: [t for _, t in sorted(v)] for x, v in cols.items()})
    openers = {}
    for p in pages:
        for x, blocks in p.items():
            openers.setdefault((x, blocks[0]), 0)
            openers[(x, blocks[0])] += 1
    cols = {}
    for p in pages:
        for x, blocks in p.items():
            if openers[(x, blocks[0])] > 1:
                blocks = blocks[1:]
            cols.setdefault(x, []).extend(blocks)
    return [''.join(v) for v in cols.values()]


def main(argv):
    args = argv[1:]
    expect = None
    if len(args) == 3 and args[1] == '--expect':
        expect = args[2]
        args = args[:1]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    pack = args[0]
    pdf = os.path.join(pack, 'report.pdf')
    with open(os.path.join(pack, 'pack.json'), encoding='utf-8') as f:
        pj = json.load(f)
    failures = []

    rc, out, err = run(['qpdf', '--check', pdf])
    if rc != 0 or 'WARNING' in out + err:
        failures.append(f"qpdf --check: status {rc}: {(out + err).strip()[-500:]}")

    rc, out, err = run(['pdfinfo', pdf])
    m = re.search(r'^Pages:\s+(\d+)', out, re.M)
    pages = int(m.group(1)) if m else -1
    if pages < 1:
        failures.append(f"pdfinfo: no page count ({err.strip()})")

    rc, text, err = run(['pdftotext', '-layout', pdf, '-'])
    if rc != 0:
        failures.append(f"pdftotext: status {rc}: {err.strip()}")
    if err.strip():
        failures.append(f"pdftotext complains: {err.strip()[:300]}")
    page_texts = text.split('\f')
    if page_texts and not page_texts[-1].strip():
        page_texts.pop()
    if len(page_texts) != pages:
        failures.append(f"pdftotext gives {len(page_texts)} pages, pdfinfo {pages}")
    for i, t in enumerate(page_texts, 1):
        marks = re.findall(r'page (\d+) of (\d+)', t)
        if (str(i), str(pages)) not in marks:
            failures.append(f"page {i}: no 'page {i} of {pages}' (found {marks[:3]})")

    # every control id
    for fw in pj['frameworks']:
        for c in fw['controls']:
            if not re.search(r'(?<![\w.])' + re.escape(c['id']) + r'(?![\w.])', text):
                failures.append(f"{fw['id']}: control {c['id']} does not appear")

    if pj.get('profile') == 'ticket':
        # a change ticket's short pack has no summary, only the counts it considered
        fo = pj['findings']
        want = f"{fo['active']} active, of which {fo['excluded']} outside this change"
        if want not in re.sub(r'\s+', ' ', text):
            failures.append(f"ticket: no '{want}'")
        return report(failures, pdf, pages, pj)

    # the summary: from its heading to the next part
    start = text.find('In this pack:')
    m = re.compile(r'^\s*Service responsibility matrix\s*$', re.M).search(text, max(start, 0))
    summary = text[start:m.start() if m else None] if start >= 0 else ''
    if not summary:
        failures.append("no Summary section")
    fo = pj['findings']
    rows = [
        ('Records read', fo['read']),
        ('Superseded by a newer delivery of the same finding', fo['duplicates']),
        ('Archived (not counted)', fo['archived']),
        ('Active', fo['active']),
        ('Active and suppressed (shown as suppressed, not as passing)', fo['suppressed']),
        ('Active with an unrecognised status', fo['unrecognised']),
        ('Active that map to no control', fo['unmapped']),
        ('Passed', fo['by_result']['passed']),
        ('Failed', fo['by_result']['failed']),
        ('Warning', fo['by_result']['warning']),
        ('Not available', fo['by_result']['not-available']),
        ('Unrecognised', fo['by_result']['unrecognised']),
        ('No compliance result', fo['by_result']['none']),
    ]
    for sev in ('critical', 'high', 'medium', 'low', 'informational', 'unknown'):
        rows.append((sev.capitalize(), fo['failing_by_severity'][sev]))
    if 'stale' in pj:
        rows += [
            ('Manual evidence items past their expiry (not counted as evidence)',
             pj['stale']['manual_evidence']),
            ('AWS Artifact editions held that are past their freshness rule',
             pj['stale']['artifact_editions']),
            ('Active findings last updated more than %d days before the as-of date'
             % pj['scope']['max_evidence_age_days'], pj['stale']['findings']),
        ]
    if 'accepted' in fo:
        rows.append(('Failing findings accepted by an exception in force', fo['accepted']))
    for label, v in rows:
        e = numbers_row(summary, label, [v])
        if e:
            failures.append('summary: ' + e)
    for fw in pj['frameworks']:
        s = fw['summary']
        e = numbers_row(summary, f"{fw['name']} {fw['version']}",
                        [s['controls']] + list(s['by_status'].values()), any_row=True)
        if e:
            failures.append('summary: ' + e)

    if expect:
        with open(expect, encoding='utf-8') as f:
            wanted = json.load(f)
        flat = re.sub(r'\s+', '', text)
        cols = [re.sub(r'\s+', '', c) for c in columns_text(pdf)]
        for w in wanted:
            k = re.sub(r'\s+', '', w)
            if k not in flat and not any(k in c for c in cols):
                failures.append(f"expected text not found intact: {w[:80]!r}"
                                f"{'...' if len(w) > 80 else ''} ({len(w)} characters)")

    return report(failures, pdf, pages, pj)


def report(failures, pdf, pages, pj):
    for f in failures:
        print('pdf_check: ' + f)
    if not failures:
        print(f"pdf_check: {pdf}: OK ({pages} pages, "
              f"{sum(len(fw['controls']) for fw in pj['frameworks'])} controls)")
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
