/*
 * Does a PAM service's stack load pam_passwdd? passwdd's PAM backend asks
 * before using a service: a stack that loads pam_passwdd would send
 * passwdd's own question back to passwdd (a loop), so it is refused.
 */
#ifndef PW_PAM_LOOP_H
#define PW_PAM_LOOP_H

#include "libixutil/ix_err.h"

#define PW_PAM_DIR "/etc/pam.d"
#define PW_PAM_VENDOR_DIR "/usr/lib/pam.d"	/* libpam looks here second */
#define PW_PAM_NAME_MAX 64		/* bytes of a service or include name */
#define PW_PAM_FILE_MAX (64 * 1024)	/* bytes of one file in pam.d */
#define PW_PAM_LINE_MAX 4096		/* bytes of one logical line */
#define PW_PAM_DEPTH_MAX 8		/* nested include/substack/@include */
#define PW_PAM_FILES_MAX 64		/* files read for one service */

/*
 * Reads the stack libpam builds for SERVICE: /etc/pam.d/SERVICE (or
 * /usr/lib/pam.d/SERVICE when /etc has none) and "other", which libpam
 * reads and loads too, following "@include NAME" and the include and
 * substack controls, and looks for a module whose file name starts with
 * "pam_passwdd". SERVICE and every included name must match
 * [A-Za-z0-9_.-]+ (not "." or "..") and stay within the limits above.
 * Returns 1 when the stack loads pam_passwdd, 0 when it does not, -1 with
 * *err when it cannot tell (unreadable, malformed, too deep, too big, an
 * absolute or invalid include, neither SERVICE nor "other" present): the
 * caller must then refuse the service.
 */
int pw_pam_service_loops(const char *service, struct ix_err *err);

/* The same with the directories as parameters (tests): pamd first, then
 * vendor (NULL: none); a directory that does not exist is skipped. */
int pw_pam_service_loops_at(const char *pamd, const char *vendor, const char *service,
    struct ix_err *err);

#endif
