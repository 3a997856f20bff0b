/* x86-64 per-CPU pointer (GS base) and fresh kernel stacks (arch/context.h). */
#include "x86.h"

#include <arch/context.h>

#define MSR_GS_BASE 0xc0000101

void arch_set_this_cpu(struct cpu *c)
{
	wrmsr(MSR_GS_BASE, (uintptr_t)c);
}

uintptr_t arch_kstack_init(uintptr_t top, NORETURN void (*start)(void))
{
	uint64_t *sp = (uint64_t *)top;

	*--sp = 0;                  /* start()'s "return address": ends backtraces */
	*--sp = (uintptr_t)start;   /* where arch_context_switch returns to */
	for (int i = 0; i < 6; i++) /* rbp rbx r12-r15, rbp = 0 */
		*--sp = 0;
	return (uintptr_t)sp;
}
