/*
 * Kernel timers: one-shot deadlines on the monotonic nanosecond clock, kept
 * in a deadline-sorted list; the hardware is armed for the earliest only
 * (tickless: no interrupt when nothing is due). Handlers run in the timer
 * interrupt with interrupts off and must be short.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/compiler.h>
#include <kernel/list.h>

struct ktimer {
	uint64_t deadline;             /* ns on the monotonic clock */
	void (*fn)(struct ktimer *t); /* runs once the deadline has passed */
	struct list link;              /* in the pending list while armed */
	bool armed;
};

void timer_init(void);
uint64_t timer_now_ns(void);
/* (Re)arm t for deadline; a timer already armed is moved. */
void ktimer_arm(struct ktimer *t, uint64_t deadline, void (*fn)(struct ktimer *t));
void ktimer_cancel(struct ktimer *t);
/* Called by the arch's timer interrupt, interrupts off. */
void timer_interrupt(void);
/* CLOCK_REALTIME is the monotonic clock plus this offset (ClockTime sets it). */
uint64_t timer_realtime_offset(void);
void timer_set_realtime_offset(uint64_t offset);
/* An absolute time on clock (CLOCK_REALTIME or CLOCK_MONOTONIC) as a
 * monotonic deadline; a time already past gives one in the past (never
 * 0, which means "no deadline"). */
uint64_t timer_monotonic_deadline(int clock, uint64_t abs);
/* Timer expiries so far (tests, statistics). */
uint64_t timer_fired_count(void);

#endif
