/*
 * The parameter types of the action primitives, and the checks that one
 * argument value belongs to its type. The same checks run on constants at
 * parse time and on every argument after substitution, so a capture can
 * never smuggle in what a constant could not.
 */
#include <stdio.h>
#include <string.h>

#include "libauthtree/action_int.h"
#include "libauthtree/pred_user.h"

#define LICNAME_MAX 64

static const struct prim_spec specs[] = {
	[IX_A_EXEC] = { "EXEC", 1, IX_ACTION_ARGS_MAX, { T_PROG, T_STRING },
			{ "program", "argument" }, T_STRING, "argument", true, true },
	[IX_A_PRIV] = { "PRIV", 1, IX_ACTION_ARGS_MAX, { T_PRIV, T_PRIV },
			{ "privilege", "privilege" }, T_PRIV, "privilege", false, true },
	[IX_A_CEILING] = { "CEILING", 1, 1, { T_LABEL, T_LABEL }, { "label", "" }, T_LABEL, "",
			   false, true },
	[IX_A_AS] = { "AS", 1, 1, { T_USER, T_USER }, { "user", "" }, T_USER, "", false, true },
	[IX_A_ENV] = { "ENV", 2, 2, { T_ENVNAME, T_STRING }, { "name", "value" }, T_STRING, "",
		       false, false },
	[IX_A_LABEL] = { "LABEL", 2, 2, { T_FILE, T_LABEL }, { "file", "label" }, T_STRING, "",
			 true, false },
	[IX_A_DOWNGRADE] = { "DOWNGRADE", 2, 2, { T_FILE, T_CAT }, { "file", "category" },
			     T_STRING, "", true, false },
	[IX_A_EDIT] = { "EDIT", 1, 1, { T_PATH, T_PATH }, { "subtree", "" }, T_PATH, "", true,
			false },
	[IX_A_COPY] = { "COPY", 2, 2, { T_FILE, T_FILE }, { "source", "destination" }, T_STRING,
			"", true, false },
	[IX_A_LICENSE] = { "LICENSE", 2, IX_ACTION_ARGS_MAX, { T_FILE, T_LICNAME },
			   { "file", "licence" }, T_LICNAME, "licence", true, false },
	[IX_A_UNLICENSE] = { "UNLICENSE", 1, IX_ACTION_ARGS_MAX, { T_FILE, T_LICNAME },
			     { "file", "licence" }, T_LICNAME, "licence", true, false },
	[IX_A_REQUIRE] = { "REQUIRE", 2, IX_ACTION_ARGS_MAX, { T_FILE, T_ROLE },
			   { "file", "role" }, T_ROLE, "role", true, false },
};

const struct prim_spec *
ix_prim_spec(enum ix_prim_kind k)
{
	if ((unsigned)k >= sizeof specs / sizeof specs[0])
		return NULL;
	return &specs[k];
}

const char *
ix_prim_name(enum ix_prim_kind k)
{
	const struct prim_spec *s = ix_prim_spec(k);

	return s != NULL ? s->name : NULL;
}

int
ix_prim_kind_parse(const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < sizeof specs / sizeof specs[0]; k++)
		if (strlen(specs[k].name) == len && memcmp(specs[k].name, name, len) == 0)
			return (int)k;
	return -1;
}

static enum atype
param_type(const struct prim_spec *s, size_t idx)
{
	return idx < 2 ? s->first[idx] : s->rest;
}

const char *
ix_action_param_name(enum ix_prim_kind k, size_t idx)
{
	const struct prim_spec *s = ix_prim_spec(k);

	if (s == NULL)
		return "";
	return idx < 2 ? s->pname[idx] : s->rest_name;
}

/*
 * Normalised path: components separated by single '/', none "." or "..",
 * no trailing '/' ("/" alone is the root). A relative one is accepted only
 * when relative_ok.
 */
static const char *
path_problem(const char *s, size_t len, bool relative_ok)
{
	size_t i = 0, b;

	if (len == 0)
		return "is an empty path";
	if (s[0] != '/' && !relative_ok)
		return "is not an absolute path";
	if (s[0] == '/') {
		if (len == 1)
			return NULL;
		i = 1;
	}
	for (;;) {
		b = i;
		while (i < len && s[i] != '/')
			i++;
		if (i == b)
			return i == len ? "ends with '/'" : "holds '//'";
		if (i - b == 1 && s[b] == '.')
			return "holds a '.' component";
		if (i - b == 2 && s[b] == '.' && s[b + 1] == '.')
			return "holds a '..' component";
		if (i == len)
			return NULL;
		i++;
	}
}

