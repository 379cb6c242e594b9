#!/bin/sh
# Issue 16, hole 4: a compartment sees and reaches neither the host's IPC
# objects nor its processes. As root in the harness world: the host makes
# a SysV shared memory segment, message queue and semaphore set (ipcmk)
# and runs a marker process; inside `compartctl run` the attack is
# `ipcs` listing them and `ps -e` showing the marker. Then: inside, a
# process view of the compartment alone (its init and itself) and no host
# pid to signal; two runs joining one named compartment share its SysV
# objects and see each other's processes; `compartctl ps` from outside
# shows the members (and the namespaces' init) by their host pids, which
# the host can signal; the host's SIGTERM to compartctl still reaches the
# command; removing the compartment leaves no process in its namespaces;
# a run's own compartment leaves no init behind.
# Needs root, ipcmk, ipcs, ipcrm, ps (procps). Ends with "N passed, M failed".
name=compart_ns.sh
. "$(dirname "$0")/harness.sh"
need_built compartctl/compartctl privtree/privtree
need_tools ipcmk ipcs ipcrm ps readlink
world
world_setup

export IXKIT_CONFIG=/dev/null IXKIT_DB="$tmp/ixkit.db" IXKIT_RUNDIR="$tmp/run"
"$privtree" init >/dev/null 2>&1 && "$privtree" import "$top/etc/demo.policy" >/dev/null 2>&1 ||
	die "cannot build the demo database"
show_failure() { sed 's/^/  | /' "$tmp/out" 2>/dev/null; }
cc() { "$compartctl" "$@"; }	# in the foreground only: $! of "cc &" would be a subshell

