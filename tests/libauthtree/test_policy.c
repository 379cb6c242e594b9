/* The policy text format (policy(5)): the demo policy parses, printing is
 * canonical (print -> parse -> print is a fixed point), and every rejection
 * of the parser names NAME:LINE:COLUMN and the substance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/splice.h"
#include "tests/libauthtree/test_policy_util.h"

/* Lines 1-8: version and declarations. */
#define HEAD "ixkit-policy 1\n"		\
	"right netoper plain\n"		\
	"right downgrade label\n"	\
	"right edit regex\n"		\
	"level low\n"			\
	"level high\n"			\
	"category projectbit 0\n"	\
	"category otherbit 1\n"
/* Lines 9-11: the root. The next line is 12. */
#define ROOT "node /\n\tpredicate ANY\n\trights ALL\n"

/* ---- the demo policy and canonical printing ---- */

static void
parse_accepts_demo_policy(void **state)
{
	struct ix_policy *p = tp_demo();
	long pb = ix_policy_find_node(p, "/projects/projectbit");

	(void)state;
	assert_int_equal(p->nnodes, 10);
	assert_string_equal(p->nodes[0].path, "/");
	assert_int_equal(p->nodes[0].parent, IX_NO_PARENT);
	assert_true(pb > 0);
	assert_string_equal(p->nodes[p->nodes[pb].parent].path, "/projects");
	{
		/* Its line is where the demo file defines it. */
		char *text = tp_demo_text(NULL), *at = strstr(text, "\nnode /projects/projectbit\n");
		unsigned line = 2;
		char *c;

		assert_non_null(at);
		for (c = text; c < at; c++)
			line += *c == '\n';
		assert_int_equal(p->nodes[pb].line, line);
		free(text);
	}
	assert_int_equal(p->nrules, 10);
	assert_string_equal(p->rules[0].name, "tcpgateway");
	assert_string_equal(p->rules[1].name, "downgrade");
	assert_int_equal(p->rules[1].ngroups, 2);
	assert_null(p->rules[1].need);		/* uses $1: parsed per request */
	assert_non_null(p->rules[0].need);
	assert_int_equal(p->nclearances, 4);
	assert_string_equal(p->clearances[0].user, "alice");	/* sorted */
	assert_int_equal(p->nports, 3);
	assert_int_equal(p->nproviders, 4);
	assert_true(p->has_floor);
	assert_true(p->has_seal);
	assert_int_equal(ix_label_enc_category_bit(p->enc, "otherbit"), 1);
	assert_int_equal(ix_policy_find_node(p, "/nonexistent"), -1);
	ix_policy_free(p);
}

static void
print_parse_print_is_a_fixed_point_on_demo(void **state)
{
	struct ix_policy *p = tp_demo(), *q;
	char *a = tp_print(p), *b;

	(void)state;
	assert_int_equal(strncmp(a, "ixkit-policy 1\n", 15), 0);
	q = tp_parse("exported", a);
	b = tp_print(q);
	assert_string_equal(a, b);
	/* The canonical text keeps every node and rule. */
	assert_non_null(strstr(a, "\nnode /projects/projectbit\n\tpredicate ID(pat)\n"));
	assert_non_null(strstr(a, "\nrule downgrade\n\ttemplate downgrade (\\S+) (\\S+)\n"
				  "\tneed downgrade($1)\n"));
	assert_non_null(strstr(a, "category otherbit 1\n"));
	assert_non_null(strstr(a, "floor unclassified\nseal topsecret..TOP\n"));
	free(a);
	free(b);
	ix_policy_free(p);
	ix_policy_free(q);
}

static void
print_is_canonical_whatever_the_layout(void **state)
{
	/* Comments, blank lines, CRLF, trailing blanks, spacing inside values
	 * and the order of nodes all vanish in the canonical text. */
	const char *a = HEAD "node /a/b\n\tpredicate ID(bob)\n\trights netoper\n"
			ROOT "node /a\n\tpredicate   ID(alice)|ID(bob)  \n"
			"\trights downgrade(projectbit)|netoper\n";
	const char *b = "# comment first\r\n\r\n" HEAD "\n" ROOT
			"node /a\n\tpredicate ID(alice) | ID(bob)\n"
			"\trights netoper | downgrade(projectbit)\n"
			"  # indented comment\n"
			"node /a/b\r\n\tpredicate ID(bob)\r\n\trights netoper\r\n";
	struct ix_policy *p = tp_parse("a", a), *q = tp_parse("b", b);
	char *pa = tp_print(p), *pb = tp_print(q);

	(void)state;
	assert_string_equal(pa, pb);
	free(pa);
	free(pb);
	ix_policy_free(p);
	ix_policy_free(q);
}

