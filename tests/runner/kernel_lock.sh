#!/bin/bash
# Two fsnc processes never run kernel cases at the same time: while another
# process holds /run/fsnc-kernel.lock, a kernel case waits for it (and says
# for whom), and a model case, which mounts nothing, does not wait.
#   tests/runner/kernel_lock.sh FSNC
set -u
fsnc=$1
lock=/run/fsnc-kernel.lock
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -c /dev/fuse ] || { echo "SKIP: no /dev/fuse"; exit 77; }
command -v flock >/dev/null || { echo "SKIP: no flock(1)"; exit 77; }

tap=$(mktemp /tmp/fsnc-lock.XXXXXX)
holder=""
trap '[ -n "$holder" ] && kill $holder 2>/dev/null; rm -f "$tap"' EXIT
hold() { # hold the lock for $1 seconds, in the background; returns once it is held
	flock -x "$lock" sh -c "echo \$\$ > $lock; exec sleep $1" &
	holder=$!
	for _ in $(seq 100); do [ "$(cat $lock 2>/dev/null)" != "" ] && \
		! flock -n "$lock" true && return 0; sleep 0.02; done
	echo "FAIL: could not take $lock for the test"; exit 1
}

hold 2
start=$(date +%s%N)
"$fsnc" run --exact stale/control_same_generation >"$tap" 2>&1
rc=$? took=$((($(date +%s%N) - start) / 1000000))
wait $holder 2>/dev/null; holder=""
grep -q '^ok 1 stale/control_same_generation' "$tap" || { cat "$tap"; echo "FAIL: rc $rc"; exit 1; }
grep -q '^# waiting for the kernel (pid [0-9]* holds /run/fsnc-kernel.lock)' "$tap" ||
	{ cat "$tap"; echo "FAIL: the kernel case did not wait for the lock"; exit 1; }
[ "$took" -ge 1500 ] || { echo "FAIL: the kernel case ran after $took ms, inside the 2 s hold"; exit 1; }

model=$("$fsnc" list --label model | awk 'NR == 1 {print $1}')
[ -n "$model" ] || { echo "FAIL: no model case listed"; exit 1; }
hold 5
start=$(date +%s%N)
"$fsnc" run --exact "$model" >"$tap" 2>&1
rc=$? took=$((($(date +%s%N) - start) / 1000000))
grep -q 'waiting for the kernel' "$tap" && { cat "$tap"; echo "FAIL: the model case $model waited"; exit 1; }
[ "$took" -lt 4000 ] || { echo "FAIL: the model case took $took ms while the lock was held"; exit 1; }
echo "PASS: the kernel case waited for the lock; $model ($rc) did not"
