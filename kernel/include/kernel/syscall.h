/*
 * The kernel-call layer: dispatch from the arch's entry code, the checked
 * user copies every sys_*() uses, and the end of a process that faults.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <kernel/compiler.h>

/* Run kernel call nr with its six raw arguments; value >= 0 or -errno. */
long syscall_dispatch(unsigned long nr, const uint64_t args[6]);

/* A user-mode fault, signal signo (SIGSEGV 11, SIGILL 4, SIGFPE 8, SIGBUS
 * 10, as QNX numbers them) with si_code code: a handler of the process
 * that the thread does not block takes it on the way out (returns);
 * otherwise it is reported on one line and ends the process. */
void user_fault(int signo, int code, const char *what, uintptr_t pc, uintptr_t addr);
/* The calling thread (or the kernel copying for it) touched user address
 * va (VM_READ / VM_WRITE / VM_EXEC) and found no page: true when it was
 * anonymous memory made now on first touch (retry the access). */
bool vm_user_fault(uintptr_t va, unsigned access);
/* The same without a handler: report, end the process (a fault before
 * the thread's first instruction, where no handler can run). */
NORETURN void user_kill(int signo, const char *what, uintptr_t pc, uintptr_t addr);

/* Checked copies: a range outside [USER_BASE, USER_TOP) or a fault inside
 * it gives -EFAULT; never a read or write of kernel memory. */
int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);

#include <sys/signo.h> /* the signal a fault kills with */

/* Wait status of a process, as POSIX encodes it. */
#define WAIT_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_SIGNALED(sig) ((sig) & 0x7f)

#endif
