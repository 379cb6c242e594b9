/*
 * The privilege-set lattice: the names of the universe and the set
 * operations. Only named bits are ever members, so that every set prints.
 */
#include <assert.h>
#include <string.h>
#include <strings.h>

#include "liblattice/privset.h"
#include "liblattice/privset_int.h"

/* Linux capabilities by number, as in <linux/capability.h> without CAP_. */
static const char *const cap_names[IX_PRIV_CAP_LAST + 1] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

/* ixkit's own privileges from IX_PRIV_OWN_BASE, in enum ix_own_priv order. */
static const char *const own_names[IX_PRIV_OWN_END - IX_PRIV_OWN_BASE] = {
	"downgrade", "upgrade", "setlabel", "setlicence", "setceiling", "nocheck", "extern",
};

const char *
ix_priv_name(int bit)
{
	if (bit >= 0 && bit <= IX_PRIV_CAP_LAST)
		return cap_names[bit];
	if (bit >= IX_PRIV_OWN_BASE && bit < IX_PRIV_OWN_END)
		return own_names[bit - IX_PRIV_OWN_BASE];
	return NULL;
}

int
ix_priv_bit(const char *name, size_t len)
{
	int bit;
	const char *n;

	if (len > 4 && strncasecmp(name, "cap_", 4) == 0) {
		name += 4;
		len -= 4;
	}
	for (bit = 0; bit < IX_PRIV_BITS; bit++)
		if ((n = ix_priv_name(bit)) != NULL && strlen(n) == len &&
		    strncasecmp(n, name, len) == 0)
			return bit;
	return -1;
}

void
ix_privset_empty(struct ix_privset *out)
{
	memset(out, 0, sizeof *out);
}

void
ix_privset_all(struct ix_privset *out)
{
	int bit;

	ix_privset_empty(out);
	for (bit = 0; bit < IX_PRIV_BITS; bit++)
		ix_privset_add(out, bit);
}

bool
ix_privset_is_empty(const struct ix_privset *s)
{
	size_t i;

	for (i = 0; i < sizeof s->bits / sizeof s->bits[0]; i++)
		if (s->bits[i] != 0)
			return false;
	return true;
}

bool
ix_privset_le(const struct ix_privset *a, const struct ix_privset *b)
{
	size_t i;

	for (i = 0; i < sizeof a->bits / sizeof a->bits[0]; i++)
		if ((a->bits[i] & ~b->bits[i]) != 0)
			return false;
	return true;
}

bool
ix_privset_eq(const struct ix_privset *a, const struct ix_privset *b)
{
	return memcmp(a->bits, b->bits, sizeof a->bits) == 0;
}

void
ix_privset_join(const struct ix_privset *a, const struct ix_privset *b, struct ix_privset *out)
{
	struct ix_privset r;
	size_t i;

	for (i = 0; i < sizeof a->bits / sizeof a->bits[0]; i++)
		r.bits[i] = a->bits[i] | b->bits[i];
	assert(ix_privset_check_join(a, b, &r));
	*out = r;	/* only now: out may alias a or b, which the check reads */
}

void
ix_privset_meet(const struct ix_privset *a, const struct ix_privset *b, struct ix_privset *out)
{
	struct ix_privset r;
	size_t i;

	for (i = 0; i < sizeof a->bits / sizeof a->bits[0]; i++)
		r.bits[i] = a->bits[i] & b->bits[i];
	assert(ix_privset_check_meet(a, b, &r));
	*out = r;	/* only now: out may alias a or b, which the check reads */
}

bool
ix_privset_has(const struct ix_privset *s, int bit)
{
	if (bit < 0 || bit >= IX_PRIV_BITS)
		return false;
	return (s->bits[bit / 64] >> (bit % 64)) & 1;
}

void
ix_privset_add(struct ix_privset *s, int bit)
{
	if (ix_priv_name(bit) != NULL)
		s->bits[bit / 64] |= UINT64_C(1) << (bit % 64);
}

uint64_t
ix_privset_caps(const struct ix_privset *s)
{
	return s->bits[0] & ((UINT64_C(1) << (IX_PRIV_CAP_LAST + 1)) - 1);
}

#ifndef NDEBUG
bool
ix_privset_check(const struct ix_privset *s)
{
	for (int bit = 0; bit < IX_PRIV_BITS; bit++)
		assert(!ix_privset_has(s, bit) || ix_priv_name(bit) != NULL);
	return true;
}

bool
ix_privset_check_join(const struct ix_privset *a, const struct ix_privset *b,
		      const struct ix_privset *r)
{
	assert(ix_privset_check(r));
	assert(ix_privset_le(r, r));
	assert(ix_privset_le(a, r));
	assert(ix_privset_le(b, r));
	return true;
}

bool
ix_privset_check_meet(const struct ix_privset *a, const struct ix_privset *b,
		      const struct ix_privset *r)
{
	assert(ix_privset_check(r));
	assert(ix_privset_le(r, r));
	assert(ix_privset_le(r, a));
	assert(ix_privset_le(r, b));
	return true;
}
#endif
