/*
 * In-kernel tests of kernel threads and the scheduler. The test runner is a
 * FIFO thread at priority 10; workers below it run only when it blocks,
 * workers above it preempt it at once.
 */
#include <arch/timer.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

#define MS 1000000ull

static char log_buf[256];
static volatile int log_len;

static void log_char(char c)
{
	if (log_len < (int)sizeof(log_buf) - 1)
		log_buf[log_len++] = c;
}

static void log_reset(void)
{
	log_len = 0;
}

static void double_it(void *arg)
{
	thread_exit((void *)((uintptr_t)arg * 2));
}

KTEST(sched_create_join_many)
{
	struct thread *t[100];
	uint64_t threads = thread_count(), pages = pmm_free_pages();

	for (uintptr_t i = 0; i < 100; i++) {
		t[i] = kthread_create(double_it, (void *)i, 5, SCHED_FIFO);
		KT_ASSERT(t[i] != NULL);
		KT_EXPECT_EQ(t[i]->state, STATE_READY); /* below us: not yet run */
	}
	KT_EXPECT_EQ(thread_count(), threads + 100);
	for (uintptr_t i = 0; i < 100; i++) {
		void *v = NULL;
		KT_EXPECT_EQ(thread_join(t[i], &v), 0);
		KT_EXPECT_EQ((uintptr_t)v, i * 2);
	}
	KT_EXPECT_EQ(thread_count(), threads);
	KT_EXPECT_EQ(pmm_free_pages(), pages);
}

static struct thread *waiter_target;
static volatile int waiter_result;

static void join_waiter(void *arg)
{
	(void)arg;
	waiter_result = thread_join(waiter_target, NULL);
}

static void sleeper(void *arg)
{
	thread_sleep_until(timer_now_ns() + (uintptr_t)arg);
}

KTEST(sched_join_errors)
{
	KT_EXPECT_EQ(thread_join(current_thread(), NULL), -EDEADLK);

	/* A second joiner gets EBUSY; the first one gets the thread. */
	struct thread *target = kthread_create(sleeper, (void *)(20 * MS), 5, SCHED_FIFO);
	KT_ASSERT(target != NULL);
	waiter_target = target;
	waiter_result = 1;
	struct thread *w = kthread_create(join_waiter, NULL, 20, SCHED_FIFO);
	KT_ASSERT(w != NULL);
	/* w outranked us, ran, and is now JOIN-blocked on target. */
	KT_EXPECT_EQ(w->state, STATE_JOIN);
	KT_EXPECT_EQ(thread_join(target, NULL), -EBUSY);
	KT_EXPECT_EQ(thread_join(w, NULL), 0); /* after target ends, w ends */
	KT_EXPECT_EQ(waiter_result, 0);

	/* Detached threads cannot be joined, and free themselves. */
	uint64_t threads = thread_count();
	struct thread *d = kthread_create(sleeper, (void *)(5 * MS), 5, SCHED_FIFO);
	KT_ASSERT(d != NULL);
	d->detached = true;
	KT_EXPECT_EQ(thread_join(d, NULL), -EINVAL);
	thread_sleep_until(timer_now_ns() + 20 * MS);
	/* d's deadline came first, so it is ready, but below us: when the
	 * timer fires late both wake at once and we run first. Step below it
	 * so it ends (and is freed as we run again). */
	sched_set(current_thread(), 4, SCHED_NOCHANGE);
	sched_preempt_point();
	sched_set(current_thread(), 10, SCHED_NOCHANGE);
	KT_EXPECT_EQ(thread_count(), threads);
}

static void mark(void *arg)
{
	log_char((char)(uintptr_t)arg);
}

