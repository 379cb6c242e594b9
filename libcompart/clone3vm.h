/*
 * clone3 with a child on a stack of its own that calls a function: what
 * glibc's clone() does for clone(2), for the flags only clone3 has
 * (CLONE_INTO_CGROUP). glibc 2.36 exports no clone3 wrapper, and a raw
 * syscall(SYS_clone3, ...) with CLONE_VM cannot be used from C: the child
 * would return through the caller's frames on an empty stack.
 */
#ifndef IX_LIBCOMPART_CLONE3VM_H
#define IX_LIBCOMPART_CLONE3VM_H

#include <linux/sched.h>
#include <stddef.h>
#include <sys/types.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define IX_HAVE_CLONE3_FN 1
#else
#define IX_HAVE_CLONE3_FN 0
#endif

/* Starts a child by clone3(ca, size) that runs fn(arg) on the stack
 * ca->stack / ca->stack_size and exits with its return value. Returns the
 * child's pid in the parent (after the exec or the exit when ca->flags has
 * CLONE_VFORK), or -1 with errno; ENOSYS where IX_HAVE_CLONE3_FN is 0. */
pid_t ix_clone3_fn(struct clone_args *ca, size_t size, int (*fn)(void *), void *arg);

#endif
