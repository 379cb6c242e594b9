/*
 * Fuzz target for passwdd's monitor: its dispatch of worker messages
 * (pw_mon_machine, passwdd/wire.c) in every state, as a worker taken over
 * by a client would send them.
 *
 * Input: byte 0 is the state the machine is put in (mod its number of
 * states); byte 1 the peer's facts (bit 0 trusted, bit 1 sessiond's
 * user, bit 2 a login name "alice" known); then packets, each a u16
 * length (big-endian) and that many bytes exactly as recvmsg would
 * return them, dispatched in turn until one is refused. Descriptors the
 * header announces arrive as copies of /dev/null.
 *
 * Checked: a handler that accepts leaves the machine in the state of the
 * request it recorded, with its descriptors valid; nothing leaks.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "passwdd/wire.h"
#include "tests/fuzz/packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checked in every build, NDEBUG or not: a broken one is a finding. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static const enum pw_mon_state state_of[] = {
	[PW_WREQ_VERIFY] = PW_MS_VERIFY, [PW_WREQ_TAG_ADD] = PW_MS_TAG,
	[PW_WREQ_TAG_DEL] = PW_MS_TAG, [PW_WREQ_REJECT] = PW_MS_REJECTED,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_wreq r;
	struct ix_mon mon;
	struct ix_msg *m = NULL;
	struct ix_err e;
	size_t pos = 2;
	int null;

	if (size < 2)
		return 0;
	if (ix_mon_init(&mon, &pw_mon_machine, &e) < 0)
		__builtin_trap();
	mon.state = data[0] % PW_MS_N;
	memset(&r, 0, sizeof r);
	r.party_fd = r.pidfd = -1;
	r.peer_uid = 1000;
	r.peer_flags = data[1] & (PW_PEER_TRUSTED | PW_PEER_SESSIOND);
	if (data[1] & 4)
		strcpy(r.peer_name, "alice");
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	while (fuzz_next_packet(data, size, &pos, null, &m)) {
		int rc = ix_mon_dispatch(&mon, m, &r, &e);

		ix_msg_free(m);
		if (rc < 0)
			break;
		/* Accepted: the state is the request's, its descriptors real. */
		CHECK(r.kind != PW_WREQ_NONE && mon.state == state_of[r.kind]);
		CHECK(r.kind != PW_WREQ_VERIFY || (r.party_fd >= 0 && r.pidfd >= 0));
		CHECK(r.kind != PW_WREQ_VERIFY || (r.peer_flags & PW_PEER_TRUSTED) ||
		       strcmp(r.user, r.peer_name) == 0);
		CHECK(r.kind != PW_WREQ_TAG_ADD || (r.peer_flags & PW_PEER_SESSIOND));
		pw_wreq_clear(&r);
	}
	pw_wreq_clear(&r);
	if (null >= 0)
		close(null);
	return 0;
}
