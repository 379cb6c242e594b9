/*
 * The helper's side (helper.h): uid 0 with PW_HELPER_CAPS, no_new_privs,
 * no Landlock (pex reads every /proc/PID/fd, PAM loads modules and reads
 * /etc), one per slot, killed with its monitor. It reads its monitor's
 * requests through pw_helper_machine (wire.c): a request out of table or
 * state is logged and ends it, and with it the slot's verification.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/kcmp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sodium.h>

#include "libterm/prompt.h"
#include "passwdd/helper.h"
#include "passwdd/pam.h"
#include "passwdd/pam_loop.h"
#include "passwdd/server.h"
#include "passwdd/tags.h"

#define ANSWER_TIMEOUT_MS 5000

struct hserver {
	const struct pw_server *srv;
	int ch;			/* the monitor's channel */
	struct ix_peer monitor;	/* it holds the party too (a relay) */
	char *secret;		/* sodium memory, PW_SECRET_MAX + 2 bytes */
};

/* Is fd's open file one of pid's descriptors? kcmp compares the very open
 * file (a copy passed with SCM_RIGHTS is the same); a kernel without kcmp
 * gets the weaker comparison of device and inode. 1, 0, or -1 with *e. */
static int
held_by(pid_t pid, int fd, struct ix_err *e)
{
	char path[64], link[96];
	struct stat want, got;
	struct dirent *de;
	pid_t self = getpid();
	int found = 0;
	DIR *d;

	if (fstat(fd, &want) < 0)
		return ix_err_sys(e, "helper: fstat of a relayed descriptor");
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return ix_err_sys(e, "helper: %s", path);
	while (!found && (de = readdir(d)) != NULL) {
		long n;
		char *end;

		n = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end != '\0')
			continue;
		long r = syscall(SYS_kcmp, pid, self, KCMP_FILE, n, fd);

		if (r == 0) {
			found = 1;
		} else if (r < 0 && errno == ENOSYS) {
			snprintf(link, sizeof link, "%s/%ld", path, n);
			found = stat(link, &got) == 0 && got.st_dev == want.st_dev &&
				got.st_ino == want.st_ino;
		}
	}
	closedir(d);
	return found;
}

/* CLIENT: the descriptors are the peer's, the client's pid and cgroup. */
static int
client(const struct hserver *h, const struct pw_hreq *q, struct ix_msg *a, struct ix_err *e)
{
	pid_t peer = pw_pidfd_pid(q->fds[2], e), pid;
	uint64_t cgid = 0;
	bool has_cg = false;
	int held = 0, held2 = 1;
	char why[PW_H_WHY_MAX] = "";

	if (peer < 0)
		return -1;
	if (peer > 0 && (held = held_by(peer, q->fds[0], e)) < 0)
		return -1;
	if (peer > 0 && held && q->trusted && (held2 = held_by(peer, q->fds[1], e)) < 0)
		return -1;
	/* the scan counts only if the peer is still the process it was */
	if (pw_pidfd_pid(q->fds[2], e) != peer)
		held = 0;
	if ((pid = pw_pidfd_pid(q->trusted ? q->fds[1] : q->fds[2], e)) < 0)
		return -1;
	/* Without its cgroup the client is merely in no tagged session. */
	if (pid > 0 && h->srv->cgroot != NULL) {
		struct ix_err ce;

		if (pw_client_cgroup(q->trusted ? q->fds[1] : q->fds[2], pid, h->srv->cgroot, &cgid,
				     &ce) == 0)
			has_cg = true;
		else
			snprintf(why, sizeof why, "%s", ce.msg);
	}
	ix_msg_put_u8(a, held && held2, e);
	ix_msg_put_u32(a, (uint32_t)pid, e);
	ix_msg_put_u8(a, has_cg, e);
	ix_msg_put_u64(a, cgid, e);
	ix_msg_put_str(a, why, PW_H_WHY_MAX - 1, e);
	return 0;
}

/*
 * The party as the prompt and pex know it: the terminal, the client's
 * pidfd and, when the peer is a trusted server that forwarded the
 * terminal (privd, sessiond), that server's pidfd. The relays are the
 * monitor and that server, each named by pid and pidfd.
 */
static int
party_of(const struct hserver *h, const struct pw_hreq *q, struct pw_party *p,
	 struct ix_pex_relay *relay, struct ix_err *e)
{
	relay[0] = (struct ix_pex_relay){ h->monitor.pid, h->monitor.pidfd };
	*p = (struct pw_party){ q->fds[0], 0, q->fds[1], h->srv->prov, h->srv->nprov, relay, 1 };
	p->client_pid = pw_pidfd_pid(q->fds[1], e);
	if (p->client_pid < 0)
		return -1;
	if (p->client_pid == 0)
		return ix_err_set(e, IX_ENOENT, "the client process has exited");
	if (q->nfds == 3) {
		relay[1] = (struct ix_pex_relay){ pw_pidfd_pid(q->fds[2], e), q->fds[2] };
		if (relay[1].pid < 0)
			return -1;
		if (relay[1].pid == 0)
			return ix_err_set(e, IX_ENOENT, "the server that passed the terminal has exited");
		p->nrelays = 2;
	}
	return 0;
}

