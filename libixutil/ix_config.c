#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libixutil/ix_config.h"

#define LINE_MAX_LEN 4096
#define FILE_MAX_LEN (256 * 1024)

struct opt {
	const char *key;
	const char *env;
	size_t off;		/* offset of the value in struct ix_config */
	size_t src_off;		/* offset of its source, or 0 for none */
	int (*check)(struct ix_config *, const char *, const char *, struct ix_err *);
				/* checks the value and fills what is derived
				 * from it (value, where, err), or NULL */
};

static int check_interpreters(struct ix_config *c, const char *v, const char *where,
			      struct ix_err *err);
static int check_uids(struct ix_config *c, const char *v, const char *where, struct ix_err *err);

#define OFF(f) offsetof(struct ix_config, f)
static const struct opt opts[] = {
	{ "db", "IXKIT_DB", OFF(db), OFF(src_db), NULL },
	{ "rundir", "IXKIT_RUNDIR", OFF(rundir), OFF(src_rundir), NULL },
	{ "log", "IXKIT_LOG", OFF(log), OFF(src_log), NULL },
	{ "audit_head", "IXKIT_AUDIT_HEAD", OFF(audit_head), OFF(src_audit_head), NULL },
	{ "privd_user", "IXKIT_PRIVD_USER", OFF(privd_user), OFF(src_privd_user), NULL },
	{ "sessiond_user", "IXKIT_SESSIOND_USER", OFF(sessiond_user), OFF(src_sessiond_user), NULL },
	{ "audit_witness", "IXKIT_AUDIT_WITNESS", OFF(audit_witness), OFF(src_audit_witness), NULL },
	{ "audit_witness_every", "IXKIT_AUDIT_WITNESS_EVERY", OFF(audit_witness_every),
	  OFF(src_audit_witness_every), NULL },
	{ "passwdd_failure_budget", "IXKIT_PASSWDD_FAILURE_BUDGET", OFF(passwdd_failure_budget),
	  OFF(src_passwdd_failure_budget), NULL },
	{ "policy_interpreters", "IXKIT_POLICY_INTERPRETERS", OFF(policy_interpreters),
	  OFF(src_policy_interpreters), check_interpreters },
	{ "compartment_uids", "IXKIT_COMPARTMENT_UIDS", OFF(compartment_uids),
	  OFF(src_compartment_uids), check_uids },
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *
flag_value(const struct ix_config_flags *f, size_t i)
{
	if (f == NULL)
		return NULL;
	switch (i) {
	case 0: return f->db;
	case 1: return f->rundir;
	case 2: return f->log;
	case 3: return f->audit_head;
	case 4: return f->privd_user;
	case 5: return f->sessiond_user;
	case 6: return f->audit_witness;
	case 7: return f->audit_witness_every;
	case 8: return f->passwdd_failure_budget;
	case 9: return f->policy_interpreters;
	case 10: return f->compartment_uids;
	}
	return NULL;
}

static int
set_value(struct ix_config *c, size_t i, const char *v, enum ix_config_source src,
	  const char *where, struct ix_err *err)
{
	char *dst = (char *)c + opts[i].off;
	enum ix_config_source *s = (enum ix_config_source *)((char *)c + opts[i].src_off);

	if (*v == '\0')
		return ix_err_set(err, IX_EINVAL, "%s: empty value for %s", where, opts[i].key);
	if (strlen(v) >= IX_PATH_MAX)
		return ix_err_set(err, IX_ELIMIT, "%s: value for %s is too long", where, opts[i].key);
	if (opts[i].check != NULL && opts[i].check(c, v, where, err) < 0)
		return -1;
	strcpy(dst, v);
	*s = src;
	return 0;
}

/* policy_interpreters (ix_config.h): the names into c->interpreters; a
 * value from a later source replaces the whole list. On error c keeps
 * the list it had. */
static int
check_interpreters(struct ix_config *c, const char *v, const char *where, struct ix_err *err)
{
	char names[IX_INTERPRETERS_MAX][IX_INTERPRETER_NAME_MAX + 1] = { { 0 } };
	size_t n = 0;

	while (*v != '\0') {
		size_t len = strcspn(v, " \t,"), bad;

		if (len == 0) {
			v++;
			continue;
		}
		if (n == IX_INTERPRETERS_MAX)
			return ix_err_set(err, IX_EINVAL, "%s: policy_interpreters names more than "
					  "%d programs", where, IX_INTERPRETERS_MAX);
		if (len > IX_INTERPRETER_NAME_MAX)
			return ix_err_set(err, IX_EINVAL, "%s: policy_interpreters: '%.*s...' is "
					  "longer than %d bytes", where, 16, v,
					  IX_INTERPRETER_NAME_MAX);
		bad = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			     "0123456789._+-");
		if (bad < len || (len == 1 && v[0] == '.') ||
		    (len == 2 && v[0] == '.' && v[1] == '.'))
			return ix_err_set(err, IX_EINVAL, "%s: policy_interpreters: '%.*s' is not a "
					  "program name (the last component of its path: letters, "
					  "digits, '.', '_', '+', '-')", where, (int)len, v);
		memcpy(names[n], v, len);
		names[n++][len] = '\0';
		v += len;
	}
	memcpy(c->interpreters, names, sizeof names);
	c->ninterpreters = n;
	return 0;
}

