/*
 * Internal to the provider check (provider.h): provider.c judges the
 * process, provider_input.c what it reads, provider_sock.c its sockets.
 */
#ifndef IX_PROVIDER_INT_H
#define IX_PROVIDER_INT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include "libterm/provider.h"
#include "libterm/refuse.h"

/* The fields of /proc/PID/status the check reads. */
struct ix_prov_status {
	uid_t uids[4];		/* real, effective, saved, filesystem */
	gid_t fsgid;
	gid_t groups[IX_PROVIDER_GROUPS_MAX];
	size_t ngroups;
	uint64_t capeff;
	pid_t tracer;		/* TracerPid, 0 for none */
};


/* Reads /proc/PID/status. 0, or -1 with *err (IX_ENOENT: exited). */
int ix_prov_status(pid_t pid, struct ix_prov_status *st, struct ix_err *err);
/* Whether any of uids is one of the client's. */
bool ix_prov_uid_is_clients(const uid_t uids[4], const struct ix_provider_client *c);
/* pid's command name, "?" when gone. */
void ix_prov_comm(pid_t pid, char *out, size_t size);

/* The whole check of one process at depth (provider.c). */
int ix_prov_process(pid_t pid, const struct ix_provider_client *c, unsigned depth,
		    char *why, size_t whysize, struct ix_err *err);
/* Its inputs (provider_input.c). */
int ix_prov_inputs(pid_t pid, const char *comm, const struct ix_provider_client *c,
		   unsigned depth, char *why, size_t whysize, struct ix_err *err);

/* Whether the client may do what mask (4 read, 2 write, 1 search) asks
 * of a node with st, or could grant it to itself (it owns the node). A
 * node with an access ACL counts as allowed: ACLs are not evaluated.
 * fd is an O_PATH descriptor of the node. */
bool ix_prov_may(int fd, const struct stat *st, const struct ix_provider_client *c,
		 unsigned mask);

/* Judges the socket pid holds as descriptor fdnum (provider_sock.c).
 * Returns 1 out of the client's reach, 0 not (why), -1 error. */
int ix_prov_socket(pid_t pid, const char *comm, int fdnum, const struct ix_provider_client *c,
		   char *why, size_t whysize, struct ix_err *err);
/* Whether every process holding the object whose /proc/PID/fd link
 * text is link, other than except, runs under none of the client's uids.
 * *held is set when any such holder was seen. Returns 1, 0 (why), -1. */
int ix_prov_holders_foreign(const char *link, pid_t except, bool *held,
			    const struct ix_provider_client *c, char *why, size_t whysize,
			    struct ix_err *err);
#endif
