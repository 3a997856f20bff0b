/*
 * The kernel-call layer: dispatch from the arch's entry code, the checked
 * user copies every sys_*() uses, and the end of a process that faults.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <kernel/compiler.h>

/* Run kernel call nr with its six raw arguments; value >= 0 or -errno. */
long syscall_dispatch(unsigned long nr, const uint64_t args[6]);

/* A user-mode fault the process cannot survive: report it on one line and
 * end the process with signal signo (SIGSEGV 11, SIGILL 4, SIGFPE 8,
 * SIGBUS 10, as QNX numbers them). */
NORETURN void user_fault(int signo, const char *what, uintptr_t pc, uintptr_t addr);

/* Checked copies: a range outside [USER_BASE, USER_TOP) or a fault inside
 * it gives -EFAULT; never a read or write of kernel memory. */
int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);

#include <sys/signo.h> /* the signal a fault kills with */

/* Wait status of a process, as POSIX encodes it. */
#define WAIT_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_SIGNALED(sig) ((sig) & 0x7f)

#endif
