# Predicate and action-language parsers of libauthtree (pred.h, action.h).
libauthtree_libauthtree_la_SOURCES += \
	libauthtree/pred_int.h libauthtree/pred_user.h \
	libauthtree/pred.c libauthtree/pred_print.c libauthtree/pred_eval.c \
	libauthtree/pred_user.c

libauthtree_libauthtree_la_SOURCES += \
	libauthtree/action_int.h libauthtree/action.c libauthtree/action_check.c \
	libauthtree/action_subst.c libauthtree/action_print.c
