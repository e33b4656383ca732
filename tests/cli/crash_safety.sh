# crash_safety.sh: what an interrupted or failing build leaves (docs/robustness.md).
#  1. SIGKILL: a previous pack is at the target; `evpack build --force` on a large input
#     is killed at several points (fixed delays, and when its temporary folder gains
#     report.md, pack.json, report.pdf, manifest.json). After each kill the target is a
#     whole pack that `evpack verify` accepts: the previous one (same pack.json) or the
#     new one. Temporary folders of killed runs may remain beside it, never at the
#     target; the next run removes them.
#  2. Full disk: RLIMIT_FSIZE (what `ulimit -f` sets) at sizes that stop the build at each
#     stage (spill file, report.md, pack.json, report.pdf): exit 3, never death by
#     SIGXFSZ; the target is absent (or still the previous pack) and no temporary folder
#     is left.
#  3. Output names: finding text and attachment names that look like paths or like the
#     pack's own files never name a file: the pack holds the fixed names only, and
#     nothing appears outside it.
# The large input is sized so that a build of it takes about 2.5 s on this machine and
# binary (timed on the samples and on 20,000 findings first): some 100,000 findings
# (175 MB) for an optimised build, fewer under the sanitizers. EV_CRASH_COUNT overrides.
. "$EV_SOURCE_DIR/tests/cli/lib.sh.inc"
cd "$SRC"
B="build -f pci-dss-4.0.1 -s samples/scope.json -q"

# seconds a command takes (its status is not checked: the calibration runs are built again)
seconds() {
    python3 -c 'import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f" % (time.monotonic() - t))' "$@"
}
if [ -n "${EV_CRASH_COUNT:-}" ]; then
    COUNT=$EV_CRASH_COUNT
else
    python3 tests/bench/gen_findings.py --count 20000 --seed 2 -o "$T/calib.json"
    t0=$(seconds "$EVPACK" $B --as-of 2026-10-01 -o "$T/calib0" samples/findings.json)
    t1=$(seconds "$EVPACK" $B --as-of 2026-10-01 -o "$T/calib1" "$T/calib.json")
    COUNT=$(python3 -c 'import sys
t0, t1 = float(sys.argv[1]), float(sys.argv[2])
n = 20000 * (2.5 - t0) / max(t1 - t0, 0.01)
print(int(min(200000, max(20000, n))) // 1000 * 1000)' "$t0" "$t1")
    rm -rf "$T/calib.json" "$T/calib0" "$T/calib1"
    echo "calibration: samples ${t0}s, 20000 findings ${t1}s: using $COUNT findings"
fi

pack_hash() { sha256sum "$1/pack.json" 2>/dev/null | cut -c1-64; }

# what the target holds: "previous" (pack.json hash PREV), "new" (built from big.json),
# or what is wrong with it; the target must be a whole pack that verify accepts
target_state() {
    if [ ! -d "$T/pack" ]; then
        echo "nothing (the target is gone)"
    elif ! "$EVPACK" verify "$T/pack" >"$T/verify.out" 2>&1; then
        echo "a pack verify rejects: $(head -3 "$T/verify.out")"
    elif [ "$(pack_hash "$T/pack")" = "$1" ]; then
        echo previous
    elif grep -q '"path": "[^"]*big.json"' "$T/pack/manifest.json"; then
        echo new
    else
        echo "a pack that is neither the previous one nor the new one"
    fi
}

# nothing but the target, the inputs and our own temporary folders in $T
check_siblings() {
    extra=$(ls -A "$T" | grep -v -x -e pack -e big.json -e verify.out -e out -e err \
        -e '\.pack\.tmp-[A-Za-z0-9]\{6\}' -e '\.pack\.old-[A-Za-z0-9]\{6\}' || true)
    [ -z "$extra" ] && ok || fail "$1: unexpected files beside the target: $extra"
}

# ---- 1. SIGKILL at several points -----------------------------------------------------
python3 tests/bench/gen_findings.py --count "$COUNT" --seed 1 -o "$T/big.json"
expect_status 0 "$EVPACK" $B --as-of 2026-10-01 -o "$T/pack" samples/findings.json
prev=$(pack_hash "$T/pack")

# kill_at MODE ARG: starts the long build, SIGKILLs it ARG seconds in (MODE time) or as
# soon as its temporary folder holds the file ARG (MODE file); prints what happened
kill_at() {
    python3 - "$T" "$1" "$2" "$EVPACK" $B --as-of 2026-10-01 --force -o "$T/pack" "$T/big.json" <<'PY'
import glob, os, signal, subprocess, sys, time
T, mode, arg, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
before = set(glob.glob(os.path.join(T, '.pack.tmp-*')))
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
start = time.monotonic()
fired = False
while p.poll() is None:
    if mode == 'time':
        fired = time.monotonic() - start >= float(arg)
    else:
        fired = any(os.path.exists(os.path.join(d, arg))
                    for d in glob.glob(os.path.join(T, '.pack.tmp-*')) if d not in before)
    if fired:
        break
    time.sleep(0.002)
elapsed = time.monotonic() - start
if p.poll() is None:
    p.send_signal(signal.SIGKILL)
    p.wait()
    print('killed after %.2fs' % elapsed)
else:
    print('finished (exit %d) after %.2fs' % (p.returncode, elapsed))
PY
}

killed=0
for point in "time 0.2" "time 0.7" "time 1.5" "file report.md" "file pack.json" \
    "file report.pdf" "file manifest.json" "file SHA256SUMS"; do
    set -- $point
    outcome=$(kill_at "$1" "$2")
    case $outcome in killed*) killed=$((killed + 1)) ;; esac
    now=$(target_state "$prev")
    echo "kill at $point: $outcome; the target holds $now"
    case $now in previous | new) ok ;; *) fail "kill at $point: the target holds $now" ;; esac
    check_siblings "kill at $point"
    # the next kill compares with what the target holds now
    [ "$now" = new ] && prev=$(pack_hash "$T/pack")
