/*
 * The kernel clock. For now a fixed tick driven by re-arming the arch's
 * one-shot timer; deadlines are absolute so the tick does not drift with
 * interrupt latency. Entry points: timer_init, timer_interrupt, timer_ticks.
 */
#include <arch/timer.h>
#include <kernel/kprintf.h>
#include <kernel/timer.h>

static volatile uint64_t ticks;
static uint64_t next_deadline;

void timer_init(void)
{
	uint64_t hz = arch_timer_init();

	kprintf("timer: %s, clock %llu Hz, tick %llu ms\n", arch_timer_name(),
		(unsigned long long)hz, (unsigned long long)(TIMER_TICK_NS / 1000000));
	next_deadline = arch_timer_now_ns() + TIMER_TICK_NS;
	arch_timer_arm(next_deadline);
}

void timer_interrupt(void)
{
	uint64_t now = arch_timer_now_ns();

	/* Count every period that passed, even if interrupts were held off. */
	while (next_deadline <= now) {
		ticks++;
		next_deadline += TIMER_TICK_NS;
	}
	arch_timer_arm(next_deadline);
}

uint64_t timer_ticks(void)
{
	return ticks;
}
