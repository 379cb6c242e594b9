#!/bin/sh
# At a terminal (a pty made by script(1)), nosh prompts, runs each line once
# parsed, goes on after a syntax error, inserts Tab instead of completing,
# writes no history file, and leaves with exit's status.
. "$(dirname "$0")/nosh_lib.sh"

command -v script >/dev/null || fail "script(1) (bsdutils) is needed for this test"
mkdir home
prompt='nosh$ '
[ "$(id -u)" -ne 0 ] || prompt='nosh# '
rc=0
printf '/bin/echo hello from tty\nls\n/bin/echo a\tb\nexit 5\n' |
	HOME=$scratch/home timeout 20 script -qec "$NOSH" /dev/null >out 2>&1 || rc=$?
expect_rc 5 "interactive session ending with exit 5"
grep -qF "$prompt/bin/echo hello from tty" out || fail "no prompt '$prompt' (output: $(cat out))"
grep -q '^hello from tty' out || fail "first line did not run (output: $(cat out))"
grep -qF "<stdin>:2:1: 'ls' is not a path" out || fail "no error for line 2 (output: $(cat out))"
grep -q '^a b' out || fail "Tab did not separate two words (output: $(cat out))"
pass "prompt, line by line execution, errors with line numbers, exit status"
[ -z "$(ls -A home)" ] || fail "nosh wrote into HOME: $(ls -A home)"
pass "no history or other file written to HOME"
