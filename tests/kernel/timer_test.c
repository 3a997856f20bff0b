/* In-kernel tests of the clock and kernel timers. */
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

static uint64_t fired_at[4];
static int order[4], nfired;

static void record(struct ktimer *t);
static struct ktimer timers[4];

static void record(struct ktimer *t)
{
	int i = (int)(t - timers);

	fired_at[i] = arch_timer_now_ns();
	order[nfired++] = i;
}

/* Timers armed out of order fire in deadline order, none early, and a
 * cancelled one never. */
KTEST(timer_deadlines_in_order)
{
	uint64_t now = arch_timer_now_ns(), ms = 1000000;
	uint64_t due[4] = {now + 30 * ms, now + 10 * ms, now + 20 * ms, now + 15 * ms};
	uint64_t count = timer_fired_count();

	nfired = 0;
	for (int i = 0; i < 4; i++)
		ktimer_arm(&timers[i], due[i], record);
	ktimer_cancel(&timers[3]);
	while (nfired < 3 && arch_timer_now_ns() - now < 2000 * ms)
		arch_wait_for_interrupt();
	KT_ASSERT_EQ(nfired, 3);
	KT_EXPECT_EQ(order[0], 1);
	KT_EXPECT_EQ(order[1], 2);
	KT_EXPECT_EQ(order[2], 0);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(fired_at[i] >= due[i]);
	KT_EXPECT_EQ(timer_fired_count() - count, 3);
	KT_EXPECT(!timers[3].armed);
}

/* Re-arming moves a timer instead of queueing it twice: with a sentinel
 * after the old deadline, the moved timer fires once, then the sentinel. */
KTEST(timer_rearm_moves)
{
	uint64_t now = arch_timer_now_ns(), ms = 1000000;

	nfired = 0;
	ktimer_arm(&timers[0], now + 50 * ms, record);
	ktimer_arm(&timers[0], now + 5 * ms, record);
	ktimer_arm(&timers[1], now + 60 * ms, record);
	while (nfired < 2 && arch_timer_now_ns() - now < 2000 * ms)
		arch_wait_for_interrupt();
	KT_ASSERT_EQ(nfired, 2);
	KT_EXPECT_EQ(order[0], 0);
	KT_EXPECT_EQ(order[1], 1);
	KT_EXPECT(fired_at[0] >= now + 5 * ms);
	KT_EXPECT(fired_at[0] < now + 50 * ms);
}
