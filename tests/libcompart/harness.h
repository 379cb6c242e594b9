/*
 * A private world for the compartment-kernel property tests: own mount
 * namespace, own tmpfs work directory, own bpffs when compartd is not
 * running, a label-index database, and every compartment it creates
 * removed on every exit path (cgroup.kill, then rmdir).
 */
#ifndef IX_TEST_HARNESS_H
#define IX_TEST_HARNESS_H
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "db/ixdb.h"
#include "libcompart/compart.h"
#include "libcompart/status.h"

#define TH_COMPARTS_MAX 64

struct th {
	char work[PATH_MAX];	/* tmpfs of our own */
	char exe[PATH_MAX];	/* copy of this binary, world-executable */
	char hole[PATH_MAX];	/* black-hole directory */
	char wdir[PATH_MAX];	/* the writable directory given to probes */
	char rawdev[64];	/* a root-only device node in /dev, removed at exit */
	struct ixdb *db;	/* label index */
	struct ix_status st;	/* what this host enforces */
	char comps[TH_COMPARTS_MAX][IX_COMPART_NAME_MAX + 1];
	int ncomps;
};
extern struct th T;

/* Levels of the test lattice, lowest first. */
enum { UNCLASSIFIED, CONFIDENTIAL, SECRET, TOPSECRET };

int th_setup(void);
void th_cleanup(void);
/* A label at level with category bit cat (-1: none). */
struct ix_label th_label(int level, int cat);
/* Creates compartment "t<pid>-suffix"; returns its name (owned by T). */
const char *th_comp(const char *suffix, const struct ix_label *l, bool sealed);
/* Labels path through the index (xattr + row). */
void th_set_label(const char *path, const struct ix_label *l);
/* Creates a file with content, mode, owner root. */
void th_file(const char *path, mode_t mode);
/* The state `compartctl status` gives for a property; why filled with its text. */
enum ix_prop_state th_prop(const char *name, const char **why);

/*
 * Runs `test_compart --probe ARGS...` in compartment comp (NULL: none) as
 * uid with caps, writable paths (NULL-terminated, may be NULL), fds
 * (NULL: /dev/null). With pid == NULL waits and returns the exit status
 * (the errno that refused the probe, 0 on success); otherwise returns 0
 * and leaves the child running (*pid, *pidfd).
 */
int th_run(const char *comp, uid_t uid, uint64_t caps, const char *const *writable,
	   const int *fds, const char *const *args, pid_t *pid, int *pidfd);
/* Waits for a child started by th_run; returns its status. */
int th_wait(pid_t pid);
#endif
