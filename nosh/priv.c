/*
 * Capabilities across exec. The kernel's rule (capabilities(7)) for a
 * program without file capabilities is P' = E' = ambient, I' = I, and for
 * uid 0 "P' = everything in the bounding set" unless SECBIT_NOROOT is set.
 * So the child empties ambient, raises exactly the requested capabilities
 * into inheritable and ambient, and turns root's special case off.
 */
#include <sys/capability.h>
#include <sys/prctl.h>
#include <linux/securebits.h>
#include <unistd.h>

#include "nosh/priv.h"

int
nosh_priv_check(uint64_t caps, struct ix_err *err)
{
	cap_t cur = cap_get_proc();
	cap_flag_value_t held;

	if (cur == NULL)
		return ix_err_sys(err, "cap_get_proc");
	for (cap_value_t v = 0; v < 64; v++) {
		if (!(caps & (UINT64_C(1) << v)))
			continue;
		if (cap_get_flag(cur, v, CAP_PERMITTED, &held) < 0 || held != CAP_SET ||
		    cap_get_bound(v) != 1) {
			char *name = cap_to_name(v);

			ix_err_set(err, IX_EDENIED, "%s requested but nosh does not "
				   "hold it", name ? name : "capability");
			cap_free(name);
			cap_free(cur);
			return -1;
		}
	}
	cap_free(cur);
	return 0;
}

int
nosh_priv_child(uint64_t caps, struct ix_err *err)
{
	const int need = SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP;
	const int lock = SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED;
	cap_t c = cap_get_proc();
	cap_flag_value_t f;
	uid_t r, e, s;
	int bits, rc;

	if (c == NULL)
		return ix_err_sys(err, "cap_get_proc");
	/* Effective = permitted, so that CAP_SETPCAP works if held;
	 * inheritable = exactly what was asked for. */
	cap_clear_flag(c, CAP_INHERITABLE);
	for (cap_value_t v = 0; v < 64 && CAP_IS_SUPPORTED(v); v++) {
		if (cap_get_flag(c, v, CAP_PERMITTED, &f) == 0)
			cap_set_flag(c, CAP_EFFECTIVE, 1, &v, f);
		if (caps & (UINT64_C(1) << v))
			cap_set_flag(c, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	rc = cap_set_proc(c);
	cap_free(c);
	if (rc < 0)
		return ix_err_sys(err, "setting the inheritable set");

	if (getresuid(&r, &e, &s) < 0)
		return ix_err_sys(err, "getresuid");
	bits = prctl(PR_GET_SECUREBITS);
	if (bits < 0)
		return ix_err_sys(err, "PR_GET_SECUREBITS");
	if ((r == 0 || e == 0 || s == 0) && (bits & (need | lock)) != (need | lock) &&
	    prctl(PR_SET_SECUREBITS, bits | need | lock) < 0 && (bits & need) != need)
		return ix_err_sys(err, "uid 0 would regain every capability at "
				  "exec, and SECBIT_NOROOT cannot be set");

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return ix_err_sys(err, "clearing the ambient set");
	for (cap_value_t v = 0; v < 64; v++)
		if ((caps & (UINT64_C(1) << v)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
			return ix_err_sys(err, "raising capability %d", v);
	return 0;
}
