# commands.sh: evpack validate, frameworks, --help and --version.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
expect_status 0 "$EVPACK" --version
expect_grep "$T/out" "evpack "
expect_status 0 "$EVPACK" --help
expect_grep "$T/out" "Usage: evpack COMMAND"
expect_status 0 "$EVPACK" build --help
expect_grep "$T/out" "--as-of"
expect_status 0 "$EVPACK" verify --help
expect_status 0 "$EVPACK" validate --help
expect_status 2 "$EVPACK"
expect_status 2 "$EVPACK" frobnicate
expect_grep "$T/err" "unknown command 'frobnicate'"
expect_status 2 "$EVPACK" build --no-such-option
expect_status 2 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-02-30 -o "$T/x" samples/findings.json
expect_grep "$T/err" "--as-of: expected a real date"
expect_status 2 "$EVPACK" build -f no-such-framework -s samples/scope.json --as-of 2026-10-01 -o "$T/x" samples/findings.json
expect_grep "$T/err" "unknown framework 'no-such-framework'"
[ ! -e "$T/x" ] && ok || fail "output created on a usage error"

expect_status 0 "$EVPACK" validate frameworks/pci-dss-4.0.1.json samples/scope.json
expect_grep "$T/out" "frameworks/pci-dss-4.0.1.json: valid framework pci-dss-4.0.1"
expect_grep "$T/out" "samples/scope.json: valid scope"
expect_status 0 "$EVPACK" validate frameworks/aws-artifacts.json
expect_grep "$T/out" "valid Artifact catalogue"
for f in frameworks/*.json; do
    expect_status 0 "$EVPACK" validate "$f"
done
expect_status 2 "$EVPACK" validate tests/bad/framework-duplicate-id.json samples/scope.json
expect_grep "$T/err" "tests/bad/framework-duplicate-id.json:32:13: duplicate control id"
expect_grep "$T/out" "samples/scope.json: valid scope"
expect_status 2 "$EVPACK" validate tests/bad/framework-unknown-report.json
expect_grep "$T/err" "cites unknown Artifact report \"soc9-type7\""
expect_status 2 "$EVPACK" validate samples/findings.json
expect_grep "$T/err" "\"schema\": expected"

expect_status 0 "$EVPACK" frameworks
expect_grep "$T/out" "pci-dss-4.0.1"

# the build tree works without installing; an installed tree works too
expect_status 0 cmake --install "$EV_BUILD_DIR" --prefix "$T/prefix"
[ -f "$T/prefix/share/man/man1/evpack.1" ] && ok || fail "man page not installed"
expect_status 0 "$T/prefix/bin/evpack" frameworks
expect_grep "$T/out" "pci-dss-4.0.1"
expect_status 0 "$T/prefix/bin/evpack" build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q -o "$T/installed" samples/findings.json
expect_status 0 "$EVPACK" build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q -o "$T/built" samples/findings.json
cmp -s "$T/installed/pack.json" "$T/built/pack.json" && ok || fail "installed and build-tree packs differ"
cmp -s "$T/installed/manifest.json" "$T/built/manifest.json" && ok || fail "manifests differ (machine paths leaking?)"
grep -q "$T" "$T/installed/manifest.json" && fail "manifest names a machine path" || ok
finish
