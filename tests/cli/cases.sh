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
    for f in "$dir"/expected/*; do
        b=$(basename "$f")
        if cmp -s "$f" "$out/$b"; then ok; else
            fail "$name/$b differs from the golden file"
            diff -u "$f" "$out/$b" | head -40 >&2
        fi
    done
    [ "$(ls "$out" | wc -l)" -eq "$(ls "$dir/expected" | wc -l)" ] && ok || fail "$name: file count"
    "$EVPACK" verify "$dir/expected" >/dev/null && ok || fail "$name: expected/ does not verify"
done
finish