const char **
ix_config_interpreters(const struct ix_config *c, const char *out[IX_INTERPRETERS_MAX + 1])
{
	size_t i;

	for (i = 0; i < c->ninterpreters && i < IX_INTERPRETERS_MAX; i++)
		out[i] = c->interpreters[i];
	out[i] = NULL;
	return out;
}

/* One uid of compartment_uids: digits only, 1..IX_CONFIG_UID_TOP; the
 * end of the digits in *end. */
static bool
parse_uid(const char *v, const char **end, uid_t *out)
{
	unsigned long long n = 0;
	const char *p = v;

	for (; *p >= '0' && *p <= '9' && p - v < 11; p++)
		n = n * 10 + (unsigned long long)(*p - '0');
	*end = p;
	if (p == v || p - v > 10 || n == 0 || n > IX_CONFIG_UID_TOP)
		return false;
	*out = (uid_t)n;
	return true;
}

/* compartment_uids (ix_config.h): the range into c; on error c keeps
 * the range it had. */
static int
check_uids(struct ix_config *c, const char *v, const char *where, struct ix_err *err)
{
	const char *p;
	uid_t lo, hi;

	if (!parse_uid(v, &p, &lo) || *p != '-' || !parse_uid(p + 1, &p, &hi) || *p != '\0')
		return ix_err_set(err, IX_EINVAL, "%s: compartment_uids must be MIN-MAX, two uids "
				  "from 1 to %u, not '%s'", where, IX_CONFIG_UID_TOP, v);
	if (lo > hi)
		return ix_err_set(err, IX_EINVAL, "%s: compartment_uids '%s' ends below its start",
				  where, v);
	c->compart_uid_min = lo;
	c->compart_uid_max = hi;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Parses the whole file into a scratch config first, so that an error on a
 * later line leaves the caller's values untouched. Grammar, line by line:
 *
 *	line	= blank | comment | setting
 *	blank	= [ \t\r]*
 *	comment	= [ \t]* "#" any*
 *	setting	= [ \t]* key [ \t]* "=" [ \t]* value [ \t\r]*
 *	key	= one of the keys of opts[]
 *	value	= any non-empty text (no NUL), at most IX_PATH_MAX - 1 bytes;
 *		  policy_interpreters: names, compartment_uids: a range
 *		  (ix_config.h)
 *
 * Errors name file:line:column. */
int
ix_config_parse(struct ix_config *c, const char *path, const char *text, size_t len,
		struct ix_err *err)
{
	struct ix_config tmp = *c;
	unsigned seen = 0;
	const char *p = text, *end = text + len, *nul = memchr(text, '\0', len);
	int lineno = 0;

	if (nul != NULL)
		return ix_err_set(err, IX_EINVAL, "%s: contains a NUL byte at offset %zu", path,
				  (size_t)(nul - text));
	if (len > FILE_MAX_LEN)
		return ix_err_set(err, IX_ELIMIT, "%s: larger than %d bytes", path, FILE_MAX_LEN);
	while (p < end) {
		char line[LINE_MAX_LEN + 1], *k, *v, *eq;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t i;

		lineno++;
		if (n > LINE_MAX_LEN)
			return ix_err_set(err, IX_ELIMIT, "%s:%d:%d: line longer than %d bytes",
					  path, lineno, LINE_MAX_LEN + 1, LINE_MAX_LEN);
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl != NULL);

		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL)
			return ix_err_set(err, IX_EINVAL, "%s:%d:%d: expected 'key = value'", path, lineno,
					  (int)(k - line) + 1);
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		for (i = 0; i < NOPTS; i++)
			if (strcmp(k, opts[i].key) == 0)
				break;
		if (i == NOPTS)
			return ix_err_set(err, IX_EINVAL, "%s:%d:%d: unknown option '%s'", path, lineno,
					  (int)(k - line) + 1, k);
		if (seen & (1u << i))
			return ix_err_set(err, IX_EINVAL, "%s:%d:%d: option '%s' given twice", path,
					  lineno, (int)(k - line) + 1, k);
		seen |= 1u << i;
		{
			char where[IX_PATH_MAX + 32];

			snprintf(where, sizeof where, "%s:%d:%d", path, lineno, (int)(v - line) + 1);
			if (set_value(&tmp, i, v, IX_SRC_FILE, where, err) < 0)
				return -1;
		}
	}
	*c = tmp;
	return 0;
}

