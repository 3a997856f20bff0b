/*
 * x86-64 time: the TSC is the nanosecond clock, the local APIC timer in
 * one-shot mode raises the deadline interrupt. Both are calibrated at boot
 * against the PIT (8254, 1.193182 MHz), a clock of known frequency.
 * Entry points: x86_lapic_init, the arch_timer_* seam, x86_lapic_eoi.
 */
#include "x86.h"

#include <arch/timer.h>
#include <kernel/fmt.h>
#include <kernel/panic.h>
#include <kernel/vm.h>

#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)

#define PIT_HZ 1193182u
#define CALIBRATE_MS 20u

static volatile uint32_t *lapic;
static uint64_t tsc_hz, lapic_hz;
static uint64_t tsc_to_ns_mult;  /* ns = tsc * mult >> 32 */
static uint64_t ns_to_lapic_mult; /* count = ns * mult >> 32 */
static char name[96];

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void x86_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t x86_lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
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
	/* The PIT's channel 0 may tick as the firmware left it: mode 0
	 * without a count keeps its output low, so its line (a spare a
	 * driver or test may attach, ioapic.c) stays quiet. */
	outb(0x43, 0x30);
}

void x86_lapic_init(void)
{
	uint64_t base = rdmsr(0x1b); /* IA32_APIC_BASE */

	pic_disable();
	wrmsr(0x1b, base | (1u << 11)); /* globally enabled, xAPIC mode */
	lapic = ioremap(base & ~0xfffull, PAGE_SIZE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
}

/* Count TSC and LAPIC ticks across CALIBRATE_MS of PIT channel 2. */
static void calibrate(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIBRATE_MS / 1000);

	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0); /* channel 2, lo/hi byte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint8_t gate = inb(0x61) & ~0x01;
	outb(0x61, gate); /* restart the count with a gate edge */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = rdtsc();
	outb(0x61, gate | 0x01);
	while (!(inb(0x61) & 0x20)) /* OUT2 rises at terminal count */
		;
	uint64_t t1 = rdtsc();
	uint32_t left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);

	tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
	lapic_hz = (uint64_t)(0xffffffffu - left) * 1000 / CALIBRATE_MS;
	if (!tsc_hz || !lapic_hz)
		panic("timer: calibration failed (tsc %llu Hz, lapic %llu Hz)",
		      (unsigned long long)tsc_hz, (unsigned long long)lapic_hz);
	tsc_to_ns_mult = (1000000000ull << 32) / tsc_hz;
	ns_to_lapic_mult = (lapic_hz << 32) / 1000000000ull;
}

uint64_t arch_timer_init(void)
{
	calibrate();
	fmt_snprintf(name, sizeof(name),
		     "TSC clock%s + LAPIC one-shot timer at %llu Hz (PIT-calibrated)",
		     x86_cpu.invariant_tsc ? " (invariant)" : "",
		     (unsigned long long)lapic_hz);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
	return tsc_hz;
}

uint64_t arch_timer_now_ns(void)
{
	return (uint64_t)(((unsigned __int128)rdtsc() * tsc_to_ns_mult) >> 32);
}

void arch_timer_arm(uint64_t deadline_ns)
{
	uint64_t now = arch_timer_now_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t count = (uint64_t)(((unsigned __int128)delta * ns_to_lapic_mult) >> 32);

	/* Zero would stop the timer; the counter is 32 bits. */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)MAX(1ull, MIN(count, 0xffffffffull)));
}

const char *arch_timer_name(void)
{
	return name;
}
