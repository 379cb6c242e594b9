/* The session decision (ix_decide_session): clearance, port, ceiling,
 * floor and seal, with the refusals' messages. The cases of sessiond's
 * sess_check (tests/sessiond/test_sessiond.c), now decided in libauthtree,
 * as one table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/session.h"
#include "tests/libauthtree/test_policy_util.h"

static const char policy_text[] =
	"ixkit-policy 1\n"
	"level unclassified\n"
	"level confidential\n"
	"level secret\n"
	"level topsecret\n"
	"category projectbit 0\n"
	"category otherbit 1\n"
	"node /\n\tpredicate NONE\n\trights ALL\n"
	"clearance sec unclassified..secret:projectbit\n"
	"clearance conf unclassified..confidential\n"
	"clearance high confidential..TOP\n"
	"port unclassified..TOP /dev/(console|tty[0-9]+)\n"
	"port unclassified..confidential /dev/pts/[0-9]+@sshd\n"
	"port unclassified..secret /dev/pts/[0-9]+@(login|tmux)\n"
	"floor confidential\n"
	"seal secret..TOP\n";

static struct ix_policy *pol;

static int
setup(void **state)
{
	(void)state;
	pol = tp_parse("session.policy", policy_text);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ix_policy_free(pol);
	return 0;
}

/* One request and what it must give. why: the exact refusal, or a prefix
 * of it ending in '*'; NULL when admitted. ceiling, port, clearance: NULL
 * when not checked. */
struct scase {
	const char *login, *src, *label;
	const char *why;
	const char *ceiling;
	int below_floor, sealed;	/* -1: not checked */
	const char *port, *clearance;
};

static void
run(const struct scase *c)
{
	struct ix_session_grant g;
	char why[IX_SESSION_WHY_MAX], text[IX_LABEL_TEXT_MAX];
	struct ix_label want;
	struct ix_err e;
	int r = ix_decide_session(pol, c->login, c->src, c->label, &g, why, sizeof why, &e);
	size_t n;

	if (r < 0)
		fail_msg("%s at %s from %s: %s", c->login, c->label, c->src, e.msg);
	if (c->why == NULL) {
		if (r != 1)
			fail_msg("%s at %s from %s refused: %s", c->login, c->label, c->src, why);
		assert_string_equal(why, "");
		assert_int_equal(ix_label_parse(pol->enc, c->label, strlen(c->label), &want, &e), 0);
		assert_true(ix_label_eq(&g.label, &want));
	} else {
		if (r != 0)
			fail_msg("%s at %s from %s admitted", c->login, c->label, c->src);
		n = strlen(c->why);
		if (c->why[n - 1] == '*' ? strncmp(why, c->why, n - 1) != 0 : strcmp(why, c->why) != 0)
			fail_msg("'%s', expected '%s'", why, c->why);
	}
	if (c->ceiling != NULL) {
		assert_true(ix_label_print(pol->enc, &g.ceiling, text, sizeof text, &e) > 0);
		assert_string_equal(text, c->ceiling);
	}
	if (c->below_floor >= 0)
		assert_int_equal(g.below_floor, c->below_floor);
	if (c->sealed >= 0)
		assert_int_equal(g.sealed, c->sealed);
	if (c->port != NULL)
		assert_string_equal(g.port, c->port);
	if (c->clearance != NULL)
		assert_string_equal(g.clearance, c->clearance);
}

static void
run_all(const struct scase *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run(&c[i]);
}

#define N(a) (sizeof (a) / sizeof (a)[0])

static void
session_admits_within_clearance_and_port_with_the_ceiling_cut(void **state)
{
	static const struct scase c[] = {
		/* The tmux port stops at secret: the ceiling is the clearance's
		 * top meet the port's. */
		{ "sec", "/dev/pts/3@tmux", "secret", NULL, "secret", 0, 1,
		  "/dev/pts/[0-9]+@(login|tmux)", "unclassified..secret:projectbit" },
		/* At the console (up to TOP) the clearance alone bounds it. */
		{ "sec", "/dev/tty2", "secret", NULL, "secret:projectbit", 0, -1,
		  "/dev/(console|tty[0-9]+)", NULL },
		{ "high", "/dev/pts/1@sshd", "confidential", NULL, "confidential", 0, 0, NULL,
		  NULL },
	};

	(void)state;
	run_all(c, N(c));
}

