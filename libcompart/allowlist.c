/*
 * The tier 2 filesystem allowlist: Landlock rules computed from file labels.
 *
 * Landlock only adds rights, and a rule on a directory grants its rights to
 * everything beneath it. To keep a label-dominated file out of reach inside
 * a directory that is otherwise readable, the directory cannot carry the
 * rule: it is "split", its own rule keeps only the rights no constrained
 * descendant forbids, and each of its entries gets the full rights
 * separately, recursing along the path to the constrained file. Everything
 * not on such a path is covered by one rule high up, so the rule count
 * stays near (entries of the directories on constrained paths).
 *
 * Nodes of the trie hold: base rights granted beneath (a writable path,
 * a device), a constraint capping what the node itself may get (a
 * labelled file), and a barrier flag for /dev, below which nothing is
 * inherited: raw disks are root-owned and would hand a uid-0 compartment
 * every file's bytes whatever their labels.
 *
 * The trie is of names, but a Landlock rule is on an inode: a rule given
 * to an entry of a split directory that is another name of a labelled
 * file would open that file under every name (issue 16, hole 2). So each
 * rule is checked against the labelled inodes before it is added, and
 * capped at what their labels allow.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/landlock.h"
#include "libcompart/landlock_compat.h"

#define ALL_FS ((1ull << 16) - 1)
#define R_FILE (IX_LL_FS_EXECUTE | IX_LL_FS_READ_FILE | IX_LL_FS_IOCTL_DEV)
#define R_ALL (R_FILE | IX_LL_FS_READ_DIR)
#define W_FILE (IX_LL_FS_WRITE_FILE | IX_LL_FS_TRUNCATE)
#define W_DIR (IX_LL_FS_REMOVE_DIR | IX_LL_FS_REMOVE_FILE | IX_LL_FS_MAKE_CHAR | \
	       IX_LL_FS_MAKE_DIR | IX_LL_FS_MAKE_REG | IX_LL_FS_MAKE_SOCK | \
	       IX_LL_FS_MAKE_FIFO | IX_LL_FS_MAKE_BLOCK | IX_LL_FS_MAKE_SYM | IX_LL_FS_REFER)
#define FILE_RIGHTS (R_FILE | W_FILE)
#define DIR_ONLY (ALL_FS & ~FILE_RIGHTS)

struct node {
	char *name;
	struct node **kids;
	size_t nkids, cap;
	uint64_t base;		/* granted to this node and beneath */
	uint64_t cons;		/* most this node itself may get */
	uint64_t sub_min;	/* AND of cons over the subtree */
	bool barrier;		/* nothing inherited through it */
};

/* A labelled inode and the most a rule on it may grant. */
struct ident {
	uint64_t dev, ino;
	uint64_t cons;
};

struct build {
	struct ix_allowlist *al;
	struct ix_err *err;
	struct ident *ids;	/* sorted by dev, ino */
	size_t nids;
};

/* Harmless devices: the rest of /dev stays out of reach. */
static const struct {
	const char *path;
	uint64_t access;
} devices[] = {
	{ "/dev/null", R_FILE | W_FILE }, { "/dev/zero", R_FILE | W_FILE },
	{ "/dev/full", R_FILE | W_FILE }, { "/dev/tty", R_FILE | W_FILE },
	{ "/dev/ptmx", R_FILE | W_FILE }, { "/dev/random", R_FILE },
	{ "/dev/urandom", R_FILE },
};

static uint64_t
handled_for(int abi)
{
	uint64_t h = (1ull << 13) - 1;

	if (abi >= 2)
		h |= IX_LL_FS_REFER;
	if (abi >= 3)
		h |= IX_LL_FS_TRUNCATE;
	if (abi >= 5)
		h |= IX_LL_FS_IOCTL_DEV;
	return h;
}

static struct node *
node_new(const char *name, size_t len)
{
	struct node *n = calloc(1, sizeof *n);

	if (!n || !(n->name = strndup(name, len))) {
		free(n);
		return NULL;
	}
	n->cons = ALL_FS;
	return n;
}

static void
node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n);
}

static struct node *
kid(struct node *n, const char *name, size_t len, bool create)
{
	struct node *k;

	for (size_t i = 0; i < n->nkids; i++)
		if (strlen(n->kids[i]->name) == len && memcmp(n->kids[i]->name, name, len) == 0)
			return n->kids[i];
	if (!create)
		return NULL;
	if (n->nkids == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 4;
		struct node **v = realloc(n->kids, cap * sizeof *v);
		if (!v)
			return NULL;
		n->kids = v;
		n->cap = cap;
	}
	if (!(k = node_new(name, len)))
		return NULL;
	n->kids[n->nkids++] = k;
	return k;
}

