/*
 * passwdd-admin: the administrator's tool for passwdd's secrets database
 * (passwdd-admin(8)).
 *
 *	passwdd-admin [--secrets-db PATH] set-password [--stdin] USER
 *	passwdd-admin [--secrets-db PATH] set-backend USER own|pam:SERVICE
 *	passwdd-admin [--secrets-db PATH] enrol-totp USER [--digits N] [--algo A] [--period S] [--no-qr]
 *	passwdd-admin [--secrets-db PATH] enrol-hotp USER [--digits N] [--algo A] [--no-qr]
 *	passwdd-admin [--secrets-db PATH] unlock USER
 *	passwdd-admin [--secrets-db PATH] failures [USER]
 *	passwdd-admin [--secrets-db PATH] list
 *
 * Exit status: 0 done; 2 usage error; 3 any other error.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <qrencode.h>
#include <sodium.h>

#include "passwdd/store.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#ifndef PW_DEFAULT_SECRETS_DB
#define PW_DEFAULT_SECRETS_DB "/var/lib/ixkit/passwdd/passwdd.db"
#endif
#define URI_MAX 512

static void
usage(FILE *f)
{
	fputs("usage: passwdd-admin [--secrets-db PATH] COMMAND [ARGS]\n"
	      "commands:\n"
	      "  set-password [--stdin] USER     store an argon2id hash of a new password\n"
	      "  set-backend USER own|pam:SERVICE\n"
	      "                                  verify USER's password here or through PAM\n"
	      "  enrol-totp USER [--digits 6..8] [--algo sha1|sha256|sha512] [--period S] [--no-qr]\n"
	      "  enrol-hotp USER [--digits 6..8] [--algo sha1|sha256|sha512] [--no-qr]\n"
	      "                                  new one-time code key: prints otpauth:// and a QR code\n"
	      "  unlock USER                     forget USER's failures (lifts every lockout\n"
	      "                                  and refills the budget)\n"
	      "  failures [USER]                 failures per terminal, and each user's\n"
	      "                                  attempts of the last hour (the budget)\n"
	      "  list                            users, backends and generators\n", f);
}

static int
fail(const struct ix_err *e)
{
	fprintf(stderr, "passwdd-admin: %s\n", e->msg);
	return e->code == IX_EINVAL ? EX_USAGE : EX_FAIL;
}

/* Reads one line into out (max bytes), echo off when fd is a terminal.
 * Returns 1, 0 at end of input, -1 when too long or unreadable. */
static int
read_secret(int fd, const char *prompt, char *out, size_t max)
{
	struct termios old, quiet;
	int tty = tcgetattr(fd, &old) == 0, rc = -1;
	size_t n = 0;
	char ch;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		fputs(prompt, stderr);
		if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
			return -1;
	}
	for (;;) {
		ssize_t r = read(fd, &ch, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = n > 0 ? -1 : 0;
			break;
		}
		if (ch == '\n') {
			rc = 1;
			break;
		}
		if (n + 1 >= max)
			break;
		out[n++] = ch;
	}
	out[rc == 1 ? n : 0] = '\0';
	if (rc != 1)
		sodium_memzero(out, max);
	if (tty) {
		tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return rc;
}

