noinst_LTLIBRARIES += libauthtree/libauthtree.la
libauthtree_libauthtree_la_SOURCES = \
	libauthtree/pred.h libauthtree/action.h
libauthtree_libauthtree_la_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS)
include libauthtree/pa.mk
libauthtree_libauthtree_la_SOURCES += \
	libauthtree/policy.h libauthtree/policy.c \
	libauthtree/policy_parse.c libauthtree/policy_print.c \
	libauthtree/pcre.h libauthtree/pcre.c \
	libauthtree/index.h libauthtree/index.c \
	libauthtree/eval.h libauthtree/eval.c \
	libauthtree/edit.h libauthtree/edit.c \
	libauthtree/store.h libauthtree/store.c
libauthtree_libauthtree_la_CFLAGS += $(SODIUM_CFLAGS)