static void
print_keeps_retired_categories(void **state)
{
	const char *t = "ixkit-policy 1\nright downgrade label\nlevel low\n"
			"category gone 3 retired\ncategory kept 4\n" ROOT;
	struct ix_policy *p = tp_parse("t", t), *q;
	char *a = tp_print(p), *b;

	(void)state;
	assert_non_null(strstr(a, "category gone 3 retired\ncategory kept 4\n"));
	assert_int_equal(p->nretired, 1);
	assert_int_equal(ix_label_enc_category_bit(p->enc, "gone"), -1);
	q = tp_parse("again", a);
	b = tp_print(q);
	assert_string_equal(a, b);
	free(a);
	free(b);
	ix_policy_free(p);
	ix_policy_free(q);
}

static void
parse_accepts_a_line_of_exactly_the_limit(void **state)
{
	size_t n = strlen(HEAD ROOT);
	char *t = malloc(n + IX_POLICY_LINE_MAX + 2);
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };

	(void)state;
	memcpy(t, HEAD ROOT, n);
	t[n] = '#';
	memset(t + n + 1, 'x', IX_POLICY_LINE_MAX - 1);
	t[n + IX_POLICY_LINE_MAX] = '\n';
	if (ix_policy_parse("t", t, n + IX_POLICY_LINE_MAX + 1, NULL, &p, &e) != 0)
		fail_msg("%s", e.msg);
	ix_policy_free(p);
	free(t);
}

/* ---- rejections: the version line ---- */

static void
parse_rejects_missing_version_line(void **state)
{
	(void)state;
	tp_reject("right netoper plain\n", IX_EINVAL, "t.policy:1:1: ", "ixkit-policy VERSION");
	tp_reject("# a comment\n\nnode /\n", IX_EINVAL, "t.policy:3:1: ",
		  "ixkit-policy VERSION");
	tp_reject("", IX_EINVAL, "t.policy:1:1: ", "empty policy");
	tp_reject("# only comments\n", IX_EINVAL, "t.policy:1:1: ", "empty policy");
	tp_reject("ixkit-policy 1 trailing\n", IX_EINVAL, "t.policy:1:1: ",
		  "ixkit-policy VERSION");
}

static void
parse_rejects_wrong_version(void **state)
{
	(void)state;
	/* The column points at the version number the build cannot read. */
	tp_reject("ixkit-policy 2\n" ROOT, IX_EVERSION, "t.policy:1:14: ",
		  "policy version 2 is not supported (this build reads 1)");
	tp_reject("# c\nixkit-policy 0\n", IX_EVERSION, "t.policy:2:14: ", "version 0");
}

static void
parse_rejects_oversized_text(void **state)
{
	static const char small[] = "ixkit-policy 1\n";

	(void)state;
	/* Refused on the length alone, before a byte is read (ASan would
	 * catch a read past the 16 real bytes). */
	tp_reject_n(small, (size_t)IX_POLICY_TEXT_MAX + 1, IX_ELIMIT, "t.policy: ",
		    (const char *const[]){ "larger than", NULL });
}

static void
parse_rejects_over_long_line(void **state)
{
	size_t n = strlen(HEAD);
	char *t = malloc(n + IX_POLICY_LINE_MAX + 3);

	(void)state;
	memcpy(t, HEAD, n);
	t[n] = '#';
	memset(t + n + 1, 'x', IX_POLICY_LINE_MAX);	/* one byte over */
	t[n + IX_POLICY_LINE_MAX + 1] = '\n';
	tp_reject_n(t, n + IX_POLICY_LINE_MAX + 2, IX_EINVAL, "t.policy:9:1: ",
		    (const char *const[]){ "line too long", NULL });
	free(t);
}

static void
parse_rejects_nul_byte(void **state)
{
	static const char t1[] = "ixkit-policy 1\nright a\0b plain\n";
	static const char t2[] = "ixkit\0-policy 1\n";

	(void)state;
	tp_reject_n(t1, sizeof t1 - 1, IX_EINVAL, "t.policy:2:8: ",
		    (const char *const[]){ "NUL byte", NULL });
	tp_reject_n(t2, sizeof t2 - 1, IX_EINVAL, "t.policy:1:6: ",
		    (const char *const[]){ "NUL byte", NULL });
}

