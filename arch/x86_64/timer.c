/*
 * x86-64 time: the TSC is the nanosecond clock, the local APIC timer in
 * one-shot mode raises the deadline interrupt. Both are calibrated at boot
 * against the PIT (8254, 1.193182 MHz), a clock of known frequency.
 * Entry points: the arch_timer_* seam. The APIC itself is lapic.c's.
 */
#include "x86.h"

#include <arch/timer.h>
#include <kernel/fmt.h>
#include <kernel/panic.h>
#include <kernel/vm.h>

#define PIT_HZ 1193182u
#define CALIBRATE_MS 5u

static uint64_t tsc_hz, lapic_hz;
static uint64_t tsc_to_ns_mult;  /* ns = tsc * mult >> 32 */
static uint64_t ns_to_lapic_mult; /* count = ns * mult >> 32 */
static char name[96];

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
	x86_lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = arch_timer_ticks();
	outb(0x61, gate | 0x01);
	while (!(inb(0x61) & 0x20)) /* OUT2 rises at terminal count */
		;
	uint64_t t1 = arch_timer_ticks();
	uint32_t left = x86_lapic_read(LAPIC_TIMER_CUR);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);

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
	x86_timer_init_cpu();
	return tsc_hz;
}

void x86_timer_init_cpu(void)
{
	x86_lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
}

uint64_t arch_timer_ticks_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * tsc_to_ns_mult) >> 32);
}

uint64_t arch_timer_now_ns(void)
{
	return arch_timer_ticks_to_ns(arch_timer_ticks());
}

void arch_timer_arm(uint64_t deadline_ns)
{
	uint64_t now = arch_timer_now_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t count = (uint64_t)(((unsigned __int128)delta * ns_to_lapic_mult) >> 32);

	/* Zero would stop the timer; the counter is 32 bits. */
	x86_lapic_write(LAPIC_TIMER_INIT, (uint32_t)MAX(1ull, MIN(count, 0xffffffffull)));
}

const char *arch_timer_name(void)
{
	return name;
}