KTEST(sched_higher_priority_preempts_at_once)
{
	log_reset();
	log_char('a');
	struct thread *t = kthread_create(mark, (void *)'H', 20, SCHED_FIFO);
	log_char('b');
	KT_ASSERT(t != NULL);
	KT_EXPECT_EQ(log_len, 3);
	KT_EXPECT_EQ(log_buf[1], 'H'); /* ran between a and b */
	KT_EXPECT_EQ(t->state, STATE_DEAD);
	KT_EXPECT_EQ(thread_join(t, NULL), 0);
}

/* Spin, logging our letter whenever we get the CPU back from someone else,
 * until the log shows `turns` turns or `ms` of clock time pass. Ending on
 * turns, not time, keeps the test honest when the host stalls the
 * emulator and the clock jumps. */
struct spinner {
	char id;
	uint64_t ms;
	int turns;
};

static void spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t end = arch_timer_now_ns() + s->ms * MS;

	while (log_len < s->turns && arch_timer_now_ns() < end)
		if (log_len == 0 || log_buf[log_len - 1] != s->id)
			log_char(s->id);
}

static int runs(void)
{
	return log_len;
}

KTEST(sched_fifo_runs_until_it_blocks)
{
	struct spinner a = {'A', 30, 6}, b = {'B', 30, 6};

	log_reset();
	struct thread *ta = kthread_create(spin, &a, 5, SCHED_FIFO);
	struct thread *tb = kthread_create(spin, &b, 5, SCHED_FIFO);
	KT_ASSERT(ta && tb);
	thread_join(ta, NULL); /* we block: A runs to the end, then B */
	thread_join(tb, NULL);
	KT_EXPECT_EQ(runs(), 2);
	KT_EXPECT_EQ(log_buf[0], 'A');
	KT_EXPECT_EQ(log_buf[1], 'B');
}

KTEST(sched_rr_shares_equal_priority)
{
	struct spinner a = {'A', 2000, 6}, b = {'B', 2000, 6};

	log_reset();
	struct thread *ta = kthread_create(spin, &a, 5, SCHED_RR);
	struct thread *tb = kthread_create(spin, &b, 5, SCHED_RR);
	KT_ASSERT(ta && tb);
	thread_join(ta, NULL);
	thread_join(tb, NULL);
	/* 4 ms slices: they take turns until the log has 6 (without
	 * slicing, A would spin 2 s alone: 2 turns). */
	KT_EXPECT(runs() >= 6);
	if (runs() < 6)
		ktest_fail(__FILE__, __LINE__, "only %d turns: %s", runs(), log_buf);
}

KTEST(sched_priority_change_takes_effect)
{
	log_reset();
	struct thread *t = kthread_create(mark, (void *)'P', 5, SCHED_FIFO);
	KT_ASSERT(t != NULL);
	KT_EXPECT_EQ(log_len, 0); /* below us: waiting */
	sched_set(t, 30, SCHED_NOCHANGE);
	sched_preempt_point(); /* a kernel thread's switch point */
	KT_EXPECT_EQ(log_len, 1); /* above us now: ran at once */
	KT_EXPECT_EQ(thread_join(t, NULL), 0);

	/* Lowering ourselves below a READY thread yields to it at once. */
	log_reset();
	t = kthread_create(mark, (void *)'L', 8, SCHED_FIFO);
	KT_ASSERT(t != NULL);
	sched_set(current_thread(), 7, SCHED_NOCHANGE);
	sched_preempt_point();
	KT_EXPECT_EQ(log_len, 1);
	sched_set(current_thread(), 10, SCHED_NOCHANGE);
	KT_EXPECT_EQ(thread_join(t, NULL), 0);
}

KTEST(sched_sleep_not_early)
{
	uint64_t t0 = arch_timer_now_ns();

	thread_sleep_until(timer_now_ns() + 20 * MS);
	uint64_t slept = arch_timer_now_ns() - t0;
	KT_EXPECT(slept >= 20 * MS);
	KT_EXPECT(slept < 500 * MS);
	KT_EXPECT_EQ(current_thread()->state, STATE_RUNNING);
}
