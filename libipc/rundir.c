/*
 * The run directory of a server's socket, shared by privd and sessiond.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libipc/ipc.h"

int
ix_ipc_rundir(const char *dir, struct ix_err *e)
{
	struct stat sb;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return ix_err_sys(e, "cannot create %s", dir);
	if (lstat(dir, &sb) < 0)
		return ix_err_sys(e, "%s", dir);
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 022))
		return ix_err_set(e, IX_EDENIED, "%s must be our directory, not writable by group or others",
				  dir);
	if ((sb.st_mode & 0777) != 0755 && chmod(dir, 0755) < 0)	/* the servers' umask is 077 */
		return ix_err_sys(e, "%s", dir);
	return 0;
}