static int
cmd_set_password(struct pw_store *st, int argc, char **argv)
{
	char *a = sodium_malloc(PW_SECRET_MAX + 2), *b = sodium_malloc(PW_SECRET_MAX + 2);
	int from_stdin = argc == 3 && strcmp(argv[1], "--stdin") == 0;
	const char *user = argv[argc - 1];
	struct ix_err e;
	int rc = EX_FAIL;

	if (a == NULL || b == NULL) {
		fputs("passwdd-admin: out of guarded memory\n", stderr);
		goto out;
	}
	if (argc != 2 && !from_stdin) {
		usage(stderr);
		rc = EX_USAGE;
		goto out;
	}
	if (!from_stdin && !isatty(STDIN_FILENO)) {
		fputs("passwdd-admin: set-password reads a terminal; use --stdin for a pipe\n", stderr);
		rc = EX_USAGE;
		goto out;
	}
	if (pw_user_name_check(user, &e) < 0) {
		rc = fail(&e);
		goto out;
	}
	if (read_secret(STDIN_FILENO, "New password: ", a, PW_SECRET_MAX + 2) != 1) {
		fprintf(stderr, "passwdd-admin: no password read (at most %d bytes)\n", PW_SECRET_MAX);
		goto out;
	}
	if (!from_stdin) {
		if (read_secret(STDIN_FILENO, "Again: ", b, PW_SECRET_MAX + 2) != 1 ||
		    strcmp(a, b) != 0) {
			fputs("passwdd-admin: the passwords differ; nothing changed\n", stderr);
			goto out;
		}
	}
	if (pw_store_set_password(st, user, a, &e) < 0) {
		rc = fail(&e);
		goto out;
	}
	printf("password of %s set\n", user);
	rc = EX_OK;
out:
	sodium_free(a);
	sodium_free(b);
	return rc;
}

static int
cmd_set_backend(struct pw_store *st, int argc, char **argv)
{
	struct ix_err e;
	int rc;

	if (argc != 3) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[2], "own") == 0)
		rc = pw_store_set_backend(st, argv[1], PW_BACKEND_OWN, NULL, &e);
	else if (strncmp(argv[2], "pam:", 4) == 0)
		rc = pw_store_set_backend(st, argv[1], PW_BACKEND_PAM, argv[2] + 4, &e);
	else
		rc = ix_err_set(&e, IX_EINVAL, "backend is 'own' or 'pam:SERVICE', not '%s'", argv[2]);
	if (rc < 0)
		return fail(&e);
	printf("backend of %s: %s\n", argv[1], argv[2]);
	return EX_OK;
}

/* Two modules per character cell, upper and lower, with a quiet zone. */
static void
print_qr(const char *uri)
{
	static const char *const cell[4] = { " ", "\xe2\x96\x80", "\xe2\x96\x84", "\xe2\x96\x88" };
	QRcode *q = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, w, quiet = 2;

	if (q == NULL) {
		fprintf(stderr, "passwdd-admin: cannot make a QR code: %s\n", strerror(errno));
		return;
	}
	w = q->width;
	/* Dark modules are printed as blanks (light text on a dark terminal
	 * reads as the usual dark-on-light code). */
	for (y = -quiet; y < w + quiet; y += 2) {
		for (x = -quiet; x < w + quiet; x++) {
			int top = y >= 0 && y < w && x >= 0 && x < w && (q->data[y * w + x] & 1);
			int bot = y + 1 >= 0 && y + 1 < w && x >= 0 && x < w &&
				  (q->data[(y + 1) * w + x] & 1);

			fputs(cell[(!top) | (!bot) << 1], stdout);
		}
		putchar('\n');
	}
	QRcode_free(q);
}

