/* Sets an extended attribute on a file and reads it back, so the VM smoke
 * test can show that the label xattr the compartment kernel uses
 * (security.bpf.*) is writable on the guest's tmpfs (busybox has no
 * setfattr).
 * usage: xattr-probe FILE NAME VALUE
 * Exit 0 when the value read back equals VALUE, 1 otherwise. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

int main(int argc, char **argv)
{
	char back[256];
	size_t len;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: xattr-probe FILE NAME VALUE\n");
		return 2;
	}
	len = strlen(argv[3]);
	if (len >= sizeof(back)) {
		fprintf(stderr, "xattr-probe: value longer than %zu bytes\n", sizeof(back) - 1);
		return 2;
	}
	if (setxattr(argv[1], argv[2], argv[3], len, 0) != 0) {
		fprintf(stderr, "xattr-probe: setxattr %s %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	n = getxattr(argv[1], argv[2], back, sizeof(back) - 1);
	if (n < 0) {
		fprintf(stderr, "xattr-probe: getxattr %s %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	if ((size_t)n != len || memcmp(back, argv[3], len) != 0) {
		back[n] = '\0';
		fprintf(stderr, "xattr-probe: %s %s reads back \"%s\", not \"%s\"\n",
			argv[1], argv[2], back, argv[3]);
		return 1;
	}
	printf("xattr-probe: %s %s=\"%s\" set and read back\n", argv[1], argv[2], argv[3]);
	return 0;
}
