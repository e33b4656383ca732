# cases.sh: golden packs. Each tests/cases/NAME/ holds its inputs, an "args" file (the
# build options, run from inside the case folder) and expected/ with the pack byte for
# byte. EV_UPDATE_GOLDEN=1 rewrites expected/ (review the diff before committing).
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
for dir in "$SRC"/tests/cases/*/; do
    name=$(basename "$dir")
    out="$T/$name"
    # shellcheck disable=SC2046
    (cd "$dir" && "$EVPACK" build -q -o "$out" $(cat args)) && ok || { fail "$name: build"; continue; }
    if [ "${EV_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$dir/expected" && cp -r "$out" "$dir/expected"
        echo "updated $name"
    fi
    # every file, byte for byte, and no file more or less
    if diff -r "$dir/expected" "$out" >/dev/null; then ok; else
        fail "$name differs from the golden pack"
        diff -ru "$dir/expected" "$out" | head -60 >&2
    fi
    "$EVPACK" verify "$dir/expected" >/dev/null && ok || fail "$name: expected/ does not verify"
done
finish
