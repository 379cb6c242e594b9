/* sessiond's parts that need no daemon: the clearance, port, floor and
 * seal checks (sessiond/check.c), what a session may write
 * (sessiond/writable.c) and session's command line (sessiond/args.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "libauthtree/policy.h"
#include "sessiond/args.h"
#include "sessiond/check.h"
#include "sessiond/writable.h"
#include "libcompart/flabel.h"

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
	struct ix_err e;

	(void)state;
	if (ix_policy_parse("test", policy_text, sizeof policy_text - 1, NULL, &pol, &e) != 0)
		fail_msg("policy: %s", e.msg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ix_policy_free(pol);
	return 0;
}

static struct ix_label
label(const char *text)
{
	struct ix_label l;
	struct ix_err e;

	if (ix_label_parse(pol->enc, text, strlen(text), &l, &e) != 0)
		fail_msg("label %s: %s", text, e.msg);
	return l;
}

/* 1 admitted, 0 refused (why filled), as ix_decide_session. */
static int
check(const char *login, const char *src, const char *lab, struct ix_session_grant *g, char *why)
{
	struct ix_err e;
	int r = ix_decide_session(pol, login, src, lab, g, why, SESSIOND_WHY_MAX, &e);

	assert_int_not_equal(r, -1);
	return r;
}

static void
check_admits_label_within_clearance_and_port(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];
	struct ix_label want = label("secret"), ceil = label("secret:projectbit");

	(void)state;
	assert_int_equal(check("sec", "/dev/pts/3@tmux", "secret", &g, why), 1);
	assert_true(ix_label_eq(&g.label, &want));
	/* The ceiling is the clearance's top meet the port's top: the tmux
	 * port stops at secret without categories. */
	assert_true(ix_label_eq(&g.ceiling, &want));
	assert_false(g.below_floor);
	assert_string_equal(g.port, "/dev/pts/[0-9]+@(login|tmux)");
	/* At the console (up to TOP) the clearance alone bounds it. */
	assert_int_equal(check("sec", "/dev/tty2", "secret", &g, why), 1);
	assert_true(ix_label_eq(&g.ceiling, &ceil));
}

static void
check_ceiling_is_cut_by_the_port(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];
	struct ix_label conf = label("confidential");

	(void)state;
	assert_int_equal(check("high", "/dev/pts/1@sshd", "confidential", &g, why), 1);
	assert_true(ix_label_eq(&g.ceiling, &conf));
}

static void
check_refuses_label_above_clearance(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("conf", "/dev/pts/3@tmux", "secret", &g, why), 0);
	assert_string_equal(why, "refused: secret is not within the clearance of conf "
				 "(unclassified..confidential)");
}

static void
check_refuses_label_below_clearance(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("high", "/dev/tty1", "unclassified", &g, why), 0);
	assert_non_null(strstr(why, "not within the clearance of high"));
}

static void
check_refuses_category_outside_clearance(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("sec", "/dev/tty1", "secret:otherbit", &g, why), 0);
	assert_non_null(strstr(why, "not within the clearance of sec"));
}

static void
check_refuses_user_without_clearance(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("nobody", "/dev/tty1", "unclassified", &g, why), 0);
	assert_string_equal(why, "refused: nobody has no clearance");
}

static void
check_refuses_port_limited_below_label(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("sec", "/dev/pts/4@sshd", "secret", &g, why), 0);
	assert_string_equal(why, "refused: the port /dev/pts/4@sshd is suitable only for "
				 "unclassified..confidential, not secret");
}

static void
check_refuses_port_no_pattern_matches(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	/* A pty whose master no trusted provider holds matches no pattern:
	 * the patterns are anchored, "/dev/pts/4" is not "/dev/pts/4@tmux". */
	assert_int_equal(check("sec", "/dev/pts/4", "confidential", &g, why), 0);
	assert_string_equal(why, "refused: no port rule admits sessions from /dev/pts/4");
	assert_int_equal(check("sec", "pipe", "confidential", &g, why), 0);
}

static void
check_clearance_before_port(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	/* Both would refuse: the clearance is named, as it is checked first. */
	assert_int_equal(check("conf", "/dev/pts/4@sshd", "secret", &g, why), 0);
	assert_non_null(strstr(why, "clearance"));
}

static void
check_refuses_bad_label_and_no(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("sec", "/dev/tty1", "sekret", &g, why), 0);
	assert_non_null(strstr(why, "refused: 'sekret' is not a label: "));
	assert_int_equal(check("high", "/dev/tty1", "NO", &g, why), 0);
	assert_string_equal(why, "refused: nothing can work at NO");
}

