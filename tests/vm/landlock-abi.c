/* Prints the Landlock ABI version the running kernel offers, or 0 when
 * Landlock is absent or disabled, so guest logs show which Landlock
 * features a test could rely on. Exit 0 in both cases; 1 on other errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)

int main(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 0 && (errno == ENOSYS || errno == EOPNOTSUPP)) {
		printf("0 (%s)\n", strerror(errno));
		return 0;
	}
	if (abi < 0) {
		fprintf(stderr, "landlock-abi: landlock_create_ruleset: %s\n", strerror(errno));
		return 1;
	}
	printf("%ld\n", abi);
	return 0;
}
