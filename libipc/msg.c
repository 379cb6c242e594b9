/*
 * Building and reading messages: fixed-width integers in network order,
 * length-prefixed strings and blobs, descriptors referenced in order.
 * Every read checks the bytes it needs against what is left, so a
 * message can never be read past its end (PROTOCOL.md "Fields").
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libipc/msg_priv.h"

#define INITIAL_CAP 256

struct ix_msg *
ix_msg_new(uint16_t type, struct ix_err *err)
{
	struct ix_msg *m;

	if (type == 0) {
		ix_err_set(err, IX_EINVAL, "message type 0 is reserved");
		return NULL;
	}
	m = calloc(1, sizeof *m);
	if (m == NULL || (m->buf = malloc(INITIAL_CAP)) == NULL) {
		free(m);
		ix_err_set(err, IX_ENOMEM, "out of memory for a message");
		return NULL;
	}
	m->type = type;
	m->cap = INITIAL_CAP;
	return m;
}

void
ix_msg_free(struct ix_msg *m)
{
	unsigned i;

	if (m == NULL)
		return;
	if (m->owns_fds)
		for (i = m->fd_next; i < m->nfds; i++)
			if (m->fds[i] >= 0)
				close(m->fds[i]);
	if (m->secret)
		explicit_bzero(m->buf, m->cap);
	free(m->buf);
	free(m);
}

void
ix_msg_set_secret(struct ix_msg *m)
{
	m->secret = true;
}

uint16_t
ix_msg_type(const struct ix_msg *m)
{
	return m->type;
}

size_t
ix_msg_len(const struct ix_msg *m)
{
	return m->len;
}

unsigned
ix_msg_nfds(const struct ix_msg *m)
{
	return m->nfds;
}

void
ix_msg_seal(struct ix_msg *m)
{
	uint8_t *h = m->buf;

	h[0] = (uint8_t)(m->len >> 24);
	h[1] = (uint8_t)(m->len >> 16);
	h[2] = (uint8_t)(m->len >> 8);
	h[3] = (uint8_t)m->len;
	h[4] = (uint8_t)(m->type >> 8);
	h[5] = (uint8_t)m->type;
	h[6] = (uint8_t)m->nfds;
	h[7] = 0;
}

/* ---- writer ---- */

/* Reserves n more payload bytes and returns where they go, or NULL with
 * the message marked broken. */
static uint8_t *
reserve(struct ix_msg *m, size_t n, struct ix_err *err)
{
	size_t need, cap;
	uint8_t *nb;

	if (m->broken) {
		ix_err_set(err, IX_EINVAL, "message 0x%04x: an earlier field failed",
		    m->type);
		return NULL;
	}
	if (n > IX_MSG_MAX_PAYLOAD - m->len) {
		m->broken = true;
		ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: %zu more bytes would pass the %d-byte maximum",
		    m->type, n, IX_MSG_MAX_PAYLOAD);
		return NULL;
	}
	need = IX_MSG_HDR_LEN + m->len + n;
	if (need > m->cap) {
		cap = m->cap;
		while (cap < need)
			cap *= 2;
		/* realloc would free a secret's old buffer unwiped. */
		nb = m->secret ? malloc(cap) : realloc(m->buf, cap);
		if (nb == NULL) {
			m->broken = true;
			ix_err_set(err, IX_ENOMEM, "out of memory for a message");
			return NULL;
		}
		if (m->secret) {
			memcpy(nb, m->buf, IX_MSG_HDR_LEN + m->len);
			explicit_bzero(m->buf, m->cap);
			free(m->buf);
		}
		m->buf = nb;
		m->cap = cap;
	}
	nb = m->buf + IX_MSG_HDR_LEN + m->len;
	m->len += n;
	return nb;
}

static int
put_be(struct ix_msg *m, uint64_t v, size_t width, struct ix_err *err)
{
	uint8_t *p = reserve(m, width, err);
	size_t i;

	if (p == NULL)
		return -1;
	for (i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
	return 0;
}

int
ix_msg_put_u8(struct ix_msg *m, uint8_t v, struct ix_err *err)
{
	return put_be(m, v, 1, err);
}

int
ix_msg_put_u16(struct ix_msg *m, uint16_t v, struct ix_err *err)
{
	return put_be(m, v, 2, err);
}

int
ix_msg_put_u32(struct ix_msg *m, uint32_t v, struct ix_err *err)
{
	return put_be(m, v, 4, err);
}

int
ix_msg_put_u64(struct ix_msg *m, uint64_t v, struct ix_err *err)
{
	return put_be(m, v, 8, err);
}

/* Length prefix, bytes, and a NUL when term is set. */
static int
put_counted(struct ix_msg *m, const void *p, size_t n, bool term,
    struct ix_err *err)
{
	uint8_t *dst;

	if (n > IX_MSG_MAX_PAYLOAD) {
		m->broken = true;
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: field of %zu bytes passes the %d-byte maximum",
		    m->type, n, IX_MSG_MAX_PAYLOAD);
	}
	if (put_be(m, n, 4, err) < 0)
		return -1;
	dst = reserve(m, n + (term ? 1 : 0), err);
	if (dst == NULL)
		return -1;
	if (n > 0)
		memcpy(dst, p, n);
	if (term)
		dst[n] = '\0';
	return 0;
}

int
ix_msg_put_str(struct ix_msg *m, const char *s, size_t max, struct ix_err *err)
{
	size_t n = strnlen(s, max + 1);

	if (n > max) {
		m->broken = true;
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: string longer than its maximum of %zu bytes",
		    m->type, max);
	}
	return put_counted(m, s, n, true, err);
}

