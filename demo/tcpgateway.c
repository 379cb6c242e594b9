/*
 * tcpgateway: the program the demo policy's rule tcpgateway runs
 * (EXEC(/lib/tcp/tcpgateway) with PRIV(net_admin, net_bind_service)),
 * standing in for the IX paper's TCP gateway. scripts/demo installs it
 * at that path inside its private world; make install does not install it.
 *
 * It serves nothing. It shows what privd gave it (identity, environment,
 * capabilities) and uses the one capability a gateway cannot do without:
 * it binds the highest privileged TCP port of this host on the loopback
 * address, then lets it go and exits.
 *
 * Exit status: 0 the port was bound; 1 it was not (the reason is shown).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bound on the ports tried, downwards from the highest privileged one,
 * when the host already listens there. */
#define PORT_TRIES 16

extern char **environ;

/* Ports below this one need CAP_NET_BIND_SERVICE (ip_unprivileged_port_start). */
static int
unprivileged_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	int start = 1024;	/* the kernel's default, when the sysctl cannot be read */

	if (f != NULL) {
		if (fscanf(f, "%d", &start) != 1)
			start = 1024;
		fclose(f);
	}
	return start;
}

/* Binds a TCP socket to port on 127.0.0.1. Returns the socket, or -1 with errno. */
static int
bind_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int saved;

	if (s < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof a) == 0)
		return s;
	saved = errno;
	close(s);
	errno = saved;
	return -1;
}

int
main(void)
{
	struct passwd *pw = getpwuid(getuid());
	cap_t caps = cap_get_proc();
	char *text = caps != NULL ? cap_to_text(caps, NULL) : NULL;
	int start = unprivileged_start(), nenv = 0, s = -1, port = 0;

	while (environ != NULL && environ[nenv] != NULL)
		nenv++;
	printf("tcpgateway: the demo policy's gateway, a stand-in that serves nothing\n");
	printf("tcpgateway: running as %s (uid %u, gid %u), %d environment variables, "
	       "no_new_privs %s\n", pw != NULL ? pw->pw_name : "?", (unsigned)getuid(),
	       (unsigned)getgid(), nenv, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? "on" : "off");
	/* libcap writes the empty set as "=" */
	printf("tcpgateway: capabilities %s\n", text == NULL ? "(cannot be read)" :
	       strcmp(text, "=") == 0 ? "none" : text);
	cap_free(text);
	cap_free(caps);
	if (start <= 1) {
		printf("tcpgateway: this host lets anyone bind any port "
		       "(net.ipv4.ip_unprivileged_port_start=%d): nothing to show\n", start);
		return 0;
	}
	for (int i = 0; i < PORT_TRIES && start - 1 - i > 0; i++) {
		port = start - 1 - i;
		if ((s = bind_port(port)) >= 0 || errno != EADDRINUSE)
			break;
	}
	if (s < 0) {
		printf("tcpgateway: cannot bind TCP port %d on 127.0.0.1: %s%s\n", port, strerror(errno),
		       errno == EACCES ? " (it needs net_bind_service)" : "");
		return 1;
	}
	printf("tcpgateway: bound TCP port %d on 127.0.0.1: ports below %d need "
	       "net_bind_service\n", port, start);
	printf("tcpgateway: a real gateway would serve there; this one lets it go and exits\n");
	close(s);
	return 0;
}
