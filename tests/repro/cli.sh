#!/bin/bash
# `fsnc repro` on bad input: a one-line error and exit 2, never a crash or a
# stub file; every family's reproducer is written; the ring and --fail-nth
# files build and say why they cannot run here.
#   tests/repro/cli.sh FSNC TMPDIR
set -u
fsnc=$1 tmp=$2
mkdir -p "$tmp"
fail=0

# expect RC PATTERN -- ARGS: exit code RC, exactly one stderr line matching PATTERN
expect() {
	local want=$1 pat=$2 rc lines
	shift 3
	"$fsnc" repro "$@" > "$tmp/cli.out" 2> "$tmp/cli.err"
	rc=$?
	lines=$(wc -l < "$tmp/cli.err")
	if [ "$rc" = "$want" ] && [ "$lines" = 1 ] && grep -q -- "$pat" "$tmp/cli.err"; then
		echo "ok repro $*: $(cat "$tmp/cli.err")"
	else
		echo "not ok repro $*: exit $rc, want $want; stderr ($lines lines):"
		sed 's/^/#   /' "$tmp/cli.err"
		fail=1
	fi
}

expect 2 "no case named 'notify/inval_entry/valdi'; did you mean: notify/inval_entry/valid" -- notify/inval_entry/valdi
expect 2 "needs a case name" --
expect 2 "unexpected '--bogus'" -- notify/inval_entry/valid --bogus
expect 2 "fail-nth wants" -- notify/inval_entry/valid --fail-nth 0
expect 2 "runs on the in-process model" -- ext/identity/nodeid_reuse@fsn-1/model
expect 2 "has no profile variants" -- notify/inval_entry/valid --profile fsn-1
expect 2 "is the gen-2021 variant, not fsn-1" -- ext/identity/nodeid_reuse@gen-2021/kernel --profile fsn-1
expect 2 "cannot write" -- notify/inval_entry/valid -o /nonexistent/dir/repro.c

expect 2 "the init family arms no syscall under test" -- init/minor_7_31 --fail-nth 1
expect 2 "the kdiff family arms no syscall under test" -- kdiff/name_max_4095 --fail-nth 1

# kdiff carries its generator and oracle instead of 2 MB of messages: the
# amalgamated harness code must build with no project header, and a bad
# FSNC_KDIFF_* value is a failed check, not a crash.
if "$fsnc" repro kdiff/name_max_4095 -o "$tmp/kdiff.c" &&
   ! grep -q '^#include "' "$tmp/kdiff.c" &&
   gcc -Wall -Werror -static -o "$tmp/kdiff" "$tmp/kdiff.c" -lpthread; then
	echo "ok the kdiff reproducer builds without project headers ($(stat -c %s "$tmp/kdiff.c") bytes)"
	if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ]; then
		FSNC_KDIFF_COUNT=lots "$tmp/kdiff" > "$tmp/kdiff.out"
		rc=$?
		if [ $rc = 1 ] && grep -q '^# FAIL .*FSNC_KDIFF_COUNT=lots is not a number' "$tmp/kdiff.out"; then
			echo "ok kdiff reproducer with FSNC_KDIFF_COUNT=lots: exit 1, says why"
		else
			echo "not ok kdiff reproducer with FSNC_KDIFF_COUNT=lots: exit $rc"; fail=1
		fi
	fi
else
	echo "not ok the kdiff reproducer does not build, or includes a project header"; fail=1
fi

# FUSE over io_uring: NAME@uring or --transport uring; no variant where the runner has none.
expect 2 "--transport wants devfuse or uring, got 'bogus'" -- notify/inval_entry/valid --transport bogus
expect 2 "is the io_uring variant, not --transport devfuse" -- notify/inval_entry/valid@uring --transport devfuse
expect 2 "sets up its own ring: it has no /dev/fuse variant" -- uring/reply/control --transport devfuse
expect 2 "does not run on /dev/fuse, so it has no io_uring variant" -- ext/identity/nodeid_reuse@fsn-1/model@uring
expect 2 "no case named 'notify/inval_entry/valdi'" -- notify/inval_entry/valdi@uring

