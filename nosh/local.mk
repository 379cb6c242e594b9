# nosh/local.mk: filled in by its component
