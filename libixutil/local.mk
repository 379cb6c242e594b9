noinst_LTLIBRARIES += libixutil/libixutil.la
libixutil_libixutil_la_SOURCES = \
	libixutil/ix_err.c libixutil/ix_err.h \
	libixutil/ix_config.c libixutil/ix_config.h
libixutil_libixutil_la_SOURCES += libixutil/ix_log.c libixutil/ix_log.h
libixutil_libixutil_la_SOURCES += libixutil/ix_time.c libixutil/ix_time.h
