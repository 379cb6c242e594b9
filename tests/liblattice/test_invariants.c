/*
 * The invariant checks of liblattice fire: each test builds a value that
 * breaks one invariant, shows what the break would cost (in every build),
 * and, where assertions are compiled in, feeds it to the check that the
 * library asserts and expects that check to abort a child process on the
 * assertion that states the invariant. Under NDEBUG the checks do not
 * exist and only that expectation is left out.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "liblattice/label_int.h"
#include "liblattice/privset_int.h"
#include "liblattice/re_impl.h"
#include "liblattice/rights_int.h"

#ifndef NDEBUG
/* Forks. The child gets -1, with its stderr going into a pipe; the parent
 * gets the reading end of that pipe and the child's pid in *pid. */
static int
fork_child(pid_t *pid)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	fflush(stdout);
	fflush(stderr);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

/* Waits for the child and expects it to have been aborted by the failed
 * assertion whose expression contains want. */
static void
expect_aborted(int fd, pid_t pid, const char *want)
{
	char msg[4096];
	size_t n = 0;
	ssize_t r;
	int st;

	while (n < sizeof msg - 1 && (r = read(fd, msg + n, sizeof msg - 1 - n)) > 0)
		n += (size_t)r;
	msg[n] = '\0';
	close(fd);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGABRT)
		fail_msg("the check let the broken value through (wait status 0x%x): %s", st, msg);
	if (strstr(msg, want) == NULL)
		fail_msg("aborted, but not on `%s': %s", want, msg);
	printf("aborted as expected: %s", msg);
}

/* Runs the check call in a child, which must abort on assertion want. */
#define EXPECT_ABORT(want, call)                                \
	do {                                                    \
		pid_t pid_;                                     \
		int fd_ = fork_child(&pid_);                    \
		if (fd_ < 0) {                                  \
			(void)(call);                           \
			_exit(0);                               \
		}                                               \
		expect_aborted(fd_, pid_, want);                \
	} while (0)
/* The same check passes the value before it is broken. */
#define EXPECT_PASSES(call) assert_true(call)
#else
/* A release build has no checks to call. */
#define EXPECT_ABORT(want, call) ((void)0)
#define EXPECT_PASSES(call) ((void)0)
#endif

static struct ix_re *
compile(const char *p)
{
	struct ix_re *re = NULL;
	struct ix_err e = { 0 };

	if (ix_re_compile(p, strlen(p), 0, &re, &e) != 0)
		fail_msg("'%s' does not compile: %s", p, e.msg);
	return re;
}

/* A hand-made automaton: n states over the classes of the bytes in
 * bytes (class i + 1 for bytes[i], class 0 for the rest), no transition
 * yet. */
static struct re_dfa
dfa_new(uint32_t n, const char *bytes)
{
	struct re_dfa d = { 0 };

	d.nstates = n;
	d.nclasses = 1 + (uint32_t)strlen(bytes);
	for (size_t i = 0; bytes[i] != '\0'; i++)
		d.classmap[(unsigned char)bytes[i]] = (uint8_t)(i + 1);
	d.trans = malloc((size_t)n * d.nclasses * sizeof *d.trans);
	d.accept = calloc(n, 1);
	assert_non_null(d.trans);
	assert_non_null(d.accept);
	memset(d.trans, 0xff, (size_t)n * d.nclasses * sizeof *d.trans);
	return d;
}

/* Sets the transition of state q on the class of byte b. */
static void
dfa_move(struct re_dfa *d, uint32_t q, char b, int32_t to)
{
	d->trans[(size_t)q * d->nclasses + d->classmap[(unsigned char)b]] = to;
}

/* ---- the regular-language engine ---- */

/* bad has min's language but another automaton: ix_re_equal, which
 * compares arrays, would call them different. */
static void
assert_same_language_other_automaton(const struct ix_re *bad, const struct ix_re *min)
{
	struct ix_err e = { 0 };

	assert_int_equal(ix_re_subset(bad, min, &e), 1);
	assert_int_equal(ix_re_subset(min, bad, &e), 1);
	assert_false(ix_re_equal(bad, min));
}

/* a|b with a state for each branch: well formed, numbered breadth-first,
 * trimmed, but states 1 and 2 are equivalent. */
