/*
 * Fuzz target for the wire between passwdd's monitor and its helper
 * (passwdd/wire.c): the helper's dispatch of its monitor's requests
 * (pw_helper_machine) in every state, and the monitor's reading of the
 * helper's answers (pw_hanswer_read), where typed secrets travel.
 *
 * Input: byte 0 chooses the side: even, a request to the helper in state
 * (byte 0 >> 1) mod its number of states; odd, an answer to request
 * PW_H_NAME + ((byte 0 >> 1) mod 5). Then packets, each a u16 length
 * (big-endian) and that many bytes exactly as recvmsg would return them,
 * taken in turn until one is refused. Descriptors the header announces
 * arrive as copies of /dev/null.
 *
 * Checked: an accepted PAM request holds a NUL-terminated secret of at
 * most PW_SECRET_MAX bytes; an accepted PROMPT answer carries a secret
 * only with rc 1; every refused read leaves the secret buffer wiped.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwdd/wire.h"
#include "tests/fuzz/packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checked in every build, NDEBUG or not: a broken one is a finding. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static char secret[PW_SECRET_MAX + 2];

static int
wiped(void)
{
	for (size_t i = 0; i < sizeof secret; i++)
		if (secret[i] != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_hreq q = { .fds = { -1, -1, -1 }, .secret = secret };
	struct pw_hanswer a;
	struct ix_mon mon;
	struct ix_msg *m = NULL;
	struct ix_err e;
	size_t pos = 1;
	int null, answers;

	if (size < 1)
		return 0;
	answers = data[0] & 1;
	if (ix_mon_init(&mon, &pw_helper_machine, &e) < 0)
		__builtin_trap();
	mon.state = (unsigned)(data[0] >> 1) % PW_HS_N;
	memset(secret, 0, sizeof secret);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	while (fuzz_next_packet(data, size, &pos, null, &m)) {
		int rc;

		if (answers) {
			uint16_t req = (uint16_t)(PW_H_NAME + (data[0] >> 1) % 5);

			rc = pw_hanswer_read(m, req, &a,
					     req == PW_H_PROMPT ? secret : NULL, &e);
			ix_msg_free(m);
			if (rc < 0) {
				CHECK(wiped());
				break;
			}
			CHECK(req != PW_H_PROMPT || a.rc == 1 || secret[0] == '\0');
			CHECK(strlen(secret) <= PW_SECRET_MAX);
			memset(secret, 0, sizeof secret);
			continue;
		}
		rc = ix_mon_dispatch(&mon, m, &q, &e);
		ix_msg_free(m);
		if (rc < 0)
			break;
		CHECK(q.type != PW_H_PAM || strlen(q.secret) <= PW_SECRET_MAX);
		CHECK(q.nfds <= 3);
		pw_hreq_clear(&q);
		CHECK(wiped());
	}
	pw_hreq_clear(&q);
	if (null >= 0)
		close(null);
	return 0;
}
