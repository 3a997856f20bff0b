/*
 * aarch64 secondary CPUs (arch/smp.h). The device tree's /cpus nodes
 * (dtb.c) name them by MPIDR affinity; the boot CPU is the one with ours,
 * and the others are started in the tree's order, each by its
 * enable-method: PSCI CPU_ON (QEMU virt), or the spin table (the Pi 4:
 * the entry's physical address written to cpu-release-addr, then SEV).
 * Each arrives at head.S's a64_secondary_entry with the MMU off, turns it
 * on with what a64_ap_start holds, and reaches a64_ap_entry: its per-CPU
 * pointer, the user-mode CPU set-up, its timer and GIC interface, then
 * smp_cpu_up. Other CPUs are interrupted by SGIs (irq.c): SGI_KICK to
 * reschedule, SGI_TLB for a shootdown.
 */
#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/kprintf.h>
#include <kernel/vm.h>

#include "a64.h"
#include "gic.h"

#define PSCI_CPU_ON_64	 0xc4000003u
#define PSCI_ALREADY_ON	 (-4)
#define MPIDR_AFFINITY	 0xff00ffffffull /* Aff3 [39:32], Aff2..Aff0 [23:0] */
#define START_TIMEOUT_MS 1000		 /* TCG runs the CPUs in turn: be patient */

_Static_assert(DT_MAX_CPUS == CPUS_MAX, "dtb.h records as many CPUs as the kernel runs");
_Static_assert(CPUS_MAX <= GIC_MAX_CPUS, "the GIC drivers know every CPU");

/* What a64_secondary_entry needs, read with the MMU off: one CPU starts
 * at a time, so one block serves all. A cache line of its own. */
struct a64_ap_start {
	uint64_t tcr, ttbr1, stack;
	struct cpu *cpu;
};
struct a64_ap_start a64_ap_start ALIGNED(64);
_Static_assert(offsetof(struct a64_ap_start, tcr) == AP_START_TCR, "head.S");
_Static_assert(offsetof(struct a64_ap_start, ttbr1) == AP_START_TTBR1, "head.S");
_Static_assert(offsetof(struct a64_ap_start, stack) == AP_START_STACK, "head.S");
_Static_assert(offsetof(struct a64_ap_start, cpu) == AP_START_CPU, "head.S");

static unsigned tree_cpus(void)
{
	return MIN(a64_platform()->ncpus, DT_MAX_CPUS);
}

static bool is_me(const struct dt_cpu *t)
{
	return (t->mpidr & MPIDR_AFFINITY) == (read_sysreg(mpidr_el1) & MPIDR_AFFINITY);
}

unsigned arch_cpus_present(void)
{
	const struct dt_platform *p = a64_platform();

	for (unsigned i = 0; i < tree_cpus(); i++)
		if (is_me(&p->cpu[i]))
			return tree_cpus();
	if (tree_cpus() > 1)
		kprintf("smp: this CPU (MPIDR 0x%llx) is not in the device tree: it runs alone\n",
			(unsigned long long)(read_sysreg(mpidr_el1) & MPIDR_AFFINITY));
	return 1;
}

/* CPU number id (1..): the id-th of the tree's CPUs but ours. */
static const struct dt_cpu *tree_cpu(unsigned id)
{
	const struct dt_platform *p = a64_platform();

	for (unsigned i = 0, n = 0; i < tree_cpus(); i++)
		if (!is_me(&p->cpu[i]) && ++n == id)
			return &p->cpu[i];
	return NULL;
}

/* Write [p, p + n) back to the point of coherency, where a CPU with its
 * MMU and so its caches off reads. */
static void dcache_clean_poc(const void *p, size_t n)
{
	uintptr_t line = a64_dcache_line();

	for (uintptr_t a = (uintptr_t)p & ~(line - 1); a < (uintptr_t)p + n; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	dsb(sy);
}

/* The spin table: the CPU waits in WFE until its release address holds
 * where to go. That address must be RAM we map. */
static int spin_table_release(uint64_t addr, uint64_t entry)
{
	uint64_t *slot = phys_to_virt(addr);
	int level;

	if ((addr & 7) || !pt_lookup(arch_kernel_root(), (uintptr_t)slot, &level))
		return -ENODEV;
	__atomic_store_n(slot, entry, __ATOMIC_RELEASE);
	dcache_clean_poc(slot, sizeof(*slot));
	__asm__ volatile("sev" ::: "memory");
	return 0;
}

int arch_cpu_start(struct cpu *c, uintptr_t stack_top)
{
	const struct dt_cpu *t = tree_cpu(c->id);
	uint64_t entry = kimage_to_phys(a64_secondary_entry);
	int err = -ENODEV;

	if (!t)
		return -ENODEV;
	a64_ap_start = (struct a64_ap_start){
	    .tcr = read_sysreg(tcr_el1),
	    .ttbr1 = read_sysreg(ttbr1_el1),
	    .stack = stack_top,
	    .cpu = c,
	};
	dcache_clean_poc(&a64_ap_start, sizeof(a64_ap_start));
	if (t->method == DT_CPU_PSCI && a64_platform()->psci != DT_PSCI_NONE) {
		int32_t r = (int32_t)a64_psci_call(PSCI_CPU_ON_64, t->mpidr, entry, 0);
		err = !r ? 0 : r == PSCI_ALREADY_ON ? -EBUSY : -EIO;
	} else if (t->method == DT_CPU_SPIN_TABLE) {
		err = spin_table_release(t->release_addr, entry);
	}
	if (err)
		return err;
	return smp_came_up(c, START_TIMEOUT_MS) ? 0 : -ETIMEDOUT;
}

void a64_ap_entry(struct cpu *c)
{
	arch_set_this_cpu(c);
	a64_user_init();
	a64_timer_init_cpu();
	a64_irq_init_cpu(c->id);
	smp_cpu_up(c);
}

/* The GIC numbers CPUs as we do (a64_irq_init_cpu(c->id)). What we wrote
 * for the other CPU is visible to it before the SGI arrives. */
void arch_cpu_kick(struct cpu *c)
{
	dsb(ishst);
	a64_irq_send_sgi(c->id, SGI_KICK);
}

void arch_cpu_tlb_ipi(struct cpu *c)
{
	dsb(ishst);
	a64_irq_send_sgi(c->id, SGI_TLB);
}
