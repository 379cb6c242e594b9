/*
 * netprobe: the privileged program P of the demo's two-person install
 * (README, "The two-person install"; IX's pcopy scenario). It stands for
 * a program that needs one capability from its file licence: it prints
 * its version and then opens a raw ICMP socket, which only CAP_NET_RAW
 * allows. scripts/demo installs version 1 as /usr/local/bin/netprobe,
 * licensed cap_net_raw and sealed, and puts version 2 (P') in the
 * sysadmin's staging directory; make install does not install it.
 *
 * Exit status: 0 the raw socket opened; 1 it did not (the reason shown).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef NETPROBE_VERSION
#define NETPROBE_VERSION "1"
#endif

int
main(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	printf("netprobe version %s\n", NETPROBE_VERSION);
	if (fd < 0) {
		printf("raw ICMP socket: %s (the file licence cap_net_raw is missing)\n",
		       strerror(errno));
		return 1;
	}
	printf("raw ICMP socket: open\n");
	close(fd);
	return 0;
}
