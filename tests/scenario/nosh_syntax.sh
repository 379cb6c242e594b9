#!/bin/sh
# A script with an error anywhere runs nothing and names file:line:column.
. "$(dirname "$0")/nosh_lib.sh"

printf '/usr/bin/touch ./ran\n/bin/echo ok\n  ls -l\n' >script
run_nosh script
expect_rc 2 "command without / on line 3"
expect_err "nosh: script:3:3: 'ls' is not a path" "message names file:line:column and word"
expect_absent ran "line 1 ran although line 3 is an error"
pass "a command without / on line 3 is rejected before line 1 runs"

printf '/usr/bin/touch ./ran\n/bin/echo a | /usr/bin/touch ./piped\n' >pipe
run_nosh -e pipe
expect_rc 2 "pipe"
expect_err "pipe:2:13: unquoted '|' is reserved" "pipe message"
expect_absent ran "line 1 ran although line 2 is an error"
expect_absent piped "half a pipeline ran"
pass "a pipeline is a syntax error and nothing runs"

printf "/usr/bin/touch ./ran\n/bin/echo 'unclosed\n" >quote
run_nosh quote
expect_rc 2 "unclosed quote"
expect_err "quote:2:11: quote not closed on its line" "quote message"
expect_absent ran "line 1 ran although line 2 is an error"
pass "an unclosed quote is reported at the quote"

printf '/usr/bin/touch ./ran\n' >good
run_nosh -n good
expect_rc 0 "-n on a good script"
expect_absent ran "-n ran a command"
run_nosh -n script
expect_rc 2 "-n on a bad script"
expect_err "script:3:3:" "-n message"
pass "-n parses only: 0 for a good script, 2 and the error for a bad one"

run_nosh -x good
expect_rc 2 "unknown option"
expect_err "usage: nosh" "usage message"
run_nosh good extra
expect_rc 2 "extra operand"
pass "unknown options and extra operands are usage errors"