static int
read_file(struct ix_config *c, const char *path, int required, struct ix_err *err)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !required)
			return 0;
		return ix_err_sys(err, "cannot open configuration %s", path);
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return ix_err_sys(err, "cannot stat configuration %s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ix_err_set(err, IX_EINVAL, "configuration %s is not a regular file", path);
	}
	/* A root program must not take its paths from a file others can write. */
	if (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & 022) != 0)) {
		close(fd);
		return ix_err_set(err, IX_EDENIED,
				  "configuration %s must be owned by root and not writable by group or others",
				  path);
	}
	if (st.st_size > FILE_MAX_LEN) {
		close(fd);
		return ix_err_set(err, IX_ELIMIT, "configuration %s is larger than %d bytes",
				  path, FILE_MAX_LEN);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return ix_err_set(err, IX_ENOMEM, "out of memory reading %s", path);
	}
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return ix_err_sys(err, "cannot read configuration %s", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	rc = ix_config_parse(c, path, buf, len, err);
	free(buf);
	if (rc == 0)
		snprintf(c->config, sizeof c->config, "%s", path);
	return rc;
}

/* The witness settings, once every source is applied: where from is named
 * in the error. Returns 0 or -1. */
static int
check_witness(struct ix_config *c, struct ix_err *err)
{
	const char *v = c->audit_witness_every;
	char *end;

	if (strcmp(c->audit_witness, "syslog") != 0 && c->audit_witness[0] != '/')
		return ix_err_set(err, IX_EINVAL, "audit_witness (%s) must be syslog or an absolute "
				  "path, not '%s'", ix_config_source_name(c->src_audit_witness),
				  c->audit_witness);
	errno = 0;
	c->witness_every = strtol(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || c->witness_every < 0 ||
	    c->witness_every > IX_WITNESS_EVERY_MAX)
		return ix_err_set(err, IX_EINVAL, "audit_witness_every (%s) must be a number from 0 "
				  "to %d, not '%s'", ix_config_source_name(c->src_audit_witness_every),
				  IX_WITNESS_EVERY_MAX, v);
	return 0;
}

int
ix_config_load(struct ix_config *out, const struct ix_config_flags *flags, struct ix_err *err)
{
	struct ix_config c;
	const char *path = IX_DEFAULT_CONFIG, *v;
	int required = 0;
	size_t i;

	memset(&c, 0, sizeof c);
	strcpy(c.db, IX_DEFAULT_DB);
	strcpy(c.rundir, IX_DEFAULT_RUNDIR);
	strcpy(c.log, "stderr");
	strcpy(c.audit_witness, "syslog");
	strcpy(c.audit_witness_every, "100");

	if (flags != NULL && flags->config != NULL) {
		path = flags->config;
		required = 1;
		c.src_config = IX_SRC_FLAG;
	} else if ((v = getenv("IXKIT_CONFIG")) != NULL && *v != '\0') {
		path = v;
		required = 1;
		c.src_config = IX_SRC_ENV;
	}
	if (strlen(path) >= sizeof c.config_path)
		return ix_err_set(err, IX_ELIMIT, "configuration file path too long");
	strcpy(c.config_path, path);
	if (strcmp(path, "/dev/null") != 0 && read_file(&c, path, required, err) < 0)
		return -1;

	for (i = 0; i < NOPTS; i++) {
		const char *fv = flag_value(flags, i);

		v = getenv(opts[i].env);
		if (v != NULL && *v != '\0' &&
		    set_value(&c, i, v, IX_SRC_ENV, opts[i].env, err) < 0)
			return -1;
		if (fv != NULL && set_value(&c, i, fv, IX_SRC_FLAG, "command line", err) < 0)
			return -1;
	}
	if (c.src_audit_head == IX_SRC_DEFAULT) {
		if (strlen(c.db) + sizeof "-audit.head" > IX_PATH_MAX)
			return ix_err_set(err, IX_ELIMIT, "database path too long");
		snprintf(c.audit_head, sizeof c.audit_head, "%s-audit.head", c.db);
	}
	if (check_witness(&c, err) < 0)
		return -1;
	*out = c;
	return 0;
}

const char *
ix_config_source_name(enum ix_config_source s)
{
	switch (s) {
	case IX_SRC_DEFAULT: return "default";
	case IX_SRC_FILE: return "file";
	case IX_SRC_ENV: return "environment";
	case IX_SRC_FLAG: return "flag";
	}
	return "?";
}
