/*
 * The kernel-call layer: dispatch from the arch's entry code, the checked
 * user copies every sys_*() uses, and the end of a process that faults.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <arch/user.h>
#include <kernel/compiler.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/thread.h>

/* Run kernel call nr with its six raw arguments; value >= 0 or -errno. */
long syscall_dispatch(unsigned long nr, const uint64_t args[6]);

#include <sys/kcallnr.h> /* __KER_Name, the call numbers */

/* The IPC fast path (fastpath.c), which the arch's kernel-call entry tries
 * first while ipc_fast_mode is not IPC_FAST_OFF ("ipc.slow" on the
 * command line), with the call's six arguments still in the registers
 * the C ABI passes them in: ipc_fast_calls[nr] for every call up to
 * the last fast one (MsgSendPulse): the message calls 0x47-0x4f (the four
 * of a round trip and MsgSendPulse) and SchedYield (0x1a) are fast ones,
 * every other entry returns at once (one table lookup, no test of the
 * number besides its bound); on several CPUs ipc_fast_calls_smp, whose
 * calls take the kernel lock. A fast call that takes the call ends it
 * itself and never returns (the result goes straight to user mode,
 * arch_syscall_return, or arch_syscall_return_unlock on several CPUs);
 * one that returns has done nothing (and holds no lock) but store the
 * call's arguments in the frame, where the entry did not (fastpath.c's
 * fall_back), and the entry goes on to the generic path with it. (The null call
 * is the entry code's own on one CPU: vectors.S.) */
#define IPC_FAST_ONE 0 /* one CPU, no lock (0: what the entry tests first) */
#define IPC_FAST_OFF 1 /* every call the generic way */
#define IPC_FAST_SMP 2 /* several CPUs: under the kernel lock */
extern uint8_t ipc_fast_mode;
#define IPC_FAST_TABLE (__KER_KerMsgSendPulse + 1)
typedef void (*ipc_fast_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5);
/* The tables' entry for a call the fast path does not take: straight on
 * to the generic path, which stores the number and the arguments
 * (vectors.S). */
void arch_fast_none(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
extern const ipc_fast_fn ipc_fast_calls[IPC_FAST_TABLE];
extern const ipc_fast_fn ipc_fast_calls_smp[IPC_FAST_TABLE];
_Static_assert(IPC_FAST_TABLE == 0x50, "the fast calls' tables, as the entry code (vectors.S) "
				       "bounds them");
/* The end of a call the fast path blocked in (ARCH_RESUME_KSP, in
 * arch/context.h): its result, computed as the call's own tail would
 * have; the arch stores it in the frame, then syscall_fast_exit(). */
long ipc_resume(void);
/* What the generic path does at the end of every call (deferred timer
 * and interrupt work, a switch that became due, signals), after a call
 * the fast path took, its result in the user frame; inline, since the
 * common call has none of it to do. */
void syscall_exit_work(void);
/* Has the call of t, running on c, any of that work at its end? */
static inline bool syscall_exit_due(const struct cpu *c, const struct thread *t)
{
	return c->exit_work | t->sig_check;
}
static inline void syscall_fast_exit(void)
{
	const struct cpu *c = this_cpu();

	if (syscall_exit_due(c, c->current))
		syscall_exit_work();
}

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
 * it gives -EFAULT; never a read or write of kernel memory. Inline: every
 * message and reply the fast path stages takes two. The range is tested
 * here unless the arch's copies make every user access as user mode
 * would (ARCH_USER_ACCESS_UNPRIVILEGED), which faults on anything user
 * mode may not touch. */
static inline bool copy_range_ok(uintptr_t u, size_t n)
{
#ifdef ARCH_USER_ACCESS_UNPRIVILEGED
	(void)u;
	(void)n;
	return true;
#else
	return user_range(u, n) || !n;
#endif
}
static inline __attribute__((always_inline)) int copy_from_user(void *dst, const void *usrc,
								size_t n)
{
	if (!copy_range_ok((uintptr_t)usrc, n))
		return -EFAULT;
	return arch_copy_from_user(dst, (uintptr_t)usrc, n);
}
static inline __attribute__((always_inline)) int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!copy_range_ok((uintptr_t)udst, n))
		return -EFAULT;
	return arch_copy_to_user((uintptr_t)udst, src, n);
}

#include <sys/signo.h> /* the signal a fault kills with */

/* Wait status of a process, as POSIX encodes it. */
#define WAIT_EXITED(code) (((code) & 0xff) << 8)
#define WAIT_SIGNALED(sig) ((sig) & 0x7f)

#endif