static bool
name_ok(const char *s, size_t len, const char *more)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
			  s[0] == '_'))
		return false;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || strchr(more, s[i]) != NULL))
			return false;
	return true;
}

/* Format characters that reorder or hide text on the user's screen. */
static bool
invisible(unsigned long cp)
{
	return cp <= 0x9f ||				/* C0 and C1 controls */
	       cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	       cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/*
 * An argument is shown to the user before they confirm, so it must display
 * as what it is: ASCII without controls, or well-formed UTF-8 without C1
 * controls, bidirectional overrides or invisible format characters (byte
 * 0x9b alone, for one, is CSI to an 8-bit terminal).
 */
static const char *
text_problem(const char *text, size_t len, char *why, size_t whysize)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n, k;
	unsigned long cp;

	while (i < len) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f) {
				snprintf(why, whysize, "holds control character \\x%02x", s[i]);
				return why;
			}
			i++;
			continue;
		}
		n = s[i] >= 0xc2 && s[i] <= 0xdf ? 2 : s[i] >= 0xe0 && s[i] <= 0xef ? 3
		  : s[i] >= 0xf0 && s[i] <= 0xf4 ? 4 : 0;
		cp = n == 2 ? s[i] & 0x1f : n == 3 ? s[i] & 0x0f : s[i] & 0x07;
		for (k = 1; n != 0 && k < n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80) {
				n = 0;
				break;
			}
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (n == 0 || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			snprintf(why, whysize, "is not valid UTF-8 (byte %zu)", i + 1);
			return why;
		}
		if (invisible(cp)) {
			snprintf(why, whysize, "holds Unicode control character U+%04lX", cp);
			return why;
		}
		i += n;
	}
	return NULL;
}

const char *
ix_action_shown(const char *v, size_t len, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 8 < size && n < 80; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	if (i < len)
		n += (size_t)snprintf(buf + n, size - n, "...");
	buf[n] = '\0';
	return buf;
}

const char *
ix_action_check_arg(enum ix_prim_kind k, size_t idx, const char *value, size_t len,
		    const struct ix_label_enc *enc, struct ix_prim *fill, char *why,
		    size_t whysize)
{
	const struct prim_spec *s = ix_prim_spec(k);
	const char *problem = NULL;
	struct ix_label label;
	struct ix_err e;
	size_t bad;
	int bit;

	if (text_problem(value, len, why, whysize) != NULL)
		return why;
	if (len > IX_ACTION_ARG_MAX) {
		snprintf(why, whysize, "is longer than %d bytes", IX_ACTION_ARG_MAX);
		return why;
	}
	switch (param_type(s, idx)) {
	case T_PROG:
	case T_PATH:
		problem = path_problem(value, len, false);
		break;
	case T_FILE:
		problem = path_problem(value, len, true);
		break;
	case T_LABEL:
		if (enc == NULL) {
			problem = "cannot be checked: no label encodings";
			break;
		}
		if (ix_label_parse(enc, value, len, &label, &e) < 0) {
			snprintf(why, whysize, "is not a label (%s)", e.msg);
			return why;
		}
		if (fill != NULL)
			fill->label = label;
		break;
	case T_CAT:
		bit = enc != NULL ? ix_label_enc_category_bit(enc, value) : -1;
		if (bit < 0)
			problem = "is not a category";
		else if (fill != NULL)
			fill->cat_bit = bit;
		break;
	case T_PRIV:
		bit = ix_priv_bit(value, len);
		if (bit < 0)
			problem = "is not a privilege";
		else if (fill != NULL)
			ix_privset_add(&fill->priv, bit);
		break;
	case T_USER:
		problem = ix_user_name_check(value, len, &bad);
		if (problem != NULL) {
			snprintf(why, whysize, "is not a user name: it %s", problem);
			return why;
		}
		break;
	case T_ENVNAME:
		if (!name_ok(value, len, ""))
			problem = "is not an environment variable name";
		break;
	case T_LICNAME:
		if (len > LICNAME_MAX || !name_ok(value, len, ".-"))
			problem = "is not a licence name";
		else if (ix_priv_bit(value, len) > IX_PRIV_CAP_LAST)
			problem = "is an ixkit privilege, which no file can carry";
		break;
	case T_ROLE:
		if (len > LICNAME_MAX || !name_ok(value, len, ".-"))
			problem = "is not a role name";
		else if (ix_priv_bit(value, len) >= 0)
			problem = "is a privilege, not a role";
		break;
	case T_STRING:
		break;
	}
	if (problem == NULL)
		return NULL;
	snprintf(why, whysize, "%s", problem);
	return why;
}
