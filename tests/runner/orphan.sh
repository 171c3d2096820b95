#!/bin/bash
# A case never outlives its runner: SIGKILL the runner while its case is
# blocked on a request its own server never answers (selftest/hang_is_killed
# with a 30 s deadline), and require the case's processes gone within 5 s.
# Only an abort frees such a case; if it is left behind, this script aborts
# its connection itself (so a failure leaves nothing hung) and fails.
#   tests/runner/orphan.sh FSNC
set -u
fsnc=$1
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -c /dev/fuse ] || { echo "SKIP: no /dev/fuse"; exit 77; }

tap=$(mktemp /tmp/fsnc-orphan.XXXXXX)
trap 'rm -f "$tap"' EXIT
"$fsnc" run --timeout-scale 30 --exact selftest/hang_is_killed >"$tap" 2>&1 &
runner=$!
# Wait until the case's process (not the runner's INIT probe, which comes
# first) exists and is blocked on its own mount.
kid=""
for _ in $(seq 100); do
	if grep -q '^# --- selftest/hang_is_killed' "$tap"; then
		kid=$(pgrep -P $runner | head -1)
		[ -n "$kid" ] && [ "$(cat /proc/$kid/wchan 2>/dev/null)" = request_wait_answer ] && break
	fi
	kid=""
	sleep 0.05
done
[ -n "$kid" ] || { kill -KILL $runner; echo "FAIL: the case never blocked on its server"; exit 1; }
kill -KILL $runner
wait $runner 2>/dev/null
for _ in $(seq 50); do
	[ -d /proc/$kid ] || { echo "PASS: case $kid went with its SIGKILLed runner $runner"; exit 0; }
	sleep 0.1
done
state=$(awk '{print $3}' /proc/$kid/stat 2>/dev/null)
echo "FAIL: case $kid (state $state) outlived its SIGKILLed runner by 5 s: aborting its connection"
for conn in $(awk '{ for (i = 7; i < NF; i++) if ($i == "-" && $(i + 1) ~ /^fuse(\.|$)/) {
		split($3, d, ":"); print d[2] } }' /proc/$kid/mountinfo); do
	unshare -m sh -c "mount -t fusectl none /sys/fs/fuse/connections && echo 1 > /sys/fs/fuse/connections/$conn/abort"
done
kill -KILL -- -$kid 2>/dev/null
exit 1
