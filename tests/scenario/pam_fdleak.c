/*
 * pam_fdleak SERVICE USER N: an application that stays alive as login and
 * su do. It authenticates USER through SERVICE once (libpam loads its
 * modules then), counts its open descriptors and heap in use, runs N more
 * authentications and counts again. Prints both counts and the last PAM
 * result; exits 0 when nothing grew, 1 when something did, 2 on misuse.
 */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <security/pam_appl.h>

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* No module of the services under test converses; answer nothing. */
static int
conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	return PAM_CONV_ERR;
}

int
main(int argc, char **argv)
{
	struct pam_conv c = { conv, NULL };
	pam_handle_t *h;
	size_t heap0, heap1;
	int i, n, fd0, fd1, rc;

	if (argc != 4 || (n = atoi(argv[3])) < 1)
		return 2;
	if (pam_start(argv[1], argv[2], &c, &h) != PAM_SUCCESS)
		return 2;
	rc = pam_authenticate(h, 0);
	fd0 = count_fds();
	heap0 = mallinfo2().uordblks;
	for (i = 0; i < n; i++)
		rc = pam_authenticate(h, 0);
	fd1 = count_fds();
	heap1 = mallinfo2().uordblks;
	printf("fds %d -> %d, heap %zu -> %zu, last: %s\n", fd0, fd1, heap0, heap1,
	       pam_strerror(h, rc));
	pam_end(h, rc);
	return fd0 == fd1 && heap0 == heap1 ? 0 : 1;
}
