# libauthtree: the authorization tree. Predicates (pred.h) and the action
# language (action.h), policy text, request evaluation to a plan and the
# judges of facts observed after it (plan.h), the session decision
# (session.h), monotone edits and the store in the database.
noinst_LTLIBRARIES += libauthtree/libauthtree.la
libauthtree_libauthtree_la_SOURCES = \
	libauthtree/pred.h libauthtree/pred_int.h libauthtree/pred_user.h \
	libauthtree/pred.c libauthtree/pred_print.c libauthtree/pred_eval.c \
	libauthtree/pred_user.c \
	libauthtree/action.h libauthtree/action_int.h libauthtree/action.c \
	libauthtree/action_check.c libauthtree/action_subst.c libauthtree/action_print.c \
	libauthtree/splice.h libauthtree/splice.c \
	libauthtree/policy.h libauthtree/policy.c \
	libauthtree/policy_parse.c libauthtree/policy_print.c \
	libauthtree/pcre.h libauthtree/pcre.c \
	libauthtree/index.h libauthtree/index.c \
	libauthtree/eval.h libauthtree/eval.c \
	libauthtree/plan.h libauthtree/plan.c libauthtree/judge.c \
	libauthtree/session.h libauthtree/session.c \
	libauthtree/edit.h libauthtree/edit.c \
	libauthtree/store.h libauthtree/store.c
libauthtree_libauthtree_la_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
