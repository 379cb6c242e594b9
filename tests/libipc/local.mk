# Unit tests of libipc: messages, sockets, the protocol's rejections
# (libipc/PROTOCOL.md) and the server kit (libipc/SERVER.md).
IPC_TEST_LIBS = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/libipc/test_ipc_msg
UNIT_TESTS += tests/libipc/test_ipc_msg
tests_libipc_test_ipc_msg_SOURCES = tests/libipc/test_ipc_msg.c
tests_libipc_test_ipc_msg_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_ipc_msg_LDADD = $(IPC_TEST_LIBS)

check_PROGRAMS += tests/libipc/test_ipc_sock
UNIT_TESTS += tests/libipc/test_ipc_sock
tests_libipc_test_ipc_sock_SOURCES = tests/libipc/test_ipc_sock.c
tests_libipc_test_ipc_sock_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_ipc_sock_LDADD = $(IPC_TEST_LIBS)

check_PROGRAMS += tests/libipc/test_ipc_proto
UNIT_TESTS += tests/libipc/test_ipc_proto
tests_libipc_test_ipc_proto_SOURCES = tests/libipc/test_ipc_proto.c
tests_libipc_test_ipc_proto_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_ipc_proto_LDADD = $(IPC_TEST_LIBS)

# The server kit: the fair queue and the monitor's state machine alone,
# then a toy server served by the kit as a hostile user would try it
# (root: workers get a user of their own).
check_PROGRAMS += tests/libipc/test_srv_queue
UNIT_TESTS += tests/libipc/test_srv_queue
tests_libipc_test_srv_queue_SOURCES = tests/libipc/test_srv_queue.c
tests_libipc_test_srv_queue_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_srv_queue_LDADD = $(IPC_TEST_LIBS)

check_PROGRAMS += tests/libipc/test_mon
UNIT_TESTS += tests/libipc/test_mon
tests_libipc_test_mon_SOURCES = tests/libipc/test_mon.c
tests_libipc_test_mon_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_mon_LDADD = $(IPC_TEST_LIBS)

check_PROGRAMS += tests/libipc/test_srv
UNIT_TESTS += tests/libipc/test_srv
tests_libipc_test_srv_SOURCES = tests/libipc/test_srv.c
tests_libipc_test_srv_CFLAGS = $(TEST_CFLAGS)
tests_libipc_test_srv_LDADD = $(IPC_TEST_LIBS)
