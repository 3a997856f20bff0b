/*
 * The Arm generic timer as the kernel clock (arch/timer.h): CNTVCT_EL0 is
 * the monotonic count, the EL1 virtual timer (CNTV_*, PPI from the DTB,
 * normally INTID 27) the one-shot interrupt, each CPU its own.
 * Conversions are exact integer arithmetic split at whole seconds, so they
 * cannot overflow for any counter frequency below 18 GHz.
 */
#include <arch/timer.h>
#include <kernel/fmt.h>
#include <kernel/panic.h>
#include <kernel/timer.h>

#include "a64.h"

#define NS_PER_S	1000000000ull
#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK	(1u << 1)

static uint64_t freq;
static uint32_t intid = 27;
static char name[64];

void a64_timer_set_intid(uint32_t id)
{
	intid = id;
}

uint32_t a64_timer_intid(void)
{
	return intid;
}

uint64_t arch_timer_init(void)
{
	freq = read_sysreg(cntfrq_el0);
	/* Firmware should have set CNTFRQ; the DTB may carry it instead. */
	if (!freq)
		freq = a64_platform()->timer.clock_frequency;
	if (!freq)
		panic("timer: CNTFRQ_EL0 is 0 and the DTB gives no clock-frequency");
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	fmt_snprintf(name, sizeof(name), "generic timer (virtual, INTID %u)", intid);
	return freq;
}

void a64_timer_init_cpu(void)
{
	/* Its own timer, off until the kernel arms it here. */
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

uint64_t arch_timer_ticks_to_ns(uint64_t c)
{
	return c / freq * NS_PER_S + c % freq * NS_PER_S / freq;
}

uint64_t arch_timer_now_ns(void)
{
	return arch_timer_ticks_to_ns(arch_timer_ticks());
}

void arch_timer_arm(uint64_t deadline_ns)
{
	/* Nothing due: the timer off, not armed at the counter's end. (QEMU
	 * turns a compare value that far into a deadline at the end of its
	 * clock; under -icount with sleep=off an idle CPU warps the clock
	 * there, and the timer then fires and re-arms for ever with the
	 * emulator's lock held: make bench's boot to the shell hung, at
	 * the prompt, when its input came late.) */
	if (deadline_ns == UINT64_MAX) {
		write_sysreg(cntv_ctl_el0, 0);
		isb();
		return;
	}
	/* Round up, so the interrupt never comes before deadline_ns. Far
	 * deadlines saturate instead of wrapping around to an early
	 * interrupt. */
	uint64_t secs = deadline_ns / NS_PER_S;
	uint64_t ticks = secs > UINT64_MAX / freq - 1
				 ? UINT64_MAX
				 : secs * freq + (deadline_ns % NS_PER_S * freq + NS_PER_S - 1) / NS_PER_S;

	write_sysreg(cntv_cval_el0, ticks);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

const char *arch_timer_name(void)
{
	return name[0] ? name : "generic timer (virtual)";
}

/* The timer's interrupt: lower the (level) line, then let the kernel
 * clock run, which re-arms. */
void a64_timer_irq(void)
{
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	isb();
	timer_interrupt();
}
