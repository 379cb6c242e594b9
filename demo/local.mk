# Programs the demo policy's rules run (scripts/demo installs them where
# etc/demo.policy names them); built with everything, never installed.
noinst_PROGRAMS += demo/tcpgateway
demo_tcpgateway_SOURCES = demo/tcpgateway.c
demo_tcpgateway_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
demo_tcpgateway_LDADD = $(LIBCAP_LIBS)
