/*
 * Secondary CPUs: the boot CPU starts each one the arch finds, one at a
 * time, on a kernel stack of its own, and waits until it says it is up.
 * For now a CPU that comes up parks with interrupts off: the kernel lock
 * and per-CPU scheduling that let it run threads come next (docs/
 * ARCHITECTURE.md, "SMP"). "cpus=N" on the command line limits the count
 * (1: the boot CPU alone).
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/pmm.h>
#include <kernel/thread.h>
#include <kernel/vm.h>

struct cpu cpus[CPUS_MAX];
unsigned cpu_count = 1;

/* The most CPUs "cpus=N" allows (CPUS_MAX without the word). */
static unsigned cpus_wanted(const char *cmdline)
{
	char arg[8];
	unsigned n = 0;

	if (!cmdline_get(cmdline, "cpus", arg, sizeof(arg)))
		return CPUS_MAX;
	for (const char *p = arg; *p >= '0' && *p <= '9' && n < CPUS_MAX; p++)
		n = n * 10 + (unsigned)(*p - '0');
	return n ? n : 1;
}

void smp_init(const char *cmdline)
{
	unsigned present = arch_cpus_present(), want = cpus_wanted(cmdline);
	unsigned n = present < want ? present : want;

	for (unsigned i = 1; i < n; i++) {
		struct cpu *c = &cpus[cpu_count];
		uint64_t stack = pmm_alloc(KSTACK_ORDER);
		if (!stack) {
			kprintf("smp: no memory for cpu %u's stack\n", cpu_count);
			break;
		}
		c->self = c;
		c->id = cpu_count;
		int err = arch_cpu_start(c, (uintptr_t)phys_to_virt(stack) + KSTACK_SIZE);
		if (err) {
			/* It may still wake later: its stack stays its own. */
			kprintf("smp: cpu %u did not come up (error %d)\n", c->id, -err);
			break;
		}
		cpu_count++;
	}
	if (present > 1 || want < CPUS_MAX)
		kprintf("smp: %u of %u CPUs up\n", cpu_count, present);
}

void smp_cpu_up(struct cpu *c)
{
	kprintf("cpu %u: up\n", c->id);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	arch_halt(); /* parked until the kernel lock lets it run threads */
}
