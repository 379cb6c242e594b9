/*
 * passwdd/wire.c: the monitor's machine over its worker's messages, the
 * helper's machine over its monitor's requests, and the reading of the
 * helper's answers. Each message goes through a real socket pair, so that
 * its descriptors arrive as the kernel passes them.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "passwdd/proto.h"
#include "passwdd/wire.h"

static int null_fd = -1;

/* m through a socket pair: the received message (m freed). */
static struct ix_msg *
wire(struct ix_msg *m)
{
	struct ix_msg *r = NULL;
	struct ix_err e;
	int sp[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv(sp[1], &r, 1000, &e), 1);
	ix_msg_free(m);
	close(sp[0]);
	close(sp[1]);
	return r;
}

static struct ix_msg *
verify(const char *user, int nfds, bool trailing)
{
	struct ix_msg *m = ix_msg_new(PW_W_VERIFY, NULL);
	struct ix_err e;

	ix_msg_put_str(m, user, PW_USER_MAX, &e);
	for (int i = 0; i < nfds; i++)
		ix_msg_put_fd(m, null_fd, &e);
	if (trailing)
		ix_msg_put_u8(m, 0, &e);
	return wire(m);
}

static struct ix_msg *
tag_register(void)
{
	static const uint8_t tok[PW_TAG_TOKEN_LEN];
	struct ix_msg *m = ix_msg_new(PW_W_TAG_REGISTER, NULL);
	struct ix_err e;

	ix_msg_put_u64(m, 7, &e);
	ix_msg_put_blob(m, tok, sizeof tok, sizeof tok, &e);
	ix_msg_put_u32(m, 60, &e);
	ix_msg_put_u8(m, 1, &e);
	ix_msg_put_str(m, "root", PW_USER_MAX, &e);
	return wire(m);
}

/* The monitor of a peer (uid 1000, "alice") in state st. */
static void
monitor(struct ix_mon *mon, struct pw_wreq *r, unsigned st, unsigned flags)
{
	struct ix_err e;

	assert_int_equal(ix_mon_init(mon, &pw_mon_machine, &e), 0);
	mon->state = st;
	memset(r, 0, sizeof *r);
	r->party_fd = r->pidfd = -1;
	r->peer_uid = 1000;
	r->peer_flags = flags;
	strcpy(r->peer_name, "alice");
}

/* Dispatches m (freed) in mon: 0, or -1 with the words in *e. */
static int
dispatch(struct ix_mon *mon, struct pw_wreq *r, struct ix_msg *m, struct ix_err *e)
{
	int rc = ix_mon_dispatch(mon, m, r, e);

	ix_msg_free(m);
	return rc;
}

static void
monitor_takes_verify_of_the_peers_own_name(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 2, false), &e), 0);
	assert_int_equal(r.kind, PW_WREQ_VERIFY);
	assert_string_equal(ix_mon_state(&mon), "VERIFY");
	assert_true(r.party_fd >= 0 && r.pidfd >= 0);
	pw_wreq_clear(&r);
	assert_int_equal(r.party_fd, -1);
}

static void
monitor_refuses_verify_of_another_name_for_an_ordinary_peer(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, verify("root", 2, false), &e), -1);
	assert_string_equal(e.msg, "VERIFY relayed against the checks: uid 1000 may only verify "
			    "its own login name");
	assert_string_equal(ix_mon_state(&mon), "RELAYING");
	pw_wreq_clear(&r);
}

static void
monitor_takes_any_name_from_a_trusted_peer(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, PW_PEER_TRUSTED);
	assert_int_equal(dispatch(&mon, &r, verify("root", 2, false), &e), 0);
	assert_string_equal(r.user, "root");
	pw_wreq_clear(&r);
}

