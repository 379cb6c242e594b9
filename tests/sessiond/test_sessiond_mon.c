/* sessiond's worker and monitor without the daemon: the client's request
 * as the worker reads it and relays it, and as the monitor reads it back
 * (sessiond/request.c), and the monitor's table of what the worker may
 * send in each state (sessiond/monitor.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sessiond/monitor.h"
#include "sessiond/mproto.h"
#include "sessiond/request.h"

/* m, sent over a fresh pair and received: as the other side sees it. */
static struct ix_msg *
carried(struct ix_msg *m)
{
	struct ix_msg *got = NULL;
	struct ix_err e;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ix_ipc_send(sv[0], m, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv(sv[1], &got, 1000, &e), 1);
	close(sv[0]);
	close(sv[1]);
	ix_msg_free(m);
	return got;
}

/* A client's OPEN of label with words, descriptors on /dev/null. */
static struct ix_msg *
client_open(uint8_t flags, const char *label, const char *term, int argc, const char *const *argv,
	    int nfds)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(SESSIOND_MSG_OPEN, &e);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	assert_true(null >= 0);
	ix_msg_put_u8(m, flags, &e);
	ix_msg_put_str(m, label, 2 * SESSIOND_LABEL_MAX, &e);
	ix_msg_put_str(m, term, 2 * SESSIOND_TERM_MAX, &e);
	ix_msg_put_u16(m, (uint16_t)argc, &e);
	for (int i = 0; i < argc; i++)
		ix_msg_put_str(m, argv[i], SESSIOND_ARG_MAX, &e);
	for (int i = 0; i < nfds; i++)
		ix_msg_put_fd(m, null, &e);
	m = carried(m);
	close(null);
	return m;
}

/* The worker's reading of a client's OPEN: 0, or -1 with *e. */
static int
worker_reads(struct ix_msg *m, struct sess_request *r, struct ix_err *e)
{
	int rc = sess_request_from_client(m, r, e);

	ix_msg_free(m);
	return rc;
}

/* What the worker read in *w relayed to the monitor, read back in *mon. */
static void
relayed(struct sess_request *w, struct sess_request *mon)
{
	struct ix_msg *m;
	struct ix_err e;

	m = ix_msg_new(SESSIOND_MON_REQUEST, &e);
	assert_int_equal(sess_request_put(m, w, &e), 0);
	m = carried(m);
	sess_request_close(w);
	assert_int_equal(sess_request_get(m, mon, &e), 0);
	ix_msg_free(m);
}

static void
request_relayed_reads_back_the_same_and_its_claims_hold(void **state)
{
	const char *words[] = { "id", "-u" };
	struct sess_request w, mon;
	struct ix_err e;

	(void)state;
	assert_int_equal(worker_reads(client_open(SESSIOND_F_ADMIN, "secret", "xterm", 2, words, 3),
				      &w, &e), 0);
	relayed(&w, &mon);
	assert_int_equal(mon.kind, SESSIOND_REQ_OPEN);
	assert_int_equal(mon.flags, SESSIOND_F_ADMIN);
	assert_string_equal(mon.label, "secret");
	assert_string_equal(mon.term, "xterm");
	assert_int_equal(mon.argc, 2);
	assert_string_equal(mon.argv[0], "id");
	assert_string_equal(mon.argv[1], "-u");
	assert_null(mon.argv[2]);
	assert_int_equal(sess_request_claims_hold(&mon, &e), 0);
	sess_request_close(&mon);
}

