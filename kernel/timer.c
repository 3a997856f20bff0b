/*
 * Kernel timers (see timer.h). Entry points: timer_init, ktimer_arm,
 * ktimer_cancel, timer_interrupt. The list is sorted by deadline, equal
 * deadlines in arming order; insertion is linear, which is fine at the
 * number of timers a small system has and keeps expiry O(1).
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/cpu.h>
#include <kernel/kprintf.h>
#include <kernel/timer.h>
#include <sys/ktypes.h>

#define NEVER UINT64_MAX

static struct list pending = LIST_INIT(pending);
static uint64_t fired;
static uint64_t realtime_offset;

uint64_t timer_realtime_offset(void)
{
	return realtime_offset;
}

void timer_set_realtime_offset(uint64_t offset)
{
	realtime_offset = offset;
}

uint64_t timer_monotonic_deadline(int clock, uint64_t abs)
{
	if (clock != CLOCK_REALTIME)
		return abs ? abs : 1;
	/* Before the monotonic clock's start: already past. */
	return abs > realtime_offset ? abs - realtime_offset : 1;
}

void timer_init(void)
{
	uint64_t hz = arch_timer_init();

	kprintf("timer: %s, clock %llu Hz, tickless\n", arch_timer_name(), (unsigned long long)hz);
}

uint64_t timer_now_ns(void)
{
	return arch_timer_now_ns();
}

static struct ktimer *first(void)
{
	return list_empty(&pending) ? NULL : list_entry(pending.next, struct ktimer, link);
}

void ktimer_arm(struct ktimer *t, uint64_t deadline, void (*fn)(struct ktimer *t))
{
	unsigned long irq = arch_irq_save();
	struct list *pos = &pending;

	if (t->armed)
		list_remove(&t->link);
	t->deadline = deadline;
	t->fn = fn;
	t->armed = true;
	list_for_each(it, &pending)
	{
		if (list_entry(it, struct ktimer, link)->deadline > deadline) {
			pos = it;
			break;
		}
	}
	list_insert_before(pos, &t->link);
	if (first() == t)
		arch_timer_arm(deadline);
	arch_irq_restore(irq);
}

void ktimer_cancel(struct ktimer *t)
{
	unsigned long irq = arch_irq_save();

	if (t->armed) {
		list_remove(&t->link);
		t->armed = false;
	}
	/* The hardware may still fire for it; timer_interrupt copes. */
	arch_irq_restore(irq);
}

void timer_interrupt(void)
{
	uint64_t now = arch_timer_now_ns();
	struct ktimer *t;

	/* In a kernel call's interrupt window its objects are half written:
	 * the expiries wait for the end of the call (syscall_dispatch). */
	if (this_cpu()->in_window) {
		this_cpu()->deferred |= DEFER_TIMERS;
		arch_timer_arm(NEVER);
		return;
	}
	while ((t = first()) && t->deadline <= now) {
		list_remove(&t->link);
		t->armed = false;
		fired++;
		t->fn(t);
	}
	t = first();
	arch_timer_arm(t ? t->deadline : NEVER);
}

uint64_t timer_fired_count(void)
{
	return fired;
}
