/*
 * Opening the file named by "> file" or ">> file" without surprises.
 *
 * What is guaranteed (and written in nosh(1), REDIRECTION):
 * - no component of the path is a symbolic link or a /proc magic link
 *   (openat2 RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so a link planted
 *   anywhere along the path cannot redirect the write;
 * - a file that does not exist is created with O_EXCL, so a file appearing
 *   at the same moment is never taken over;
 * - an existing file is written only if it is a regular file with one link
 *   (no hard link to elsewhere) owned by nosh's effective uid, or the null
 *   device; anything else (directory, FIFO, socket, terminal, disk, other
 *   device) is refused without being opened for writing;
 * - it is truncated (">") only after those checks, on the descriptor that
 *   was checked, and only if it is still the same file the checks saw.
 */
#ifndef NOSH_OUTFILE_H
#define NOSH_OUTFILE_H

#include "libixutil/ix_err.h"

/* Returns a descriptor open for writing (O_CLOEXEC, O_APPEND when append)
 * that the caller closes, or -1 with err set and nothing truncated. */
int nosh_open_out(const char *path, int append, struct ix_err *err);

#endif