static void
parse_rejects_control_characters(void **state)
{
	(void)state;
	tp_reject("ixkit-policy 1\nright net\033oper plain\n", IX_EINVAL, "t.policy:2:10: ",
		  "control character");
	tp_reject("ixkit-policy 1\n# del \177 in a comment\n", IX_EINVAL, "t.policy:2:7: ",
		  "control character");
	/* A CR is only accepted as part of a CRLF line end. */
	tp_reject("ixkit-policy 1\nlevel a\rb\n", IX_EINVAL, "t.policy:2:8: ",
		  "control character");
	tp_reject(HEAD ROOT "node /a\n\tpredicate ID(a\vb)\n\trights NONE\n", IX_EINVAL,
		  "t.policy:13:16: ", "control character");
}

/* ---- rejections: line structure ---- */

static void
parse_rejects_unknown_keyword(void **state)
{
	(void)state;
	tp_reject("ixkit-policy 1\nrite netoper plain\n", IX_EINVAL, "t.policy:2:1: ",
		  "unknown keyword 'rite'");
	tp_reject(HEAD ROOT "   nodes /a\n", IX_EINVAL, "t.policy:12:4: ",
		  "unknown keyword 'nodes'");
}

static void
parse_rejects_field_outside_a_block(void **state)
{
	(void)state;
	tp_reject("ixkit-policy 1\n\tpredicate ANY\n", IX_EINVAL, "t.policy:2:2: ",
		  "field outside a node or rule");
	tp_reject(HEAD "  rights ALL\n", IX_EINVAL, "t.policy:9:3: ",
		  "field outside a node or rule");
	/* A rule's field inside a node and a node's inside a rule. */
	tp_reject(HEAD "node /\n\ttemplate x\n", IX_EINVAL, "t.policy:10:2: ",
		  "a node takes only 'predicate' and 'rights'");
	tp_reject(HEAD ROOT "rule r\n\tpredicate ANY\n", IX_EINVAL, "t.policy:13:2: ",
		  "a rule takes only 'template', 'need' and 'action'");
}

static void
parse_rejects_field_given_twice(void **state)
{
	(void)state;
	tp_reject(HEAD "node /\n\tpredicate ANY\n\tpredicate ID(a)\n", IX_EINVAL,
		  "t.policy:11:2: ", "field given twice");
	tp_reject(HEAD ROOT "rule r\n\ttemplate a\n\tneed netoper\n\ttemplate b\n", IX_EINVAL,
		  "t.policy:15:2: ", "field given twice");
}

static void
parse_rejects_empty_field_value(void **state)
{
	(void)state;
	tp_reject(HEAD "node /\n\tpredicate   \n", IX_EINVAL, "t.policy:10:11: ", "empty value");
}

static void
parse_rejects_node_without_rights(void **state)
{
	(void)state;
	/* At the end of the text and when the next block starts: the error
	 * names the incomplete node's header, column of its path. */
	tp_reject(HEAD "node /\n\tpredicate ANY\n", IX_EINVAL, "t.policy:9:6: ",
		  "node / has no 'rights' line");
	tp_reject(HEAD ROOT "node /a\n\tpredicate ANY\n\nnode /b\n\tpredicate ANY\n"
		  "\trights NONE\n", IX_EINVAL, "t.policy:12:6: ", "node /a has no 'rights' line");
	tp_reject(HEAD ROOT "rule r\n\ttemplate a\n\tneed netoper\n", IX_EINVAL,
		  "t.policy:12:6: ", "rule r has no 'action' line");
}

static void
parse_rejects_bad_block_header(void **state)
{
	(void)state;
	tp_reject(HEAD "node / extra\n", IX_EINVAL, "t.policy:9:6: ", "expected 'node PATH'");
	tp_reject(HEAD ROOT "rule\n", IX_EINVAL, "t.policy:12:5: ", "expected 'rule NAME'");
	tp_reject(HEAD ROOT "node /a//b\n\tpredicate ANY\n\trights NONE\n", IX_EINVAL,
		  "t.policy:12:9: ", "empty component");
	tp_reject(HEAD ROOT "rule bad.name\n\ttemplate a\n\tneed netoper\n"
		  "\taction EXEC(/bin/true)\n", IX_EINVAL, "t.policy:12:9: ", "rule name");
}

static void
parse_rejects_declaration_after_a_node(void **state)
{
	(void)state;
	tp_reject(HEAD ROOT "right backup plain\n", IX_EINVAL, "t.policy:12:1: ",
		  "declarations (right, level, category) must come before nodes");
	tp_reject(HEAD "floor low\nlevel top\n", IX_EINVAL, "t.policy:10:1: ",
		  "must come before");
}

/* ---- the relabel declaration ---- */