static void
monitor_refuses_tag_register_from_a_peer_not_sessiond(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, PW_PEER_TRUSTED);
	assert_int_equal(dispatch(&mon, &r, tag_register(), &e), -1);
	assert_non_null(strstr(e.msg, "only sessiond's user may manage session tags"));
	monitor(&mon, &r, PW_MS_RELAYING, PW_PEER_TRUSTED | PW_PEER_SESSIOND);
	assert_int_equal(dispatch(&mon, &r, tag_register(), &e), 0);
	assert_int_equal(r.kind, PW_WREQ_TAG_ADD);
	assert_string_equal(r.ids[0], "root");
}

static void
monitor_refuses_a_message_before_the_connection_and_a_second_one(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_START, 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 2, false), &e), -1);
	assert_string_equal(e.msg, "passwdd: worker sent VERIFY in state START");
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 2, false), &e), 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 2, false), &e), -1);
	assert_string_equal(e.msg, "passwdd: worker sent VERIFY in state VERIFY");
	pw_wreq_clear(&r);
}

static void
monitor_refuses_verify_without_descriptors_or_with_trailing_bytes(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 0, false), &e), -1);
	assert_non_null(strstr(e.msg, "descriptor 1 expected, 0 received"));
	pw_wreq_clear(&r);
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, verify("alice", 2, true), &e), -1);
	assert_non_null(strstr(e.msg, "1 trailing bytes"));
	pw_wreq_clear(&r);
}

static void
monitor_refuses_a_type_of_another_range(void **state)
{
	struct ix_mon mon;
	struct pw_wreq r;
	struct ix_err e;

	(void)state;
	monitor(&mon, &r, PW_MS_RELAYING, 0);
	assert_int_equal(dispatch(&mon, &r, wire(ix_msg_new(IX_RANGE_PRIVD + 1, NULL)), &e), -1);
	assert_string_equal(e.msg, "passwdd: worker sent 0x0101, which it may never send");
	assert_int_equal(dispatch(&mon, &r, wire(ix_msg_new(PW_MSG_VERIFY, NULL)), &e), -1);
	assert_string_equal(e.msg, "passwdd: worker sent 0x0201, which it may never send");
}

/* The helper's machine in state st, its secret buffer sec. */
static void
helper(struct ix_mon *mon, struct pw_hreq *q, unsigned st, char *sec)
{
	struct ix_err e;

	assert_int_equal(ix_mon_init(mon, &pw_helper_machine, &e), 0);
	mon->state = st;
	*q = (struct pw_hreq){ .fds = { -1, -1, -1 }, .secret = sec };
}

static struct ix_msg *
pam_request(const char *secret)
{
	struct ix_msg *m = ix_msg_new(PW_H_PAM, NULL);
	struct ix_err e;

	ix_msg_set_secret(m);
	ix_msg_put_str(m, "login", PW_PAM_SERVICE_MAX, &e);
	ix_msg_put_str(m, "alice", PW_USER_MAX, &e);
	ix_msg_put_blob(m, secret, strlen(secret), PW_SECRET_MAX, &e);
	return wire(m);
}

static void
helper_refuses_pam_before_a_prompt(void **state)
{
	char sec[PW_SECRET_MAX + 2] = "";
	struct ix_mon mon;
	struct pw_hreq q;
	struct ix_err e;
	struct ix_msg *m = pam_request("correct horse");

	(void)state;
	helper(&mon, &q, PW_HS_KNOWN, sec);
	assert_int_equal(ix_mon_dispatch(&mon, m, &q, &e), -1);
	assert_string_equal(e.msg, "passwdd helper: worker sent PAM in state KNOWN");
	assert_string_equal(sec, "");
	ix_msg_free(m);
}

static void
helper_takes_pam_after_the_prompt_and_clear_wipes_the_secret(void **state)
{
	char sec[PW_SECRET_MAX + 2] = "";
	struct ix_mon mon;
	struct pw_hreq q;
	struct ix_err e;
	struct ix_msg *m = pam_request("correct horse");

	(void)state;
	helper(&mon, &q, PW_HS_PROMPTED, sec);
	assert_int_equal(ix_mon_dispatch(&mon, m, &q, &e), 0);
	ix_msg_free(m);
	assert_string_equal(sec, "correct horse");
	assert_string_equal(q.service, "login");
	pw_hreq_clear(&q);
	for (size_t i = 0; i < sizeof sec; i++)
		assert_int_equal(sec[i], 0);
}

