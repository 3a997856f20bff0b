/*
 * x86-64 secondary CPUs (arch/smp.h): the enabled processors the ACPI
 * MADT lists (acpi.c) are started, one at a time, with the INIT, STARTUP,
 * STARTUP sequence of IPIs into the real-mode trampoline (trampoline.S),
 * which brings each into long mode and to x86_ap_entry. There the CPU
 * loads the kernel's page tables and its own GDT, TSS and IST stacks,
 * the IDT, its per-CPU pointer, the SYSCALL and control-register set-up
 * and its local APIC, and reports to smp.c.
 */
#include "trampoline.h"
#include "x86.h"

#include <arch/mmu.h>
#include <arch/smp.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/pmm.h>
#include <kernel/string.h>
#include <kernel/timer.h>
#include <kernel/vm.h>

#define ICR_INIT 0x00004500    /* INIT, level assert */
#define ICR_STARTUP 0x00004600 /* STARTUP; the low byte is the page */
#define EFER_LME (1u << 8)
#define EFER_NXE (1u << 11)
#define MSR_EFER 0xc0000080

extern const char x86_trampoline[], x86_trampoline_end[];
extern char boot_pml4[]; /* boot.S */

/* What x86_ap_entry needs that only the boot CPU knows. */
static uint64_t kernel_cr3;
static uint8_t *ist_of[CPUS_MAX];
static uint32_t apic_of[CPUS_MAX]; /* each CPU's local APIC id */

NORETURN void x86_ap_entry(struct cpu *c);

unsigned arch_cpus_present(void)
{
	return x86_madt.ncpus ? x86_madt.ncpus : 1;
}

static void delay_us(uint64_t us)
{
	uint64_t end = timer_now_ns() + us * 1000;

	while (timer_now_ns() < end)
		arch_cpu_relax();
}

int arch_cpu_start(struct cpu *c, uintptr_t stack_top)
{
	/* The MADT's CPUs but ours, in its order. */
	uint32_t me = apic_of[0] = x86_lapic_id(), apic = 0;
	for (unsigned i = 0, n = 0; i < x86_madt.ncpus; i++)
		if (x86_madt.apic_id[i] != me && ++n == c->id)
			apic = x86_madt.apic_id[i];
	uint64_t ist = pmm_alloc(3); /* 32 KiB: the three IST stacks */
	if (!ist)
		return -ENOMEM;
	apic_of[c->id] = apic;
	ist_of[c->id] = phys_to_virt(ist);
	kernel_cr3 = arch_kernel_root();

	size_t size = (size_t)(x86_trampoline_end - x86_trampoline);
	uint8_t *page = phys_to_virt(X86_TRAMPOLINE_PA);
	memcpy(page, x86_trampoline, size);
	struct x86_tramp_data *d = (void *)(page + size - sizeof(*d));
	*d = (struct x86_tramp_data){
	    .cr3 = (uint32_t)((uintptr_t)boot_pml4 - KERNEL_IMAGE_BASE),
	    .efer = EFER_LME | (uint32_t)(rdmsr(MSR_EFER) & EFER_NXE),
	    .stack = stack_top,
	    .entry = (uintptr_t)x86_ap_entry,
	    .cpu = (uintptr_t)c,
	};

	/* INIT, 10 ms, then STARTUP twice 200 us apart (the MP spec's
	 * sequence; a CPU that took the first ignores the second). */
	if (x86_lapic_ipi(apic, ICR_INIT))
		return -ETIMEDOUT;
	delay_us(10000);
	for (int i = 0; i < 2 && !smp_came_up(c, 0); i++) {
		if (x86_lapic_ipi(apic, ICR_STARTUP | (X86_TRAMPOLINE_PA >> 12)))
			return -ETIMEDOUT;
		delay_us(200);
	}
	/* TCG runs the CPUs in turn: give it time. */
	return smp_came_up(c, 1000) ? 0 : -ETIMEDOUT;
}

void x86_ap_entry(struct cpu *c)
{
	WRITE_CR(3, kernel_cr3);
	x86_gdt_init(c->id, ist_of[c->id]);
	x86_idt_load();
	arch_set_this_cpu(c);
	x86_user_init();
	x86_lapic_init_cpu();
	x86_timer_init_cpu();
	smp_cpu_up(c);
}

void arch_cpu_kick(struct cpu *c)
{
	x86_lapic_ipi(apic_of[c->id], VEC_KICK);
}

void arch_cpu_tlb_ipi(struct cpu *c)
{
	x86_lapic_ipi(apic_of[c->id], VEC_TLB);
}
