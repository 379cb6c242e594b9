# libipc: the one wire protocol (PROTOCOL.md) and the server kit (srv.h,
# mon.h; SERVER.md).
noinst_LTLIBRARIES += libipc/libipc.la
libipc_libipc_la_SOURCES = \
	libipc/ipc.h libipc/msg_priv.h libipc/peer_priv.h \
	libipc/msg.c libipc/decode.c libipc/io.c libipc/sock.c \
	libipc/peer.c libipc/banner.c libipc/dispatch.c libipc/activate.c \
	libipc/rundir.c \
	libipc/srv.h libipc/srv_int.h libipc/srv_queue.c \
	libipc/srv_main.c libipc/srv_slot.c libipc/srv_worker.c libipc/mon.h libipc/mon.c
libipc_libipc_la_CFLAGS = $(AM_CFLAGS)
EXTRA_DIST += libipc/PROTOCOL.md libipc/SERVER.md
