/*
 * The server kit's main process (srv.h): the only one that accepts.
 *
 * Each connection is keyed by its peer's real uid as soon as it is
 * accepted (two getsockopt calls and, for a setuid-root peer, one read of
 * /proc), admitted to the fair queue or answered "busy", and handed to a
 * slot that is ready: a monitor forked ahead, with its worker confined
 * and waiting. main reads nothing a client sends.
 *
 * Signals arrive on a signalfd (no handler, no global): SIGTERM and SIGINT
 * stop, SIGCHLD reaps. A slot learns of main's death by SIGTERM
 * (PR_SET_PDEATHSIG) and of its retirement by the end of its socket.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libipc/srv.h"
#include "libipc/srv_int.h"
#include "libixutil/ix_time.h"

#define ACCEPTS_PER_ROUND 64	/* then the slots get their turn */
#define BURST_MAX 4		/* slots preparing at once while connections wait */
#define TICK_MS 1000

enum slot_state { PREPARING, READY, BUSY };

struct slot {
	struct ix_srv_slot_info info;
	int ctl;		/* main's end; -1 once it has closed */
	enum slot_state st;
};

struct srv {
	const struct ix_srv_ops *ops;
	void *arg;
	struct ix_log *log;
	int lfd, sfd;
	struct ix_fq q;
	struct slot slots[IX_SRV_SLOTS_MAX + BURST_MAX];
	size_t nslots;
	int stop;
};

int
ix_srv_peer_key(int fd, ix_srv_key *key, struct ix_err *err)
{
	struct ucred uc;
	socklen_t len = sizeof uc;
	char path[64], buf[512], *p;
	int pfd;
	ssize_t n;
	unsigned ruid;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return ix_err_sys(err, "SO_PEERCRED");
	if (uc.uid != 0) {
		*key = uc.uid;
		return 0;
	}
	/* A setuid-root client (su, a PAM application) is its user's: its
	 * real uid. A pid that has gone or been reused since connect gives
	 * nothing better than the effective uid, root, whose limit is the
	 * trusted relays'. */
	snprintf(path, sizeof path, "/proc/%d/status", (int)uc.pid);
	*key = 0;
	if ((pfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(pfd, buf, sizeof buf - 1);
	close(pfd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strstr(buf, "\nUid:")) != NULL && sscanf(p + 5, "%u", &ruid) == 1)
		*key = ruid;
	return 0;
}

static void
busy(struct srv *s, int fd, ix_srv_key key, const char *why)
{
	struct ix_err e = { .code = IX_ELIMIT }, e2;

	snprintf(e.msg, sizeof e.msg, IX_SRV_BUSY_PREFIX "%s: %s; try again", s->ops->service, why);
	(void)ix_ipc_send_error(fd, &e, 0, &e2);
	close(fd);
	ix_log_event(s->log, "busy", "uid=%u reason=%s", (unsigned)key, why);
}

static struct slot *
slot_by_pid(struct srv *s, pid_t pid)
{
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].info.pid == pid)
			return &s->slots[i];
	return NULL;
}

static void
slot_remove(struct srv *s, struct slot *sl)
{
	if (sl->ctl >= 0)
		close(sl->ctl);
	*sl = s->slots[--s->nslots];
}

/* In the new slot: nothing of main's but what the slot needs. */
static _Noreturn void
slot_child(struct srv *s, int ctl, pid_t parent)
{
	sigset_t none;

	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].ctl >= 0)
			close(s->slots[i].ctl);
	for (size_t w = 0; w < s->q.nwait; w++)
		close(s->q.wait[w].fd);
	close(s->lfd);
	close(s->sfd);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* main's death reaches the monitor as SIGTERM: it ends its work
	 * (privd kills a running action) and exits. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(0);
	_exit(s->ops->slot(s->arg, ctl));
}

static int
slot_fork(struct srv *s)
{
	struct ix_err e;
	struct slot *sl;
	pid_t pid, self = getpid();
	int sv[2];

	if (s->nslots == sizeof s->slots / sizeof s->slots[0])
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ix_err_sys(&e, "socketpair");
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		ix_err_sys(&e, "fork");
		close(sv[0]);
		close(sv[1]);
		goto fail;
	}
	if (pid == 0) {
		close(sv[0]);
		slot_child(s, sv[1], self);
	}
	close(sv[1]);
	sl = &s->slots[s->nslots++];
	*sl = (struct slot){ .info = { .pid = pid }, .ctl = sv[0], .st = PREPARING };
	return 0;
