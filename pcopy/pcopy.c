/*
 * pcopy: the paranoid copier (pcopy(1)).
 *
 *	pcopy [--split-links] SRC DST
 *	pcopy --verify SRC DST
 *	pcopy --show FILE...
 *	pcopy --seal FILE...
 *
 * Exit status (enum pc_status, copy.h): 0 copied / same; 1 --verify found
 * differences; 2 usage; 3 refused; 4 the source changed during the copy;
 * 5 a system error. On any status but 0, DST is as it was.
 */
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libpcopy/copy.h"
#include "pcopy/show.h"

static void
usage(FILE *f)
{
	fputs("usage: pcopy [--split-links] SRC DST   copy SRC over DST with its owner, group,\n"
	      "                                       mode, licence and label\n"
	      "       pcopy --verify SRC DST          compare them; print each difference\n"
	      "       pcopy --show FILE...            its hash, capabilities, seal and dummy\n"
	      "                                       licences\n"
	      "       pcopy --seal FILE...            make each immutable exactly while licensed\n"
	      "exit status: 0 copied/same, 1 differ, 2 usage, 3 refused,\n"
	      "             4 source changed during the copy, 5 system error\n", f);
}

static void
print_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"verify", no_argument, NULL, 'v'},
		{"split-links", no_argument, NULL, 's'},
		{"show", no_argument, NULL, 'S'},
		{"seal", no_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct pc_opts o = {0};
	struct ix_err err = {0};
	unsigned char hash[PC_HASH_BYTES];
	char hex[2 * PC_HASH_BYTES + 1];
	enum pc_status rc;
	int verify = 0, show = 0, seal = 0, c;

	/* Standard descriptors first: started with one closed, the copy's
	 * descriptor could become 1 and a message land in the file. */
	for (c = 0; c < 3; c++) {
		if (fcntl(c, F_GETFD) < 0 && open("/dev/null", c == 0 ? O_RDONLY : O_WRONLY) != c)
			return PC_SYSERR;
	}
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': verify = 1; break;
		case 's': o.split_links = true; break;
		case 'S': show = 1; break;
		case 'L': seal = 1; break;
		case 'h': usage(stdout); return PC_OK;
		default: usage(stderr); return PC_USAGE;
		}
	}
	if (show || seal) {
		if (argc == optind || verify || o.split_links || (show && seal)) {
			usage(stderr);
			return PC_USAGE;
		}
		rc = PC_OK;
		for (c = optind; c < argc; c++) {
			enum pc_status r = show ? pc_show(argv[c], stdout, &err)
						: pc_seal(argv[c], &err);
			if (r != PC_OK) {
				fprintf(stderr, "pcopy: %s\n", err.msg);
				if (rc == PC_OK)
					rc = r;
			}
		}
		if (fflush(stdout) != 0 && rc == PC_OK)
			rc = PC_SYSERR;
		return rc;
	}
	if (argc - optind != 2 || (verify && o.split_links)) {
		usage(stderr);
		return PC_USAGE;
	}
	if (verify) {
		rc = pc_verify(argv[optind], argv[optind + 1], print_line, NULL, &err);
		if (rc == PC_OK)
			printf("same: %s %s\n", argv[optind], argv[optind + 1]);
	} else {
		rc = pc_copy(argv[optind], argv[optind + 1], &o, hash, &err);
		if (rc == PC_OK) {
			sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
			printf("blake2b-256:%s  %s\n", hex, argv[optind + 1]);
		}
	}
	if (rc != PC_OK && rc != PC_DIFFER)
		fprintf(stderr, "pcopy: %s\n", err.msg);
	if (fflush(stdout) != 0 && rc == PC_OK)
		rc = PC_SYSERR;
	return rc;
}
