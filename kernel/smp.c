/*
 * Secondary CPUs: the boot CPU starts each one the arch finds, one at a
 * time, on a kernel stack of its own that becomes its idle thread's, and
 * waits until it says it is up. Once all are, the kernel lock is turned
 * on (klock.h) and each runs its idle loop, taking threads from the run
 * queue they share (sched.c). "cpus=N" on the command line limits the
 * count (1: the boot CPU alone).
 */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/user.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/klock.h>
#include <kernel/kprintf.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
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
		struct thread *idle = stack ? thread_idle_alloc() : NULL;
		if (!idle) {
			kprintf("smp: no memory for cpu %u\n", cpu_count);
			if (stack)
				pmm_free(stack, KSTACK_ORDER);
			break;
		}
		c->self = c;
		c->id = cpu_count;
		/* Its boot stack becomes its idle thread's. */
		idle->kstack_top = (uintptr_t)phys_to_virt(stack) + KSTACK_SIZE;
		thread_init_idle(c, idle);
		int err = arch_cpu_start(c, idle->kstack_top);
		if (err) {
			/* It may still wake later: what it has stays its own. */
			kprintf("smp: cpu %u did not come up (error %d)\n", c->id, -err);
			break;
		}
		cpu_count++;
	}
	if (present > 1 || want < CPUS_MAX)
		kprintf("smp: %u of %u CPUs up\n", cpu_count, present);
	if (cpu_count > 1) {
		/* From here on this CPU holds the lock as every CPU running
		 * kernel code does; the others wait for it to be on. */
		unsigned long irq = arch_irq_save();
		klock_acquire();
		if (ipc_fast_mode == IPC_FAST_ONE)
			ipc_fast_mode = IPC_FAST_SMP; /* its calls take the lock too */
		__atomic_store_n(&klock_on, true, __ATOMIC_RELEASE);
		arch_irq_restore(irq);
	}
}

bool smp_came_up(struct cpu *c, uint64_t ms)
{
	uint64_t end = timer_now_ns() + ms * 1000000;

	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (timer_now_ns() > end)
			return false;
		arch_cpu_relax();
	}
	return true;
}

void smp_cpu_up(struct cpu *c)
{
	kprintf("cpu %u: up\n", c->id);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&klock_on, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	/* Up after the boot CPU gave up on us: we are not counted (no kick
	 * or shootdown would reach us), so we must not run threads. */
	if (c->id >= cpu_count) {
		kprintf("cpu %u: came up too late, halted\n", c->id);
		arch_halt();
	}
	arch_syscall_entry_set(ipc_fast_mode); /* the boot CPU's, final now */
	klock_acquire();
	sched_idle_loop();
}

void smp_poll(void)
{
	smp_tlb_answer();
	arch_cpu_relax();
}

void smp_tlb_shootdown(uint64_t vm_reg, bool drop)
{
	struct cpu *self = this_cpu();
	uint32_t asked = 0;

	if (!vm_reg || (ARCH_TLB_BROADCAST && !drop))
		return;
	/* The caller holds the kernel lock, so no CPU loads vm_reg meanwhile;
	 * one that has it is in user mode, idle, or waiting for the lock,
	 * and answers from its IPI handler or its wait (smp_poll). */
	for (unsigned i = 0; i < cpu_count; i++) {
		struct cpu *c = &cpus[i];
		if (c == self || c->vm_reg != vm_reg)
			continue;
		c->tlb_drop = drop;
		__atomic_store_n(&c->tlb_reg, vm_reg, __ATOMIC_RELEASE);
		arch_cpu_tlb_ipi(c);
		self->stats.shootdowns++;
		asked |= 1u << i;
	}
	for (unsigned i = 0; i < cpu_count; i++)
		if (asked >> i & 1)
			while (__atomic_load_n(&cpus[i].tlb_reg, __ATOMIC_ACQUIRE))
				arch_cpu_relax();
}

void smp_tlb_answer(void)
{
	struct cpu *c = this_cpu();
	uint64_t vm_reg = __atomic_load_n(&c->tlb_reg, __ATOMIC_ACQUIRE);

	if (!vm_reg)
		return;
	if (c->vm_reg == vm_reg) {
		if (c->tlb_drop) {
			arch_vmspace_switch(0, 0);
			c->vm_reg = 0;
		} else {
			arch_tlb_flush_user();
		}
	}
	__atomic_store_n(&c->tlb_reg, 0, __ATOMIC_RELEASE);
}
