# What an administrator needs besides the programs, installed where Debian
# reads it: the systemd units, passwdd's system user (sysusers.d), the
# TIOCSTI sysctl, an example PAM service and an example ixkit.conf.
# configure finds the systemd directories (--with-systemdsystemunitdir,
# --with-sysusersdir, --with-sysctldir; "no" installs none).

# The services name their programs' installed paths (@sbindir@).
SUBST_FILES += etc/systemd/compartd.service etc/systemd/passwdd.service \
	etc/systemd/privd.service etc/systemd/sessiond.service
if INSTALL_SYSTEMDSYSTEMUNITDIR
nodist_systemdsystemunit_DATA = etc/systemd/compartd.service etc/systemd/passwdd.service \
	etc/systemd/privd.service etc/systemd/sessiond.service
dist_systemdsystemunit_DATA = etc/systemd/privd.socket
endif
if INSTALL_SYSUSERSDIR
dist_sysusers_DATA = etc/sysusers.d/ixkit.conf
endif
if INSTALL_SYSCTLDIR
dist_sysctl_DATA = etc/sysctl.d/50-ixkit-tiocsti.conf
endif

# An example, not a stack in use: a service of that name is used only by
# an application that asks for it (pam_passwdd(8)).
pamconfdir = $(sysconfdir)/pam.d
dist_pamconf_DATA = etc/pam.d/ixkit-passwdd-example

# The example ixkit.conf, every key commented out at this build's default.
# It never replaces an administrator's file (install-data-hook), and
# uninstall removes it only while it is still the example.
SUBST_FILES += etc/ixkit.conf
ixkitconfdir = $(sysconfdir)/ixkit
install-data-hook: install-ixkit-conf
install-ixkit-conf: etc/ixkit.conf
	@$(MKDIR_P) '$(DESTDIR)$(ixkitconfdir)'
	@if test -e '$(DESTDIR)$(ixkitconfdir)/ixkit.conf' || \
	    test -h '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'; then \
		echo " keeping $(DESTDIR)$(ixkitconfdir)/ixkit.conf (the example is etc/ixkit.conf in the build tree)"; \
	else \
		echo " $(INSTALL_DATA) etc/ixkit.conf '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'"; \
		$(INSTALL_DATA) etc/ixkit.conf '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'; \
	fi
uninstall-hook: uninstall-ixkit-conf
uninstall-ixkit-conf:
	@if cmp -s etc/ixkit.conf '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'; then \
		echo " rm -f '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'"; \
		rm -f '$(DESTDIR)$(ixkitconfdir)/ixkit.conf'; \
	fi
.PHONY: install-ixkit-conf uninstall-ixkit-conf
