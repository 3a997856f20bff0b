/*
 * x86-64 local APIC (xAPIC, memory-mapped): enabling it on each CPU, the
 * end of interrupt, this CPU's APIC id, and inter-processor interrupts
 * (INIT and STARTUP to wake the other CPUs, smp.c). The legacy 8259s are
 * masked here too: the IOAPIC (ioapic.c) replaces them. The APIC timer
 * is timer.c's.
 */
#include "x86.h"

#include <kernel/timer.h>
#include <kernel/vm.h>

#define MSR_APIC_BASE 0x1b
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_PENDING (1u << 12)

static volatile uint32_t *lapic;

uint32_t x86_lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

void x86_lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void x86_lapic_eoi(void)
{
	x86_lapic_write(LAPIC_EOI, 0);
}

uint32_t x86_lapic_id(void)
{
	return x86_lapic_read(LAPIC_ID) >> 24;
}

/* The legacy 8259s: move their vectors clear of the exceptions, then
 * mask every line. */
static void pic_disable(void)
{
	static const uint8_t init[2][4] = {{0x11, VEC_PIC_BASE, 4, 1},
					   {0x11, VEC_PIC_BASE + 8, 2, 1}};
	for (int i = 0; i < 2; i++) {
		uint16_t cmd = i ? 0xa0 : 0x20, data = cmd + 1;
		outb(cmd, init[i][0]);
		for (int k = 1; k < 4; k++)
			outb(data, init[i][k]);
		outb(data, 0xff);
	}
	/* The PIT's channel 0 may tick as the firmware left it. Mode 0
	 * with a count of 1 raises its output once, within a microsecond,
	 * while its line (a spare a driver or test may attach, ioapic.c)
	 * is masked, and never again. The mode alone, without a count,
	 * would leave QEMU's PIT the firmware's next tick (up to 55 ms on),
	 * which then raises the output as mode 0's terminal count: an edge
	 * at a time no one can tell (test_intr saw it 2 to 4 ms after its
	 * attach). */
	outb(0x43, 0x30);
	outb(0x40, 1);
	outb(0x40, 0);
}

void x86_lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | (1u << 11)); /* globally enabled, xAPIC mode */
	x86_lapic_write(LAPIC_TPR, 0);
	x86_lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	x86_lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
}

void x86_lapic_init(void)
{
	pic_disable();
	/* Every CPU's APIC sits at the same address (its own). */
	lapic = ioremap(rdmsr(MSR_APIC_BASE) & ~0xfffull, PAGE_SIZE);
	x86_lapic_init_cpu();
}

int x86_lapic_ipi(uint32_t apic_id, uint32_t icr)
{
	uint64_t end = timer_now_ns() + 10000000; /* 10 ms */

	x86_lapic_write(LAPIC_ICR_HI, apic_id << 24);
	x86_lapic_write(LAPIC_ICR_LO, icr);
	while (x86_lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		if (timer_now_ns() > end)
			return -1;
	return 0;
}