static void
check_floor_chooses_nosh_below_it(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("sec", "/dev/tty1", "unclassified", &g, why), 1);
	assert_true(g.below_floor);
	assert_int_equal(check("sec", "/dev/tty1", "confidential", &g, why), 1);
	assert_false(g.below_floor);
	assert_int_equal(check("sec", "/dev/tty1", "projectbit", &g, why), 1);
	assert_true(g.below_floor);	/* incomparable with the floor: not above it */
}

static void
check_seal_range_seals_sessions_within_it(void **state)
{
	struct ix_session_grant g;
	char why[SESSIOND_WHY_MAX];

	(void)state;
	assert_int_equal(check("high", "/dev/tty1", "confidential", &g, why), 1);
	assert_false(g.sealed);
	assert_int_equal(check("high", "/dev/tty1", "secret", &g, why), 1);
	assert_true(g.sealed);
	assert_int_equal(check("high", "/dev/tty1", "topsecret:otherbit", &g, why), 1);
	assert_true(g.sealed);
	assert_int_equal(check("sec", "/dev/tty1", "projectbit", &g, why), 1);
	assert_false(g.sealed);	/* incomparable with secret: outside the range */
}

static void
writable_is_home_and_the_index_at_the_label(void **state)
{
	struct ix_labelled_file files[] = {
		{ "/srv/a", label("secret"), true }, { "/srv/b", label("unclassified"), false },
		{ "/srv/c", label("secret:projectbit"), false }, { "/srv/d", label("secret"), false },
		{ "/srv/e", label("topsecret"), true },
	};
	struct ix_label s = label("secret"), ts = label("topsecret"), u = label("unclassified");
	char home[] = "/tmp/ixkit-home-XXXXXX", canon[PATH_MAX], sub[PATH_MAX + 4];
	struct sess_writable w;
	struct ix_err e;
	int fd;

	(void)state;
	/* Exactly the label: neither below, above nor beside it. */
	assert_int_equal(sess_writable(&w, NULL, 0, &s, files, 5, &e), 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.paths[0], "/srv/a");
	assert_string_equal(w.paths[1], "/srv/d");
	sess_writable_free(&w);
	/* The user's own home comes first, canonical. */
	assert_non_null(mkdtemp(home));
	assert_non_null(realpath(home, canon));
	snprintf(sub, sizeof sub, "%s/.", home);
	assert_int_equal(sess_writable(&w, sub, geteuid(), &s, files, 5, &e), 0);
	assert_int_equal(w.n, 3);
	assert_string_equal(w.paths[0], canon);
	sess_writable_free(&w);
	/* Not the user's, the root, or missing: not writable. */
	assert_int_equal(sess_writable(&w, home, geteuid() + 1, &s, files, 5, &e), 0);
	assert_int_equal(w.n, 2);
	sess_writable_free(&w);
	assert_int_equal(sess_writable(&w, "/", 0, &s, files, 5, &e), 0);
	assert_int_equal(w.n, 2);
	sess_writable_free(&w);
	assert_int_equal(sess_writable(&w, "/nonexistent/home", geteuid(), &s, files, 5, &e), 0);
	assert_int_equal(w.n, 2);
	sess_writable_free(&w);
	/* A labelled home: writable from its label and below, not above. */
	fd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	if (ix_flabel_set_fd(fd, &s, &e) == 0) {
		assert_int_equal(sess_writable(&w, home, geteuid(), &u, files, 5, &e), 0);
		assert_int_equal(w.n, 2);
		assert_string_equal(w.paths[0], canon);
		assert_string_equal(w.paths[1], "/srv/b");
		sess_writable_free(&w);
		assert_int_equal(sess_writable(&w, home, geteuid(), &ts, files, 5, &e), 0);
		assert_int_equal(w.n, 1);
		assert_string_equal(w.paths[0], "/srv/e");
		sess_writable_free(&w);
	} else {
		print_message("labelled home not checked: %s\n", e.msg);	/* not root */
	}
	close(fd);
	assert_int_equal(rmdir(home), 0);
}

static void
must_clear_unless_new_label_dominates(void **state)
{
	struct ix_label u = label("unclassified"), s = label("secret"), p = label("projectbit");

	(void)state;
	assert_false(sess_must_clear(&u, &s));	/* up: the old screen may stay */
	assert_true(sess_must_clear(&s, &u));	/* down: it must go */
	assert_true(sess_must_clear(&s, &p));	/* incomparable */
	assert_false(sess_must_clear(&s, &s));
}

