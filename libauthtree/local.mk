# libauthtree/local.mk: filled in by its component