static void
a_dfa_with_two_equivalent_states_fails_the_minimality_check(void **state)
{
	struct ix_re *min = compile("a|b");
	struct ix_re bad = { 1, dfa_new(3, "ab"), NULL };

	dfa_move(&bad.dfa, 0, 'a', 1);
	dfa_move(&bad.dfa, 0, 'b', 2);
	bad.dfa.accept[1] = bad.dfa.accept[2] = 1;
	assert_same_language_other_automaton(&bad, min);
	EXPECT_PASSES(re_dfa_check_minimal(&min->dfa));
	EXPECT_ABORT("blocks == 0 || blocks == n", re_dfa_check_minimal(&bad.dfa));
	re_dfa_fini(&bad.dfa);
	ix_re_free(min);
}

/* ab with its states 1 and 2 swapped: minimal, but not numbered
 * breadth-first, so it is another array for the same language. */
static void
a_dfa_numbered_out_of_breadth_first_order_fails_the_canonical_check(void **state)
{
	struct ix_re *min = compile("ab");
	struct ix_re bad = { 1, dfa_new(3, "ab"), NULL };

	dfa_move(&bad.dfa, 0, 'a', 2);
	dfa_move(&bad.dfa, 2, 'b', 1);
	bad.dfa.accept[1] = 1;
	assert_same_language_other_automaton(&bad, min);
	EXPECT_ABORT("(uint32_t)t == next", re_dfa_check_minimal(&bad.dfa));
	re_dfa_fini(&bad.dfa);
	ix_re_free(min);
}

/* a with a class of its own for b, which moves every state as the other
 * bytes do: the classes are not the coarsest. */
static void
a_dfa_with_two_alike_classes_fails_the_canonical_check(void **state)
{
	struct ix_re *min = compile("a");
	struct ix_re bad = { 1, dfa_new(2, "ab"), NULL };

	dfa_move(&bad.dfa, 0, 'a', 1);
	bad.dfa.accept[1] = 1;
	assert_same_language_other_automaton(&bad, min);
	EXPECT_ABORT("compare_columns(&cls[i - 1], &cls[i], (void *)d) != 0",
		     re_dfa_check_minimal(&bad.dfa));
	re_dfa_fini(&bad.dfa);
	ix_re_free(min);
}

/* What the subset construction hands the minimiser: a target past the
 * last state, or more states than the limit it was given. */
static void
a_dfa_past_its_states_or_its_limit_fails_the_well_formed_check(void **state)
{
	struct re_dfa d = dfa_new(2, "a");

	dfa_move(&d, 0, 'a', 1);
	dfa_move(&d, 1, 'a', 2);	/* there is no state 2 */
	assert_int_equal(d.trans[1 * d.nclasses + 1], (int32_t)d.nstates);
	EXPECT_ABORT("d->trans[i] >= -1 && d->trans[i] < (int64_t)n", re_dfa_check(&d, 0));
	dfa_move(&d, 1, 'a', 1);
	EXPECT_ABORT("max_states == 0 || n <= max_states", re_dfa_check(&d, 1));
	re_dfa_fini(&d);
}

/* A union that is not an upper bound of b, and one with more states than
 * pairs of states of its operands. */
static void
a_product_that_breaks_the_lattice_fails_the_product_check(void **state)
{
	struct ix_re *a = compile("a"), *b = compile("b");
	struct ix_re *only_a = compile("a"), *big = compile("(a|b)*a(a|b){3}");

	assert_true(ix_re_match(b, "b", 1));
	assert_false(ix_re_match(only_a, "b", 1));
	EXPECT_ABORT("re_dfa_subset(b, r, NULL) != 0",
		     re_dfa_check_product(&a->dfa, &b->dfa, RE_OP_UNION, &only_a->dfa));
	/* 2 states each: at most 3 x 3 - 1 pairs */
	assert_int_equal(ix_re_nstates(big), 16);
	EXPECT_ABORT("r->nstates <= (na + 1) * (nb + 1) - 1",
		     re_dfa_check_product(&a->dfa, &b->dfa, RE_OP_UNION, &big->dfa));
	ix_re_free(a);
	ix_re_free(b);
	ix_re_free(only_a);
	ix_re_free(big);
}

/* ---- the lattice operations ---- */

static struct ix_label_enc *
encodings(void)
{
	struct ix_label_enc *enc = ix_label_enc_new();
	struct ix_err e = { 0 };

	assert_non_null(enc);
	assert_int_equal(ix_label_enc_add_level(enc, "unclassified", &e), 0);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), 1);
	assert_int_equal(ix_label_enc_add_category(enc, "projectbit", 0, &e), 0);
	return enc;
}