static void
parse_accepts_relabel_and_prints_it_after_the_rights(void **state)
{
	struct ix_policy *p = tp_parse("t.policy", "ixkit-policy 1\nright netoper plain\n"
				       "right downgrade label\nrelabel   downgrade\n"
				       "right edit regex\nlevel low\n" ROOT);
	struct ix_policy *q = tp_demo();
	char *text = tp_print(p);

	(void)state;
	assert_int_equal(p->relabel, 1);
	assert_non_null(strstr(text, "right edit regex\nrelabel downgrade\n\nlevel low\n"));
	free(text);
	ix_policy_free(p);
	assert_int_equal(q->relabel, ix_rdecls_find(q->decls, "downgrade", 9));
	ix_policy_free(q);
	/* Without the line no right bounds relabelling, whatever its name. */
	p = tp_parse("t.policy", HEAD ROOT);
	assert_int_equal(p->relabel, -1);
	text = tp_print(p);
	assert_null(strstr(text, "relabel"));
	free(text);
	ix_policy_free(p);
}

static void
parse_rejects_bad_relabel_lines(void **state)
{
	(void)state;
	tp_reject("ixkit-policy 1\nrelabel downgrade\nright downgrade label\n", IX_EINVAL,
		  "t.policy:2:9: ", "relabel: no right 'downgrade' is declared");
	tp_reject("ixkit-policy 1\nright edit regex\nrelabel edit\n", IX_EINVAL,
		  "t.policy:3:9: ", "relabel: right 'edit' is of kind regex, not label");
	tp_reject("ixkit-policy 1\nright a label\nright b label\nrelabel a\nrelabel b\n",
		  IX_EINVAL, "t.policy:5:9: ", "the relabel right is named twice");
	tp_reject("ixkit-policy 1\nright a label\nrelabel\n", IX_EINVAL, "t.policy:3:",
		  "expected 'relabel RIGHT'");
	tp_reject("ixkit-policy 1\nright a label\nrelabel a b\n", IX_EINVAL, "t.policy:3:9: ",
		  "expected 'relabel RIGHT'");
	tp_reject(HEAD ROOT "relabel downgrade\n", IX_EINVAL, "t.policy:12:1: ",
		  "the relabel declaration must come before nodes, rules and tables");
}

/* ---- rejections: declarations ---- */

static void
parse_rejects_bad_right_kind(void **state)
{
	(void)state;
	/* The column points at the kind, however the words are spaced. */
	tp_reject("ixkit-policy 1\nright netoper plane\n", IX_EINVAL, "t.policy:2:15: ",
		  "unknown kind");
	tp_reject("ixkit-policy 1\nright  netoper   plane\n", IX_EINVAL, "t.policy:2:18: ",
		  "unknown kind");
	tp_reject("ixkit-policy 1\nright netoper\n", IX_EINVAL, "t.policy:2:7: ",
		  "expected 'right NAME KIND'");
	tp_reject("ixkit-policy 1\nright netoper plain\nright netoper label\n", IX_EINVAL,
		  "t.policy:3:", "netoper");
}

static void
parse_rejects_bad_category_bit(void **state)
{
	(void)state;
	tp_reject("ixkit-policy 1\ncategory projectbit x\n", IX_EINVAL, "t.policy:2:21: ",
		  "category bit must be a number from 0 to 255");
	tp_reject("ixkit-policy 1\ncategory projectbit 256\n", IX_EINVAL, "t.policy:2:21: ",
		  "from 0 to 255");
	tp_reject("ixkit-policy 1\ncategory projectbit -1\n", IX_EINVAL, "t.policy:2:21: ",
		  "from 0 to 255");
	tp_reject("ixkit-policy 1\ncategory projectbit 1 kept\n", IX_EINVAL, "t.policy:2:10: ",
		  "expected 'category NAME BIT [retired]'");
}

static void
parse_rejects_category_bit_reuse_with_retired_category(void **state)
{
	(void)state;
	/* A retired bit never gets a new name, whichever line comes first,
	 * and a retired name is not given to a new bit either. */
	tp_reject("ixkit-policy 1\ncategory old 1 retired\ncategory new 1\n", IX_ECONFLICT,
		  "t.policy:3:10: ", "retired category old");
	tp_reject("ixkit-policy 1\ncategory new 1\ncategory old 1 retired\n", IX_ECONFLICT,
		  "t.policy:3:10: ", "bit 1 is in use by category new");
	tp_reject("ixkit-policy 1\ncategory old 1 retired\ncategory old 2\n", IX_ECONFLICT,
		  "t.policy:3:10: ", "retired category old");
	tp_reject("ixkit-policy 1\ncategory old 1\ncategory old 2 retired\n", IX_EINVAL,
		  "t.policy:3:10: ", "still in use");
}

/* ---- rejections: values inside nodes and rules ---- */

