/*
 * PAM verification, run by passwdd's helper (helper.c: root, not under
 * Landlock; PAM loads modules and reads /etc), never by a confined worker.
 * Each answer handed to PAM is a malloc'ed copy that PAM frees itself;
 * Linux-PAM's modules wipe theirs first (_pam_drop_reply).
 */
#include <stdlib.h>
#include <string.h>
#include <security/pam_appl.h>
#include <sodium.h>

#include "passwdd/pam.h"

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct pam_response *r;
	int i;

	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	r = calloc((size_t)n, sizeof *r);
	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			r[i].resp = strdup(data);
			if (r[i].resp == NULL)
				goto fail;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			break;
		default:	/* a module asking for more than one secret */
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (i = 0; i < n; i++)
		if (r[i].resp != NULL) {
			sodium_memzero(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	free(r);
	return PAM_CONV_ERR;
}

int
pw_pam_check(const char *service, const char *user, const char *secret, struct ix_err *err)
{
	struct pam_conv c = { conv, (void *)secret };
	pam_handle_t *h = NULL;
	int rc;

	rc = pam_start(service, user, &c, &h);
	if (rc != PAM_SUCCESS)
		return ix_err_set(err, IX_ESYS, "PAM service %s: %s", service,
				  pam_strerror(h, rc));
	rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	pam_end(h, rc);
	return rc == PAM_SUCCESS;
}
