# bad_input.sh: every case in tests/bad/ (ROLE-NAME.json, or findings-NAME.csv, with
# ROLE-NAME.expected) and the AWS samples published as invalid JSON: exit 2, exactly the
# expected file:line:col message, and the output path untouched. Generated cases (deep
# nesting, a 10 MB string, a directory, an unreadable file) are built here.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"

# run_case ROLE FILE: builds with FILE in the slot ROLE names, into a fresh target.
run_case() {
    role=$1 file=$2
    out="$T/out-pack"
    rm -rf "$out"
    set -- -f pci-dss-4.0.1 -s samples/scope.json
    findings=samples/findings.json
    case $role in
    findings) findings=$file ;;
    scope) set -- -f pci-dss-4.0.1 -s "$file" ;;
    framework) set -- -f "$file" -s samples/scope.json ;;
    artifacts) set -- -f pci-dss-4.0.1 -s samples/scope.json -a "$file" ;;
    evidence) set -- -f pci-dss-4.0.1 -s samples/scope.json -e "$file" ;;
    exceptions) set -- -f pci-dss-4.0.1 -s samples/scope.json -x "$file" ;;
    esac
    "$EVPACK" build "$@" --as-of 2026-10-01 -o "$out" "$findings" >"$T/stdout" 2>"$T/stderr"
    status=$?
    [ "$status" -eq 2 ] && ok || fail "$file: exit $status, wanted 2"
    [ ! -e "$out" ] && ok || fail "$file: output path was created"
    ls -A "$T" | grep -q '^\.out-pack' && fail "$file: temporary folder left" || ok
}

# expect_message FILE EXPECTED_TEXT
expect_message() {
    got=$(head -n 1 "$T/stderr")
    [ "$got" = "$2" ] && ok || fail "$1: message
  got:    $got
  wanted: $2"
}

for f in tests/bad/*.json tests/bad/findings-*.csv; do
    name=$(basename "$f")
    name=${name%.*}
    role=${name%%-*}
    run_case "$role" "$f"
    expect_message "$f" "$(cat "tests/bad/$name.expected")"
done

# AWS's own samples that are invalid as published
run_case findings tests/data/asff/awscli_example_get-findings_2_INVALID_JSON_doc_typo.json
expect_message get-findings_2 "evpack: tests/data/asff/awscli_example_get-findings_2_INVALID_JSON_doc_typo.json:12:37: invalid JSON: unexpected '{' (expected a value, ',' or a quoted member name)"
run_case findings tests/data/asff/awscli_example_get-findings_2_INVALID_JSON_doc_typo.json
for s in consolidation nist; do
    run_case findings "tests/data/asff/awsdocs_securityhub_sample-finding-${s}_INVALID_JSON_as_published.json"
    grep -q "INVALID_JSON_as_published.json:[0-9]*:[0-9]*: " "$T/stderr" && ok || fail "$s: no file:line:col"
done

# generated: nesting 100,000 deep, a 10 MB string, a directory, an unreadable file
python3 -c "import sys; sys.stdout.write('[' * 100000)" > "$T/deep.json"
run_case findings "$T/deep.json"
grep -q "deep.json:1:[0-9]*: .*nesting" "$T/stderr" && ok || fail "deep nesting: $(cat "$T/stderr")"
python3 -c "
import json, sys
f = {'Id': 'big', 'UpdatedAt': '2026-09-01T00:00:00Z', 'Title': 'x' * 10_000_000}
json.dump({'Findings': [f]}, sys.stdout)" > "$T/big.json"
rm -rf "$T/bigpack"
"$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q -o "$T/bigpack" "$T/big.json" \
    && ok || fail "a 10 MB title is data, not an error"
mkdir "$T/adir"
run_case findings "$T/adir"
expect_message adir "evpack: $T/adir: is a directory: expected a findings file"
run_case findings "$T/missing.json"
expect_message missing "evpack: $T/missing.json: cannot open: No such file or directory"
run_case scope "$T/adir"
expect_message adir "evpack: $T/adir: is a directory: expected a JSON file"
finish