static struct ix_label
label(const struct ix_label_enc *enc, const char *text)
{
	struct ix_label l;
	struct ix_err e = { 0 };

	if (ix_label_parse(enc, text, strlen(text), &l, &e) != 0)
		fail_msg("label '%s': %s", text, e.msg);
	return l;
}

/* A join that lost a category, a meet above an operand, a stray flag. */
static void
a_label_join_or_meet_that_is_no_bound_fails_the_label_check(void **state)
{
	struct ix_label_enc *enc = encodings();
	struct ix_label a = label(enc, "secret"), b = label(enc, "projectbit"), j, m, f;

	ix_label_join(&a, &b, &j);
	ix_label_meet(&a, &b, &m);
	EXPECT_PASSES(ix_label_check_join(&a, &b, &j));
	EXPECT_PASSES(ix_label_check_meet(&a, &b, &m));
	f = j;
	ix_label_clear_cat(&j, 0);
	assert_false(ix_label_le(&b, &j));	/* b's data would flow down to j */
	EXPECT_ABORT("ix_label_le(b, r)", ix_label_check_join(&a, &b, &j));
	m.level = a.level;
	assert_false(ix_label_le(&m, &b));
	EXPECT_ABORT("ix_label_le(r, b)", ix_label_check_meet(&a, &b, &m));
	f.flags |= 0x2;
	assert_true(ix_label_eq(&f, &f));	/* compares as if the bit were not there */
	EXPECT_ABORT("(l->flags & ~IX_LABEL_F_NO) == 0", ix_label_check_join(&a, &b, &f));
	ix_label_enc_free(enc);
}

/* A label whose level has no name has no canonical text. */
static void
a_label_without_a_text_fails_the_text_check(void **state)
{
	struct ix_label_enc *enc = encodings();
	struct ix_label l = label(enc, "secret:projectbit");
	struct ix_err e = { 0 };
	char buf[64];

	EXPECT_PASSES(ix_label_check_text(enc, &l));
	l.level = 2;
	assert_int_equal(ix_label_print(enc, &l, buf, sizeof buf, &e), -1);
	assert_string_equal(e.msg, "label level 2 has no name");
	EXPECT_ABORT("n >= 0 || e.code == IX_ELIMIT", ix_label_check_text(enc, &l));
	ix_label_enc_free(enc);
}

static struct ix_privset
privset(const char *text)
{
	struct ix_privset s;
	struct ix_err e = { 0 };

	if (ix_privset_parse(text, strlen(text), &s, &e) != 0)
		fail_msg("privilege set '%s': %s", text, e.msg);
	return s;
}

/* A bit that names no privilege, and a join and a meet that are no
 * bounds. */
static void
a_privilege_set_out_of_its_universe_or_no_bound_fails_the_privset_check(void **state)
{
	struct ix_privset a = privset("net_admin"), b = privset("sys_time"), bad = a, j, m;
	struct ix_err e = { 0 };
	char t1[64], t2[64];

	/* bit 50 is between the capabilities and ixkit's own privileges */
	bad.bits[0] |= UINT64_C(1) << 50;
	assert_null(ix_priv_name(50));
	assert_false(ix_privset_eq(&bad, &a));
	assert_int_equal(ix_privset_print(&bad, t1, sizeof t1, &e), 9);
	assert_int_equal(ix_privset_print(&a, t2, sizeof t2, &e), 9);
	assert_string_equal(t1, t2);	/* the text would lose the bit */
	EXPECT_PASSES(ix_privset_check_text(&a));
	EXPECT_ABORT("!ix_privset_has(s, bit) || ix_priv_name(bit) != NULL",
		     ix_privset_check_text(&bad));
	ix_privset_join(&a, &b, &j);
	ix_privset_meet(&a, &b, &m);
	assert_true(ix_privset_le(&b, &j) && ix_privset_le(&m, &b));
	EXPECT_PASSES(ix_privset_check_join(&a, &b, &j));
	EXPECT_PASSES(ix_privset_check_meet(&a, &b, &m));
	assert_false(ix_privset_le(&b, &a));
	EXPECT_ABORT("ix_privset_le(b, r)", ix_privset_check_join(&a, &b, &a));
	EXPECT_ABORT("ix_privset_le(r, b)", ix_privset_check_meet(&a, &b, &a));
}

enum { NETOPER, DOWNGRADE, EDIT, PRIV };

