# libterm: the terminal and the private path, above the compartment
# kernel's interface: stream identifiers (streamid.h), who holds a
# terminal open (ttyholders.h), the private path check (pex.h), the
# password and confirmation prompts (prompt.h) and terminal labels
# (tty.h, through libcompart's tier 1 maps).
noinst_LTLIBRARIES += libterm/libterm.la
libterm_libterm_la_SOURCES = \
	libterm/streamid.h libterm/streamid.c \
	libterm/ttyholders.h libterm/ttyholders.c \
	libterm/pex.h libterm/pex.c libterm/refuse.h libterm/refuse.c \
	libterm/provider.h libterm/provider_int.h libterm/provider.c \
	libterm/provider_input.c libterm/provider_sock.c \
	libterm/prompt.h libterm/prompt.c \
	libterm/tty.h libterm/tty.c
libterm_libterm_la_LIBADD = libcompart/libcompart.la

# Everything a program needs to link libterm.
TERM_LIBS = libterm/libterm.la $(COMPART_LIBS)