static void
session_refuses_outside_the_clearance(void **state)
{
	static const struct scase c[] = {
		{ "conf", "/dev/pts/3@tmux", "secret",
		  "refused: secret is not within the clearance of conf "
		  "(unclassified..confidential)", NULL, -1, -1, NULL, NULL },
		{ "high", "/dev/tty1", "unclassified",
		  "refused: unclassified is not within the clearance of high*", NULL, -1, -1,
		  NULL, NULL },
		{ "sec", "/dev/tty1", "secret:otherbit",
		  "refused: secret:otherbit is not within the clearance of sec*", NULL, -1, -1,
		  NULL, NULL },
		{ "nobody", "/dev/tty1", "unclassified", "refused: nobody has no clearance", NULL,
		  -1, -1, NULL, NULL },
		/* Both would refuse: the clearance, checked first, is named. */
		{ "conf", "/dev/pts/4@sshd", "secret",
		  "refused: secret is not within the clearance of conf*", NULL, -1, -1, NULL,
		  NULL },
	};

	(void)state;
	run_all(c, N(c));
}

static void
session_refuses_a_port_that_does_not_suit(void **state)
{
	static const struct scase c[] = {
		{ "sec", "/dev/pts/4@sshd", "secret",
		  "refused: the port /dev/pts/4@sshd is suitable only for "
		  "unclassified..confidential, not secret", NULL, -1, -1, NULL, NULL },
		/* Patterns are anchored: "/dev/pts/4" is not "/dev/pts/4@tmux". */
		{ "sec", "/dev/pts/4", "confidential",
		  "refused: no port rule admits sessions from /dev/pts/4", NULL, -1, -1, NULL,
		  NULL },
		{ "sec", "pipe", "confidential", "refused: no port rule admits sessions from pipe",
		  NULL, -1, -1, NULL, NULL },
	};

	(void)state;
	run_all(c, N(c));
}

static void
session_refuses_a_bad_label_and_no(void **state)
{
	static const struct scase c[] = {
		{ "sec", "/dev/tty1", "sekret", "refused: 'sekret' is not a label: *", NULL, -1,
		  -1, NULL, NULL },
		{ "high", "/dev/tty1", "NO", "refused: nothing can work at NO", NULL, -1, -1, NULL,
		  NULL },
	};

	(void)state;
	run_all(c, N(c));
}

static void
session_floor_and_seal_follow_the_label(void **state)
{
	static const struct scase c[] = {
		{ "sec", "/dev/tty1", "unclassified", NULL, NULL, 1, 0, NULL, NULL },
		{ "sec", "/dev/tty1", "confidential", NULL, NULL, 0, 0, NULL, NULL },
		/* Incomparable with the floor: not above it; nor within the seal. */
		{ "sec", "/dev/tty1", "projectbit", NULL, NULL, 1, 0, NULL, NULL },
		{ "high", "/dev/tty1", "secret", NULL, NULL, 0, 1, NULL, NULL },
		{ "high", "/dev/tty1", "topsecret:otherbit", NULL, NULL, 0, 1, NULL, NULL },
	};

	(void)state;
	run_all(c, N(c));
}

static void
session_without_floor_or_seal_is_plain(void **state)
{
	struct ix_policy *p = tp_parse("bare.policy",
		"ixkit-policy 1\nlevel low\nlevel high\nnode /\n\tpredicate NONE\n\trights ALL\n"
		"clearance u low..high\nport low..high pipe\n");
	struct ix_session_grant g;
	char why[IX_SESSION_WHY_MAX];
	struct ix_err e;

	(void)state;
	assert_int_equal(ix_decide_session(p, "u", "pipe", "low", &g, why, sizeof why, &e), 1);
	assert_false(g.below_floor);
	assert_false(g.sealed);
	ix_policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_admits_within_clearance_and_port_with_the_ceiling_cut),
		cmocka_unit_test(session_refuses_outside_the_clearance),
		cmocka_unit_test(session_refuses_a_port_that_does_not_suit),
		cmocka_unit_test(session_refuses_a_bad_label_and_no),
		cmocka_unit_test(session_floor_and_seal_follow_the_label),
		cmocka_unit_test(session_without_floor_or_seal_is_plain),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
