#!/bin/bash
# fsnc serve --passthrough: bad input, a backing file removed while served,
# and that nothing outlives it:
#   - DIR missing, not a directory, without file handles; MOUNTPOINT
#     missing; an unknown option or profile: one line on stderr, exit 2;
#   - a file open through the mount whose backing file is removed: a new
#     lookup gets ENOENT, the open file still reads, the server goes on;
#   - SIGTERM: a clean unmount, the forwarder's figures, exit 128+15;
#   - SIGKILL: its private mount namespace goes with it, and so does the
#     FUSE connection (no new entry left in /sys/fs/fuse/connections).
#   tests/cli/serve.sh FSNC
set -u
fsnc=$1
fail=0
[ "$(id -u)" = 0 ] && [ -w /dev/fuse ] || { echo "# SKIP: needs root and /dev/fuse"; exit 77; }
t=$(mktemp -d /tmp/fsnc-serve-test.XXXXXX)
trap 'rm -rf "$t"' EXIT
mkdir "$t/dir" "$t/mnt"
echo hello >"$t/dir/f"

ok() { echo "ok $*"; }
bad() { echo "not ok $*"; fail=1; }

. "$(dirname "$0")/expect.sh"
expect 2 "needs --passthrough" -- serve
expect 2 "No such file" -- serve --passthrough "$t/nosuch" "$t/mnt"
expect 2 "not a directory" -- serve --passthrough "$t/dir/f" "$t/mnt"
expect 2 "no file handles" -- serve --passthrough /proc "$t/mnt"
expect 2 "No such file" -- serve --passthrough "$t/dir" "$t/nosuch"
expect 2 "serves fsn-1 or none, not nosuch" -- serve --passthrough "$t/dir" "$t/mnt" --profile nosuch
expect 2 "serves fsn-1 or none, not rfc-2021" -- serve --passthrough "$t/dir" "$t/mnt" --profile rfc-2021
expect 2 "unexpected --bogus" -- serve --bogus
expect 2 "nothing after --" -- serve --passthrough "$t/dir" "$t/mnt" --

# A backing file removed while it is open through the mount.
out=$(timeout 60 "$fsnc" serve --passthrough "$t/dir" "$t/mnt" -- bash -c '
	exec 3<"$1/mnt/f"
	rm "$1/dir/f"
	stat "$1/mnt/f" >/dev/null 2>&1 && echo "stat: found" || echo "stat: gone"
	cat <&3
	ls "$1/mnt"; echo listed' _ "$t" 2>/dev/null)
rc=$?
if [ $rc = 0 ] && [ "$out" = "stat: gone
hello
listed" ]; then
	ok "backing file removed: a lookup fails, the open file reads, the server goes on"
else
	bad "backing file removed: exit $rc, output:"
	sed 's/^/#   /' <<<"$out"
fi

conns() { ls /sys/fs/fuse/connections 2>/dev/null | sort; }

# SIGTERM: clean unmount and the figures.
echo hello >"$t/dir/f"
"$fsnc" serve --passthrough "$t/dir" "$t/mnt" 2>"$t/err" &
pid=$!
for _ in $(seq 100); do grep -q "extension" "$t/err" && break; sleep 0.1; done
kill -TERM $pid
timeout 20 tail --pid=$pid -f /dev/null
wait $pid
rc=$?
if [ $rc = 143 ] && grep -q "records:" "$t/err" && ! grep -q "clean unmount.*failed" "$t/err"; then
	ok "SIGTERM: exit 143, unmounted cleanly, figures printed"
else
	bad "SIGTERM: exit $rc; stderr:"
	sed 's/^/#   /' "$t/err"
fi

# SIGKILL: nothing left.
before=$(conns)
"$fsnc" serve --passthrough "$t/dir" "$t/mnt" 2>"$t/err" &
pid=$!
for _ in $(seq 100); do grep -q "extension" "$t/err" && break; sleep 0.1; done
kill -KILL $pid
wait $pid 2>/dev/null
left=
for _ in $(seq 50); do
	left=$(comm -13 <(echo "$before") <(conns))
	[ -z "$left" ] && break
	sleep 0.1
done
if [ -z "$left" ] && ! grep -q "$t/mnt" /proc/mounts; then
	ok "SIGKILL: no mount and no FUSE connection left"
else
	bad "SIGKILL: left connection(s) $left"
fi
exit $fail
