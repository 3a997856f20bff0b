/*
 * The arch seam, context part: per-CPU pointer and kernel-stack switching.
 * A thread that is not running keeps its callee-saved registers on its own
 * kernel stack; only the stack pointer is stored in struct thread.
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

/* Lay out a fresh kernel stack (top 16-byte aligned) so that the first
 * arch_context_switch to the returned sp calls start(), interrupts still
 * disabled as the switch left them, with a frame that ends backtraces. */
uintptr_t arch_kstack_init(uintptr_t top, NORETURN void (*start)(void));

#endif
