/*
 * The server kit's fair queue (libipc/srv_queue.c): who a free slot goes
 * to, as a hostile user flooding one key would see it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libipc/srv.h"

static const struct ix_srv_limits lim = {
	.slots = 8, .per_key = 2, .per_key_root = 4, .queued_per_key = 16, .spares = 1,
	.queue_ms = 1000,
};

static void
one_key_is_served_in_the_order_it_came(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;

	(void)state;
	ix_fq_init(&q, &lim);
	for (int fd = 10; fd < 13; fd++)
		assert_int_equal(ix_fq_admit(&q, 1000, fd, fd, &err), 0);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(e.fd, 10);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(e.fd, 11);
	/* per_key 2: the third waits until one of the two ends */
	assert_int_equal(ix_fq_next(&q, &e), 0);
	ix_fq_done(&q, 1000);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(e.fd, 12);
}

static void
a_flood_of_one_key_does_not_delay_another(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;
	int served_b_at = -1;

	(void)state;
	ix_fq_init(&q, &(struct ix_srv_limits){ .slots = 64, .per_key = 64, .per_key_root = 64,
						 .queued_per_key = 1000, .spares = 1,
						 .queue_ms = 1000 });
	for (int fd = 0; fd < 1000; fd++)
		assert_int_equal(ix_fq_admit(&q, 1000, 100 + fd, 0, &err), 0);
	assert_int_equal(ix_fq_admit(&q, 1001, 7, 1, &err), 0);
	for (int n = 0; n < 10; n++) {
		assert_int_equal(ix_fq_next(&q, &e), 1);
		if (e.key == 1001) {
			served_b_at = n;
			break;
		}
	}
	/* round-robin: the other key's only connection goes within two */
	assert_in_range(served_b_at, 0, 1);
}

static void
a_key_at_its_limit_lets_others_take_the_free_slots(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;

	(void)state;
	ix_fq_init(&q, &lim);
	for (int fd = 0; fd < 10; fd++)
		assert_int_equal(ix_fq_admit(&q, 1000, fd, 0, &err), 0);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(ix_fq_next(&q, &e), 0);	/* 1000 is at per_key */
	assert_int_equal(ix_fq_admit(&q, 1001, 50, 0, &err), 0);
	assert_int_equal(ix_fq_next(&q, &e), 1);
	assert_int_equal(e.key, 1001);
	assert_int_equal(q.active, 3);
}

static void
a_full_key_queue_is_refused_with_the_reason(void **state)
{
	struct ix_fq q;
	struct ix_err err;

	(void)state;
	ix_fq_init(&q, &lim);
	for (int fd = 0; fd < 16; fd++)
		assert_int_equal(ix_fq_admit(&q, 1000, fd, 0, &err), 0);
	assert_int_equal(ix_fq_admit(&q, 1000, 16, 0, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_non_null(strstr(err.msg, "uid 1000 has 0 connections served and 16 waiting"));
	/* another key still gets in */
	assert_int_equal(ix_fq_admit(&q, 1001, 17, 0, &err), 0);
}

static void
root_has_the_relays_limit(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;
	int n = 0;

	(void)state;
	ix_fq_init(&q, &lim);
	for (int fd = 0; fd < 10; fd++)
		assert_int_equal(ix_fq_admit(&q, 0, fd, 0, &err), 0);
	while (ix_fq_next(&q, &e) == 1)
		n++;
	assert_int_equal(n, 4);
	assert_int_equal(ix_fq_limit(&q, 0), 4);
	assert_int_equal(ix_fq_limit(&q, 5), 2);
}

static void
the_global_slot_limit_holds_across_keys(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;
	int n = 0;

	(void)state;
	ix_fq_init(&q, &lim);
	for (unsigned k = 1; k <= 10; k++)
		assert_int_equal(ix_fq_admit(&q, k, (int)k, 0, &err), 0);
	while (ix_fq_next(&q, &e) == 1)
		n++;
	assert_int_equal(n, 8);
}

static void
waiting_too_long_comes_out_oldest_first(void **state)
{
	struct ix_fq q;
	struct ix_fq_entry e;
	struct ix_err err;

	(void)state;
	ix_fq_init(&q, &lim);
	assert_int_equal(ix_fq_next_expiry(&q, 0), -1);
	assert_int_equal(ix_fq_admit(&q, 1000, 1, 100, &err), 0);
	assert_int_equal(ix_fq_admit(&q, 1001, 2, 200, &err), 0);
	assert_int_equal(ix_fq_next_expiry(&q, 500), 600);
	assert_int_equal(ix_fq_expired(&q, 1099, &e), 0);
	assert_int_equal(ix_fq_expired(&q, 1150, &e), 1);
	assert_int_equal(e.fd, 1);
	assert_int_equal(ix_fq_expired(&q, 1150, &e), 0);
	assert_int_equal(ix_fq_next_expiry(&q, 1150), 50);
	assert_int_equal(ix_fq_expired(&q, 1300, &e), 1);
	assert_int_equal(e.fd, 2);
	assert_int_equal(q.nwait, 0);
	/* both keys are forgotten: their table slots are free again */
	for (size_t i = 0; i < q.nkeys; i++)
		assert_false(q.keys[i].used);
}

static void
the_whole_queue_has_a_hard_bound(void **state)
{
	struct ix_fq *q = malloc(sizeof *q);
	struct ix_err err;
	int refused = 0;

	(void)state;
	assert_non_null(q);
	ix_fq_init(q, &(struct ix_srv_limits){ .slots = 1, .per_key = 1, .per_key_root = 1,
						.queued_per_key = 2, .spares = 1, .queue_ms = 1 });
	for (int i = 0; i < 2 * IX_SRV_WAITING_MAX; i++)
		refused += ix_fq_admit(q, (ix_srv_key)(i / 2 + 1), i, 0, &err) < 0;
	assert_int_equal(q->nwait, IX_SRV_WAITING_MAX);
	assert_int_equal(refused, IX_SRV_WAITING_MAX);
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_key_is_served_in_the_order_it_came),
		cmocka_unit_test(a_flood_of_one_key_does_not_delay_another),
		cmocka_unit_test(a_key_at_its_limit_lets_others_take_the_free_slots),
		cmocka_unit_test(a_full_key_queue_is_refused_with_the_reason),
		cmocka_unit_test(root_has_the_relays_limit),
		cmocka_unit_test(the_global_slot_limit_holds_across_keys),
		cmocka_unit_test(waiting_too_long_comes_out_oldest_first),
		cmocka_unit_test(the_whole_queue_has_a_hard_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
