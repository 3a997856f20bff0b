/*
 * The arch seam, user-mode part: address spaces, entering user mode, the
 * per-thread state a switch carries (kernel stack, FP/SIMD registers), and
 * copies to and from user memory that turn a fault into -EFAULT.
 *
 * The arch calls back into generic code through:
 *   long syscall_dispatch(unsigned long nr, const uint64_t args[6]);
 *   void user_fault(int signo, int code, const char *what, uintptr_t pc,
 *                   uintptr_t addr);   (returns when a handler takes it)
 *   NORETURN void user_kill(int signo, const char *what, uintptr_t pc,
 *                           uintptr_t addr);
 * (kernel/include/kernel/syscall.h), and on every return to user mode
 * (from kernel calls, exceptions and interrupts) with the current
 * thread's sig_check set:
 *   void signal_deliver(void);   (kernel/include/kernel/signal.h)
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <arch-inline.h> /* arch/<arch>/include: the inline calls */
#include <kernel/compiler.h>
#include <sys/siginfo.h>

/* User addresses: [USER_BASE, USER_TOP). Page 0 is never mapped. */
#define USER_BASE 0x1000ul
#define USER_TOP 0x0000800000000000ul

/* Is [u, u + n) all user addresses (or, for a short one, addresses
 * whose access faults like a user address without a page)? A short
 * range (at most USER_SHORT bytes: every staged message) takes one test,
 * of its start alone: below USER_TOP (a power of two: one mask), since
 * the USER_BASE + USER_SHORT bytes past USER_TOP fault on every arch
 * into the copies' fault path (arch-inline.h: x86-64's are not
 * canonical, a #GP; aarch64's are TTBR0's, unmapped); anything else the
 * three tests (u checked first: USER_TOP - u wraps for a kernel
 * address). */
#define USER_SHORT 256ul
_Static_assert((USER_TOP & (USER_TOP - 1)) == 0, "user_range's mask");
static inline bool user_range(uintptr_t u, uint64_t n)
{
	if (n <= USER_SHORT && !((u - USER_BASE) & ~(USER_TOP - 1)))
		return true;
	return u >= USER_BASE && u < USER_TOP && n <= USER_TOP - u;
}

/* This CPU's kernel calls enter through the code built for ipc_fast_mode
 * mode (kernel/syscall.h), which therefore tests no mode. Each CPU sets
 * it once the mode is final (main.c, smp_cpu_up). */
void arch_syscall_entry_set(unsigned mode);

/* A new, empty user translation root (x86-64: with the kernel half
 * shared; aarch64: a TTBR0 table). 0 when out of memory. */
uint64_t arch_vmspace_create(void);
/* Run user code on root, tagged asid (0 when the CPU has no tags); root 0
 * leaves no user address space loaded. Inline (arch-inline.h), and in
 * two halves for a process's switches, which compute the register once:
 *   void arch_vmspace_switch(uint64_t root, unsigned asid);
 *   uint64_t arch_vmspace_reg(uint64_t root, unsigned asid); (root != 0)
 *   void arch_vmspace_load(uint64_t reg); (the switch to that) */
/* The user root loaded on this CPU (0 for none). */
uint64_t arch_vmspace_current(void);
/* How many address-space tags the CPU has (PCIDs, ASIDs); 1 means none. */
unsigned arch_asid_count(void);
/* Drop every TLB entry tagged asid (before the tag is reused). */
void arch_tlb_flush_asid(unsigned asid);
/* Drop this CPU's cached translations of the user tables it has loaded. */
void arch_tlb_flush_user(void);

/* Leave the kernel for user mode: run the function at pc with argument arg
 * on stack sp (16-aligned), returning to ret; other registers zero. With
 * ret 0, sp is used exactly as given (a process's first thread, whose
 * stack starts with argc). A fault writing the return address to the user
 * stack ends the process. */
