/*
 * pwforged: passwdd built from its own sources (libpwdaemon: main, slot,
 * monitor, helper) with a compromised worker in place of worker.c's, for
 * tests/scenario/passwdd_forge.sh. Test only: a check program, never
 * installed; the production passwdd links worker.c and nothing of this.
 *
 * The forging worker is confined exactly as the real one (the slot's
 * prelude and ix_worker_confine). It answers the banner, reads the
 * client's VERIFY, and acts out the case the client named as its user
 * (the script below), sending its monitor what a worker taken over by
 * a client could send:
 *
 *	nobody		honest: relays the VERIFY as worker.c does (control)
 *	other		a VERIFY for root, for a peer that may ask only
 *			about itself
 *	tagreg		a TAG_REGISTER from a peer that is not sessiond's
 *	twice		two VERIFYs of its own peer's name
 *	range		a message of privd's range (0x0101)
 *	clienttype	the client's own VERIFY type (0x0201), relayed raw
 *	monitortype	the monitor's own CONN type (0x0280)
 *	truncated	a VERIFY without its descriptors
 *	trailing	a VERIFY with a byte after its fields
 *	oversized	a packet longer than libipc's maximum
 *	notparty	a VERIFY whose party is the worker's own /dev/null
 *	silent		nothing at all, holding on (the monitor's timeout)
 *	opendb		open(2) of the secrets database (IXKIT_PWFORGE_DB)
 *	scanfds		reads every descriptor it has, looking for SQLite's
 *			header, and reports what it found in a REJECT
 *
 * With IXKIT_PWFORGE_EARLY set in its environment, every worker also
 * sends a VERIFY before its monitor has handed it a connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "passwdd/proto.h"
#include "passwdd/server.h"
#include "passwdd/wire.h"

/* Read in main, before any fork: the worker can open nothing. */
static const char *dbpath;
static int early;

static int
send_type(int mon, uint16_t type, const char *user, int nfd, const int *fds, bool trailing)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(type, &e);
	int rc;

	if (m == NULL)
		return -1;
	if (user != NULL)
		ix_msg_put_str(m, user, PW_USER_MAX, &e);
	for (int i = 0; i < nfd; i++)
		ix_msg_put_fd(m, fds[i], &e);
	if (trailing)
		ix_msg_put_u8(m, 0, &e);
	rc = ix_ipc_send(mon, m, 5000, &e);
	ix_msg_free(m);
	return rc;
}

static void
report(int mon, const char *text)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PW_W_REJECT, &e);

	ix_msg_put_u8(m, 0, &e);
	ix_msg_put_u16(m, IX_EDENIED, &e);
	ix_msg_put_str(m, "forge", PW_STAGE_MAX, &e);
	ix_msg_put_str(m, text, IX_ERR_MSG_MAX - 1, &e);
	ix_ipc_send(mon, m, 5000, &e);
	ix_msg_free(m);
}

/* Every descriptor it holds, and whether any reads as SQLite. */
static void
scan_fds(int mon)
{
	char text[256] = "fds:";
	const char *found = "none";

	for (int fd = 0; fd < 64; fd++) {
		char head[16];

		if (fcntl(fd, F_GETFD) < 0)
			continue;
		snprintf(text + strlen(text), sizeof text - strlen(text), " %d", fd);
		if (lseek(fd, 0, SEEK_SET) == 0 && read(fd, head, sizeof head) == sizeof head &&
		    memcmp(head, "SQLite format 3", 15) == 0)
			found = "found";
	}
	snprintf(text + strlen(text), sizeof text - strlen(text), " sqlite=%s", found);
	report(mon, text);
}

