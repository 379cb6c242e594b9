# Every manual page. A page that names installed paths is made from
# PAGE.in (SUBST_FILES in Makefile.am), so that it names this build's; the
# others are installed as they are.
#
# The policy text format, the configuration file and the regular subset
# of rights.
man_MANS += man/ixkit-policy.5 man/ixkit.conf.5
SUBST_FILES += man/ixkit-policy.5 man/ixkit.conf.5
dist_man_MANS += man/ixkit-regex.7
# privd, priv and privtree.
man_MANS += man/privd.8 man/privtree.8
SUBST_FILES += man/privd.8 man/privtree.8
dist_man_MANS += man/priv.1
# sessiond and session.
man_MANS += man/sessiond.8
SUBST_FILES += man/sessiond.8
dist_man_MANS += man/session.1
# passwdd, passwdd-admin and pam_passwdd.
man_MANS += man/passwdd.8 man/passwdd-admin.8 man/pam_passwdd.8
SUBST_FILES += man/passwdd.8 man/passwdd-admin.8 man/pam_passwdd.8
# nosh.
dist_man_MANS += man/nosh.1
# pcopy.
dist_man_MANS += man/pcopy.1
# compartd and compartctl.
man_MANS += man/compartd.8
SUBST_FILES += man/compartd.8
dist_man_MANS += man/compartctl.8
