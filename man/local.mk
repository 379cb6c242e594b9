# Manual pages of the foundation: the administrator's tool, the policy
# text format, the configuration file and the regular subset of rights.
# A page that names installed paths is made from PAGE.in (SUBST_FILES in
# Makefile.am), so that it names this build's; the others are installed
# as they are.
man_MANS += man/privtree.8 man/ixkit-policy.5 man/ixkit.conf.5
SUBST_FILES += man/privtree.8 man/ixkit-policy.5 man/ixkit.conf.5
dist_man_MANS += man/ixkit-regex.7
dist_man_MANS += man/compartctl.8
man_MANS += man/compartd.8 man/pam_passwdd.8 man/privd.8
SUBST_FILES += man/compartd.8 man/pam_passwdd.8 man/privd.8
dist_man_MANS += man/priv.1
