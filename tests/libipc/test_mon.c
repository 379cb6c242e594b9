/*
 * A monitor's dispatch of its worker's requests (libipc/mon.c): what a
 * compromised worker gets for a request out of its table, out of its
 * state, or with bytes the handler never read.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libipc/mon.h"

enum { S_READY, S_ASKED, S_RUNNING, S_DONE, NSTATES };
static const char *const names[NSTATES] = { "READY", "ASKED", "RUNNING", "DONE" };
static const uint32_t moves[NSTATES] = {
	[S_READY] = IX_MON_BIT(S_ASKED) | IX_MON_BIT(S_DONE),
	[S_ASKED] = IX_MON_BIT(S_RUNNING) | IX_MON_BIT(S_DONE),
	[S_RUNNING] = IX_MON_BIT(S_DONE),
	[S_DONE] = 0,
};

#define T_ASK (IX_RANGE_PRIVD + 0x40)
#define T_SIGNAL (IX_RANGE_PRIVD + 0x41)
#define T_SLOPPY (IX_RANGE_PRIVD + 0x42)

static int asked;

static int
on_ask(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	uint32_t v;

	(void)ctx;
	if (ix_msg_get_u32(m, &v, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	asked++;
	return ix_mon_move(mon, S_ASKED, err);
}

static int
on_signal(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)mon;
	(void)ctx;
	return ix_msg_end(m, err);
}

/* Acts without reading its message to the end. */
static int
on_sloppy(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)mon;
	(void)m;
	(void)ctx;
	(void)err;
	return 0;
}

static const struct ix_mon_entry table[] = {
	{ T_ASK, "ASK", IX_MON_BIT(S_READY), on_ask },
	{ T_SIGNAL, "SIGNAL", IX_MON_BIT(S_RUNNING), on_signal },
	{ T_SLOPPY, "SLOPPY", IX_MON_BIT(S_READY) | IX_MON_BIT(S_ASKED), on_sloppy },
};

static const struct ix_mon_machine machine = {
	"test", IX_RANGE_PRIVD, names, NSTATES, moves, S_READY, table, 3,
};

/* A message as it arrives: sent on a socket pair and received. */
static struct ix_msg *
msg(uint16_t type, int with_u32)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(type, &e), *out = NULL;
	int sv[2];

	assert_non_null(m);
	if (with_u32)
		assert_int_equal(ix_msg_put_u32(m, 7, &e), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ix_ipc_send(sv[0], m, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv(sv[1], &out, 1000, &e), 1);
	close(sv[0]);
	close(sv[1]);
	ix_msg_free(m);
	return out;
}

static void
a_request_in_its_state_runs_and_moves_the_machine(void **state)
{
	struct ix_mon mon;
	struct ix_err e;
	struct ix_msg *m = msg(T_ASK, 1);

	(void)state;
	asked = 0;
	assert_int_equal(ix_mon_init(&mon, &machine, &e), 0);
	assert_string_equal(ix_mon_state(&mon), "READY");
	assert_int_equal(ix_mon_dispatch(&mon, m, NULL, &e), 0);
	assert_int_equal(asked, 1);
	assert_string_equal(ix_mon_state(&mon), "ASKED");
	ix_msg_free(m);
}

static void
a_request_out_of_its_state_is_refused_naming_both(void **state)
{
	struct ix_mon mon;
	struct ix_err e;
	struct ix_msg *sig = msg(T_SIGNAL, 0), *ask = msg(T_ASK, 1), *again = msg(T_ASK, 1);

	(void)state;
	asked = 0;
	assert_int_equal(ix_mon_init(&mon, &machine, &e), 0);
	assert_int_equal(ix_mon_dispatch(&mon, sig, NULL, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "test: worker sent SIGNAL in state READY");
	assert_int_equal(ix_mon_dispatch(&mon, ask, NULL, &e), 0);
	/* the same request twice: the second is out of state */
	assert_int_equal(ix_mon_dispatch(&mon, again, NULL, &e), -1);
	assert_string_equal(e.msg, "test: worker sent ASK in state ASKED");
	assert_int_equal(asked, 1);
	ix_msg_free(sig);
	ix_msg_free(ask);
	ix_msg_free(again);
}

static void
a_request_outside_the_table_is_refused(void **state)
{
	struct ix_mon mon;
	struct ix_err e;
	struct ix_msg *m = msg(IX_RANGE_PRIVD + 0x99, 0), *other = msg(IX_RANGE_PASSWDD + 1, 0);

	(void)state;
	assert_int_equal(ix_mon_init(&mon, &machine, &e), 0);
	assert_int_equal(ix_mon_dispatch(&mon, m, NULL, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "0x0199, which it may never send"));
	assert_int_equal(ix_mon_dispatch(&mon, other, NULL, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(ix_mon_state(&mon), "READY");
	ix_msg_free(m);
	ix_msg_free(other);
}

static void
a_handler_that_leaves_bytes_unread_is_fatal(void **state)
{
	struct ix_mon mon;
	struct ix_err e;
	struct ix_msg *m = msg(T_SLOPPY, 1);

	(void)state;
	assert_int_equal(ix_mon_init(&mon, &machine, &e), 0);
	assert_int_equal(ix_mon_dispatch(&mon, m, NULL, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	ix_msg_free(m);
}

static void
a_malformed_machine_is_refused(void **state)
{
	static const uint32_t far[NSTATES] = { IX_MON_BIT(9), 0, 0, 0 };
	static const struct ix_mon_entry twice[] = {
		{ T_ASK, "ASK", IX_MON_BIT(S_READY), on_ask },
		{ T_ASK, "ASK2", IX_MON_BIT(S_READY), on_ask },
	};
	static const struct ix_mon_entry nowhere[] = {
		{ T_ASK, "ASK", 0, on_ask },
	};
	struct ix_mon_machine m = machine;
	struct ix_mon mon;
	struct ix_err e;

	(void)state;
	m.moves = far;
	assert_int_equal(ix_mon_init(&mon, &m, &e), -1);
	m = machine;
	m.table = twice;
	m.n = 2;
	assert_int_equal(ix_mon_init(&mon, &m, &e), -1);
	assert_non_null(strstr(e.msg, "twice"));
	m.table = nowhere;
	m.n = 1;
	assert_int_equal(ix_mon_init(&mon, &m, &e), -1);
	m = machine;
	m.start = NSTATES;
	assert_int_equal(ix_mon_init(&mon, &m, &e), -1);
}

/* A move the machine does not have: corrupted internal state. Asserted
 * where assertions are compiled in (the process aborts), refused where
 * they are not. */
static void
a_move_not_in_the_machine_is_never_made(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ix_mon mon;
		struct ix_err e;

		if (ix_mon_init(&mon, &machine, &e) < 0)
			_exit(2);
		if (ix_mon_move(&mon, S_RUNNING, &e) == 0)
			_exit(3);	/* READY -> RUNNING is not a move */
		_exit(e.code == IX_ECORRUPT && mon.state == S_READY ? 0 : 4);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
#ifdef NDEBUG
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
#else
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_request_in_its_state_runs_and_moves_the_machine),
		cmocka_unit_test(a_request_out_of_its_state_is_refused_naming_both),
		cmocka_unit_test(a_request_outside_the_table_is_refused),
		cmocka_unit_test(a_handler_that_leaves_bytes_unread_is_fatal),
		cmocka_unit_test(a_malformed_machine_is_refused),
		cmocka_unit_test(a_move_not_in_the_machine_is_never_made),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
