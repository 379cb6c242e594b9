# compartctl: the administrator's tool for the compartment kernel
# (compartctl(8)).
sbin_PROGRAMS += compartctl/compartctl
compartctl_compartctl_SOURCES = compartctl/compartctl.c compartctl/compartctl.h \
	compartctl/compartctl_run.c
compartctl_compartctl_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS)
compartctl_compartctl_LDADD = libauthtree/libauthtree.la $(COMPART_LIBS) \
	$(PCRE2_LIBS) $(LIBCAP_LIBS)
