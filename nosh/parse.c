/*
 * The nosh parser: one pass of a table-driven state machine over the bytes
 * of the whole script. The table is section 3 of nosh/GRAMMAR.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "nosh/parse.h"

enum state { LINE, CAPS, GAP, WORD, QUOTE, QEND, REDIR, RGAP, TWORD, TQUOTE,
	     TQEND, AFTER, COMMENT, NSTATES, ERR = NSTATES };
enum class { NL, SP, HASH, QU, GT, PLUS, META, CTRL, OTHER, NCLASSES };

/* Actions, as bits; for an ERR entry the act field is an enum perr. */
enum { B = 1, A = 2, Q = 4, W = 8, T = 16, C = 32, R = 64, APP = 128, E = 256 };
enum perr { P_META, P_CTRL, P_UNTERM, P_GTWORD, P_NOCMD, P_NOTGT, P_TWICE,
	    P_AFTER, P_CAPCMD };

static const char *const perr_msg[] = {
	[P_UNTERM] = "quote not closed on its line",
	[P_GTWORD] = "'>' inside a word: put a blank before it, or quote it",
	[P_NOCMD] = "redirection without a command",
	[P_NOTGT] = "'>' without a file name",
	[P_TWICE] = "only one redirection per command",
	[P_AFTER] = "only a comment may follow the redirection's file name",
	[P_CAPCMD] = "capability prefix without a command",
};

struct step {
	unsigned char next;	/* state after this byte, or ERR */
	unsigned short act;	/* action bits, or enum perr when next == ERR */
};

#define X(e) { ERR, P_##e }
static const struct step table[NSTATES][NCLASSES] = {
/*	     NL           SP          HASH          QUOTE          GT           PLUS          META          CTRL      OTHER */
[LINE]   = {{LINE, 0},    {LINE, 0},  {COMMENT, 0}, {QUOTE, B|Q},  X(NOCMD),    {CAPS, B},    X(META),      X(CTRL), {WORD, B|A}},
[CAPS]   = {X(CAPCMD),    {GAP, C},   {CAPS, A},    {CAPS, A},     {CAPS, A},   {CAPS, A},    {CAPS, A},    X(CTRL), {CAPS, A}},
[GAP]    = {{LINE, E},    {GAP, 0},   {COMMENT, 0}, {QUOTE, B|Q},  {REDIR, R},  {WORD, B|A},  X(META),      X(CTRL), {WORD, B|A}},
[WORD]   = {{LINE, W|E},  {GAP, W},   {WORD, A},    {QUOTE, Q},    X(GTWORD),   {WORD, A},    X(META),      X(CTRL), {WORD, A}},
[QUOTE]  = {X(UNTERM),    {QUOTE, A}, {QUOTE, A},   {QEND, 0},     {QUOTE, A},  {QUOTE, A},   {QUOTE, A},   X(CTRL), {QUOTE, A}},
[QEND]   = {{LINE, W|E},  {GAP, W},   {WORD, A},    {QUOTE, A},    X(GTWORD),   {WORD, A},    X(META),      X(CTRL), {WORD, A}},
[REDIR]  = {X(NOTGT),     {RGAP, 0},  X(NOTGT),     {TQUOTE, B|Q}, {RGAP, APP}, {TWORD, B|A}, X(META),      X(CTRL), {TWORD, B|A}},
[RGAP]   = {X(NOTGT),     {RGAP, 0},  X(NOTGT),     {TQUOTE, B|Q}, X(TWICE),    {TWORD, B|A}, X(META),      X(CTRL), {TWORD, B|A}},
[TWORD]  = {{LINE, T|E},  {AFTER, T}, {TWORD, A},   {TQUOTE, Q},   X(GTWORD),   {TWORD, A},   X(META),      X(CTRL), {TWORD, A}},
[TQUOTE] = {X(UNTERM),    {TQUOTE, A},{TQUOTE, A},  {TQEND, 0},    {TQUOTE, A}, {TQUOTE, A},  {TQUOTE, A},  X(CTRL), {TQUOTE, A}},
[TQEND]  = {{LINE, T|E},  {AFTER, T}, {TWORD, A},   {TQUOTE, A},   X(GTWORD),   {TWORD, A},   X(META),      X(CTRL), {TWORD, A}},
[AFTER]  = {{LINE, E},    {AFTER, 0}, {COMMENT, 0}, X(AFTER),      X(TWICE),    X(AFTER),     X(META),      X(CTRL), X(AFTER)},
[COMMENT]= {{LINE, E},    {COMMENT,0},{COMMENT, 0}, {COMMENT, 0},  {COMMENT, 0},{COMMENT, 0}, {COMMENT, 0}, X(CTRL), {COMMENT, 0}},
};
#undef X