int
ix_msg_put_blob(struct ix_msg *m, const void *p, size_t n, size_t max,
    struct ix_err *err)
{
	if (n > max) {
		m->broken = true;
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: blob of %zu bytes over its maximum of %zu",
		    m->type, n, max);
	}
	return put_counted(m, p, n, false, err);
}

int
ix_msg_put_fd(struct ix_msg *m, int fd, struct ix_err *err)
{
	if (fd < 0) {
		m->broken = true;
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: descriptor %d is not valid", m->type, fd);
	}
	if (m->nfds >= IX_MSG_MAX_FDS) {
		m->broken = true;
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: more than %d descriptors", m->type,
		    IX_MSG_MAX_FDS);
	}
	/* The index in the payload ties the descriptor to its place among
	 * the fields, so a reader that expects it elsewhere fails. */
	if (put_be(m, m->nfds, 1, err) < 0)
		return -1;
	m->fds[m->nfds++] = fd;
	return 0;
}

/* ---- reader ---- */

static const uint8_t *
take(struct ix_msg *m, size_t n, const char *what, struct ix_err *err)
{
	const uint8_t *p;

	if (n > m->len - m->pos) {
		ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: %s needs %zu bytes, %zu left",
		    m->type, m->pos, what, n, m->len - m->pos);
		return NULL;
	}
	p = m->buf + IX_MSG_HDR_LEN + m->pos;
	m->pos += n;
	return p;
}

static int
get_be(struct ix_msg *m, uint64_t *v, size_t width, const char *what,
    struct ix_err *err)
{
	const uint8_t *p = take(m, width, what, err);
	uint64_t x = 0;
	size_t i;

	if (p == NULL)
		return -1;
	for (i = 0; i < width; i++)
		x = (x << 8) | p[i];
	*v = x;
	return 0;
}

int
ix_msg_get_u8(struct ix_msg *m, uint8_t *v, struct ix_err *err)
{
	uint64_t x;

	if (get_be(m, &x, 1, "u8", err) < 0)
		return -1;
	*v = (uint8_t)x;
	return 0;
}

int
ix_msg_get_u16(struct ix_msg *m, uint16_t *v, struct ix_err *err)
{
	uint64_t x;

	if (get_be(m, &x, 2, "u16", err) < 0)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

int
ix_msg_get_u32(struct ix_msg *m, uint32_t *v, struct ix_err *err)
{
	uint64_t x;

	if (get_be(m, &x, 4, "u32", err) < 0)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

int
ix_msg_get_u64(struct ix_msg *m, uint64_t *v, struct ix_err *err)
{
	return get_be(m, v, 8, "u64", err);
}

/* Reads a length prefix bounded by max; leaves pos unchanged on failure. */
static int
get_count(struct ix_msg *m, size_t max, const char *what, size_t *n,
    struct ix_err *err)
{
	size_t start = m->pos;
	uint64_t x;

	if (get_be(m, &x, 4, what, err) < 0)
		return -1;
	if (x > max) {
		m->pos = start;
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: %s of %llu bytes over its maximum of %zu",
		    m->type, start, what, (unsigned long long)x, max);
	}
	*n = (size_t)x;
	return 0;
}

int
ix_msg_get_str(struct ix_msg *m, const char **s, size_t max, struct ix_err *err)
{
	size_t start = m->pos, n;
	const uint8_t *p, *nul;

	if (get_count(m, max, "string", &n, err) < 0)
		return -1;
	p = take(m, n + 1, "string", err);
	if (p == NULL) {
		m->pos = start;
		return -1;
	}
	if (p[n] != '\0') {
		m->pos = start;
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: string not NUL-terminated",
		    m->type, start + 4 + n);
	}
	nul = memchr(p, '\0', n);
	if (nul != NULL) {
		m->pos = start;
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: NUL byte inside a string",
		    m->type, start + 4 + (size_t)(nul - p));
	}
	*s = (const char *)p;
	return 0;
}

int
ix_msg_get_blob(struct ix_msg *m, const uint8_t **p, size_t *n, size_t max,
    struct ix_err *err)
{
	size_t start = m->pos, len;
	const uint8_t *q;

	if (get_count(m, max, "blob", &len, err) < 0)
		return -1;
	q = take(m, len, "blob", err);
	if (q == NULL) {
		m->pos = start;
		return -1;
	}
	*p = q;
	*n = len;
	return 0;
}

int
ix_msg_get_fd(struct ix_msg *m, int *fd, struct ix_err *err)
{
	size_t start = m->pos;
	uint64_t idx;

	if (m->fd_next >= m->nfds)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: descriptor %u expected, %u received",
		    m->type, start, m->fd_next + 1, m->nfds);
	if (get_be(m, &idx, 1, "descriptor index", err) < 0)
		return -1;
	if (idx != m->fd_next) {
		m->pos = start;
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: descriptor index %llu, expected %u",
		    m->type, start, (unsigned long long)idx, m->fd_next);
	}
	*fd = m->fds[m->fd_next++];
	return 0;
}

int
ix_msg_end(struct ix_msg *m, struct ix_err *err)
{
	if (m->pos != m->len)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset %zu: %zu trailing bytes", m->type,
		    m->pos, m->len - m->pos);
	if (m->fd_next != m->nfds)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: %u of %u descriptors left unread", m->type,
		    m->nfds - m->fd_next, m->nfds);
	m->ended = true;
	return 0;
}