done
[ "$killed" -ge 4 ] && ok || fail "only $killed of the kills hit a running build (too fast?)"
ls -A "$T" | grep -q '^pack\.' && fail "a pack file landed beside the target" || ok

# a complete run replaces the pack and removes what the killed runs left
expect_status 0 "$EVPACK" $B --as-of 2026-10-01 --force -o "$T/pack" "$T/big.json"
now=$(target_state none)
[ "$now" = new ] && ok || fail "complete run: the target holds $now"
left=$(ls -A "$T" | grep '^\.pack\.' || true)
[ -z "$left" ] && ok || fail "leftovers of killed runs not removed: $left"
# a live run's temporary folder is not a leftover: a second run must not remove it
python3 - "$T" "$EVPACK" $B --as-of 2026-10-01 --force -o "$T/pack" "$T/big.json" <<'PY' && ok || fail "a concurrent run removed a live run's temporary folder"
import glob, os, subprocess, sys, time
T, cmd = sys.argv[1], sys.argv[2:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while p.poll() is None and not glob.glob(os.path.join(T, '.pack.tmp-*')):
    time.sleep(0.002)
live = glob.glob(os.path.join(T, '.pack.tmp-*'))
small = [c for c in cmd[:-1]] + ['samples/findings.json']
subprocess.run(small, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
still = all(os.path.isdir(d) for d in live) if p.poll() is None else True
rc = p.wait()
sys.exit(0 if still and rc == 0 else 1)
PY
expect_status 0 "$EVPACK" verify "$T/pack"
rm -f "$T/big.json"

# ---- 2. full disk: RLIMIT_FSIZE -------------------------------------------------------
# fsize BYTES CMD...: runs CMD with RLIMIT_FSIZE at BYTES (or unlimited) and SIGXFSZ at its
# default action, death (python3 itself ignores it, and exec would pass that on)
fsize() {
    python3 -c 'import os, resource, signal, sys
n = resource.RLIM_INFINITY if sys.argv[1] == "unlimited" else int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
os.execvp(sys.argv[2], sys.argv[2:])' "$@"
}
# limits: 4 KiB (the spill file of the findings fails first), one byte short of each
# output of the sample pack, and none
rm -rf "$T/pack"
"$EVPACK" $B --as-of 2026-10-02 -o "$T/pack" samples/findings.json >/dev/null 2>&1 || fail "sizes"
size_of() { wc -c <"$T/pack/$1" | tr -d ' '; }
md_limit=$(($(size_of report.md) - 1))
json_limit=$(($(size_of pack.json) - 1))
pdf_limit=$(($(size_of report.pdf) - 1))
stages=""
for limit in 4096 "$md_limit md" "$json_limit json" "$pdf_limit pdf" unlimited; do
    set -- $limit
    bytes=$1 only=${2:-}
    # the default outputs with no target and over a previous pack; then, for an output's
    # limit, that output alone (so that its own writer meets the limit)
    for run in none previous ${only:+only}; do
        prior=$run formats=
        [ "$run" = only ] && prior=none formats="--format $only"
        rm -rf "$T/pack"
        ph=none
        if [ "$prior" = previous ]; then
            "$EVPACK" $B --as-of 2026-10-01 -o "$T/pack" samples/findings.json >/dev/null 2>&1 ||
                fail "previous pack"
            ph=$(pack_hash "$T/pack")
        fi
        fsize "$bytes" "$EVPACK" $B $formats --force --as-of 2026-10-02 -o "$T/pack" \
            samples/findings.json >"$T/out" 2>"$T/err"
        st=$?
        what="fsize $bytes ($run${only:+ $only})"
        case $st in
        0)
            "$EVPACK" verify "$T/pack" >/dev/null 2>&1 && ok || fail "$what: pack written but verify fails"
            ;;
        3)
            ok
            grep -q "File too large" "$T/err" && ok || fail "$what: $(cat "$T/err")"
            stage=$(sed 's/.*\.pack\.tmp-[A-Za-z0-9]*\///; s/^evpack: //; s/: .*//' "$T/err")
            stages="$stages $run:$stage"
            if [ "$prior" = none ]; then
                [ ! -e "$T/pack" ] && ok || fail "$what: a half pack at the target"
            else
                [ "$(pack_hash "$T/pack")" = "$ph" ] && "$EVPACK" verify "$T/pack" >/dev/null 2>&1 &&
                    ok || fail "$what: the previous pack was not kept intact"
            fi
            ;;
        *) fail "$what: exit $st (wanted 0 or 3): $(cat "$T/err")" ;;
        esac
        ls -A "$T" | grep -q '^\.pack\.' && fail "$what: temporary folder left" || ok
    done
