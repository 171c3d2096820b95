#!/bin/bash
# The command line on bad input and on --help:
#   - a selection that selects no case (a label with a typo, a family the
#     transport does not carry) exits 2 with one line on stderr, for run and
#     list alike, so a CI job with a typo is never green;
#   - --help works for every command: exit 0, that command's usage on stdout.
#   tests/cli/usage.sh FSNC
set -u
fsnc=$1
fail=0

. "$(dirname "$0")/expect.sh"

for cmd in run list; do
	expect 2 "no case selected by label 'nosuch'" -- $cmd --label nosuch
	expect 2 "no case selected by 'notify', label 'model'" -- $cmd notify --label model
	expect 2 "no case selected by label 'model', --transport uring" -- $cmd --label model --transport uring
	expect 2 "unknown option '--bogus'" -- $cmd --bogus
done
expect 2 "no command" --
expect 2 "unknown command 'bogus'" -- bogus
expect 2 "help: unknown command 'bogus'" -- help bogus

# Every command in `fsnc --help` answers --help, -h and `fsnc help CMD` with its own usage.
cmds=$("$fsnc" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
[ "$(wc -w <<<"$cmds")" -ge 7 ] || { echo "not ok fsnc --help lists too few commands: $cmds"; fail=1; }
for cmd in $cmds; do
	for form in "$cmd --help" "$cmd -h" "help $cmd"; do
		# shellcheck disable=SC2086
		out=$("$fsnc" $form 2>&1)
		rc=$?
		if [ $rc = 0 ] && head -1 <<<"$out" | grep -q "^usage: fsnc $cmd\b"; then
			echo "ok fsnc $form"
		else
			echo "not ok fsnc $form: exit $rc:"
			sed 's/^/#   /' <<<"$out" | head -5
			fail=1
		fi
	done
done
exit $fail
