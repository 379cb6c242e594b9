/*
 * Licences through libcap's cap_get_fd/cap_set_fd (licence.h).
 */
#include <errno.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "libcompart/caps.h"
#include "libcompart/licence.h"

static int
regular(int fd, struct ix_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "descriptor %d", fd);
	if (!S_ISREG(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "only regular files take licences");
	return 0;
}

int
ix_licence_get(int fd, uint64_t *caps, bool *licensed, struct ix_err *err)
{
	cap_t c;

	*caps = 0;
	*licensed = false;
	if (regular(fd, err) < 0)
		return -1;
	c = cap_get_fd(fd);
	if (!c) {
		if (errno == ENODATA || errno == ENOTSUP)
			return 0;
		return ix_err_sys(err, "reading the licence of descriptor %d", fd);
	}
	for (int v = 0; v <= ix_caps_last(); v++) {
		cap_flag_value_t f = CAP_CLEAR;
		if (cap_get_flag(c, v, CAP_PERMITTED, &f) == 0 && f == CAP_SET)
			*caps |= 1ull << v;
	}
	cap_free(c);
	*licensed = true;
	return 0;
}

int
ix_licence_set(int fd, uint64_t caps, struct ix_err *err)
{
	cap_value_t v[64];
	int n = 0, r;
	cap_t c;

	if (regular(fd, err) < 0)
		return -1;
	if (caps >> (ix_caps_last() + 1))
		return ix_err_set(err, IX_EINVAL, "capability above this kernel's last (%d)", ix_caps_last());
	if (!caps) {
		if (cap_set_fd(fd, NULL) < 0 && errno != ENODATA)
			return ix_err_sys(err, "removing the licence of descriptor %d", fd);
		return 0;
	}
	for (int i = 0; i < 64; i++)
		if (caps & (1ull << i))
			v[n++] = i;
	c = cap_init();
	if (!c)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (cap_set_flag(c, CAP_PERMITTED, n, v, CAP_SET) < 0 ||
	    cap_set_flag(c, CAP_EFFECTIVE, n, v, CAP_SET) < 0) {
		cap_free(c);
		return ix_err_set(err, IX_EINVAL, "building the licence");
	}
	r = cap_set_fd(fd, c);
	cap_free(c);
	if (r < 0)
		return ix_err_sys(err, "licensing descriptor %d", fd);
	return 0;
}
