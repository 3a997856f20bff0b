/*
 * The arch seam, SMP part: finding the other CPUs and starting them
 * (kernel/smp.c drives it; arch/<arch>/smp.c implements it).
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <kernel/compiler.h>

struct cpu;

/* How many CPUs the machine has (the firmware's tables), this one
 * included, at most CPUS_MAX. */
unsigned arch_cpus_present(void);

/* Start CPU number c->id (1..arch_cpus_present() - 1) on the kernel
 * stack whose top is stack_top: it sets itself up (tables, per-CPU
 * pointer, interrupt controller) and calls smp_cpu_up(c), never
 * returning. Returns 0 once it has come that far, or -ETIMEDOUT (the
 * CPU did not answer; it may still start later and must then stop). */
int arch_cpu_start(struct cpu *c, uintptr_t stack_top);

/* Interrupt CPU c (another one) so that it reschedules: it takes the
 * kernel lock and reaches a switch point. */
void arch_cpu_kick(struct cpu *c);
/* Interrupt CPU c so that it answers a TLB shootdown (smp_tlb_answer),
 * without the kernel lock, which the asking CPU holds. */
void arch_cpu_tlb_ipi(struct cpu *c);
/* ARCH_TLB_BROADCAST (arch-inline.h): 1 if invalidating a translation
 * reaches every CPU by itself (aarch64's inner-shareable TLBI), so only
 * tables about to be freed need the other CPUs told. */

#endif