static void
claims_do_not_hold_for_a_swapped_descriptor(void **state)
{
	struct sess_request w, mon;
	struct ix_err e;
	int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_int_equal(worker_reads(client_open(0, "secret", "", 0, NULL, 3), &w, &e), 0);
	relayed(&w, &mon);
	close(mon.fd[1]);
	mon.fd[1] = zero;	/* another device, another open mode */
	assert_int_equal(sess_request_claims_hold(&mon, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	assert_non_null(strstr(e.msg, "descriptor 1 is not what the worker says"));
	sess_request_close(&mon);
}

static void
worker_rejects_what_open_may_not_carry(void **state)
{
	const char *many[SESSIOND_ARGC_MAX + 1], *big[3];
	static char word[SESSIOND_ARG_MAX];
	struct sess_request r;
	struct ix_err e;

	(void)state;
	for (int i = 0; i <= SESSIOND_ARGC_MAX; i++)
		many[i] = "w";
	memset(word, 'w', sizeof word - 1);
	big[0] = big[1] = big[2] = word;
	assert_int_equal(worker_reads(client_open(0x2, "secret", "", 0, NULL, 3), &r, &e), -1);
	assert_non_null(strstr(e.msg, "unknown OPEN flags"));
	sess_request_close(&r);
	assert_int_equal(worker_reads(client_open(0, "", "", 0, NULL, 3), &r, &e), -1);
	assert_non_null(strstr(e.msg, "no label"));
	sess_request_close(&r);
	assert_int_equal(worker_reads(client_open(0, "secret", "x;y", 0, NULL, 3), &r, &e), -1);
	assert_non_null(strstr(e.msg, "TERM"));
	sess_request_close(&r);
	assert_int_equal(worker_reads(client_open(0, "secret", "", SESSIOND_ARGC_MAX + 1, many, 3),
				      &r, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	sess_request_close(&r);
	assert_int_equal(worker_reads(client_open(0, "secret", "", 3, big, 3), &r, &e), -1);
	assert_non_null(strstr(e.msg, "longer than"));
	sess_request_close(&r);
	assert_int_equal(worker_reads(client_open(0, "secret", "", 0, NULL, 2), &r, &e), -1);
	sess_request_close(&r);
}

/* Dispatches an empty-or-one-byte message of type in state: the result,
 * the state after in *after. */
static int
dispatch(unsigned state, uint16_t type, int u8, unsigned *after, struct ix_err *e)
{
	struct sess_heard h;
	struct ix_mon mon;
	struct ix_msg *m = ix_msg_new(type, e);
	int r;

	assert_int_equal(sess_mon_init(&mon, &h, e), 0);
	mon.state = state;
	if (u8 >= 0)
		ix_msg_put_u8(m, (uint8_t)u8, e);
	m = carried(m);
	r = ix_mon_dispatch(&mon, m, &h, e);
	*after = mon.state;
	ix_msg_free(m);
	sess_heard_free(&h);
	return r;
}

static void
machine_permits_each_message_only_in_its_states(void **state)
{
	static const struct {
		uint16_t type;
		int u8;
		uint32_t in;		/* states it is permitted in */
		unsigned to;		/* where it moves, SESS_NSTATES: nowhere */
	} rows[] = {
		{ SESSIOND_MON_REQUEST, SESSIOND_REQ_LIST, IX_MON_BIT(SESS_READY), SESS_IDENTIFIED },
		{ SESSIOND_MON_WINCH, -1, IX_MON_BIT(SESS_RUNNING), SESS_NSTATES },
		{ SESSIOND_MON_HANGUP, SESSIOND_HANGUP_CLOSED,
		  IX_MON_BIT(SESS_IDENTIFIED) | IX_MON_BIT(SESS_CHECKED) |
			  IX_MON_BIT(SESS_AUTHENTICATED) | IX_MON_BIT(SESS_RUNNING), SESS_DONE },
	};
	struct ix_err e;
	unsigned after;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		for (unsigned s = 0; s < SESS_NSTATES; s++) {
			int r = dispatch(s, rows[i].type, rows[i].u8, &after, &e);

			if (rows[i].in & IX_MON_BIT(s)) {
				assert_int_equal(r, 0);
				assert_int_equal(after, rows[i].to == SESS_NSTATES ? s : rows[i].to);
			} else {
				assert_int_equal(r, -1);
				assert_int_equal(e.code, IX_EDENIED);
				assert_int_equal(after, s);
			}
		}
}

static void
machine_refuses_other_types_and_unread_bytes(void **state)
{
	struct ix_err e;
	unsigned after;

	(void)state;
	assert_int_equal(dispatch(SESS_READY, IX_RANGE_PRIVD + 0x01, -1, &after, &e), -1);
	assert_non_null(strstr(e.msg, "may never send"));
	assert_int_equal(dispatch(SESS_READY, SESSIOND_MSG_OPEN, -1, &after, &e), -1);
	assert_int_equal(dispatch(SESS_READY, SESSIOND_MON_CONN, -1, &after, &e), -1);
	assert_int_equal(dispatch(SESS_RUNNING, SESSIOND_MON_WINCH, 0, &after, &e), -1);
	assert_int_equal(after, SESS_RUNNING);
	assert_int_equal(dispatch(SESS_RUNNING, SESSIOND_MON_HANGUP, 2, &after, &e), -1);
	assert_non_null(strstr(e.msg, "unknown reason"));
	assert_int_equal(dispatch(SESS_READY, SESSIOND_MON_REQUEST, 9, &after, &e), -1);
	assert_int_equal(after, SESS_READY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_relayed_reads_back_the_same_and_its_claims_hold),
		cmocka_unit_test(claims_do_not_hold_for_a_swapped_descriptor),
		cmocka_unit_test(worker_rejects_what_open_may_not_carry),
		cmocka_unit_test(machine_permits_each_message_only_in_its_states),
		cmocka_unit_test(machine_refuses_other_types_and_unread_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
