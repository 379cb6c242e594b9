#!/bin/sh
# nosh -e stops at the failing line; without -e every line runs.
. "$(dirname "$0")/nosh_lib.sh"

printf '/usr/bin/touch ./one\n/bin/false\n/usr/bin/touch ./three\n' >script
run_nosh -e script
expect_rc 1 "-e with /bin/false on line 2"
expect_err "script:2: -e: stopping, /bin/false failed with status 1" "-e message"
[ -e one ] || fail "line 1 did not run"
expect_absent three "-e ran the line after the failure"
pass "-e stops at the failing line 2 with its status"

run_nosh script
expect_rc 0 "without -e"
[ -e three ] || fail "without -e, line 3 did not run"
pass "without -e the script goes on and ends with the last status"
rm -f one three

printf "/bin/sh -c 'kill -TERM \$\$'\n/usr/bin/touch ./after\n" >killed
run_nosh -e killed
expect_rc 143 "-e with a command killed by SIGTERM"
expect_err "killed by signal 15" "signal message"
expect_absent after "-e ran past a killed command"
pass "-e stops at a command killed by a signal, status 128+15"

printf '/no/such/program\n/usr/bin/touch ./after\n' >missing
run_nosh -e missing
expect_rc 127 "-e with a missing program"
expect_err "missing:1: /no/such/program: No such file or directory" "not found message"
expect_absent after "-e ran past a missing program"
pass "-e stops at a program that does not exist, status 127"

printf 'cd /no/such/dir\n/usr/bin/touch ./after\n' >badcd
run_nosh -e badcd
expect_rc 1 "-e with a failing cd"
expect_absent after "-e ran past a failing cd"
pass "-e stops at a failing cd"

printf '/usr/bin/touch ./before\nexit 7\n/usr/bin/touch ./after\n' >exits
run_nosh exits
expect_rc 7 "exit 7"
[ -e before ] || fail "line before exit did not run"
expect_absent after "a line after exit ran"
pass "exit 7 ends the script with status 7"

run_nosh -c '/bin/true
/bin/false'
expect_rc 1 "-c ending with /bin/false"
pass "the status of a script is that of its last command"