/* ---- session's command line ---- */

static int
parse(struct session_args *a, char *why, ...)
{
	char *argv[16] = { "session" };
	int argc = 1;
	va_list ap;

	va_start(ap, why);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return session_parse_args(argc, argv, a, why, 256);
}

static void
args_label_alone_is_the_login_shell(void **state)
{
	struct session_args a;
	char why[256];

	(void)state;
	assert_int_equal(parse(&a, why, "secret", NULL), 0);
	assert_string_equal(a.label, "secret");
	assert_null(a.cmd);
	assert_int_equal(a.ncmd, 0);
	assert_false(a.admin);
	assert_false(a.list);
}

static void
args_admin_and_command_after_dashes(void **state)
{
	struct session_args a;
	char why[256];

	(void)state;
	assert_int_equal(parse(&a, why, "-a", "--socket", "/s", "secret", "--", "id", "-Z", NULL), 0);
	assert_true(a.admin);
	assert_string_equal(a.socket, "/s");
	assert_int_equal(a.ncmd, 2);
	assert_string_equal(a.cmd[0], "id");
	assert_string_equal(a.cmd[1], "-Z");	/* options after -- belong to the command */
}

static void
args_list_takes_nothing_else(void **state)
{
	struct session_args a;
	char why[256];

	(void)state;
	assert_int_equal(parse(&a, why, "-l", NULL), 0);
	assert_true(a.list);
	assert_int_equal(parse(&a, why, "-l", "secret", NULL), -1);
	assert_string_equal(why, "-l takes no label, command or -a");
	assert_int_equal(parse(&a, why, "-al", NULL), -1);
}

static void
args_rejects_usage_errors(void **state)
{
	struct session_args a;
	char why[256];

	(void)state;
	assert_int_equal(parse(&a, why, NULL), -1);
	assert_string_equal(why, "no label given");
	assert_int_equal(parse(&a, why, "-x", "secret", NULL), -1);
	assert_string_equal(why, "unknown option -x");
	assert_int_equal(parse(&a, why, "--frob", "secret", NULL), -1);
	assert_string_equal(why, "unknown option --frob");
	assert_int_equal(parse(&a, why, "secret", "id", NULL), -1);
	assert_string_equal(why, "unexpected 'id' after the label (a command follows --)");
	assert_int_equal(parse(&a, why, "secret", "--", NULL), -1);
	assert_string_equal(why, "a command after -- has 1 to 64 words");
	assert_int_equal(parse(&a, why, "--socket", NULL), -1);
	assert_int_equal(parse(&a, why, "", NULL), -1);
}

static void
args_dashes_before_label_end_options(void **state)
{
	struct session_args a;
	char why[256];

	(void)state;
	/* A label that starts with '-' can still be named after --. */
	assert_int_equal(parse(&a, why, "--", "-odd", NULL), 0);
	assert_string_equal(a.label, "-odd");
	assert_int_equal(parse(&a, why, "-h", NULL), 0);
	assert_true(a.help);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_admits_label_within_clearance_and_port),
		cmocka_unit_test(check_ceiling_is_cut_by_the_port),
		cmocka_unit_test(check_refuses_label_above_clearance),
		cmocka_unit_test(check_refuses_label_below_clearance),
		cmocka_unit_test(check_refuses_category_outside_clearance),
		cmocka_unit_test(check_refuses_user_without_clearance),
		cmocka_unit_test(check_refuses_port_limited_below_label),
		cmocka_unit_test(check_refuses_port_no_pattern_matches),
		cmocka_unit_test(check_clearance_before_port),
		cmocka_unit_test(check_refuses_bad_label_and_no),
		cmocka_unit_test(check_floor_chooses_nosh_below_it),
		cmocka_unit_test(check_seal_range_seals_sessions_within_it),
		cmocka_unit_test(writable_is_home_and_the_index_at_the_label),
		cmocka_unit_test(must_clear_unless_new_label_dominates),
		cmocka_unit_test(args_label_alone_is_the_login_shell),
		cmocka_unit_test(args_admin_and_command_after_dashes),
		cmocka_unit_test(args_list_takes_nothing_else),
		cmocka_unit_test(args_rejects_usage_errors),
		cmocka_unit_test(args_dashes_before_label_end_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
