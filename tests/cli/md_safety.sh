# md_safety.sh: hostile finding text stays literal in report.md (see md_safety.py).
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
python3 "$SRC/tests/cli/md_safety.py" "$EVPACK" "$SRC" "$T" && ok || fail "md_safety.py"
finish