fail:
	ix_log_event(s->log, "error", "stage=slot error=%s", e.msg);
	return -1;
}

static unsigned
count(const struct srv *s, enum slot_state st)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->nslots; i++)
		n += s->slots[i].st == st && s->slots[i].ctl >= 0;
	return n;
}

/* Retires the slots not yet serving: their tree (or whatever tick said)
 * is stale. They end when they see their socket close. */
static void
retire_spares(struct srv *s)
{
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].st != BUSY && s->slots[i].ctl >= 0) {
			close(s->slots[i].ctl);
			s->slots[i].ctl = -1;
		}
}

/* Spares as the limits say; more at once while connections wait and none
 * is ready, so that a burst does not wait for one preparation at a time.
 * Before the first fork, the server may say its spares are stale. */
static void
replenish(struct srv *s)
{
	bool ticked = false;

	for (;;) {
		unsigned prep = count(s, PREPARING), ready = count(s, READY);
		unsigned busy_n = count(s, BUSY), want = s->q.lim.spares;

		if (s->q.nwait > ready) {
			size_t more = s->q.nwait - ready;

			want = ready + (unsigned)(more < BURST_MAX ? more : BURST_MAX);
		}
		if (prep + ready >= want || busy_n + prep + ready >= s->q.lim.slots + s->q.lim.spares)
			return;
		if (!ticked && s->ops->tick != NULL && s->ops->tick(s->arg)) {
			retire_spares(s);
			ticked = true;
			continue;
		}
		ticked = true;
		if (slot_fork(s) < 0)
			return;
	}
}

static void
take_signals(struct srv *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof si) == (ssize_t)sizeof si)
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			s->stop = (int)si.ssi_signo;
}

static void
reap(struct srv *s)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		struct slot *sl = slot_by_pid(s, pid);

		if (sl == NULL)
			continue;
		if (WIFSIGNALED(st))
			ix_log_event(s->log, "slot-killed", "pid=%d signal=%d uid=%u", (int)pid,
				     WTERMSIG(st), (unsigned)sl->info.key);
		if (sl->info.served)
			ix_fq_done(&s->q, sl->info.key);
		if (s->ops->slot_ended != NULL)
			s->ops->slot_ended(s->arg, &sl->info, st);
		slot_remove(s, sl);
	}
}

static void
accept_some(struct srv *s)
{
	for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
		struct ix_err e;
		ix_srv_key key;
		int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				ix_log_event(s->log, "error", "stage=accept error=%s", strerror(errno));
			return;
		}
		if (ix_srv_peer_key(fd, &key, &e) < 0) {
			ix_log_event(s->log, "reject", "stage=peer error=%s", e.msg);
			close(fd);
			continue;
		}
		if (ix_fq_admit(&s->q, key, fd, ix_now_ms(), &e) < 0)
			busy(s, fd, key, e.msg);
	}
}