static int
cmd_enrol(struct pw_store *st, enum pw_otp_kind kind, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "digits", required_argument, NULL, 'd' },
		{ "algo", required_argument, NULL, 'a' },
		{ "period", required_argument, NULL, 'p' },
		{ "no-qr", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	enum pw_otp_algo algo = PW_OTP_SHA1;
	unsigned digits = 6, period = 30;
	int c, qr = 1, rc = EX_FAIL;
	char b32[2 * PW_OTP_KEY_MAX], uri[URI_MAX], up[16];
	const char *user;
	uint8_t *key;
	size_t klen, i;
	struct ix_err e;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			digits = (unsigned)atoi(optarg);
			break;
		case 'a':
			if (pw_otp_algo_parse(optarg, &algo, &e) < 0)
				return fail(&e);
			break;
		case 'p':
			period = (unsigned)atoi(optarg);
			if (kind == PW_OTP_HOTP) {
				usage(stderr);
				return EX_USAGE;
			}
			break;
		case 'n':
			qr = 0;
			break;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EX_USAGE;
	}
	user = argv[optind];
	if (pw_user_name_check(user, &e) < 0)
		return fail(&e);
	klen = pw_otp_algo_keylen(algo);
	key = sodium_malloc(PW_OTP_KEY_MAX);
	if (key == NULL) {
		fputs("passwdd-admin: out of guarded memory\n", stderr);
		return EX_FAIL;
	}
	randombytes_buf(key, klen);
	if (pw_store_set_otp(st, user, kind, algo, digits, period, key, klen, &e) < 0 ||
	    pw_base32_encode(key, klen, b32, sizeof b32, &e) < 0) {
		rc = fail(&e);
		goto out;
	}
	snprintf(up, sizeof up, "%s", pw_otp_algo_name(algo));
	for (i = 0; up[i] != '\0'; i++)
		if (up[i] >= 'a' && up[i] <= 'z')
			up[i] = (char)(up[i] - 'a' + 'A');
	if (kind == PW_OTP_TOTP)
		snprintf(uri, sizeof uri, "otpauth://totp/ixkit:%s?secret=%s&issuer=ixkit"
			 "&algorithm=%s&digits=%u&period=%u", user, b32, up, digits, period);
	else
		snprintf(uri, sizeof uri, "otpauth://hotp/ixkit:%s?secret=%s&issuer=ixkit"
			 "&algorithm=%s&digits=%u&counter=0", user, b32, up, digits);
	printf("%s\n", uri);
	if (qr)
		print_qr(uri);
	rc = EX_OK;
out:
	sodium_memzero(b32, sizeof b32);
	sodium_memzero(uri, sizeof uri);
	sodium_free(key);
	return rc;
}

static int
cmd_unlock(struct pw_store *st, int argc, char **argv)
{
	struct ix_err e;
	unsigned n, a;

	if (argc != 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (pw_user_name_check(argv[1], &e) < 0 || pw_store_unlock(st, argv[1], &n, &a, &e) < 0)
		return fail(&e);
	printf("%s: %u failure record%s cleared, %u attempt%s forgotten (the budget is full again)\n",
	       argv[1], n, n == 1 ? "" : "s", a, a == 1 ? "" : "s");
	return EX_OK;
}

/* A time in ms since the epoch, as local ISO 8601 to the second. */
static const char *
when(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)ms);
	return buf;
}

static int
print_fail(const struct pw_fail_row *r, void *ctx)
{
	char t[32];

	(void)ctx;
	printf("%-32s %-9u %-24s %-8u %s\n", r->user, (unsigned)r->requester, r->port, r->count,
	       when(r->last_ms, t, sizeof t));
	return 0;
}

static int
print_budget(const struct pw_budget_row *r, void *ctx)
{
	char t[32];

	(void)ctx;
	printf("%-32s %-8u %-8u %s\n", r->user, r->failed, r->pending, when(r->last_ms, t, sizeof t));
	return 0;
}

/* The per-terminal counts (what locks a key) and the budget (what locks
 * a user): passwdd's budget itself is its option, not in the database,
 * so the counts are shown for the administrator to compare. */