struct parser {
	const char *name;	/* script name for messages */
	unsigned line, col;	/* position of the byte being read */
	unsigned wcol;		/* column where the current word began */
	unsigned qcol;		/* column of the last opening quote */
	unsigned capcol;	/* column of the + prefix, 0 if none */
	char *word;		/* current word, not NUL-terminated */
	size_t wlen, wcap;	/* its length and allocation */
	struct nosh_cmd cur;	/* command being built */
	struct nosh_script *s;	/* output */
	struct ix_err *err;
};

static enum class
classify(unsigned char c)
{
	if (c == '\n')
		return NL;
	if (c == ' ' || c == '\t')
		return SP;
	if (c < 0x20 || c == 0x7f)
		return CTRL;
	switch (c) {
	case '#': return HASH;
	case '\'': return QU;
	case '>': return GT;
	case '+': return PLUS;
	}
	return strchr("|&;<$`*?[](){}~\\\"", c) ? META : OTHER;
}

static int
fail(struct parser *p, unsigned col, enum ix_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
fail(struct parser *p, unsigned col, enum ix_errcode code, const char *fmt, ...)
{
	char msg[IX_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ix_err_set(p->err, code, "%s:%u:%u: %s", p->name, p->line, col, msg);
}

static void
cmd_free(struct nosh_cmd *c)
{
	for (size_t i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c->out);
	memset(c, 0, sizeof *c);
}

static int
add_byte(struct parser *p, char c)
{
	if (p->wlen == NOSH_WORD_MAX)
		return fail(p, p->col, IX_ELIMIT, "word longer than %u bytes", NOSH_WORD_MAX);
	if (p->wlen == p->wcap) {
		size_t ncap = p->wcap ? 2 * p->wcap : 64;
		char *n = realloc(p->word, ncap);

		if (n == NULL)
			return fail(p, p->col, IX_ENOMEM, "out of memory");
		p->word = n;
		p->wcap = ncap;
	}
	p->word[p->wlen++] = c;
	return 0;
}

static char *
take_word(struct parser *p)
{
	char *w = malloc(p->wlen + 1);

	if (w == NULL) {
		fail(p, p->wcol, IX_ENOMEM, "out of memory");
		return NULL;
	}
	if (p->wlen)	/* p->word is NULL before the first byte */
		memcpy(w, p->word, p->wlen);
	w[p->wlen] = '\0';
	return w;
}

static int
end_arg(struct parser *p)
{
	char **v;

	if (p->cur.argc == NOSH_ARGS_MAX)
		return fail(p, p->wcol, IX_ELIMIT, "more than %u words", NOSH_ARGS_MAX);
	v = realloc(p->cur.argv, (p->cur.argc + 2) * sizeof *v);
	if (v == NULL)
		return fail(p, p->wcol, IX_ENOMEM, "out of memory");
	p->cur.argv = v;
	if ((v[p->cur.argc] = take_word(p)) == NULL)
		return -1;
	if (p->cur.argc == 0 && p->capcol == 0)
		p->cur.line = p->line;
	v[++p->cur.argc] = NULL;
	return 0;
}

static int
end_target(struct parser *p)
{
	if (p->wlen == 0)
		return fail(p, p->wcol, IX_EINVAL, "empty file name after '>'");
	return (p->cur.out = take_word(p)) == NULL ? -1 : 0;
}

/* "cap_a,cap_b" in the word buffer into the bit set cur.caps. */
static int
end_caps(struct parser *p)
{
	char name[64];
	size_t i = 0, n;
	cap_value_t v;

	p->cur.line = p->line;
	if (p->wlen == 0)
		return fail(p, p->capcol, IX_EINVAL, "empty capability prefix");
	while (i <= p->wlen) {
		for (n = 0; i + n < p->wlen && p->word[i + n] != ','; n++)
			;
		if (n < sizeof name) {
			memcpy(name, p->word + i, n);
			name[n] = '\0';
		}
		if (n >= sizeof name || n < 5 || strncmp(name, "cap_", 4) != 0 ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyz_") != n)
			return fail(p, p->capcol, IX_EINVAL, "'%.*s' is not a capability "
				    "list (write +cap_a,cap_b)", (int)p->wlen, p->word);
		if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
			return fail(p, p->capcol, IX_EINVAL, "unknown capability '%s'", name);
		if (p->cur.caps & (UINT64_C(1) << v))
			return fail(p, p->capcol, IX_EINVAL, "capability '%s' named twice", name);
		p->cur.caps |= UINT64_C(1) << v;
		i += n + 1;
	}
	return 0;
}

static int
check_builtin(struct parser *p, const char *what, unsigned col)
{
	if (p->capcol)
		return fail(p, p->capcol, IX_EINVAL, "built-in %s takes no capability prefix", what);
	if (p->cur.out)
		return fail(p, col, IX_EINVAL, "built-in %s takes no redirection", what);
	return 0;
}

/* End of a line: check the command and append it to the script. */
static int
end_cmd(struct parser *p, unsigned col)
{
	struct nosh_cmd *c = &p->cur, *v;
	const char *prog = c->argc ? c->argv[0] : NULL;

	if (prog == NULL) {
		if (p->capcol)
			return fail(p, p->capcol, IX_EINVAL, "%s", perr_msg[P_CAPCMD]);
		return 0;
	}
	if (strcmp(prog, "cd") == 0) {
		if (check_builtin(p, "cd", col) < 0)
			return -1;
		if (c->argc != 2)
			return fail(p, col, IX_EINVAL, "cd takes exactly one directory");
		c->kind = NOSH_CD;
	} else if (strcmp(prog, "exit") == 0) {
		const char *a = c->argv[1];

		if (check_builtin(p, "exit", col) < 0)
			return -1;
		if (c->argc > 2)
			return fail(p, col, IX_EINVAL, "exit takes at most one status");
		c->kind = NOSH_EXIT;
		c->exit_status = -1;
		if (a != NULL) {
			if (a[0] == '\0' || strspn(a, "0123456789") != strlen(a) ||
			    strlen(a) > 3 || atoi(a) > 255)
				return fail(p, col, IX_EINVAL, "exit status '%s' is not "
					    "a number from 0 to 255", a);
			c->exit_status = atoi(a);
		}
	} else if (prog[0] != '/' && strncmp(prog, "./", 2) != 0) {
		return fail(p, col, IX_EINVAL, "'%s' is not a path: a command starts "
			    "with / or ./ (nosh has no path search)", prog);
	}
	if (p->s->n == NOSH_CMDS_MAX)
		return fail(p, col, IX_ELIMIT, "more than %u commands", NOSH_CMDS_MAX);
	v = realloc(p->s->cmds, (p->s->n + 1) * sizeof *v);
	if (v == NULL)
		return fail(p, col, IX_ENOMEM, "out of memory");
	p->s->cmds = v;
	v[p->s->n++] = *c;
	memset(c, 0, sizeof *c);
	return 0;
}

/* Feeds one byte through the table; "at" is the column of the command's
 * first word, for messages about the whole command. */
static int
step(struct parser *p, enum state *st, unsigned char ch, unsigned *at)
{
	const struct step *s = &table[*st][classify(ch)];
	unsigned a = s->act;

	if (s->next == ERR) {
		if (a == P_UNTERM)
			return fail(p, p->qcol, IX_EINVAL, "%s", perr_msg[a]);
		if (a == P_CAPCMD)
			return fail(p, p->capcol, IX_EINVAL, "%s", perr_msg[a]);
		if (a == P_META)
			return fail(p, p->col, IX_EINVAL, "unquoted '%c' is reserved (nosh "
				    "has no pipes, lists, variables, globbing, substitution "
				    "or escapes); quote it", ch);
		if (a == P_CTRL)
			return fail(p, p->col, IX_EINVAL, "control byte 0x%02x", ch);
		return fail(p, p->col, IX_EINVAL, "%s", perr_msg[a]);
	}
	if (a & B) {
		p->wlen = 0;
		p->wcol = p->col;
		if (*st == LINE && s->next == CAPS)
			p->capcol = p->col;
		else if (p->cur.argc == 0 && s->next != TWORD && s->next != TQUOTE)
			*at = p->col;
	}
	if (a & Q)
		p->qcol = p->col;
	if ((a & A) && add_byte(p, (char)ch) < 0)
		return -1;
	if ((a & R) && p->cur.argc == 0)
		return fail(p, p->col, IX_EINVAL, "%s", perr_msg[P_NOCMD]);
	if (a & APP)
		p->cur.append = 1;
	if (((a & W) && end_arg(p) < 0) || ((a & T) && end_target(p) < 0) ||
	    ((a & C) && end_caps(p) < 0) || ((a & E) && end_cmd(p, *at) < 0))
		return -1;
	if (a & E)
		p->capcol = 0;
	*st = s->next;
	return 0;
}

int
nosh_parse(const char *name, const char *text, size_t len, unsigned first_line,
	   struct nosh_script *out, struct ix_err *err)
{
	struct parser p = { .name = name, .line = first_line, .col = 1, .s = out,
			    .err = err };
	enum state st = LINE;
	unsigned at = 1;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (len > NOSH_SCRIPT_MAX)
		return ix_err_set(err, IX_ELIMIT, "%s: script longer than %u bytes",
				  name, NOSH_SCRIPT_MAX);
	for (size_t i = 0; i < len && rc == 0; i++) {
		rc = step(&p, &st, (unsigned char)text[i], &at);
		if (text[i] == '\n') {
			p.line++;
			p.col = 1;
		} else {
			p.col++;
		}
	}
	/* The end of the text is a final newline. */
	if (rc == 0 && st != LINE)
		rc = step(&p, &st, '\n', &at);
	free(p.word);
	cmd_free(&p.cur);
	if (rc < 0)
		nosh_script_free(out);
	return rc;
}

void
nosh_script_free(struct nosh_script *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		cmd_free(&s->cmds[i]);
	free(s->cmds);
	s->cmds = NULL;
	s->n = 0;
}
