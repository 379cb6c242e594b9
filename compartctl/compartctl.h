/* compartctl's commands, shared between its files. */
#ifndef IX_COMPARTCTL_H
#define IX_COMPARTCTL_H
#include "db/ixdb.h"
#include "libixutil/ix_config.h"
#include "liblattice/label.h"

/* Exit codes (compartctl(8)). */
enum { CC_OK = 0, CC_FAIL = 1, CC_USAGE = 2, CC_ERROR = 3 };
/* compartctl run: the command's status, or these (as env(1) does). */
enum { CC_RUN_ERROR = 125, CC_RUN_NOEXEC = 126, CC_RUN_NOTFOUND = 127 };

struct cc {
	struct ix_config cfg;
	struct ixdb *db;		/* opened on demand */
	struct ix_label_enc *enc;	/* label encodings, loaded on demand */
};

int cc_fail(const struct ix_err *e, int code);
/* Opens the database (read-write when rw) and loads its label encodings
 * (db/labels.h: without the authorization tree). */
int cc_open(struct cc *c, bool rw, struct ix_err *e);
int cc_parse_label(struct cc *c, const char *text, struct ix_label *out, struct ix_err *e);
/* Label text into buf: by name, or by number (ix_label_print_raw) when
 * the encodings could not be loaded or lack its level. */
void cc_print_label(struct cc *c, const struct ix_label *l, char *buf, size_t size);

int cc_run(struct cc *c, int argc, char **argv);
#endif
