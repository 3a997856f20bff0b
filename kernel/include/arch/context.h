/*
 * The arch seam, context part: per-CPU pointer and kernel-stack switching.
 * A thread that is not running keeps its callee-saved registers on its own
 * kernel stack; only the stack pointer is stored in struct thread. One
 * blocked on the IPC fast path keeps none (ARCH_RESUME_KSP).
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <arch-inline.h> /* arch/<arch>/include: the inline calls */
#include <kernel/compiler.h>

struct cpu;

/* This CPU's struct cpu, in one load (GS on x86-64, TPIDR_EL1 on aarch64):
 * static inline struct cpu *arch_this_cpu(void), in arch-inline.h. */
void arch_set_this_cpu(struct cpu *c);

/* Save callee-saved state on the current stack, store the stack pointer in
 * *save_sp, switch to load_sp and return into the thread saved there. */
void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp);

/* The second half alone: continue the thread saved at load_sp (the
 * current one keeps no context: it is blocked with none, or gone). */
NORETURN void arch_context_load(uintptr_t load_sp);

/* The address of sym, a function or read-only data the kernel's code
 * holds near (a wait's cancel function, which every fast-path block
 * stores), as the arch forms it fastest: arch-inline.h's ARCH_TEXT_ADDR
 * where it has one (aarch64: one adr). */
#ifndef ARCH_TEXT_ADDR
#define ARCH_TEXT_ADDR(sym) ((unsigned long)&(sym))
#endif
/* ARCH_RESUME_KSP (arch-inline.h): the saved sp of a thread that keeps
 * no context: blocked in a kernel call that ipc_resume() ends (the IPC
 * fast path's), its user registers in the trap frame at the top of its
 * kernel stack. A switch to it enters arch_resume_entry, which takes
 * that stack (the switch set it as the CPU's kstack_top), stores
 * ipc_resume()'s result as the call's, does the end of every call
 * (syscall_fast_exit) and returns to user mode. Every fast-path switch
 * stores it: x86-64's is a read-only context that returns there (an
 * immediate store), aarch64's 0, which arch_context_load tests (a store
 * of the zero register). */

/* The current thread's kernel call returns result to user mode now, from
 * the trap frame at the top of its kernel stack (ktop: the CPU's
 * kstack_top, which the caller has at hand and an arch may read itself):
 * the stack in use is left behind (the IPC fast path ends the call of the
 * thread it switched to on the stack of the one that blocked). Called
 * with interrupts off, as the fast path runs. Inline (arch-inline.h). */
/* The same on several CPUs, letting go of the kernel lock once that stack
 * is left (klock_release, on the frame's stack). */
NORETURN void arch_syscall_return_unlock(long result);

/* Lay out a fresh kernel stack (top 16-byte aligned) so that the first
 * arch_context_switch to the returned sp calls start(), interrupts still
 * disabled as the switch left them, with a frame that ends backtraces. */
uintptr_t arch_kstack_init(uintptr_t top, NORETURN void (*start)(void));

#endif
