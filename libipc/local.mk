noinst_LTLIBRARIES += libipc/libipc.la
libipc_libipc_la_SOURCES = \
	libipc/ipc.h libipc/msg_priv.h libipc/peer_priv.h \
	libipc/msg.c libipc/decode.c libipc/io.c libipc/sock.c \
	libipc/peer.c libipc/banner.c libipc/dispatch.c
libipc_libipc_la_CFLAGS = $(AM_CFLAGS)
EXTRA_DIST += libipc/PROTOCOL.md
