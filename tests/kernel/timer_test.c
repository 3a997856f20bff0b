/* In-kernel tests of the clock and the tick interrupt. */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/timer.h>

KTEST(timer_clock_monotonic)
{
	uint64_t prev = arch_timer_now_ns();

	for (int i = 0; i < 10000; i++) {
		uint64_t now = arch_timer_now_ns();
		KT_ASSERT(now >= prev);
		prev = now;
	}
}

/* Over 100 ms of clock time, about 10 ticks arrive by interrupt. */
KTEST(timer_ticks_advance)
{
	uint64_t t0 = timer_ticks(), start = arch_timer_now_ns();

	while (arch_timer_now_ns() - start < 100000000ull)
		arch_wait_for_interrupt();
	uint64_t got = timer_ticks() - t0;
	KT_EXPECT(got >= 8);
	KT_EXPECT(got <= 12);
	if (got < 8 || got > 12)
		ktest_fail(__FILE__, __LINE__, "%llu ticks in 100 ms", (unsigned long long)got);
}
