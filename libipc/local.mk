noinst_LTLIBRARIES += libipc/libipc.la
libipc_libipc_la_SOURCES = \
	libipc/ipc.h libipc/msg_priv.h libipc/peer_priv.h \
	libipc/msg.c libipc/decode.c libipc/io.c libipc/sock.c \
	libipc/peer.c libipc/banner.c libipc/dispatch.c libipc/activate.c libipc/spare.c \
	libipc/rundir.c
libipc_libipc_la_CFLAGS = $(AM_CFLAGS)
EXTRA_DIST += libipc/PROTOCOL.md libipc/SERVER.md

check_PROGRAMS += tests/unit/test_ipc_msg
UNIT_TESTS += tests/unit/test_ipc_msg
tests_unit_test_ipc_msg_SOURCES = tests/unit/test_ipc_msg.c
tests_unit_test_ipc_msg_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ipc_msg_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_ipc_sock
UNIT_TESTS += tests/unit/test_ipc_sock
tests_unit_test_ipc_sock_SOURCES = tests/unit/test_ipc_sock.c
tests_unit_test_ipc_sock_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ipc_sock_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_ipc_proto
UNIT_TESTS += tests/unit/test_ipc_proto
tests_unit_test_ipc_proto_SOURCES = tests/unit/test_ipc_proto.c
tests_unit_test_ipc_proto_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ipc_proto_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ipc
else
check_PROGRAMS += tests/fuzz/fuzz_ipc
UNIT_TESTS += tests/fuzz/fuzz_ipc
endif
tests_fuzz_fuzz_ipc_SOURCES = tests/fuzz/fuzz_ipc.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_ipc_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_ipc_LDADD = libipc/libipc.la libixutil/libixutil.la

# The server kit (srv.h, mon.h; SERVER.md) and its tests: the fair queue
# and the monitor's state machine alone, then a toy server served by the
# kit as a hostile user would try it (root: workers get a user of their
# own).
libipc_libipc_la_SOURCES += libipc/srv.h libipc/srv_int.h libipc/srv_queue.c \
	libipc/srv_main.c libipc/srv_slot.c libipc/srv_worker.c libipc/mon.h libipc/mon.c

check_PROGRAMS += tests/libipc/test_srv_queue
UNIT_TESTS += tests/libipc/test_srv_queue
tests_libipc_test_srv_queue_SOURCES = tests/libipc/test_srv_queue.c
tests_libipc_test_srv_queue_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_srv_queue_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/libipc/test_mon
UNIT_TESTS += tests/libipc/test_mon
tests_libipc_test_mon_SOURCES = tests/libipc/test_mon.c
tests_libipc_test_mon_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_mon_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/libipc/test_srv
UNIT_TESTS += tests/libipc/test_srv
tests_libipc_test_srv_SOURCES = tests/libipc/test_srv.c
tests_libipc_test_srv_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_srv_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)