static struct ix_rights *
rights(const struct ix_rdecls *d, const char *text)
{
	struct ix_rights *r = NULL;
	struct ix_err e = { 0 };

	if (ix_rights_parse(d, text, strlen(text), NULL, 0, &r, &e) != 0)
		fail_msg("rights '%s': %s", text, e.msg);
	return r;
}

/* A join that is no upper bound, items out of order, an item at the
 * bottom of its lattice, and a regex whose text is not its language. */
static void
a_rights_value_out_of_form_or_no_bound_fails_the_rights_check(void **state)
{
	struct ix_label_enc *enc = encodings();
	struct ix_rdecls *d = ix_rdecls_new(enc);
	struct ix_rights *a, *b, *j, *swapped, *bottom, *lying;
	struct ix_ritem it;
	struct ix_re *re;
	struct ix_err e = { 0 };

	assert_int_equal(ix_rdecls_declare(d, "netoper", IX_RK_PLAIN, &e), NETOPER);
	assert_int_equal(ix_rdecls_declare(d, "downgrade", IX_RK_LABEL, &e), DOWNGRADE);
	assert_int_equal(ix_rdecls_declare(d, "edit", IX_RK_REGEX, &e), EDIT);
	assert_int_equal(ix_rdecls_declare(d, "priv", IX_RK_PRIVSET, &e), PRIV);
	a = rights(d, "netoper | edit(/a/.*)");
	b = rights(d, "downgrade(projectbit)");
	j = ix_rights_join(a, b, &e);
	assert_non_null(j);
	EXPECT_PASSES(ix_rights_check_join(a, b, j));
	assert_int_equal(ix_rights_le(b, a, &e), 0);
	EXPECT_ABORT("ix_rights_le(b, r, NULL) != 0", ix_rights_check_join(a, b, a));

	/* le and eq walk the arrays in step: out of order, equal is unequal */
	swapped = ix_rights_dup(j);
	assert_int_equal(swapped->n, 3);
	it = swapped->items[0];
	swapped->items[0] = swapped->items[1];
	swapped->items[1] = it;
	assert_int_equal(ix_rights_eq(swapped, j, &e), 0);
	EXPECT_PASSES(ix_rights_check(j));
	EXPECT_ABORT("i == 0 || r->items[i - 1].idx < it->idx", ix_rights_check(swapped));

	/* priv() is the bottom of its lattice, that is no item at all */
	bottom = ix_rights_dup(a);
	assert_true(bottom->cap > bottom->n);
	memset(&bottom->items[bottom->n], 0, sizeof bottom->items[0]);
	bottom->items[bottom->n++].idx = PRIV;
	assert_int_equal(ix_rights_eq(bottom, a, &e), 0);
	EXPECT_ABORT("!ix_ritem_is_bottom(r->d, it)", ix_rights_check(bottom));

	/* edit(a) that would print as edit(b) */
	lying = rights(d, "edit(a)");
	re = lying->items[0].v.re;
	free(re->text);
	re->text = strdup("b");
	assert_non_null(re->text);
	assert_true(ix_re_match(ix_rights_regex(lying, EDIT), "a", 1));
	EXPECT_PASSES(ix_rights_check_text(a));
	EXPECT_ABORT("ix_rights_eq(back, r, NULL) == 1", ix_rights_check_text(lying));

	ix_rights_free(a);
	ix_rights_free(b);
	ix_rights_free(j);
	ix_rights_free(swapped);
	ix_rights_free(bottom);
	ix_rights_free(lying);
	ix_rdecls_free(d);
	ix_label_enc_free(enc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_dfa_with_two_equivalent_states_fails_the_minimality_check),
		cmocka_unit_test(a_dfa_numbered_out_of_breadth_first_order_fails_the_canonical_check),
		cmocka_unit_test(a_dfa_with_two_alike_classes_fails_the_canonical_check),
		cmocka_unit_test(a_dfa_past_its_states_or_its_limit_fails_the_well_formed_check),
		cmocka_unit_test(a_product_that_breaks_the_lattice_fails_the_product_check),
		cmocka_unit_test(a_label_join_or_meet_that_is_no_bound_fails_the_label_check),
		cmocka_unit_test(a_label_without_a_text_fails_the_text_check),
		cmocka_unit_test(a_privilege_set_out_of_its_universe_or_no_bound_fails_the_privset_check),
		cmocka_unit_test(a_rights_value_out_of_form_or_no_bound_fails_the_rights_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
