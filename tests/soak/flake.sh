#!/bin/bash
# scripts/soak must report a case whose verdict changes, with its output,
# and exit 1; and exit 0 when nothing changed.  A fake fsnc stands in for
# the runner: its case passes on the first run and fails on the second.
#   tests/soak/flake.sh SOURCE_DIR
set -u
src=$1
tmp=$(mktemp -d /tmp/fsnc-soak-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build"
cat >"$tmp/build/fsnc" <<'FAKE'
#!/bin/sh
# $FAKE_STATE counts the runs: odd runs pass, even runs fail.
n=$(( $(cat "$FAKE_STATE" 2>/dev/null || echo 0) + 1 ))
echo $n >"$FAKE_STATE"
echo "TAP version 13"
echo "1..2"
echo "# --- fake/steady: always passes"
echo "ok 1 fake/steady"
echo "# --- fake/flaky: passes, then fails"
if [ $((n % 2)) = 1 ] || [ -n "$FAKE_STEADY" ]; then
	echo "ok 2 fake/flaky"
else
	echo "# FAIL fake.c:1: the planted failure, run $n"
	echo "not ok 2 fake/flaky # the planted failure"
fi
FAKE
chmod +x "$tmp/build/fsnc"
fail=0

out=$(FAKE_STATE=$tmp/state "$src/scripts/soak" 2 --transports devfuse --build "$tmp/build" --out "$tmp/soak" 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q 'soak: FLAKE \[devfuse\] fake/flaky: .*FAIL x1.*' <<<"$out" &&
   grep -q 'soak:     # FAIL fake.c:1: the planted failure, run 2' <<<"$out" &&
   ! grep -q 'FLAKE.*fake/steady' <<<"$out"; then
	echo "ok a changed verdict is reported with its output, exit 1"
else
	echo "not ok a changed verdict: exit $rc, output:"; sed 's/^/#   /' <<<"$out"; fail=1
fi
rm -f "$tmp/state"
out=$(FAKE_STATE=$tmp/state FAKE_STEADY=1 "$src/scripts/soak" 3 --transports devfuse --build "$tmp/build" --out "$tmp/soak" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q '0 case(s) changed verdict' <<<"$out"; then
	echo "ok no changed verdict: exit 0"
else
	echo "not ok no changed verdict: exit $rc, output:"; sed 's/^/#   /' <<<"$out"; fail=1
fi
exit $fail
