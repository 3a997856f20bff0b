/* The kernel clock: a tick every TIMER_TICK_NS from the arch one-shot timer. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/compiler.h>

#define TIMER_TICK_NS 10000000ull /* 10 ms */

void timer_init(void);
void timer_interrupt(void); /* called by the arch, interrupts off */
uint64_t timer_ticks(void);

#endif
