/* pcopy --show (show.h). */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <sodium.h>

#include "libcompart/flabel.h"
#include "liblattice/privset.h"
#include "libpcopy/licence.h"
#include "pcopy/show.h"

static void
print_caps(FILE *out, uint64_t caps)
{
	struct ix_privset s;
	struct ix_err e;
	char names[1024];

	ix_privset_empty(&s);
	for (int b = 0; b <= IX_PRIV_CAP_LAST; b++)
		if (caps & (UINT64_C(1) << b))
			ix_privset_add(&s, b);
	if (ix_privset_print(&s, names, sizeof names, &e) < 0)
		snprintf(names, sizeof names, "(too many to show)");
	fprintf(out, "%s (permitted, effective)\n", names);
}

enum pc_status
pc_show(const char *path, FILE *out, struct ix_err *err)
{
	unsigned char h[PC_HASH_BYTES];
	char text[PC_HASH_TEXT_MAX];
	struct pc_dummy d[PC_DUMMY_MAX];
	struct stat st;
	uint64_t caps;
	bool present, imm, marked;
	size_t n;
	int fd;
	enum pc_status rc = pc_open_regular(path, &fd, &st, err);

	if (rc != PC_OK)
		return rc;
	rc = PC_SYSERR;
	if (pc_hash_fd(fd, h, err) < 0 || pc_caps_read(fd, &caps, &present, err) < 0 ||
	    pc_immutable_get(fd, &imm, err) < 0 || pc_licence_marked(fd, &marked, err) < 0 ||
	    pc_dummy_read(fd, d, PC_DUMMY_MAX, &n, err) < 0) {
		ix_err_prefix(err, "%s", path);
		goto out;
	}
	pc_hash_text(h, text);
	fprintf(out, "%s\n  content: %s\n  owner: %u:%u mode: %04o\n", path, text,
		(unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
	fputs("  capabilities: ", out);
	if (present)
		print_caps(out, caps);
	else
		fputs("none\n", out);
	fprintf(out, "  label: %s\n",
		fgetxattr(fd, IX_FLABEL_XATTR, NULL, 0) >= 0 ? "set (compartctl label shows it)" : "none");
	fprintf(out, "  sealed (immutable): %s\n", imm ? "yes" : "no");
	fprintf(out, "  licence mark (tier 1): %s\n", marked ? "yes" : "no");
	if (n == 0)
		fputs("  dummy licences: none\n", out);
	for (size_t i = 0; i < n; i++) {
		if (!d[i].well_formed) {
			fprintf(out, "  dummy licence %s: malformed, not a licence\n", d[i].role);
			continue;
		}
		pc_hash_text(d[i].hash, text);
		fprintf(out, "  dummy licence %s: %s, %s\n", d[i].role, text,
			sodium_memcmp(d[i].hash, h, PC_HASH_BYTES) == 0 ? "bound to this content"
			: "NOT this content (it changed since the licence was added)");
	}
	rc = PC_OK;
out:
	close(fd);
	return rc;
}

enum pc_status
pc_seal(const char *path, struct ix_err *err)
{
	struct stat st;
	int fd;
	enum pc_status rc = pc_open_regular(path, &fd, &st, err);

	if (rc != PC_OK)
		return rc;
	rc = PC_OK;
	if (pc_licence_seal(fd, err) < 0) {
		ix_err_prefix(err, "%s", path);
		rc = PC_SYSERR;
	}
	close(fd);
	return rc;
}
