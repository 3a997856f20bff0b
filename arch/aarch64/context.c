/* aarch64 per-CPU pointer (TPIDR_EL1) and fresh kernel stacks (arch/context.h). */
#include <arch/context.h>

#include "a64.h"

void arch_set_this_cpu(struct cpu *c)
{
	write_sysreg(tpidr_el1, (uintptr_t)c);
}

uintptr_t arch_kstack_init(uintptr_t top, NORETURN void (*start)(void))
{
	/* The frame arch_context_switch pops: x19-x28 zero, x29 = 0 (ends
	 * backtraces), x30 = start (where its "ret" goes). */
	uint64_t *sp = (uint64_t *)(top - 96);

	for (int i = 0; i < 12; i++)
		sp[i] = 0;
	sp[11] = (uintptr_t)start;
	return (uintptr_t)sp;
}