/* The node for an absolute path, created on the way; NULL with err set. */
static struct node *
walk_to(struct node *root, const char *path, struct ix_err *err)
{
	struct node *n = root;
	const char *p = path;

	if (path[0] != '/' || strlen(path) >= PATH_MAX) {
		ix_err_set(err, IX_EINVAL, "'%s' is not an absolute path shorter than %d", path, PATH_MAX);
		return NULL;
	}
	while (*p) {
		size_t len;
		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			ix_err_set(err, IX_EINVAL, "path '%s' has a '.' or '..' component", path);
			return NULL;
		}
		if (!(n = kid(n, p, len, true))) {
			ix_err_set(err, IX_ENOMEM, "out of memory");
			return NULL;
		}
		p += len;
	}
	return n;
}

static uint64_t
compute_sub_min(struct node *n)
{
	n->sub_min = n->cons;
	for (size_t i = 0; i < n->nkids; i++)
		n->sub_min &= compute_sub_min(n->kids[i]);
	return n->sub_min;
}

/* Appends the rule (fd, access); the list owns fd from here on, also on
 * failure. */
static int
push(struct ix_allowlist *al, int fd, uint64_t access, struct ix_err *err)
{
	if (al->n == IX_ALLOW_RULES_MAX) {
		close(fd);
		return ix_err_set(err, IX_ELIMIT, "allowlist exceeds %d rules", IX_ALLOW_RULES_MAX);
	}
	if (al->n == al->cap) {
		size_t cap = al->cap ? al->cap * 2 : 64;
		struct ix_allow_rule *v = realloc(al->rules, cap * sizeof *v);
		if (!v) {
			close(fd);
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		}
		al->rules = v;
		al->cap = cap;
	}
	al->rules[al->n].fd = fd;
	al->rules[al->n].access = access;
	al->n++;
	return 0;
}

static int
ident_cmp(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* The most a rule on the inode st describes may grant. */
static uint64_t
ident_cons(const struct build *b, const struct stat *st)
{
	struct ident key = { (uint64_t)st->st_dev, (uint64_t)st->st_ino, 0 };
	/* bsearch's array may not be NULL even when empty (C11 7.22.5). */
	const struct ident *id = b->nids == 0 ? NULL :
				 bsearch(&key, b->ids, b->nids, sizeof *b->ids, ident_cmp);

	return id ? id->cons : ALL_FS;
}

/* Records the constraint c of labelled file f. A file gone since the
 * index was read needs no rule kept off it. */
static void
ident_add(struct build *b, const struct ix_labelled_file *f, uint64_t c)
{
	struct ident id = { f->dev, f->ino, c };
	struct stat st;

	if (!id.dev && !id.ino) {
		if (lstat(f->path, &st) < 0)
			return;
		id.dev = (uint64_t)st.st_dev;
		id.ino = (uint64_t)st.st_ino;
	}
	b->ids[b->nids++] = id;
}

/* Sorts the labelled inodes; one listed under several names keeps the
 * meet of their constraints. */
static void
ident_sort(struct build *b)
{
	size_t k = 0;

	if (b->nids > 0)
		qsort(b->ids, b->nids, sizeof *b->ids, ident_cmp);
	for (size_t i = 0; i < b->nids; i++) {
		if (k && ident_cmp(&b->ids[k - 1], &b->ids[i]) == 0)
			b->ids[k - 1].cons &= b->ids[i].cons;
		else
			b->ids[k++] = b->ids[i];
	}
	b->nids = k;
}

/* Adds a rule for path; a path that does not exist or is a symlink gets
 * none (access through a symlink is checked on its target). */
static int
emit(struct build *b, const char *path, uint64_t access)
{
	struct ix_allowlist *al = b->al;
	struct stat st;
	int fd;

	access &= al->handled;
	if (!access)
		return 0;
	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return 0;
		return ix_err_sys(b->err, "opening %s for the allowlist", path);
	}
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close(fd);
		return 0;
	}
	access &= ident_cons(b, &st);
	if (!S_ISDIR(st.st_mode))
		access &= FILE_RIGHTS;
	if (!access) {
		close(fd);
		return 0;
	}
	return push(al, fd, access, b->err);
}

static int
join(char *out, const char *dir, const char *name, struct ix_err *err)
{
	int n = snprintf(out, PATH_MAX, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);

	if (n < 0 || n >= PATH_MAX)
		return ix_err_set(err, IX_ELIMIT, "path %s/%s is too long", dir, name);
	return 0;
}

static int walk(struct build *b, struct node *n, const char *path, uint64_t pend);

/* Gives every entry of directory path the rights want, through the trie
 * where the entry has a node, directly otherwise. */
static int
spread(struct build *b, struct node *n, const char *path, uint64_t want)
{
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d)
		return (errno == ENOENT || errno == ENOTDIR) ? 0 :
			ix_err_sys(b->err, "listing %s for the allowlist", path);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (kid(n, de->d_name, strlen(de->d_name), false))
			continue;	/* walked below */
		if (join(sub, path, de->d_name, b->err) < 0 || emit(b, sub, want) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	for (size_t i = 0; i < n->nkids; i++)
		if (join(sub, path, n->kids[i]->name, b->err) < 0 ||
		    walk(b, n->kids[i], sub, want) < 0)
			return -1;
	return 0;
}

