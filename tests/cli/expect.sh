# tests/cli/expect.sh - sourced by the command-line tests: one check of a
# command's answer to bad input.  Needs $fsnc; sets fail=1 on a mismatch.
#
# expect RC PATTERN -- ARGS: `fsnc ARGS` exits RC within 20 s, with exactly one
# stderr line matching PATTERN.
expect() {
	local want=$1 pat=$2 rc lines err
	shift 3
	err=$(timeout 20 "$fsnc" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" = "$want" ] && [ "$lines" = 1 ] && grep -q -- "$pat" <<<"$err"; then
		echo "ok fsnc $*: $err"
	else
		echo "not ok fsnc $*: exit $rc, want $want; stderr ($lines lines):"
		sed 's/^/#   /' <<<"$err"
		fail=1
	fi
}