static void
parse_rejects_unknown_category_in_rights(void **state)
{
	(void)state;
	/* "\trights downgrade(projcetbit)": the value starts at column 9, the
	 * misspelt category at column 19. */
	tp_reject(HEAD ROOT "node /a\n\tpredicate ANY\n\trights downgrade(projcetbit)\n",
		  IX_EINVAL, "t.policy:14:19: ", "projcetbit");
	tp_reject(HEAD ROOT "node /a\n\tpredicate ANY\n\trights netoper |  bogus\n",
		  IX_EINVAL, "t.policy:14:", "bogus");
}

static void
parse_rejects_bad_predicate(void **state)
{
	(void)state;
	/* "\tpredicate ID(alice) & FOO(x)": FOO is at column 24. */
	tp_reject(HEAD ROOT "node /a\n\tpredicate ID(alice) & FOO(x)\n\trights netoper\n",
		  IX_EINVAL, "t.policy:13:24: ", "unknown atom 'FOO'");
	/* The rights line may come first; the position is still the
	 * predicate's. */
	tp_reject(HEAD ROOT "node /a\n\trights netoper\n\tpredicate (ID(a)\n",
		  IX_EINVAL, "t.policy:14:18: ", "closes");
}

static void
parse_rejects_bad_template_regex(void **state)
{
	(void)state;
	/* "\ttemplate do (x": the pattern ends (column 16) without ')'. */
	tp_reject(HEAD ROOT "rule r\n\ttemplate do (x\n\tneed netoper\n"
		  "\taction EXEC(/bin/true)\n", IX_EINVAL, "t.policy:13:16: ",
		  "missing closing parenthesis");
}

static void
parse_rejects_parameter_beyond_template_groups(void **state)
{
	(void)state;
	/* "\tneed downgrade($2)": $2 at column 17 of the need line. */
	tp_reject(HEAD ROOT "rule r\n\ttemplate do (\\S+)\n\tneed downgrade($2)\n"
		  "\taction DOWNGRADE(f, $1)\n", IX_EINVAL, "t.policy:14:17: ",
		  "$2");
	/* "\taction DOWNGRADE(f, $2)": $2 at column 22 of the action line. */
	tp_reject(HEAD ROOT "rule r\n\ttemplate do (\\S+)\n\tneed downgrade($1)\n"
		  "\taction DOWNGRADE(f, $2)\n", IX_EINVAL, "t.policy:15:22: ", "$2");
}

static void
parse_rejects_duplicate_node(void **state)
{
	(void)state;
	tp_reject(HEAD ROOT "node /a\n\tpredicate ANY\n\trights netoper\n"
		  "node /a\n\tpredicate ID(b)\n\trights NONE\n", IX_EEXIST, "t.policy:15:1: ",
		  "node /a defined twice");
	tp_reject(HEAD ROOT "rule r\n\ttemplate a\n\tneed netoper\n\taction EXEC(/bin/true)\n"
		  "rule r\n\ttemplate b\n\tneed netoper\n\taction EXEC(/bin/true)\n",
		  IX_EEXIST, "t.policy:16:6: ", "rule r defined twice");
}

static void
parse_rejects_node_without_parent(void **state)
{
	(void)state;
	tp_reject(HEAD ROOT "node /a/b\n\tpredicate ANY\n\trights NONE\n", IX_EINVAL,
		  "t.policy:12:1: ", "node /a/b has no parent node /a");
}

static void
parse_rejects_missing_root(void **state)
{
	(void)state;
	/* No node at all: the whole text is at fault. */
	tp_reject(HEAD, IX_EINVAL, "t.policy: ", "no root node");
	/* Nodes without "/": the first one found without a parent. */
	tp_reject(HEAD "node /a\n\tpredicate ANY\n\trights ALL\n", IX_EINVAL,
		  "t.policy:9:1: ", "node /a has no parent node /");
}

static void
parse_rejects_root_without_all(void **state)
{
	(void)state;
	tp_reject(HEAD "node /\n\tpredicate ANY\n\trights netoper | downgrade(TOP)\n",
		  IX_ECONFLICT, "t.policy:9:1: ", "the root node / must grant ALL");
}

static void
parse_rejects_monotonicity_violation_naming_both_nodes(void **state)
{
	const char *const what[] = { "monotonicity", "node /a/b", "parent /a ",
				     "downgrade(projectbit)", NULL };
	const char *t = HEAD ROOT "node /a\n\tpredicate ANY\n\trights netoper\n"
			"node /a/b\n\tpredicate ANY\n\trights netoper | downgrade(projectbit)\n";
	/* The child written before its parent: still the child's line. */
	const char *u = HEAD ROOT "node /a/b\n\tpredicate ANY\n\trights edit(/x.*)\n"
			"node /a\n\tpredicate ANY\n\trights edit(/x/.*)\n";

	(void)state;
	tp_reject_n(t, strlen(t), IX_ECONFLICT, "t.policy:15:1: ", what);
	tp_reject_n(u, strlen(u), IX_ECONFLICT, "t.policy:12:1: ",
		    (const char *const[]){ "node /a/b", "parent /a ", NULL });
}

