#!/usr/bin/env python3
"""Rebuilds the seed corpora in tests/fuzz/corpus/<harness>/ from the repository's own
test data, samples, bundled frameworks and bad-input cases (see corpus/SOURCES.md).
Big files are trimmed (a few findings, controls or requirements) so that seeds fit the
harnesses' -max_len and the fuzzer spends its time on structure, not bulk.

    python3 tests/fuzz/make_corpus.py

Seeds are named after where they came from. The script only writes into corpus/; it
never touches regress/ (crash inputs kept as regression tests)."""

import glob
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
CORPUS = os.path.join(HERE, 'corpus')


def src(*parts):
    return os.path.join(ROOT, *parts)


def out(harness, name, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(os.path.join(d, name), mode) as f:
        f.write(data)


def copy(harness, path, name=None):
    with open(path, 'rb') as f:
        out(harness, name or os.path.basename(path), f.read())


def compact(obj):
    return json.dumps(obj, indent=1, ensure_ascii=False) + '\n'


def first_elements(path, n):
    """The file's findings, cut to n elements, in the file's own wrapper."""
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    if isinstance(doc, list):
        return compact(doc[:n])
    for key in ('Findings', 'findings', 'EvaluationResults', 'ComplianceByConfigRules'):
        if isinstance(doc.get(key), list):
            doc[key] = doc[key][:n]
    return compact(doc)


def trimmed_framework(path, n):
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    doc['controls'] = doc['controls'][:n]
    used = {c.get('section') for c in doc['controls']}
    doc['sections'] = [s for s in doc.get('sections', []) if s.get('id') in used]
    return compact(doc)


def trimmed_prowler(path, n):
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    for key in ('Requirements', 'requirements'):
        if isinstance(doc.get(key), list):
            doc[key] = doc[key][:n]
    return compact(doc)


def head_lines(path, n):
    with open(path, 'rb') as f:
        return b''.join(f.readlines()[:n])


def bad(prefix):
    return sorted(glob.glob(src('tests', 'bad', prefix + '-*.json')))


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    os.makedirs(CORPUS)

    # findings readers
    asff = sorted(glob.glob(src('tests', 'data', 'asff', '*.json')))
    for p in asff:
        copy('asff', p)
    out('asff', 'samples-findings-4.json', first_elements(src('samples', 'findings.json'), 4))
    for p in bad('findings'):
        copy('asff', p, 'bad-' + os.path.basename(p))
    for p in sorted(glob.glob(src('tests', 'data', 'prowler', '*.ocsf.json'))):
        out('prowler_ocsf', os.path.basename(p), first_elements(p, 3))
    for p in sorted(glob.glob(src('tests', 'data', 'prowler', '*.csv'))):
        out('prowler_csv', os.path.basename(p), head_lines(p, 4))
    for p in sorted(glob.glob(src('tests', 'data', 'config', '*.json'))):
        copy('config', p)
    for p in sorted(glob.glob(src('tests', 'data', 'ocsf', '*.json'))):
        out('ocsf', os.path.basename(p), first_elements(p, 3))
    for h in ('asff', 'prowler_ocsf', 'prowler_csv', 'config', 'ocsf'):
        for p in sorted(glob.glob(os.path.join(CORPUS, h, '*')))[:4]:
            copy('ingest', p, h + '-' + os.path.basename(p))
    for h in ('asff', 'prowler_csv', 'config', 'ocsf', 'prowler_ocsf'):
        for p in sorted(glob.glob(os.path.join(CORPUS, h, '*')))[:3]:
            copy('pack', p, h + '-' + os.path.basename(p))
    copy('pack', os.path.join(CORPUS, 'asff', 'samples-findings-4.json'))
    for p in sorted(glob.glob(os.path.join(CORPUS, 'asff', '*'))) + \
            sorted(glob.glob(os.path.join(CORPUS, 'config', '*'))):
        copy('json_stream', p)
    out('json_stream', 'nested.json', '[[[{"a":[1,2,{"b":"\\u00e9"}]}]], "x", 1.5e3, null]')
    out('json_stream', 'bom-wrapper.json', b'\xef\xbb\xbf{"NextToken":null,"Findings":[{}]}')
    for p in sorted(glob.glob(os.path.join(CORPUS, 'prowler_csv', '*'))):
        with open(p, 'rb') as f:
            data = f.read()
        for flags in (0, 1, 6):
            copy_name = '%d-%s' % (flags, os.path.basename(p))
            out('csv', copy_name, bytes([flags]) + data)
    out('csv', 'quoted.csv', b'\x00a;"b;""c""\nd";e\r\n\r\n"x"\n')

    # catalogues
    for p in sorted(glob.glob(src('frameworks', '*.json'))):
        name = os.path.basename(p)
        if name == 'aws-artifacts.json':
            copy('artifacts', p)
        elif name == 'aws-services.json':
            with open(p, encoding='utf-8') as f:
                doc = json.load(f)
            doc['services'] = doc['services'][:4]
            out('services', name, compact(doc))
        else:
            out('framework', name, trimmed_framework(p, 4))
    for role in ('framework', 'artifacts', 'scope', 'evidence', 'exceptions'):
        for p in bad(role):
            copy(role, p, 'bad-' + os.path.basename(p))
    copy('scope', src('samples', 'scope.json'))
    copy('evidence', src('samples', 'evidence.json'))
    copy('exceptions', src('samples', 'exceptions.json'))
    for p in sorted(glob.glob(src('tests', 'data', 'prowler-compliance', '*.json'))):
        out('import_prowler', os.path.basename(p), trimmed_prowler(p, 3))

    # glob patterns: "pattern\ntext"
    for i, (pat, text) in enumerate([
            ('arn:aws:s3:::*', 'arn:aws:s3:::bucket'), ('*a*b?c*', 'xaxxbycz'),
            ('***', ''), ('a?', 'a'), ('*i-0???', 'arn:aws:ec2:x:instance/i-0abc')]):
        out('glob', 'seed-%d' % i, pat + '\n' + text)

    # templates: the bundled ones, every spec template, and a pack-like data tree
    for p in sorted(glob.glob(src('templates', '*'))):
        copy('template', p)
    for p in sorted(glob.glob(src('tests', 'data', 'mustache-spec', '*.json'))):
        with open(p, encoding='utf-8') as f:
            spec = json.load(f)
        base = os.path.splitext(os.path.basename(p))[0]
        for i, t in enumerate(spec['tests']):
            out('template', '%s-%02d.mustache' % (base, i), t['template'])
    out('template', 'data-pack.json', compact({
        'scope': {'organisation': 'Org | *x*', 'title': 'T', 'period': {'start': '2026-07-01',
                  'end': '2026-09-30'}, 'accounts': ['111122223333']},
        'frameworks': [{'name': 'PCI DSS', 'version': '4.0.1', 'controls': [
            {'id': '8.3.1', 'status': 'failing', 'findings': [{'id': 'f1', 'title': '<x>'}]}]}],
        'findings': {'read': 3, 'by_result': {'passed': 1}}}))

    # the Markdown escaper: hostile text
    for i, s in enumerate([
            '*bold* _em_ `code` [link](http://x) <b>html</b> &amp; | pipe',
            '    indented\n# heading\n> quote\n- item\n1. item',
            'line\rfeed\ttab\x00nul\x7fdel',
            '\u202eevil\u202c \u2066iso\u2069 \u2028sep \u0085nel',
            '![img](javascript:alert(1)) <script>x</script> \\\\ \\*',
            'caf\u00e9 \u65e5\u672c \U0001f600']):
        out('md_escape', 'seed-%d' % i, s.encode('utf-8'))
    out('md_escape', 'invalid-utf8', b'\xff\xfe\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80ok')

    # the tree-free ASFF scan: single findings, compact and pretty-printed
    for p in asff:
        if 'INVALID' in p:
            continue
        with open(p, encoding='utf-8') as f:
            doc = json.load(f)
        items = doc.get('Findings', [doc]) if isinstance(doc, dict) else doc
        base = os.path.splitext(os.path.basename(p))[0]
        for i, item in enumerate(items[:2]):
            out('asff_scan', '%s-%d.json' % (base, i), json.dumps(item, ensure_ascii=False))
            out('asff_scan', '%s-%d-pretty.json' % (base, i), compact(item))
    out('asff_scan', 'duplicates.json',
        '{"Id":"a","Id":"b","Severity":1,"Severity":{"Label":"LOW"},"Resources":["x",{}],'
        '"Compliance":{"RelatedRequirements":["r",null]},"ProductFields":{"RuleId":"1.1"}}')

    escaped = ('{"Findings":[{"Id":"\\u0041","Title":"caf\\u00e9 \\ud83d\\ude00",'
               '"Compliance":{"Status":"FAILED","RelatedRequirements":["PCI DSS v4.0.1/\\u0038.3.1"]}},'
               '{"Id":"b","Title":"\\uDE00"}]}')
    out('asff', 'escapes.json', escaped)
    out('ingest', 'escapes.json', escaped)
    out('asff_scan', 'escapes.json',
        '{"Id":"\\u0041\\u00e9","Title":"\\u20ac \\ud83d\\ude00 \\uD800 \\u0000 \\n\\t",'
        '"Compliance":{"Status":"FAILED","RelatedRequirements":["PCI DSS v4.0.1/\\u0038.3.1"]}}')

    # the JSON layout: small documents of every shape
    for h in ('config', 'scope', 'evidence', 'exceptions', 'services'):
        for p in sorted(glob.glob(os.path.join(CORPUS, h, '*')))[:2]:
            copy('json_print', p, h + '-' + os.path.basename(p))
    out('json_print', 'edges.json',
        '{"a":{},"b":[],"c":[{},[],{"d":[1,-0,0.1,1e300,-2147483649,"\\u0001\\t\\"x"]}],"":""}')


if __name__ == '__main__':
    main()
