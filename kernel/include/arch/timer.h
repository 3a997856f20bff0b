/*
 * The arch seam, timer part: a monotonic nanosecond clock and a one-shot
 * timer interrupt. The arch calls timer_interrupt() (kernel/timer.c) when
 * the deadline passes.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <arch-inline.h> /* arch/<arch>/include: arch_timer_ticks */
#include <kernel/compiler.h>

/* Start the clock and the timer interrupt source; returns the clock's
 * counting frequency in Hz (for the banner). */
uint64_t arch_timer_init(void);
uint64_t arch_timer_now_ns(void);
/* The clock's raw count, in place (arch-inline.h: a register read), for
 * what is timed often and converted seldom (the kernel lock's counts);
 * and a count in ns. */
/* static inline unsigned long long arch_timer_ticks(void); */
uint64_t arch_timer_ticks_to_ns(uint64_t ticks);
/* Interrupt once the clock reaches deadline_ns (at once if already past).
 * UINT64_MAX means nothing is due: the arch may turn its timer off, or
 * still interrupt once its counter's range runs out, which the generic
 * code tolerates. */
void arch_timer_arm(uint64_t deadline_ns);
/* Short description of the timer hardware, for the banner. */
const char *arch_timer_name(void);

#endif