static int
pam(const struct pw_hreq *q, struct ix_err *e)
{
	/* A stack that loads pam_passwdd would send the question back to
	 * passwdd; one that cannot be read is refused too. */
	int loops = pw_pam_service_loops(q->service, e);

	if (loops < 0)
		return -1;
	if (loops == 1)
		return ix_err_set(e, IX_EDENIED, "PAM service %s loads pam_passwdd: refused (a loop)",
				  q->service);
	return pw_pam_check(q->service, q->user, q->secret, e);
}

/* Carries out q and builds its answer in *out. 0, or -1 with *e. */
static int
act(struct hserver *h, const struct pw_hreq *q, struct ix_msg **out, struct ix_err *e)
{
	struct ix_pex_relay relay[2];
	char why[IX_PEX_WHY_MAX] = "", prompt[PW_USER_MAX + 32];
	struct pw_party p;
	struct passwd *pw;
	bool pex_first = false;
	int rc;

	if ((*out = ix_msg_new(q->type + PW_H_ANSWER, e)) == NULL)
		return -1;
	switch (q->type) {
	case PW_H_NAME:
		pw = getpwuid((uid_t)q->uid);
		return ix_msg_put_str(*out, pw != NULL && strlen(pw->pw_name) <= PW_USER_MAX ?
				      pw->pw_name : "", PW_USER_MAX, e);
	case PW_H_CLIENT:
		return client(h, q, *out, e);
	case PW_H_PEX:
		if (party_of(h, q, &p, relay, e) < 0)
			return -1;
		rc = ix_pex_check(&(struct ix_pex_req){ p.fd, p.client_pid, p.client_pidfd, p.prov,
							 p.nprov, p.relays, p.nrelays },
				  why, sizeof why, e);
		if (rc < 0)
			return -1;
		ix_msg_put_u8(*out, (uint8_t)rc, e);
		return ix_msg_put_str(*out, why, PW_H_WHY_MAX - 1, e);
	case PW_H_PROMPT:
		if (party_of(h, q, &p, relay, e) < 0)
			return -1;
		ix_msg_set_secret(*out);
		snprintf(prompt, sizeof prompt, "Password for %s: ", q->user);
		rc = pw_prompt_secret(&p, prompt, h->secret, PW_SECRET_MAX + 2,
				      (int)q->timeout_ms, &pex_first, why, sizeof why, e);
		if (rc < 0)
			return -1;
		ix_msg_put_u8(*out, (uint8_t)rc, e);
		ix_msg_put_u8(*out, pex_first, e);
		ix_msg_put_str(*out, why, PW_H_WHY_MAX - 1, e);
		return ix_msg_put_blob(*out, h->secret, rc == 1 ? strlen(h->secret) : 0,
				       PW_SECRET_MAX, e);
	case PW_H_PAM:
		if ((rc = pam(q, e)) < 0)
			return -1;
		return ix_msg_put_u8(*out, (uint8_t)rc, e);
	}
	return ix_err_set(e, IX_ECORRUPT, "helper: request 0x%04x passed its table", q->type);
}

int
pw_helper_serve(const struct pw_server *srv, int ch, pid_t mpid)
{
	struct hserver h = { srv, ch, { .pidfd = -1 }, sodium_malloc(PW_SECRET_MAX + 2) };
	struct pw_hreq q = { .fds = { -1, -1, -1 } };
	struct ix_mon mon;
	struct ix_err e, e2;
	int status = PW_SLOT_FAIL;

	if (h.secret == NULL) {
		ix_log_event(srv->log, "helper-error", "error=out of guarded memory");
		return PW_SLOT_FAIL;
	}
	q.secret = h.secret;
	/* The monitor, pinned by a pidfd: the keeper told us its pid, and
	 * it is our sibling (the keeper's child). */
	h.monitor.pid = mpid;
	h.monitor.pidfd = (int)syscall(SYS_pidfd_open, mpid, 0);
	if (h.monitor.pidfd < 0) {
		ix_log_event(srv->log, "helper-error", "error=pidfd_open of the monitor: %s",
			     strerror(errno));
		goto out;
	}
	if (ix_mon_init(&mon, &pw_helper_machine, &e) < 0) {
		ix_log_event(srv->log, "helper-error", "error=%s", e.msg);
		goto out;
	}
	for (;;) {
		struct ix_msg *m = NULL, *a = NULL;
		int rc = ix_ipc_recv_secret(ch, &m, -1, &e);

		if (rc == 0) {
			status = PW_SLOT_OK;
			break;
		}
		if (rc > 0)
			rc = ix_mon_dispatch(&mon, m, &q, &e);
		ix_msg_free(m);
		if (rc < 0) {
			/* The monitor broke the helper's table: nothing more. */
			ix_log_event(srv->log, "helper-fatal", "state=%s error=%s", ix_mon_state(&mon),
				     e.msg);
			break;
		}
		if (act(&h, &q, &a, &e) < 0) {
			ix_msg_free(a);
			a = NULL;
			rc = ix_ipc_send_error(ch, &e, ANSWER_TIMEOUT_MS, &e2);
		} else {
			rc = ix_ipc_send(ch, a, ANSWER_TIMEOUT_MS, &e2);
		}
		ix_msg_free(a);
		pw_hreq_clear(&q);
		if (rc < 0)
			break;
	}
out:
	pw_hreq_clear(&q);
	sodium_free(h.secret);
	ix_peer_close(&h.monitor);
	return status;
}
