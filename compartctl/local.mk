# compartctl: the administrator's tool for the compartment kernel
# (compartctl(8)).
sbin_PROGRAMS += compartctl/compartctl
compartctl_compartctl_SOURCES = compartctl/compartctl.c compartctl/compartctl.h \
	compartctl/compartctl_run.c
# Label names come from the database's encodings (db/labels.h), not from
# the authorization tree: compartctl does not link libauthtree.
compartctl_compartctl_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS) $(SQLITE_CFLAGS)
compartctl_compartctl_LDADD = $(COMPART_LIBS) $(LIBCAP_LIBS)
