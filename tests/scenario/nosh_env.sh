#!/bin/sh
# Programs run by nosh start with an empty environment; cd is a built-in.
. "$(dirname "$0")/nosh_lib.sh"

FOO=bar LD_PRELOAD= HOME=/root PATH=/usr/bin:/bin run_nosh -c '/usr/bin/env > envout'
expect_rc 0 "/usr/bin/env"
[ -f envout ] || fail "env output missing"
[ ! -s envout ] || fail "the child saw an environment: $(cat envout)"
pass "/usr/bin/env run by nosh prints nothing"

mkdir sub
run_nosh -e -c "cd ./sub
/bin/pwd > here"
expect_file sub/here "$scratch/sub" "cd then pwd"
pass "cd changes the directory of the following commands"

cat >script <<'NOSH'
# a comment, a blank line, quoting
/bin/echo 'it''s' '$HOME' '*' > words
NOSH
run_nosh script
expect_file words "it's \$HOME *" "quoted words"
pass "quoted words reach the program unexpanded"

: >held
/usr/bin/test -e /proc/self/fd/5 5<held || fail "baseline: fd 5 not passed to test"
rc=0
"$NOSH" -c '/usr/bin/test -e /proc/self/fd/5' 5<held 2>err || rc=$?
expect_rc 1 "a descriptor nosh inherited reached the command"
pass "descriptors other than 0, 1 and 2 do not reach commands"