# The ring's chunk goes only into files that carry the ring, and needs no liburing;
# the others carry the stubs that make a case asking for it skip, saying why.
for args in "notify/inval_entry/valid@uring" "notify/inval_entry/valid --transport uring" \
	    "uring/reply/control" "notify/inval_entry/valid"; do
	# shellcheck disable=SC2086 # args is a case name and options
	if "$fsnc" repro $args -o "$tmp/ring.c" && gcc -Wall -Werror -static -o "$tmp/ring" "$tmp/ring.c" -lpthread; then
		ring=$(grep -c '^#define RP_TRANSPORT_URING 1$' "$tmp/ring.c")
		# The ring's code itself (FSNC_CONFIG_URING): its setup, or the stub saying it is not there.
		code=$(grep -c 'IORING_SETUP_SQE128' "$tmp/ring.c")
		stub=$(grep -c 'FUSE over io_uring is not built into this file' "$tmp/ring.c")
		want=1
		[ "$args" = notify/inval_entry/valid ] && want=0
		if [ "$ring" = "$want" ] && [ $((code > 0)) = "$want" ] && [ $((stub > 0)) != "$want" ] &&
		   ! grep -q '#include <liburing.h>' "$tmp/ring.c"; then
			echo "ok repro $args: builds, RP_TRANSPORT_URING defined $ring time(s), ring code $((code > 0)), no liburing ($(stat -c %s "$tmp/ring.c") bytes)"
		else
			echo "not ok repro $args: RP_TRANSPORT_URING defined $ring time(s), ring code $code, stub $stub, want $want"; fail=1
		fi
	else
		echo "not ok repro $args does not build"; fail=1
	fi
done

# --fail-nth: for each family that arms its syscall under test (label
# "armed", client/failnth.h) or sweeps (label "failnth"), the file builds
# clean; without fault injection it exits 77 and says why.
for name in notify/inval_entry/valid fdinfo/inotify_file stale/generation_changed \
	    reuse/after_forget_inotify rename/inotify_same_dir_pair fdinfo_oom/inotify_add_watch; do
	base=$tmp/failnth-$(echo "$name" | tr / _)
	if "$fsnc" repro "$name" --fail-nth 1 -o "$base.c" &&
	   gcc -Wall -Werror -static -o "$base" "$base.c" -lpthread; then
		echo "ok $name --fail-nth 1 reproducer builds"
	else
		echo "not ok $name --fail-nth 1 reproducer does not build"; fail=1
		continue
	fi
	if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ] && [ ! -e /proc/thread-self/fail-nth ]; then
		"$base" > "$base.out"
		rc=$?
		if [ $rc = 77 ] && grep -q "^SKIP: --fail-nth 1 needs fault injection" "$base.out"; then
			echo "ok $name --fail-nth 1 without fault injection: exit 77, $(grep SKIP "$base.out")"
		else
			echo "not ok $name --fail-nth 1 without fault injection: exit $rc"; fail=1
		fi
	fi
done

# Every family: the first kernel row of each is written (every case is its
# own reproducer: nothing to refuse), and its planted file (FSNC_REPRO_PLANT=1,
# which wraps every CHECK's condition) still compiles clean.
for fam in $("$fsnc" list | awk '$2 !~ /model|selftest/ {split($1, p, "/"); f = p[1] == "ext" ? p[1] "/" p[2] : p[1]; print f}' | sort -u); do
	first=$("$fsnc" list | awk -v f="$fam/" 'index($1, f) == 1 && $2 !~ /model|selftest/ {print $1; exit}')
	if "$fsnc" repro "$first" -o "$tmp/first.c" 2> "$tmp/cli.err" && grep -q "^#define RP_CASE " "$tmp/first.c"; then
		echo "ok $fam: repro $first ($(stat -c %s "$tmp/first.c") bytes)"
	else
		echo "not ok $fam: repro $first failed: $(cat "$tmp/cli.err")"; fail=1
	fi
	if FSNC_REPRO_PLANT=1 "$fsnc" repro "$first" -o "$tmp/plant.c" 2> "$tmp/cli.err" &&
	   gcc -fsyntax-only -Wall -Werror "$tmp/plant.c" 2> "$tmp/gcc.err"; then
		echo "ok $fam: the planted file of $first compiles"
	else
		echo "not ok $fam: the planted file of $first does not compile:"
		sed 's/^/#   /' "$tmp/cli.err" "$tmp/gcc.err" | head -5; fail=1
	fi
done
exit $fail
