/*
 * aarch64 secondary CPUs (arch/smp.h). Until PSCI CPU_ON (virt) and the
 * Pi 4's spin table are wired up, the kernel runs on the boot CPU alone
 * here: it reports one CPU, so smp.c starts none.
 */
#include <arch/smp.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>

unsigned arch_cpus_present(void)
{
	return 1;
}

int arch_cpu_start(struct cpu *c, uintptr_t stack_top)
{
	(void)c;
	(void)stack_top;
	return -ENODEV;
}

void arch_cpu_kick(struct cpu *c)
{
	panic("smp: cpu %u kicked, but aarch64 runs one CPU", c->id);
}

void arch_cpu_tlb_ipi(struct cpu *c)
{
	panic("smp: cpu %u asked to flush, but aarch64 runs one CPU", c->id);
}