/* ---- rejections: tables ---- */

static void
parse_rejects_bad_range(void **state)
{
	(void)state;
	/* "clearance pat high..low": the range starts at column 15. */
	tp_reject(HEAD ROOT "clearance pat high..low\n", IX_EINVAL, "t.policy:12:15: ",
		  "low end does not lie below the high end");
	tp_reject(HEAD ROOT "port high..low /dev/console\n", IX_EINVAL, "t.policy:12:6: ",
		  "low end does not lie below the high end");
	tp_reject(HEAD ROOT "clearance pat low..middle\n", IX_EINVAL, "t.policy:12:20: ", "middle");
}

static void
parse_rejects_bad_tables(void **state)
{
	(void)state;
	tp_reject(HEAD ROOT "clearance pat low\nclearance pat high\n", IX_EEXIST,
		  "t.policy:13:", "clearance of pat given twice");
	tp_reject(HEAD ROOT "clearance Pat low\n", IX_EINVAL, "t.policy:12:11: ", "user name");
	tp_reject(HEAD ROOT "port low /dev/(pts\n", IX_EINVAL, "t.policy:12:19: ", "port pattern");
	tp_reject(HEAD ROOT "provider sshd usr/sbin/sshd\n", IX_EINVAL, "t.policy:12:",
		  "absolute");
	tp_reject(HEAD ROOT "floor low\nfloor high\n", IX_EEXIST, "t.policy:13:",
		  "floor given twice");
	tp_reject(HEAD ROOT "seal low..high\nseal high\n", IX_EEXIST, "t.policy:13:",
		  "seal range given twice");
	tp_reject(HEAD ROOT "seal high..low\n", IX_EINVAL, "t.policy:12:6: ", "does not lie below");
	tp_reject(HEAD ROOT "seal low high\n", IX_EINVAL, "t.policy:12:", "expected 'seal LOW..HIGH'");
	tp_reject(HEAD ROOT "clearance pat\n", IX_EINVAL, "t.policy:12:14: ",
		  "missing second operand");
}

/* ---- parameters that would reach a parser (issue 13, hole 5) ---- */

#define SPLICE_HEAD "ixkit-policy 1\nright probe plain\nnode /\n\tpredicate NONE\n\trights ALL\n"

static void
splice_into_a_shell_command_is_refused_naming_the_group(void **state)
{
	const char *const what[] = { "rule shx", "$1", "echo shx-$1", "group 1 '\\S+'",
				     "[A-Za-z0-9._,:+@%/=-]", NULL };
	const char *text = SPLICE_HEAD "rule shx\n\ttemplate shx (\\S+)\n\tneed probe\n"
			   "\taction EXEC(/bin/sh, -c, \"echo shx-$1\")\n";

	(void)state;
	tp_reject_n(text, strlen(text), IX_EINVAL, "t.policy:9:", what);
}

static void
splice_into_any_longer_argument_is_refused(void **state)
{
	const char *const what[] = { "rule tag", "is spliced into 'x-$1'", "group 1 '.+'", NULL };
	const char *text = SPLICE_HEAD "rule tag\n\ttemplate tag (.+)\n\tneed probe\n"
			   "\taction EXEC(/bin/echo, x-$1)\n";

	(void)state;
	tp_reject_n(text, strlen(text), IX_EINVAL, "t.policy:9:", what);
}

static void
interpreter_argument_is_refused_even_whole(void **state)
{
	const char *const what[] = { "reaches the interpreter as '$1'", NULL };
	const char *text = SPLICE_HEAD "rule run\n\ttemplate run (\\S+)\n\tneed probe\n"
			   "\taction EXEC(/usr/bin/env, $1)\n";

	(void)state;
	tp_reject_n(text, strlen(text), IX_EINVAL, "t.policy:9:", what);
}

static void
inline_options_cannot_be_checked(void **state)
{
	const char *const what[] = { "'(?i' is not followed", NULL };
	const char *text = SPLICE_HEAD "rule x\n\ttemplate (?i)x ([a-z]+)\n\tneed probe\n"
			   "\taction EXEC(/bin/echo, n=$1)\n";

	(void)state;
	tp_reject_n(text, strlen(text), IX_EINVAL, "t.policy:", what);
}

