# Manual pages of the foundation: the administrator's tool, the policy
# text format, the configuration file and the regular subset of rights.
dist_man_MANS += man/privtree.8 man/ixkit-policy.5 man/ixkit.conf.5 man/ixkit-regex.7
dist_man_MANS += man/compartctl.8

# Lints every page under man/ (not only these) with groff -ww.
SCENARIO_TESTS += tests/scenario/manpages.sh
EXTRA_DIST += tests/scenario/manpages.sh
dist_man_MANS += man/compartd.8
dist_man_MANS += man/pam_passwdd.8
dist_man_MANS += man/privd.8 man/priv.1