NORETURN void arch_enter_user(uintptr_t pc, uintptr_t sp, uintptr_t arg, uintptr_t ret,
			      uintptr_t tp);

/* The user thread pointer (TLS: x86-64 FS base, aarch64 TPIDR_EL0) of
 * the calling thread as user mode left it, and setting it for its return
 * to user mode. x86-64 user code cannot change FS base itself (no
 * FSGSBASE), so the kernel keeps it per thread (thread->user_tp) and
 * loads it at every switch to a user thread (ARCH_SWITCHES_USER_TP: no
 * test first, libc gives each thread its own); aarch64's is in every
 * trap frame already. */
uintptr_t arch_user_tp_get(void);
void arch_user_tp_set(uintptr_t tp);

/* Traps from user mode build their frame at cpu->kstack_top, which the
 * switch stores, and which is where each arch finds it: x86-64's TSS
 * rsp0 is that word (its TSS sits in struct cpu: ARCH_CPU_WORDS), and
 * aarch64's SP_EL1 is left there by every return to EL0. */

/* FP/SIMD state: size of the save area (16-byte aligned), and
 * save/restore (eagerly at every switch between user threads).
 * arch_fpu_init writes a whole area: the architecture's reset state. */
size_t arch_fpu_area_size(void);
void arch_fpu_init(void *area);
/* An arch that defines ARCH_FPU_LAZY (arch-inline.h) has
 * arch_fpu_access(on): user mode's and the kernel's access to the FP/SIMD
 * registers on, or off so that their first use from user mode traps to
 * sched_fpu_own() (sched.h). The kernel itself never uses them but in
 * arch_fpu_save/restore. */
#ifndef ARCH_FPU_INLINE /* else arch-inline.h's */
void arch_fpu_save(void *area);
void arch_fpu_restore(const void *area);
#endif

/* Make n bytes just written at kva (through the direct map) visible to
 * instruction fetch: program text a loader wrote (x86-64: coherent). */
void arch_sync_icache(const void *kva, size_t n);

/* Copies with user addresses already range-checked by the caller (unless
 * the arch defines ARCH_USER_ACCESS_UNPRIVILEGED: its copies fault on any
 * address user mode may not touch); a fault in the user range gives
 * -EFAULT instead of a kernel exception. With SMAP/PAN on, these are the
 * only kernel code that touches user memory. */
#ifndef ARCH_USERCOPY_INLINE /* else arch-inline.h's */
int arch_copy_from_user(void *dst, uintptr_t usrc, size_t n);
int arch_copy_to_user(uintptr_t udst, const void *src, size_t n);
#endif

/* A long kernel call that did one bounded step of its work returns
 * this: the current thread's user registers stay as they were (it is the
 * value the call's return register already holds) and its pc goes back
 * onto its syscall / svc instruction, so the call is made again on the
 * way out (after any thread that outranks it, and any signal's handler).
 * Kernel calls stay short (DESIGN §3a) at no cost to the others. */
long arch_syscall_again(void);

/* Signals. The current thread, on its way back to user mode, calls
 * handler(info->si_signo, &info, &context) on its user stack: a frame
 * below its stack pointer (x86-64: below the red zone) holds info and
 * its ucontext_t (<sys/ucontext.h>: every general register, pc, sp,
 * flags, FP/SIMD state, and mask as its signal mask), and the handler
 * returns to stub with the context's address where the stub finds it.
 * 0, or -EFAULT when the stack cannot take the frame. */
int arch_signal_enter(uintptr_t handler, uintptr_t stub, const siginfo_t *info, uint64_t mask);
/* SignalReturn: the current thread's user context back from the
 * ucontext_t at uctx, but only what user mode could have set itself
 * (flags a user cannot set are dropped; a pc or sp outside user space is
 * refused). *mask gets its signal mask, *ret the value the kernel call
 * returns (the restored rax / x0). 0, -EFAULT or -EINVAL. */
int arch_signal_return(uintptr_t uctx, uint64_t *mask, long *ret);

#endif