static void
safe_splices_and_whole_arguments_are_accepted(void **state)
{
	struct ix_policy *p = tp_parse("ok", SPLICE_HEAD
		"rule exit\n\ttemplate exit ([0-9]+)\n\tneed probe\n"
		"\taction EXEC(/bin/sh, -c, \"exit $1\")\n"
		"rule cat\n\ttemplate cat (\\S+)\n\tneed probe\n\taction EXEC(/bin/cat, $1)\n"
		"rule host\n\ttemplate host (?:at )?(?<name>[a-z][a-z0-9.-]*) ([0-9]{1,5})\n"
		"\tneed probe\n\taction EXEC(/usr/bin/ssh-keyscan, -p, $2, host=$1)\n");

	(void)state;
	assert_int_equal(p->nrules, 3);
	ix_policy_free(p);
}

/* ---- interpreters an administrator adds (policy_interpreters) ---- */

#define RUNNER_RULE "rule run\n\ttemplate run (\\S+)\n\tneed probe\n" \
		    "\taction EXEC(/usr/local/bin/myrunner, $1)\n"

static void
added_interpreter_refuses_a_rule_the_builtin_list_accepts(void **state)
{
	const char *const extra[] = { "ruby3.1", "myrunner", NULL };
	const struct ix_policy_opts opts = { extra };
	/* "\taction " ends at column 8; $1 is the action's 31st character. */
	const char *const what[] = { "rule run", "reaches the interpreter as '$1'",
				     "group 1 '\\S+'", NULL };
	const char *text = SPLICE_HEAD RUNNER_RULE;
	struct ix_policy *p = tp_parse("builtin", text);

	(void)state;
	ix_policy_free(p);
	tp_reject_opts(&opts, text, strlen(text), IX_EINVAL, "t.policy:9:39: ", what);
}

static void
no_options_or_no_list_keep_the_builtin_list(void **state)
{
	const struct ix_policy_opts none = { NULL };
	const char *const empty[] = { NULL };
	const struct ix_policy_opts nothing = { empty };
	const char *const what[] = { "reaches the interpreter as '$1'", NULL };
	const char *ok = SPLICE_HEAD RUNNER_RULE;
	const char *env = SPLICE_HEAD "rule run\n\ttemplate run (\\S+)\n\tneed probe\n"
			  "\taction EXEC(/usr/bin/env, $1)\n";
	const struct ix_policy_opts *each[] = { NULL, &none, &nothing };
	struct ix_err e = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof each / sizeof each[0]; i++) {
		struct ix_policy *p = NULL;

		if (ix_policy_parse("ok", ok, strlen(ok), each[i], &p, &e) != 0)
			fail_msg("options %zu: %s", i, e.msg);
		ix_policy_free(p);
		tp_reject_opts(each[i], env, strlen(env), IX_EINVAL, "t.policy:9:", what);
	}
}

static void
added_interpreters_never_accept_what_the_builtin_list_refuses(void **state)
{
	/* Names that are no interpreter, a name the built-in list has
	 * already, and one that is not a program name at all: the list
	 * can only grow. */
	const char *const extra[] = { "cat", "echo", "sh", "/bin/sh", "", NULL };
	const struct ix_policy_opts opts = { extra };
	const char *const shx[] = { "rule shx", "reaches the interpreter as 'echo shx-$1'",
				    "group 1 '\\S+'", NULL };
	/* echo named: still refused, as an interpreter's argument now */
	const char *const tag[] = { "rule tag", "reaches the interpreter as 'x-$1'",
				    "group 1 '.+'", NULL };
	const char *const env[] = { "rule run", "reaches the interpreter as '$1'", NULL };
	const char *t1 = SPLICE_HEAD "rule shx\n\ttemplate shx (\\S+)\n\tneed probe\n"
			 "\taction EXEC(/bin/sh, -c, \"echo shx-$1\")\n";
	const char *t2 = SPLICE_HEAD "rule tag\n\ttemplate tag (.+)\n\tneed probe\n"
			 "\taction EXEC(/bin/echo, x-$1)\n";
	const char *t3 = SPLICE_HEAD "rule run\n\ttemplate run (\\S+)\n\tneed probe\n"
			 "\taction EXEC(/usr/bin/env, $1)\n";
	/* A program it names still takes a safe group's text. */
	const char *t4 = SPLICE_HEAD "rule c\n\ttemplate c ([0-9]+)\n\tneed probe\n"
			 "\taction EXEC(/bin/cat, $1)\n";
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };

	(void)state;
	tp_reject_opts(&opts, t1, strlen(t1), IX_EINVAL, "t.policy:9:", shx);
	tp_reject_opts(&opts, t2, strlen(t2), IX_EINVAL, "t.policy:9:", tag);
	tp_reject_opts(&opts, t3, strlen(t3), IX_EINVAL, "t.policy:9:", env);
	if (ix_policy_parse("safe", t4, strlen(t4), &opts, &p, &e) != 0)
		fail_msg("a safe group refused: %s", e.msg);
	ix_policy_free(p);
}

