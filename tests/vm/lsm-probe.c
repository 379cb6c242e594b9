/* Loads lsm-probe.bpf.o, attaches its lsm/file_open program, opens a file
 * and checks that the program counted the opens: the kernel both accepts
 * and runs BPF LSM programs. Also says whether the kernel has the
 * bpf_get_file_xattr kfunc (file labels need it).
 * usage: lsm-probe [OBJECT]   (default /bin/lsm-probe.bpf.o)
 * Exit 0 when the program ran on every open, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

enum { PROBE_OPENS = 3 };

static int read_opens(const struct bpf_map *bss, __u64 *opens)
{
	int zero = 0;

	return bpf_map__lookup_elem(bss, &zero, sizeof(zero), opens, sizeof(*opens), 0);
}

static void print_kfunc(const char *name)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();

	if (!vmlinux) {
		printf("lsm-probe: kernel BTF unreadable: %s\n", strerror(errno));
		return;
	}
	printf("lsm-probe: kfunc %s: %s\n", name,
	       btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) >= 0 ? "present" : "absent");
	btf__free(vmlinux);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/bin/lsm-probe.bpf.o";
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct bpf_map *bss;
	__u64 before, after;
	int i, fd, rc = 1;

	print_kfunc("bpf_get_file_xattr");
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "lsm-probe: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "count_open");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	if (!prog || !bss) {
		fprintf(stderr, "lsm-probe: %s has no count_open program or .bss\n", path);
		goto out;
	}
	if (bpf_object__load(obj) != 0) {
		fprintf(stderr, "lsm-probe: load lsm/file_open: %s\n", strerror(errno));
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		fprintf(stderr, "lsm-probe: attach lsm/file_open: %s\n", strerror(errno));
		goto out;
	}
	if (read_opens(bss, &before) != 0) {
		fprintf(stderr, "lsm-probe: read counter: %s\n", strerror(errno));
		goto detach;
	}
	for (i = 0; i < PROBE_OPENS; i++) {
		fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	if (read_opens(bss, &after) != 0) {
		fprintf(stderr, "lsm-probe: read counter: %s\n", strerror(errno));
		goto detach;
	}
	if (after - before < PROBE_OPENS) {
		fprintf(stderr, "lsm-probe: %d opens, program counted %llu\n", PROBE_OPENS,
			(unsigned long long)(after - before));
		goto detach;
	}
	printf("lsm-probe: lsm/file_open loaded, attached, counted %llu opens\n",
	       (unsigned long long)(after - before));
	rc = 0;
detach:
	bpf_link__destroy(link);
out:
	bpf_object__close(obj);
	return rc;
}
