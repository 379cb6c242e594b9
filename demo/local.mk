# Programs the demo policy's rules run (scripts/demo installs them where
# etc/demo.policy names them); built with everything, never installed.
noinst_PROGRAMS += demo/tcpgateway
demo_tcpgateway_SOURCES = demo/tcpgateway.c
demo_tcpgateway_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
demo_tcpgateway_LDADD = $(LIBCAP_LIBS)

# The program P of the two-person install, and its new version P'.
noinst_PROGRAMS += demo/netprobe demo/netprobe-v2
demo_netprobe_SOURCES = demo/netprobe.c
demo_netprobe_v2_SOURCES = demo/netprobe.c
demo_netprobe_v2_CPPFLAGS = $(AM_CPPFLAGS) -DNETPROBE_VERSION='"2"'
