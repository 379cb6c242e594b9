# db/: the SQLite database (schema, migrations, transactions), the audit
# hash chain, and the label encodings read from their tables (labels.h,
# with liblattice's table type: link liblattice after db).
noinst_LTLIBRARIES += db/libixdb.la
db_libixdb_la_SOURCES = \
	db/ixdb.h db/ixdb_int.h db/ixdb.c db/txn.c db/migrations.c \
	db/audit.c db/audit_hash.c db/audit_head.c db/audit_head.h db/audit_verify.c \
	db/audit_meta.c db/audit_reconcile.c db/audit_witness.c \
	db/labels.h db/labels.c
nodist_db_libixdb_la_SOURCES = db/schema-v1.h db/schema-v2.h db/schema-v3.h db/schema-v4.h db/schema-v5.h db/schema-v6.h
db_libixdb_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)
db_libixdb_la_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
db_libixdb_la_LIBADD = $(SQLITE_LIBS) $(SODIUM_LIBS)
EXTRA_DIST += db/schema-v1.sql db/schema-v2.sql db/schema-v3.sql db/schema-v4.sql db/schema-v5.sql db/schema-v6.sql

# Each schema step's one source of truth is db/schema-vN.sql; it is compiled
# in as a C string literal (one quoted line per SQL line, backslashes and
# quotes escaped). Makefile.am does not define BUILT_SOURCES, so the objects
# depend on the headers explicitly instead.
SCHEMA_TO_C = $(MKDIR_P) db && sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/'
db/schema-v1.h: $(top_srcdir)/db/schema-v1.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v1.sql > $@-t && mv $@-t $@
db/schema-v2.h: $(top_srcdir)/db/schema-v2.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v2.sql > $@-t && mv $@-t $@
db/schema-v3.h: $(top_srcdir)/db/schema-v3.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v3.sql > $@-t && mv $@-t $@
db/schema-v4.h: $(top_srcdir)/db/schema-v4.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v4.sql > $@-t && mv $@-t $@
db/schema-v5.h: $(top_srcdir)/db/schema-v5.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v5.sql > $@-t && mv $@-t $@
db/schema-v6.h: $(top_srcdir)/db/schema-v6.sql
	$(AM_V_GEN)$(SCHEMA_TO_C) $(top_srcdir)/db/schema-v6.sql > $@-t && mv $@-t $@
$(db_libixdb_la_OBJECTS): db/schema-v1.h db/schema-v2.h db/schema-v3.h db/schema-v4.h db/schema-v5.h db/schema-v6.h
CLEANFILES += db/schema-v1.h db/schema-v2.h db/schema-v3.h db/schema-v4.h db/schema-v5.h db/schema-v6.h