static void
group_spans_follow_pcre_numbering(void **state)
{
	const char *t = "a(?:b)(?<n>c[)(]d)(e(f))\\.(x)[]]";
	struct ix_err e = { 0 };
	size_t s, l;

	(void)state;
	assert_int_equal(ix_pcre_group_span(t, 1, &s, &l, &e), 1);
	assert_int_equal((int)l, 6);
	assert_memory_equal(t + s, "c[)(]d", 6);
	assert_int_equal(ix_pcre_group_span(t, 2, &s, &l, &e), 1);
	assert_memory_equal(t + s, "e(f)", 4);
	assert_int_equal(ix_pcre_group_span(t, 3, &s, &l, &e), 1);
	assert_memory_equal(t + s, "f", 1);
	assert_int_equal(ix_pcre_group_span(t, 4, &s, &l, &e), 1);
	assert_memory_equal(t + s, "x", 1);
	assert_int_equal(ix_pcre_group_span(t, 5, &s, &l, &e), 0);
	assert_int_equal(ix_pcre_group_span("\\Q(a)\\E", 1, &s, &l, &e), -1);
	assert_int_equal(ix_pcre_group_span("(?|(a)|(b))", 1, &s, &l, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_demo_policy),
		cmocka_unit_test(print_parse_print_is_a_fixed_point_on_demo),
		cmocka_unit_test(print_is_canonical_whatever_the_layout),
		cmocka_unit_test(print_keeps_retired_categories),
		cmocka_unit_test(parse_accepts_a_line_of_exactly_the_limit),
		cmocka_unit_test(parse_rejects_missing_version_line),
		cmocka_unit_test(parse_rejects_wrong_version),
		cmocka_unit_test(parse_rejects_oversized_text),
		cmocka_unit_test(parse_rejects_over_long_line),
		cmocka_unit_test(parse_rejects_nul_byte),
		cmocka_unit_test(parse_rejects_control_characters),
		cmocka_unit_test(parse_rejects_unknown_keyword),
		cmocka_unit_test(parse_rejects_field_outside_a_block),
		cmocka_unit_test(parse_rejects_field_given_twice),
		cmocka_unit_test(parse_rejects_empty_field_value),
		cmocka_unit_test(parse_rejects_node_without_rights),
		cmocka_unit_test(parse_rejects_bad_block_header),
		cmocka_unit_test(parse_rejects_declaration_after_a_node),
		cmocka_unit_test(parse_accepts_relabel_and_prints_it_after_the_rights),
		cmocka_unit_test(parse_rejects_bad_relabel_lines),
		cmocka_unit_test(parse_rejects_bad_right_kind),
		cmocka_unit_test(parse_rejects_bad_category_bit),
		cmocka_unit_test(parse_rejects_category_bit_reuse_with_retired_category),
		cmocka_unit_test(parse_rejects_unknown_category_in_rights),
		cmocka_unit_test(parse_rejects_bad_predicate),
		cmocka_unit_test(parse_rejects_bad_template_regex),
		cmocka_unit_test(parse_rejects_parameter_beyond_template_groups),
		cmocka_unit_test(parse_rejects_duplicate_node),
		cmocka_unit_test(parse_rejects_node_without_parent),
		cmocka_unit_test(parse_rejects_missing_root),
		cmocka_unit_test(parse_rejects_root_without_all),
		cmocka_unit_test(parse_rejects_monotonicity_violation_naming_both_nodes),
		cmocka_unit_test(parse_rejects_bad_range),
		cmocka_unit_test(parse_rejects_bad_tables),
		cmocka_unit_test(splice_into_a_shell_command_is_refused_naming_the_group),
		cmocka_unit_test(splice_into_any_longer_argument_is_refused),
		cmocka_unit_test(interpreter_argument_is_refused_even_whole),
		cmocka_unit_test(inline_options_cannot_be_checked),
		cmocka_unit_test(safe_splices_and_whole_arguments_are_accepted),
		cmocka_unit_test(added_interpreter_refuses_a_rule_the_builtin_list_accepts),
		cmocka_unit_test(no_options_or_no_list_keep_the_builtin_list),
		cmocka_unit_test(added_interpreters_never_accept_what_the_builtin_list_refuses),
		cmocka_unit_test(group_spans_follow_pcre_numbering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