static int
cmd_failures(struct pw_store *st, int argc, char **argv)
{
	const char *user = argc == 2 ? argv[1] : NULL;
	struct timespec now;
	struct ix_err e;

	if (argc > 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (user != NULL && pw_user_name_check(user, &e) < 0)
		return fail(&e);
	clock_gettime(CLOCK_REALTIME, &now);
	printf("%-32s %-9s %-24s %-8s %s\n", "USER", "REQUESTER", "PORT", "FAILURES", "LAST");
	if (pw_store_fail_list(st, user, print_fail, NULL, &e) < 0)
		return fail(&e);
	printf("\nattempts in the last hour, on every terminal (the failure budget):\n");
	printf("%-32s %-8s %-8s %s\n", "USER", "FAILED", "PENDING", "LAST");
	if (pw_store_budget_list(st, user, (int64_t)now.tv_sec * 1000 - PW_BUDGET_WINDOW_MS,
				 print_budget, NULL, &e) < 0)
		return fail(&e);
	return EX_OK;
}

static int
print_user(const struct pw_user *u, void *ctx)
{
	char otp[64] = "-";

	if (u->otp != PW_OTP_NONE)
		snprintf(otp, sizeof otp, "%s/%s/%u", u->otp == PW_OTP_TOTP ? "totp" : "hotp",
			 pw_otp_algo_name(u->algo), u->digits);
	printf("%-32s %-16s %-8s %s\n", u->name,
	       u->backend == PW_BACKEND_PAM ? u->pam_service : "own",
	       u->backend == PW_BACKEND_PAM ? "(pam)" : u->has_password ? "set" : "-", otp);
	return 0;
}

static int
cmd_list(struct pw_store *st, int argc, char **argv)
{
	struct ix_err e;

	if (argc != 1) {
		usage(stderr);
		return EX_USAGE;
	}
	printf("%-32s %-16s %-8s %s\n", "USER", "BACKEND", "PASSWORD", "ONE-TIME");
	if (pw_store_list(st, print_user, NULL, &e) < 0)
		return fail(&e);
	return EX_OK;
}

/*
 * Root administers the secrets database as passwdd's user, the owner of
 * its directory: files SQLite creates there (-wal, -shm, a new database)
 * are then that user's, and the store's owner check holds. Anyone else
 * acts as themselves.
 */
static int
become_db_owner(const char *db, struct ix_err *e)
{
	char dir[PATH_MAX];
	struct stat sb;

	if (geteuid() != 0)
		return 0;
	if (pw_store_dir(db, dir, sizeof dir, e) < 0)
		return -1;
	if (stat(dir, &sb) < 0)
		return ix_err_sys(e, "%s", dir);
	if (sb.st_uid == 0)
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(sb.st_gid, sb.st_gid, sb.st_gid) < 0 ||
	    setresuid(sb.st_uid, sb.st_uid, sb.st_uid) < 0)
		return ix_err_sys(e, "becoming uid %u, the owner of %s", (unsigned)sb.st_uid, dir);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *db = PW_DEFAULT_SECRETS_DB;
	struct pw_store *st;
	struct ix_err e;
	int i = 1, rc;
	const char *cmd;

	umask(077);
	if (sodium_init() < 0)
		return EX_FAIL;
	while (i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0') {
		if (strcmp(argv[i], "--secrets-db") == 0 && i + 1 < argc) {
			db = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EX_OK;
		} else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	cmd = argv[i];
	if (strcmp(cmd, "set-password") && strcmp(cmd, "set-backend") && strcmp(cmd, "enrol-totp") &&
	    strcmp(cmd, "enrol-hotp") && strcmp(cmd, "unlock") && strcmp(cmd, "failures") &&
	    strcmp(cmd, "list")) {
		fprintf(stderr, "passwdd-admin: unknown command '%s'\n", cmd);
		usage(stderr);
		return EX_USAGE;
	}
	if (become_db_owner(db, &e) < 0 ||
	    pw_store_open(db, strcmp(cmd, "list") == 0 || strcmp(cmd, "failures") == 0 ? 0 :
			      PW_STORE_CREATE, &st, &e) < 0)
		return fail(&e);
	argc -= i;
	argv += i;
	if (strcmp(cmd, "set-password") == 0)
		rc = cmd_set_password(st, argc, argv);
	else if (strcmp(cmd, "set-backend") == 0)
		rc = cmd_set_backend(st, argc, argv);
	else if (strcmp(cmd, "enrol-totp") == 0)
		rc = cmd_enrol(st, PW_OTP_TOTP, argc, argv);
	else if (strcmp(cmd, "enrol-hotp") == 0)
		rc = cmd_enrol(st, PW_OTP_HOTP, argc, argv);
	else if (strcmp(cmd, "unlock") == 0)
		rc = cmd_unlock(st, argc, argv);
	else if (strcmp(cmd, "failures") == 0)
		rc = cmd_failures(st, argc, argv);
	else
		rc = cmd_list(st, argc, argv);
	pw_store_close(st);
	return rc;
}