# The host's objects. The world shares the machine's IPC namespace, so
# they are removed on every exit path.
shm=$(ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
msq=$(ipcmk -Q | sed -n 's/^Message queue id: //p')
sem=$(ipcmk -S 1 | sed -n 's/^Semaphore id: //p')
at_exit "ipcrm -m '$shm' -q '$msq' -s '$sem' 2>/dev/null"
[ -n "$shm" ] && [ -n "$msq" ] && [ -n "$sem" ] || die "ipcmk made no objects"
sleep 4242 &
marker=$!
at_exit "kill $marker 2>/dev/null"
# ipcs prints an object's id in its second column.
has_id() { awk -v id="$2" '$2 == id { f = 1 } END { exit !f }' "$1"; }
check "control: the host lists its own segment" 'ipcs -m > "$tmp/out" && has_id "$tmp/out" "$shm"'

# The attack.
cc run --label unclassified -- ipcs -m > "$tmp/out" 2>&1
check "inside, ipcs -m runs (0)" '[ $? = 0 ]'
check "inside, ipcs -m does not list the host's segment" 'grep -q "^key" "$tmp/out" && ! has_id "$tmp/out" "$shm"'
cc run --label unclassified -- ipcs -q > "$tmp/out" 2>&1
check "inside, ipcs -q does not list the host's queue" 'grep -q "^key" "$tmp/out" && ! has_id "$tmp/out" "$msq"'
cc run --label unclassified -- ipcs -s > "$tmp/out" 2>&1
check "inside, ipcs -s does not list the host's semaphores" 'grep -q "^key" "$tmp/out" && ! has_id "$tmp/out" "$sem"'
cc run --label unclassified -- ps -eo pid=,args= > "$tmp/out" 2>&1
check "inside, ps -e runs and lists itself" 'grep -q "ps -eo pid=,args=" "$tmp/out"'
check "inside, ps -e does not show the host's marker" 'lacks "$tmp/out" "sleep 4242"'
check "inside, ps -e shows the compartment's init and itself, nothing else" \
	'[ "$(wc -l < "$tmp/out")" = 2 ] && grep -q "^ *1 ixkit-init" "$tmp/out"'
cc run --label unclassified -- /bin/kill -0 "$marker" > "$tmp/out" 2>&1
check "inside, the host's pid names nothing (kill -0 fails)" '[ $? != 0 ]'
cc run --label unclassified -- /bin/sh -c 'echo pid=$$' > "$tmp/out" 2>&1
check "inside, the command is not its namespace's init (pid 2)" 'grep -qx "pid=2" "$tmp/out"'

# Two runs joining one named compartment.
# Named after the test's own directory: compartments are the machine's,
# shared with every other world.
cmp=ns-$(basename "$tmp" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9-')
at_exit "'$compartctl' remove '$cmp' 2>/dev/null"
cc create "$cmp" --label unclassified > "$tmp/out" 2>&1
check "create a named compartment" '[ $? = 0 ]'
"$compartctl" run --compartment "$cmp" -- /bin/sh -c 'ipcmk -M 8192; exec sleep 4343' > "$tmp/a" 2>&1 &
a=$!
until_true grep -q "^Shared memory id: " "$tmp/a"
ashm=$(sed -n 's/^Shared memory id: //p' "$tmp/a")
until_true pgrep -fx "sleep 4343" > /dev/null
check "the first run made a segment" '[ -n "$ashm" ]'
check "the host does not see it" 'ipcs -m > "$tmp/out" && ! has_id "$tmp/out" "$ashm"'
cc run --compartment "$cmp" -- ipcs -m > "$tmp/out" 2>&1
check "a second run in the same compartment lists the first run's segment" 'has_id "$tmp/out" "$ashm"'
cc run --compartment "$cmp" -- ps -eo pid=,args= > "$tmp/out" 2>&1
check "... and sees the first run's process" 'grep -q "sleep 4343" "$tmp/out"'
check "... and not the host's marker" 'lacks "$tmp/out" "sleep 4242"'
cc run --label unclassified -- ipcs -m > "$tmp/out" 2>&1
check "another compartment does not list it" 'grep -q "^key" "$tmp/out" && ! has_id "$tmp/out" "$ashm"'
cc run --label unclassified -- ps -eo args= > "$tmp/out" 2>&1
check "... nor see the first run's process" 'lacks "$tmp/out" "sleep 4343"'
sleeper=$(pgrep -fx "sleep 4343")
cc ps > "$tmp/out" 2>&1
check "compartctl ps (outside) shows the member by its host pid" \
	'grep -Eq "^$sleeper +$cmp +no +unclassified +sleep$" "$tmp/out"'
init=$(awk -v c="$cmp" '$2 == c && $5 == "ixkit-init" { print $1 }' "$tmp/out")
check "compartctl ps shows the compartment's init" '[ -n "$init" ] && kill -0 "$init"'
ns_of() { for n in ipc pid mnt; do readlink "/proc/$1/ns/$n"; done; }
ns_of "$init" > "$tmp/ns"
check "the init holds IPC, pid and mount namespaces other than the host's" \
	'[ "$(wc -l < "$tmp/ns")" = 3 ] && ns_of $$ | none grep -qxF -f "$tmp/ns"'
cc remove "$cmp" > "$tmp/out" 2>&1
check "remove refuses while a member runs, counting members only" \
	'[ $? = 1 ] && grep -q "still holds 1 process" "$tmp/out"'
kill "$sleeper"
wait "$a"
check "the host signals a member by its host pid (143)" '[ $? = 143 ]'
cc remove "$cmp" > "$tmp/out" 2>&1
check "remove once the members are gone" '[ $? = 0 ]'
check "the init is gone" 'until_true none kill -0 "$init" 2>/dev/null'
pinned() { for p in /proc/[0-9]*; do ns_of "${p#/proc/}"; done 2>/dev/null | grep -qxF -f "$tmp/ns"; }
check "no process is left in the compartment's namespaces" 'none pinned'
check "no namespace is pinned by a mount" 'lacks /proc/self/mountinfo " nsfs "'

# compartctl's signals reach the command, which as pid 2 has its default
# actions (an init would ignore SIGTERM).
"$compartctl" run --label unclassified -- sleep 4444 &
r=$!
until_true pgrep -fx "sleep 4444" > /dev/null
kill -TERM "$r"
wait "$r"
check "SIGTERM to compartctl ends the command (143)" '[ $? = 143 ]'
check "a run's own compartment leaves no init behind" 'until_true none pgrep -x ixkit-init > /dev/null'

finish