done
echo "full-disk failures seen at:$stages"
for want in "none:cannot write the spill file" only:report.md only:pack.json only:report.pdf; do
    case $stages in *"$want"*) ok ;; *) fail "no limit stopped a build at ${want#*:}" ;; esac
done
[ "$st" -eq 0 ] && ok || fail "the unlimited run failed"

# ---- 3. output names never come from input text ---------------------------------------
mkdir -p "$T/names/att"
python3 - "$T/names/findings.json" <<'PY'
import json, sys
names = ['../../evil', 'report.md', '/tmp/evil-abs', 'manifest.json', 'SHA256SUMS',
         'evidence/../../evil', '.hidden', 'a/b/c', '..', 'pack.json']
findings = []
for i, n in enumerate(names):
    findings.append({
        'SchemaVersion': '2018-10-08', 'Id': n, 'GeneratorId': n, 'AwsAccountId': '111122223333',
        'Title': n, 'Description': n, 'UpdatedAt': '2026-09-01T00:00:00Z',
        'Severity': {'Label': 'HIGH'}, 'Compliance': {'Status': 'FAILED',
                                                      'RelatedRequirements': ['PCI DSS v4.0.1/' + n]},
        'ProductFields': {'ControlId': n}, 'Resources': [{'Type': n, 'Id': n, 'Region': n}],
        'Remediation': {'Recommendation': {'Text': n, 'Url': n}}})
json.dump({'Findings': findings}, open(sys.argv[1], 'w'))
PY
printf 'attachment one\n' >"$T/names/att/report.md"
printf 'attachment two\n' >"$T/names/att/manifest.json"
cat >"$T/names/evidence.json" <<'EOF'
{"schema": "evpack/evidence@1", "items": [
 {"id": "../../evil", "controls": ["8.3.1"], "status": "pass", "description": "report.md",
  "collected_by": "../x", "collected": "2026-09-01", "file": "att/report.md"},
 {"id": "manifest.json", "controls": ["8.3.1"], "status": "pass", "description": "x",
  "collected_by": "y", "collected": "2026-09-01", "file": "att/manifest.json"}]}
EOF
before=$(cd "$T/names" && find . | sort)
(cd "$T/names" && "$EVPACK" build -f pci-dss-4.0.1 -s "$SRC/samples/scope.json" --as-of 2026-10-01 \
    -q -e evidence.json --attach -o pack findings.json) >"$T/out" 2>"$T/err" && ok ||
    fail "names: build failed: $(cat "$T/err")"
after=$(cd "$T/names" && find . | grep -v '^\./pack\(/\|$\)' | sort)
[ "$before" = "$after" ] && ok || fail "names: files appeared outside the pack: $after"
[ ! -e /tmp/evil-abs ] && [ ! -e "$T/evil" ] && ok || fail "names: a file named by a finding exists"
odd=$(cd "$T/names/pack" && find . -mindepth 1 | grep -v -x -e ./report.md -e ./report.pdf \
    -e ./workbook.xlsx -e ./pack.json -e ./manifest.json -e ./SHA256SUMS -e ./evidence \
    -e './evidence/[0-9a-f]\{16\}\(\.[a-z0-9]\{1,5\}\)\{0,1\}' || true)
[ -z "$odd" ] && ok || fail "names: unexpected names in the pack: $odd"
[ "$(ls "$T/names/pack/evidence" | wc -l)" -eq 2 ] && ok || fail "names: attachments: $(ls "$T/names/pack/evidence")"
expect_status 0 "$EVPACK" verify "$T/names/pack"
finish