/* Reads what a slot says: 'r' ready, or the end of its socket. */
static void
slot_event(struct srv *s, struct slot *sl)
{
	char b;
	ssize_t n = recv(sl->ctl, &b, 1, MSG_DONTWAIT);

	if (n == 1 && b == IX_SRV_SLOT_READY && sl->st == PREPARING) {
		sl->st = READY;
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* Ended, or broke the protocol: it is reaped when it exits. */
	close(sl->ctl);
	sl->ctl = -1;
}

static void
hand_out(struct srv *s)
{
	struct ix_fq_entry c;

	for (size_t i = 0; i < s->nslots; i++) {
		struct slot *sl = &s->slots[i];
		struct ix_err e;

		if (sl->st != READY || sl->ctl < 0)
			continue;
		if (!ix_fq_next(&s->q, &c))
			return;
		if (ix_srv_ctl_give(sl->ctl, &c, &e) < 0) {
			/* The slot went between its 'r' and now: the
			 * connection goes back to the queue's end. */
			ix_log_event(s->log, "error", "stage=hand-out pid=%d error=%s", (int)sl->info.pid,
				     e.msg);
			ix_fq_done(&s->q, c.key);
			if (ix_fq_admit(&s->q, c.key, c.fd, c.since_ms, &e) < 0)
				busy(s, c.fd, c.key, e.msg);
			close(sl->ctl);
			sl->ctl = -1;
			continue;
		}
		close(c.fd);
		sl->st = BUSY;
		sl->info.key = c.key;
		sl->info.served = true;
	}
}

static void
expire(struct srv *s)
{
	struct ix_fq_entry c;
	char why[96];
	int64_t now = ix_now_ms();

	while (ix_fq_expired(&s->q, now, &c)) {
		snprintf(why, sizeof why, "no slot for %lld ms", (long long)(now - c.since_ms));
		busy(s, c.fd, c.key, why);
	}
}

int
ix_srv_serve(int lfd, const struct ix_srv_limits *lim, const struct ix_srv_ops *ops, void *arg,
	     struct ix_log *log, struct ix_err *err)
{
	struct srv *s;
	sigset_t set, old;
	int64_t last_tick = ix_now_ms();
	int fl, rc;

	if (lim->slots == 0 || lim->slots > IX_SRV_SLOTS_MAX || lim->per_key == 0 ||
	    lim->per_key_root == 0 || lim->spares == 0 || lim->spares > BURST_MAX)
		return ix_err_set(err, IX_EINVAL, "%s: limits out of range", ops->service);
	if ((fl = fcntl(lfd, F_GETFL)) < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return ix_err_sys(err, "listening socket: non-blocking");
	if ((s = calloc(1, sizeof *s)) == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	*s = (struct srv){ .ops = ops, .arg = arg, .log = log, .lfd = lfd };
	ix_fq_init(&s->q, lim);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_BLOCK, &set, &old);
	s->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sfd < 0) {
		ix_err_sys(err, "signalfd");
		sigprocmask(SIG_SETMASK, &old, NULL);
		free(s);
		return -1;
	}
	while (!s->stop) {
		struct pollfd p[2 + sizeof s->slots / sizeof s->slots[0]];
		struct slot *idx[sizeof s->slots / sizeof s->slots[0]];
		int timeout = TICK_MS, exp;
		size_t np = 0;

		replenish(s);
		hand_out(s);
		p[np++] = (struct pollfd){ s->sfd, POLLIN, 0 };
		p[np++] = (struct pollfd){ s->q.nwait < IX_SRV_WAITING_MAX ? s->lfd : -1, POLLIN, 0 };
		for (size_t i = 0; i < s->nslots; i++)
			if (s->slots[i].ctl >= 0) {
				idx[np - 2] = &s->slots[i];
				p[np++] = (struct pollfd){ s->slots[i].ctl, POLLIN, 0 };
			}
		if ((exp = ix_fq_next_expiry(&s->q, ix_now_ms())) >= 0 && exp < timeout)
			timeout = exp;
		if (poll(p, np, timeout) < 0 && errno != EINTR) {
			ix_log_event(log, "error", "stage=poll error=%s", strerror(errno));
			poll(NULL, 0, 100);
			continue;
		}
		if (p[0].revents) {
			take_signals(s);
			reap(s);
		}
		/* Slot events before new connections: a slot's index in idx[]
		 * is valid only until reap moves slots about. */
		if (!p[0].revents)
			for (size_t i = 2; i < np; i++)
				if (p[i].revents)
					slot_event(s, idx[i - 2]);
		if (p[1].revents)
			accept_some(s);
		expire(s);
		if (ix_now_ms() - last_tick >= TICK_MS) {
			last_tick = ix_now_ms();
			if (s->ops->tick != NULL && s->ops->tick(s->arg))
				retire_spares(s);
		}
	}
	rc = s->stop;
	/* Waiting connections are told; slots end by their own SIGTERM when
	 * main has gone, or here by the end of their socket. */
	for (size_t w = 0; w < s->q.nwait; w++)
		busy(s, s->q.wait[w].fd, s->q.wait[w].key, "stopping");
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].ctl >= 0)
			close(s->slots[i].ctl);
	close(s->sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ix_log_event(log, "stop", "signal=%d", rc);
	free(s);
	return rc;
}
