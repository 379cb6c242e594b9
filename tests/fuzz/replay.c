/*
 * Replays a fuzz target's corpus as an ordinary test (no libFuzzer needed).
 *
 * The corpus of target tests/fuzz/fuzz_X is tests/fuzz/corpus/X/ in the
 * source tree ($IXKIT_SRCDIR), or the files and directories named on the
 * command line. Every input must return without crashing; under the
 * sanitizer build a memory error aborts the test. Prints a cmocka-style
 * summary so that scripts/test counts the inputs replayed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX (1 << 20)

static int
replay_file(const char *path, unsigned *count)
{
	static uint8_t buf[INPUT_MAX];
	ssize_t n;
	size_t len = 0;
	uint8_t *copy;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* An exact-size heap copy lets ASan catch reads past the input. */
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, buf, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	(*count)++;
	return 0;
}

static int
replay_path(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent **ents;
	int n, i, rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", path, ents[i]->d_name);
			if (replay_path(sub, count) < 0)
				rc = -1;
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_path(argv[i], &count) < 0)
				rc = 1;
	} else {
		const char *src = getenv("IXKIT_SRCDIR");
		const char *base = strrchr(argv[0], '/');
		char dir[4096];

		base = base ? base + 1 : argv[0];
		if (strncmp(base, "lt-", 3) == 0)
			base += 3;
		if (strncmp(base, "fuzz_", 5) == 0)
			base += 5;
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src ? src : ".", base);
		if (replay_path(dir, &count) < 0)
			rc = 1;
	}
	if (count == 0) {
		fprintf(stderr, "replay: no corpus input found\n");
		rc = 1;
	}
	printf("replayed %u corpus inputs\n", count);
	printf("[==========] %u test(s) run.\n", count);
	if (rc == 0)
		printf("[  PASSED  ] %u test(s).\n", count);
	else
		printf("[  FAILED  ] 1 test(s), listed below:\n");
	return rc;
}
