/*
 * The fair queue of the server kit (srv.h): connections waiting for a
 * slot, per key. Deciding who goes next is a pure function of the table,
 * so that fairness is tested without sockets or time.
 *
 * Invariants (checked with assert in debug and sanitizer builds):
 *	q->nwait == sum of keys[i].queued
 *	q->active == sum of keys[i].active
 *	a key's entries in wait[] are in the order they were admitted
 *	keys[i].used == (keys[i].active + keys[i].queued > 0)
 */
#include <assert.h>
#include <string.h>

#include "libipc/srv.h"

#ifndef NDEBUG
static void
check(const struct ix_fq *q)
{
	size_t i, nq = 0, na = 0;

	for (i = 0; i < q->nkeys; i++) {
		const struct ix_fq_key *k = &q->keys[i];

		assert(k->used == (k->active + k->queued > 0));
		nq += k->queued;
		na += k->active;
	}
	assert(nq == q->nwait);
	assert(na == q->active);
	assert(q->nwait <= IX_SRV_WAITING_MAX && q->nkeys <= IX_SRV_KEYS_MAX);
}
#else
#define check(q) ((void)0)
#endif

void
ix_fq_init(struct ix_fq *q, const struct ix_srv_limits *lim)
{
	memset(q, 0, sizeof *q);
	q->lim = *lim;
}

unsigned
ix_fq_limit(const struct ix_fq *q, ix_srv_key key)
{
	return key == 0 ? q->lim.per_key_root : q->lim.per_key;
}

static struct ix_fq_key *
find(struct ix_fq *q, ix_srv_key key, bool create)
{
	struct ix_fq_key *free_slot = NULL;

	for (size_t i = 0; i < q->nkeys; i++) {
		if (q->keys[i].used && q->keys[i].key == key)
			return &q->keys[i];
		if (!q->keys[i].used && free_slot == NULL)
			free_slot = &q->keys[i];
	}
	if (!create)
		return NULL;
	if (free_slot == NULL) {
		if (q->nkeys == IX_SRV_KEYS_MAX)
			return NULL;
		free_slot = &q->keys[q->nkeys++];
	}
	*free_slot = (struct ix_fq_key){ .key = key, .used = true };
	return free_slot;
}

static void
release(struct ix_fq_key *k)
{
	if (k->active + k->queued == 0)
		k->used = false;
}

int
ix_fq_admit(struct ix_fq *q, ix_srv_key key, int fd, int64_t now_ms, struct ix_err *err)
{
	unsigned queued_max = q->lim.queued_per_key;
	struct ix_fq_key *k;

	if (q->nwait == IX_SRV_WAITING_MAX)
		return ix_err_set(err, IX_ELIMIT, "%zu connections are waiting already", q->nwait);
	k = find(q, key, true);
	if (k == NULL)
		return ix_err_set(err, IX_ELIMIT, "%d users are waiting or served already",
				  IX_SRV_KEYS_MAX);
	if (k->queued >= queued_max) {
		release(k);
		return ix_err_set(err, IX_ELIMIT, "uid %u has %u connections served and %u waiting",
				  (unsigned)key, k->active, k->queued);
	}
	q->wait[q->nwait++] = (struct ix_fq_entry){ fd, key, now_ms };
	k->queued++;
	check(q);
	return 0;
}

/* Removes wait[i], keeping the others in order. */
static struct ix_fq_entry
take(struct ix_fq *q, size_t i)
{
	struct ix_fq_entry e = q->wait[i];

	memmove(&q->wait[i], &q->wait[i + 1], (q->nwait - i - 1) * sizeof q->wait[0]);
	q->nwait--;
	return e;
}

int
ix_fq_next(struct ix_fq *q, struct ix_fq_entry *out)
{
	if (q->active >= q->lim.slots || q->nwait == 0)
		return 0;
	/* From the key after the one served last, the first that has a
	 * connection waiting and room for it. */
	for (size_t n = 0; n < q->nkeys; n++) {
		size_t i = (q->cursor + n) % q->nkeys;
		struct ix_fq_key *k = &q->keys[i];

		if (!k->used || k->queued == 0 || k->active >= ix_fq_limit(q, k->key))
			continue;
		for (size_t w = 0; w < q->nwait; w++) {
			if (q->wait[w].key != k->key)
				continue;
			*out = take(q, w);
			k->queued--;
			k->active++;
			q->active++;
			q->cursor = i + 1;
			check(q);
			return 1;
		}
		assert(!"a key counts a connection the queue does not hold");
	}
	return 0;
}

void
ix_fq_done(struct ix_fq *q, ix_srv_key key)
{
	struct ix_fq_key *k = find(q, key, false);

	assert(k != NULL && k->active > 0 && q->active > 0);
	if (k == NULL || k->active == 0)
		return;
	k->active--;
	q->active--;
	release(k);
	check(q);
}

int
ix_fq_expired(struct ix_fq *q, int64_t now_ms, struct ix_fq_entry *out)
{
	for (size_t w = 0; w < q->nwait; w++) {
		if (now_ms - q->wait[w].since_ms < q->lim.queue_ms)
			continue;
		struct ix_fq_key *k = find(q, q->wait[w].key, false);

		assert(k != NULL && k->queued > 0);
		*out = take(q, w);
		k->queued--;
		release(k);
		check(q);
		return 1;
	}
	return 0;
}

int
ix_fq_next_expiry(const struct ix_fq *q, int64_t now_ms)
{
	int64_t first = -1;

	for (size_t w = 0; w < q->nwait; w++)
		if (first < 0 || q->wait[w].since_ms < first)
			first = q->wait[w].since_ms;
	if (first < 0)
		return -1;
	first += q->lim.queue_ms;
	return first <= now_ms ? 0 : (int)(first - now_ms);
}
