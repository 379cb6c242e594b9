#!/bin/sh
# "> file" and ">> file" write where they say, and refuse links and
# anything that is not a plain file of nosh's own.
. "$(dirname "$0")/nosh_lib.sh"

run_nosh -e -c "/bin/echo hello > out
/bin/echo again >> out
/bin/echo 'with space' > 'a file'"
expect_rc 0 "redirections"
expect_file out "hello
again" "> then >>"
expect_file "a file" "with space" "quoted file name"
run_nosh -c '/bin/echo new > out'
expect_file out "new" "> truncates"
pass "> creates and truncates, >> appends, file names can be quoted"

run_nosh -c '/bin/echo quiet > /dev/null'
expect_rc 0 "> /dev/null"
pass "> /dev/null is allowed"

echo precious >victim
ln -s victim link
run_nosh -e -c '/bin/echo evil > link
/usr/bin/touch ./after'
expect_rc 124 "> onto a symlink"
expect_err "link: a symbolic link is on the path" "symlink message"
expect_file victim precious "symlink target"
expect_absent after "-e ran past a refused redirection"
pass "> onto a symbolic link is refused, target untouched, -e stops"

mkdir real
ln -s real dirlink
run_nosh -c '/bin/echo evil > dirlink/file'
expect_rc 124 "> through a symlinked directory"
expect_absent real/file "file written through a symlinked directory"
pass "> through a symbolic link in a directory component is refused"

ln victim hard
run_nosh -c '/bin/echo evil > hard'
expect_rc 124 "> onto a hard link"
expect_err "has other hard links" "hard link message"
expect_file victim precious "hard-linked file"
pass "> onto a file with other hard links is refused"

mkfifo fifo
run_nosh_timed() { rc=0; timeout 10 "$NOSH" "$@" 2>err || rc=$?; }
run_nosh_timed -c '/bin/echo x > fifo'
expect_rc 124 "> onto a FIFO"
expect_err "not a regular file" "FIFO message"
pass "> onto a FIFO is refused without blocking"

run_nosh -c '/bin/echo x > /no/such/dir/f'
expect_rc 124 "> into a missing directory"
pass "> into a missing directory fails with 124"
