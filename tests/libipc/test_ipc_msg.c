/* libipc: the pure decoder and the field reader/writer, on hand-made packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libipc/ipc.h"

/* A packet: header fields given separately so each can be made wrong. */
static size_t
mkpkt(uint8_t *out, uint32_t len, uint16_t type, uint8_t nfds, uint8_t res,
    const void *payload, size_t plen)
{
	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	out[4] = (uint8_t)(type >> 8);
	out[5] = (uint8_t)type;
	out[6] = nfds;
	out[7] = res;
	if (plen > 0)
		memcpy(out + IX_MSG_HDR_LEN, payload, plen);
	return IX_MSG_HDR_LEN + plen;
}

/* Decodes a well-formed packet of type 0x0101 with the given payload. */
static struct ix_msg *
decode_ok(const void *payload, size_t plen, unsigned nfds)
{
	static uint8_t pkt[IX_MSG_HDR_LEN + 256];
	struct ix_msg *m = NULL;
	struct ix_err e;
	size_t n = mkpkt(pkt, (uint32_t)plen, 0x0101, (uint8_t)nfds, 0, payload, plen);

	assert_int_equal(ix_msg_decode(pkt, n, NULL, nfds, &m, &e), 0);
	return m;
}

static void
expect_decode_error(const uint8_t *pkt, size_t n, size_t nfds,
    enum ix_errcode code, const char *text)
{
	struct ix_msg *m = (struct ix_msg *)1;
	struct ix_err e;

	assert_int_equal(ix_msg_decode(pkt, n, NULL, nfds, &m, &e), -1);
	assert_null(m);
	assert_int_equal(e.code, code);
	assert_non_null(strstr(e.msg, text));
}

static void
decode_rejects_packet_shorter_than_header(void **state)
{
	uint8_t pkt[7] = { 0 };

	expect_decode_error(pkt, sizeof pkt, 0, IX_EINVAL,
	    "packet of 7 bytes is shorter than the 8-byte header");
}

static void
decode_rejects_nonzero_reserved_byte(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 0, 0x0101, 0, 1, NULL, 0);

	expect_decode_error(pkt, n, 0, IX_EINVAL,
	    "offset 7: reserved header byte is 0x01");
}

static void
decode_rejects_type_zero(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 0, 0, 0, 0, NULL, 0);

	expect_decode_error(pkt, n, 0, IX_EINVAL, "type 0 is reserved");
}

static void
decode_rejects_length_over_maximum(void **state)
{
	size_t n = IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 1;
	uint8_t *pkt = calloc(1, n);

	mkpkt(pkt, IX_MSG_MAX_PAYLOAD + 1, 0x0101, 0, 0, NULL, 0);
	expect_decode_error(pkt, n, 0, IX_ELIMIT,
	    "payload length 65537 over the maximum of 65536");
	free(pkt);
}

static void
decode_accepts_maximum_payload(void **state)
{
	size_t n = IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD;
	uint8_t *pkt = calloc(1, n);
	struct ix_msg *m;
	struct ix_err e;
	const uint8_t *p;
	size_t len;

	mkpkt(pkt, IX_MSG_MAX_PAYLOAD, 0x0101, 0, 0, NULL, 0);
	/* One blob filling the whole payload. */
	pkt[IX_MSG_HDR_LEN + 2] = (IX_MSG_MAX_PAYLOAD - 4) >> 8;
	pkt[IX_MSG_HDR_LEN + 3] = (IX_MSG_MAX_PAYLOAD - 4) & 0xff;
	assert_int_equal(ix_msg_decode(pkt, n, NULL, 0, &m, &e), 0);
	assert_int_equal(ix_msg_len(m), IX_MSG_MAX_PAYLOAD);
	assert_int_equal(ix_msg_get_blob(m, &p, &len, IX_MSG_MAX_PAYLOAD, &e), 0);
	assert_int_equal(len, IX_MSG_MAX_PAYLOAD - 4);
	assert_int_equal(ix_msg_end(m, &e), 0);
	ix_msg_free(m);
	free(pkt);
}

static void
decode_rejects_length_longer_than_packet(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 4, 0x0101, 0, 0, "abc", 3);

	expect_decode_error(pkt, n, 0, IX_EINVAL,
	    "header says 4 payload bytes, packet has 3");
}

static void
decode_rejects_length_shorter_than_packet(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 2, 0x0101, 0, 0, "abc", 3);

	expect_decode_error(pkt, n, 0, IX_EINVAL,
	    "header says 2 payload bytes, packet has 3");
}

static void
decode_rejects_more_descriptors_announced_than_received(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 1, 0x0101, 1, 0, "\0", 1);

	expect_decode_error(pkt, n, 0, IX_EINVAL,
	    "header says 1 descriptors, 0 received");
}