static int
walk(struct build *b, struct node *n, const char *path, uint64_t pend)
{
	uint64_t want = pend | n->base;
	char sub[PATH_MAX];

	if (!(want & ~n->sub_min)) {
		/* Nothing beneath is over-granted: one rule covers the subtree. */
		if (emit(b, path, want) < 0)
			return -1;
		for (size_t i = 0; i < n->nkids; i++)
			if (join(sub, path, n->kids[i]->name, b->err) < 0 ||
			    walk(b, n->kids[i], sub, 0) < 0)
				return -1;
		return 0;
	}
	if (emit(b, path, want & n->sub_min) < 0)
		return -1;
	if (n->barrier) {
		for (size_t i = 0; i < n->nkids; i++)
			if (join(sub, path, n->kids[i]->name, b->err) < 0 ||
			    walk(b, n->kids[i], sub, 0) < 0)
				return -1;
		return 0;
	}
	return spread(b, n, path, want);
}

void
ix_allowlist_free(struct ix_allowlist *al)
{
	for (size_t i = 0; i < al->n; i++)
		close(al->rules[i].fd);
	free(al->rules);
	memset(al, 0, sizeof *al);
}

int
ix_allowlist_init(struct ix_allowlist *al, struct ix_err *err)
{
	memset(al, 0, sizeof *al);
	al->abi = ix_landlock_abi();
	if (al->abi <= 0)
		return ix_err_set(err, IX_ESYS, "Landlock is not available in this kernel");
	al->handled = handled_for(al->abi);
	return 0;
}

int
ix_allowlist_add(struct ix_allowlist *al, const char *path, uint64_t access, struct ix_err *err)
{
	struct stat st;
	int fd;

	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ix_err_sys(err, "opening %s for the allowlist", path);
	if (fstat(fd, &st) < 0) {
		ix_err_sys(err, "%s", path);
		close(fd);
		return -1;
	}
	/* Landlock refuses directory rights on a file. */
	access &= al->handled & (S_ISDIR(st.st_mode) ? ALL_FS : FILE_RIGHTS);
	if (S_ISLNK(st.st_mode) || !access) {
		close(fd);
		return ix_err_set(err, IX_EINVAL, "%s: %s", path,
				  S_ISLNK(st.st_mode) ? "a symbolic link" : "no right this kernel handles");
	}
	return push(al, fd, access, err);
}

static int
add_base(struct node *root, const char *path, uint64_t access, struct ix_err *err)
{
	struct node *n = walk_to(root, path, err);

	if (!n)
		return -1;
	n->base |= access;
	return 0;
}

int
ix_allowlist_build(struct ix_allowlist *al, const struct ix_label *proc,
		   const struct ix_label *ceiling, const char *const *writable, size_t nwritable,
		   const struct ix_labelled_file *files, size_t nfiles, struct ix_err *err)
{
	struct node *root = node_new("", 0), *dev;
	struct build b = { al, err, calloc(nfiles ? nfiles : 1, sizeof *b.ids), 0 };
	int r = -1;

	if (ix_allowlist_init(al, err) < 0) {
		node_free(root);
		free(b.ids);
		return -1;
	}
	if (!root || !b.ids) {
		node_free(root);
		free(b.ids);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	if (!ceiling)
		ceiling = proc;
	root->base = R_ALL;
	if (!(dev = walk_to(root, "/dev", err)))
		goto out;
	dev->barrier = true;
	dev->cons = IX_LL_FS_READ_DIR;
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (add_base(root, devices[i].path, devices[i].access, err) < 0)
			goto out;
	for (size_t i = 0; i < nwritable; i++) {
		struct stat st;
		if (stat(writable[i], &st) < 0) {
			ix_err_sys(err, "writable path %s", writable[i]);
			goto out;
		}
		if (add_base(root, writable[i], R_ALL | W_FILE | W_DIR, err) < 0)
			goto out;
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct node *n = walk_to(root, files[i].path, err);
		uint64_t c = 0;
		if (!n)
			goto out;
		/* Read where both the label and the ceiling dominate. */
		if (ix_label_can_read(proc, &files[i].label) &&
		    ix_label_can_read(ceiling, &files[i].label))
			c |= R_ALL;
		if (ix_label_can_write(proc, &files[i].label))
			c |= W_FILE | W_DIR;
		/* A file's label says nothing about directory rights such as
		 * listing its parent: those stay with the parent's own label. */
		if (!files[i].is_dir)
			c |= DIR_ONLY;
		n->cons &= c;
		ident_add(&b, &files[i], c);
	}
	ident_sort(&b);
	compute_sub_min(root);
	r = walk(&b, root, "/", 0);
out:
	node_free(root);
	free(b.ids);
	if (r < 0)
		ix_allowlist_free(al);
	return r;
}