static void
helper_refuses_name_once_the_client_is_known(void **state)
{
	struct ix_mon mon;
	struct pw_hreq q;
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PW_H_NAME, NULL);

	(void)state;
	ix_msg_put_u32(m, 1000, &e);
	m = wire(m);
	helper(&mon, &q, PW_HS_KNOWN, NULL);
	assert_int_equal(ix_mon_dispatch(&mon, m, &q, &e), -1);
	assert_string_equal(e.msg, "passwdd helper: worker sent NAME in state KNOWN");
	ix_msg_free(m);
}

static void
answer_with_a_secret_but_no_answer_is_refused_and_wiped(void **state)
{
	char sec[PW_SECRET_MAX + 2];
	struct pw_hanswer a;
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PW_H_PROMPT + PW_H_ANSWER, NULL);

	(void)state;
	memset(sec, 'z', sizeof sec);
	ix_msg_set_secret(m);
	ix_msg_put_u8(m, 0, &e);
	ix_msg_put_u8(m, 0, &e);
	ix_msg_put_str(m, "no answer", PW_H_WHY_MAX - 1, &e);
	ix_msg_put_blob(m, "leaked", 6, PW_SECRET_MAX, &e);
	m = wire(m);
	assert_int_equal(pw_hanswer_read(m, PW_H_PROMPT, &a, sec, &e), -1);
	for (size_t i = 0; i < sizeof sec; i++)
		assert_int_equal(sec[i], 0);
	ix_msg_free(m);
}

static void
answer_of_the_wrong_type_or_an_error_is_refused(void **state)
{
	struct pw_hanswer a;
	struct ix_err e, remote = { .code = IX_EDENIED };
	struct ix_msg *m = ix_msg_new(PW_H_PAM + PW_H_ANSWER, NULL);
	int sp[2];

	(void)state;
	ix_msg_put_u8(m, 1, &e);
	m = wire(m);
	assert_int_equal(pw_hanswer_read(m, PW_H_PEX, &a, NULL, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	ix_msg_free(m);
	snprintf(remote.msg, sizeof remote.msg, "PAM service x loads pam_passwdd: refused (a loop)");
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(ix_ipc_send_error(sp[0], &remote, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv(sp[1], &m, 1000, &e), 1);
	assert_int_equal(pw_hanswer_read(m, PW_H_PAM, &a, NULL, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "helper: PAM service x loads pam_passwdd: refused (a loop)");
	ix_msg_free(m);
	close(sp[0]);
	close(sp[1]);
}

static int
setup(void **state)
{
	(void)state;
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return null_fd < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(null_fd);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(monitor_takes_verify_of_the_peers_own_name),
		cmocka_unit_test(monitor_refuses_verify_of_another_name_for_an_ordinary_peer),
		cmocka_unit_test(monitor_takes_any_name_from_a_trusted_peer),
		cmocka_unit_test(monitor_refuses_tag_register_from_a_peer_not_sessiond),
		cmocka_unit_test(monitor_refuses_a_message_before_the_connection_and_a_second_one),
		cmocka_unit_test(monitor_refuses_verify_without_descriptors_or_with_trailing_bytes),
		cmocka_unit_test(monitor_refuses_a_type_of_another_range),
		cmocka_unit_test(helper_refuses_pam_before_a_prompt),
		cmocka_unit_test(helper_takes_pam_after_the_prompt_and_clear_wipes_the_secret),
		cmocka_unit_test(helper_refuses_name_once_the_client_is_known),
		cmocka_unit_test(answer_with_a_secret_but_no_answer_is_refused_and_wiped),
		cmocka_unit_test(answer_of_the_wrong_type_or_an_error_is_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