static void
decode_rejects_fewer_descriptors_announced_than_received(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 1, 0x0101, 1, 0, "\0", 1);

	expect_decode_error(pkt, n, 2, IX_EINVAL,
	    "header says 1 descriptors, 2 received");
}

static void
decode_rejects_descriptor_count_over_maximum(void **state)
{
	uint8_t pkt[16];
	size_t n = mkpkt(pkt, 5, 0x0101, 5, 0, "\0\1\2\3\4", 5);

	expect_decode_error(pkt, n, 5, IX_ELIMIT,
	    "5 descriptors over the maximum of 4");
}

static void
get_str_rejects_missing_nul_terminator(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\3abcX", 8, 0);
	struct ix_err e;
	const char *s;

	assert_int_equal(ix_msg_get_str(m, &s, 16, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: offset 7: string not NUL-terminated");
	ix_msg_free(m);
}

static void
get_str_rejects_interior_nul(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\3a\0c\0", 8, 0);
	struct ix_err e;
	const char *s;

	assert_int_equal(ix_msg_get_str(m, &s, 16, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: offset 5: NUL byte inside a string");
	ix_msg_free(m);
}

static void
get_str_rejects_string_over_its_maximum(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\5hello\0", 10, 0);
	struct ix_err e;
	const char *s;

	assert_int_equal(ix_msg_get_str(m, &s, 4, &e), -1);
	assert_string_equal(e.msg, "message 0x0101: offset 0: string of 5 bytes "
	    "over its maximum of 4");
	/* The reader did not move: the same string at its real maximum reads. */
	assert_int_equal(ix_msg_get_str(m, &s, 5, &e), 0);
	assert_string_equal(s, "hello");
	ix_msg_free(m);
}

static void
get_str_rejects_length_past_end(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\x09" "abc\0", 8, 0);
	struct ix_err e;
	const char *s;

	assert_int_equal(ix_msg_get_str(m, &s, 64, &e), -1);
	assert_non_null(strstr(e.msg, "string needs 10 bytes, 4 left"));
	ix_msg_free(m);
}

static void
get_u32_fails_past_end_without_advancing(void **state)
{
	struct ix_msg *m = decode_ok("\1\2\3", 3, 0);
	struct ix_err e;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	assert_int_equal(ix_msg_get_u32(m, &v32, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: offset 0: u32 needs 4 bytes, 3 left");
	assert_int_equal(ix_msg_get_u16(m, &v16, &e), 0);
	assert_int_equal(v16, 0x0102);
	assert_int_equal(ix_msg_get_u8(m, &v8, &e), 0);
	assert_int_equal(ix_msg_get_u8(m, &v8, &e), -1);
	assert_int_equal(ix_msg_end(m, &e), 0);
	ix_msg_free(m);
}

static void
get_blob_rejects_blob_over_its_maximum(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\3\0\1\2", 7, 0);
	struct ix_err e;
	const uint8_t *p;
	size_t n;

	assert_int_equal(ix_msg_get_blob(m, &p, &n, 2, &e), -1);
	assert_non_null(strstr(e.msg, "blob of 3 bytes over its maximum of 2"));
	assert_int_equal(ix_msg_get_blob(m, &p, &n, 3, &e), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "\0\1\2", 3);
	ix_msg_free(m);
}

static void
get_blob_rejects_length_past_end(void **state)
{
	struct ix_msg *m = decode_ok("\0\0\0\4\0\1\2", 7, 0);
	struct ix_err e;
	const uint8_t *p;
	size_t n;

	assert_int_equal(ix_msg_get_blob(m, &p, &n, 64, &e), -1);
	assert_non_null(strstr(e.msg, "blob needs 4 bytes, 3 left"));
	ix_msg_free(m);
}

static void
msg_end_rejects_trailing_bytes(void **state)
{
	struct ix_msg *m = decode_ok("\0\7x", 3, 0);
	struct ix_err e;
	uint16_t v;

	assert_int_equal(ix_msg_get_u16(m, &v, &e), 0);
	assert_int_equal(ix_msg_end(m, &e), -1);
	assert_string_equal(e.msg, "message 0x0101: offset 2: 1 trailing bytes");
	ix_msg_free(m);
}

static void
msg_end_rejects_unread_descriptor(void **state)
{
	struct ix_msg *m = decode_ok("", 0, 0);
	struct ix_msg *m1 = decode_ok("\0", 1, 1);
	struct ix_err e;
	uint8_t v;

	assert_int_equal(ix_msg_end(m, &e), 0);
	/* The index byte read as data still leaves the descriptor. */
	assert_int_equal(ix_msg_get_u8(m1, &v, &e), 0);
	assert_int_equal(ix_msg_end(m1, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: 1 of 1 descriptors left unread");
	ix_msg_free(m);
	ix_msg_free(m1);
}

static void
get_fd_rejects_index_out_of_order(void **state)
{
	struct ix_msg *m = decode_ok("\1\0", 2, 2);
	struct ix_err e;
	int fd;

	assert_int_equal(ix_msg_get_fd(m, &fd, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: offset 0: descriptor index 1, expected 0");
	ix_msg_free(m);
}

static void
get_fd_rejects_when_none_left(void **state)
{
	struct ix_msg *m = decode_ok("\0\1", 2, 1);
	struct ix_err e;
	int fd = 7;

	assert_int_equal(ix_msg_get_fd(m, &fd, &e), 0);
	assert_int_equal(fd, -1);	/* decoded without real descriptors */
	assert_int_equal(ix_msg_get_fd(m, &fd, &e), -1);
	assert_string_equal(e.msg,
	    "message 0x0101: offset 1: descriptor 2 expected, 1 received");
	ix_msg_free(m);
}

static void
put_str_rejects_string_over_its_maximum(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0101, NULL);
	struct ix_err e;

	assert_int_equal(ix_msg_put_str(m, "hello", 4, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	/* The message is now broken: later appends fail too. */
	assert_int_equal(ix_msg_put_u8(m, 1, &e), -1);
	assert_non_null(strstr(e.msg, "an earlier field failed"));
	ix_msg_free(m);
}

static void
put_rejects_payload_over_maximum(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0101, NULL);
	static uint8_t big[IX_MSG_MAX_PAYLOAD];
	struct ix_err e;

	/* 4 length bytes + 65532 = exactly the maximum. */
	assert_int_equal(ix_msg_put_blob(m, big, sizeof big - 4, sizeof big, &e), 0);
	assert_int_equal(ix_msg_len(m), IX_MSG_MAX_PAYLOAD);
	assert_int_equal(ix_msg_put_u8(m, 0, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	ix_msg_free(m);
}

static void
put_fd_rejects_more_than_maximum(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0101, NULL);
	struct ix_err e;
	int i;

	for (i = 0; i < IX_MSG_MAX_FDS; i++)
		assert_int_equal(ix_msg_put_fd(m, 0, &e), 0);
	assert_int_equal(ix_msg_put_fd(m, 0, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(ix_msg_nfds(m), IX_MSG_MAX_FDS);
	ix_msg_free(m);
	m = ix_msg_new(0x0101, NULL);
	assert_int_equal(ix_msg_put_fd(m, -1, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	ix_msg_free(m);
}

static void
msg_new_rejects_type_zero(void **state)
{
	struct ix_err e;

	assert_null(ix_msg_new(0, &e));
	assert_int_equal(e.code, IX_EINVAL);
	ix_msg_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_rejects_packet_shorter_than_header),
		cmocka_unit_test(decode_rejects_nonzero_reserved_byte),
		cmocka_unit_test(decode_rejects_type_zero),
		cmocka_unit_test(decode_rejects_length_over_maximum),
		cmocka_unit_test(decode_accepts_maximum_payload),
		cmocka_unit_test(decode_rejects_length_longer_than_packet),
		cmocka_unit_test(decode_rejects_length_shorter_than_packet),
		cmocka_unit_test(decode_rejects_more_descriptors_announced_than_received),
		cmocka_unit_test(decode_rejects_fewer_descriptors_announced_than_received),
		cmocka_unit_test(decode_rejects_descriptor_count_over_maximum),
		cmocka_unit_test(get_str_rejects_missing_nul_terminator),
		cmocka_unit_test(get_str_rejects_interior_nul),
		cmocka_unit_test(get_str_rejects_string_over_its_maximum),
		cmocka_unit_test(get_str_rejects_length_past_end),
		cmocka_unit_test(get_u32_fails_past_end_without_advancing),
		cmocka_unit_test(get_blob_rejects_blob_over_its_maximum),
		cmocka_unit_test(get_blob_rejects_length_past_end),
		cmocka_unit_test(msg_end_rejects_trailing_bytes),
		cmocka_unit_test(msg_end_rejects_unread_descriptor),
		cmocka_unit_test(get_fd_rejects_index_out_of_order),
		cmocka_unit_test(get_fd_rejects_when_none_left),
		cmocka_unit_test(put_str_rejects_string_over_its_maximum),
		cmocka_unit_test(put_rejects_payload_over_maximum),
		cmocka_unit_test(put_fd_rejects_more_than_maximum),
		cmocka_unit_test(msg_new_rejects_type_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
