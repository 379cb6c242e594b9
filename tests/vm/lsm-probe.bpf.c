/* The smallest BPF LSM program: counts file opens and allows them all.
 * lsm-probe loads it in the guest to show that the kernel accepts and runs
 * BPF LSM programs at all (the host refuses them with EPERM). */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct file;

char LICENSE[] SEC("license") = "GPL";

__u64 opens = 0;

SEC("lsm/file_open")
int BPF_PROG(count_open, struct file *file, int ret)
{
	__sync_fetch_and_add(&opens, 1);
	return ret;
}