static int
forge_worker(void *arg, int mon)
{
	struct ix_msg *m = NULL;
	struct ix_err e;
	const char *name, *want;
	char peer[PW_USER_MAX + 1], what[PW_USER_MAX + 1];
	int fd = -1, fds[2] = { -1, -1 };
	uint32_t uid;
	uint8_t flags;
	uint16_t ver;

	if (early)
		send_type(mon, PW_W_VERIFY, "nobody", 0, NULL, false);
	if (ix_ipc_recv(mon, &m, -1, &e) != 1 || ix_msg_get_u32(m, &uid, &e) < 0 ||
	    ix_msg_get_u8(m, &flags, &e) < 0 || ix_msg_get_str(m, &name, PW_USER_MAX, &e) < 0 ||
	    ix_msg_get_fd(m, &fd, &e) < 0)
		return 1;
	snprintf(peer, sizeof peer, "%s", name);
	ix_msg_free(m);
	if (ix_ipc_server_banner(fd, PW_SERVICE, PW_VERSION, 5000, &ver, &e) < 0 ||
	    ix_ipc_recv(fd, &m, 10000, &e) != 1 || ix_msg_get_str(m, &want, PW_USER_MAX, &e) < 0 ||
	    ix_msg_get_fd(m, &fds[0], &e) < 0 || ix_msg_get_fd(m, &fds[1], &e) < 0)
		return 1;
	snprintf(what, sizeof what, "%s", want);
	ix_msg_free(m);
	if (!strcmp(what, "nobody")) {
		send_type(mon, PW_W_VERIFY, peer, 2, fds, false);
	} else if (!strcmp(what, "other")) {
		send_type(mon, PW_W_VERIFY, "root", 2, fds, false);
	} else if (!strcmp(what, "tagreg")) {
		static const uint8_t tok[PW_TAG_TOKEN_LEN];

		m = ix_msg_new(PW_W_TAG_REGISTER, &e);
		ix_msg_put_u64(m, 1, &e);
		ix_msg_put_blob(m, tok, sizeof tok, sizeof tok, &e);
		ix_msg_put_u32(m, 60, &e);
		ix_msg_put_u8(m, 1, &e);
		ix_msg_put_str(m, "root", PW_USER_MAX, &e);
		ix_ipc_send(mon, m, 5000, &e);
		ix_msg_free(m);
	} else if (!strcmp(what, "twice")) {
		send_type(mon, PW_W_VERIFY, peer, 2, fds, false);
		send_type(mon, PW_W_VERIFY, peer, 2, fds, false);
	} else if (!strcmp(what, "range")) {
		send_type(mon, IX_RANGE_PRIVD + 1, peer, 2, fds, false);
	} else if (!strcmp(what, "clienttype")) {
		send_type(mon, PW_MSG_VERIFY, peer, 2, fds, false);
	} else if (!strcmp(what, "monitortype")) {
		send_type(mon, PW_W_CONN, peer, 0, NULL, false);
	} else if (!strcmp(what, "truncated")) {
		send_type(mon, PW_W_VERIFY, peer, 0, NULL, false);
	} else if (!strcmp(what, "trailing")) {
		send_type(mon, PW_W_VERIFY, peer, 2, fds, true);
	} else if (!strcmp(what, "oversized")) {
		static uint8_t big[70000];

		big[3] = 0x10;	/* a header saying 4096 bytes: the packet says more */
		big[5] = 0x81;
		big[4] = 0x02;
		(void)!send(mon, big, sizeof big, MSG_NOSIGNAL);
	} else if (!strcmp(what, "notparty")) {
		int forged[2] = { 0, fds[1] };

		send_type(mon, PW_W_VERIFY, peer, 2, forged, false);
	} else if (!strcmp(what, "silent")) {
		poll(NULL, 0, 60000);
	} else if (!strcmp(what, "opendb")) {
		int db = open(dbpath != NULL ? dbpath : "/", O_RDONLY | O_CLOEXEC);
		char text[64];

		/* not reached under seccomp: open is not on the list */
		snprintf(text, sizeof text, "opendb fd=%d errno=%d", db, db < 0 ? errno : 0);
		report(mon, text);
	} else if (!strcmp(what, "scanfds")) {
		scan_fds(mon);
	}
	(void)arg;
	return 0;
}

int
main(int argc, char **argv)
{
	dbpath = getenv("IXKIT_PWFORGE_DB");
	early = getenv("IXKIT_PWFORGE_EARLY") != NULL;
	return pw_daemon(argc, argv, forge_worker);
}
