#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "libixutil/ix_log.h"

#define LINE_MAX_LEN 4096

struct ix_log {
	int fd;			/* stderr or the file; -1 for syslog */
	int own_fd;		/* fd is ours to close */
	char prog[32];		/* program name in every line */
};

struct ix_log *
ix_log_open(const char *spec, const char *prog, struct ix_err *err)
{
	struct ix_log *l = calloc(1, sizeof *l);

	if (l == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(l->prog, sizeof l->prog, "%s", prog);
	if (strcmp(spec, "stderr") == 0) {
		l->fd = STDERR_FILENO;
	} else if (strcmp(spec, "syslog") == 0) {
		l->fd = -1;
		openlog(l->prog, LOG_PID, LOG_AUTHPRIV);
	} else if (spec[0] == '/') {
		l->fd = open(spec, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
			     0600);
		if (l->fd < 0) {
			ix_err_sys(err, "cannot open log %s", spec);
			free(l);
			return NULL;
		}
		l->own_fd = 1;
	} else {
		ix_err_set(err, IX_EINVAL, "log must be stderr, syslog or an absolute path, not '%s'",
			   spec);
		free(l);
		return NULL;
	}
	return l;
}

void
ix_log_close(struct ix_log *l)
{
	if (l == NULL)
		return;
	if (l->own_fd)
		close(l->fd);
	if (l->fd == -1)
		closelog();
	free(l);
}

void
ix_log_event(struct ix_log *l, const char *event, const char *fmt, ...)
{
	char body[LINE_MAX_LEN], line[LINE_MAX_LEN + 128], ts[32];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;
	size_t i;
	int n;

	if (l == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	for (i = 0; body[i] != '\0'; i++)
		if ((unsigned char)body[i] < 0x20 || body[i] == 0x7f)
			body[i] = '?';
	if (l->fd == -1) {
		syslog(LOG_NOTICE, "%s %s", event, body);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof line, "%s %s[%ld] %s %s\n", ts, l->prog, (long)getpid(), event,
		     body);
	if (n > 0) {
		size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;

		/* One write per line keeps lines whole under O_APPEND. */
		while (write(l->fd, line, len) < 0 && errno == EINTR)
			;
	}
}
