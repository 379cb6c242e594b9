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
