/*
 * FP/SIMD registers survive preemption: threads at equal RR priority run
 * the same long floating-point recurrence from different seeds while the
 * kernel switches between them; each must end with exactly the value the
 * main thread computed alone beforehand.
 */
#include <sys/neutrino.h>

#include "tap.h"

#define NTHREADS 4
#define STEPS 3000000

/* Never inlined: every call must run the very same instructions (an
 * inlined, differently contracted copy rounds differently). */
static __attribute__((noinline)) double recurrence(double seed)
{
	double x = seed, y = 1.0 / seed;

	for (int i = 0; i < STEPS; i++) {
		x = x * 1.0000001 + y;
		y = y * 0.9999999 - x * 1e-9;
	}
	return x + y;
}

static double expected[NTHREADS], got[NTHREADS];

static void *worker(void *arg)
{
	long i = (long)arg;

	got[i] = recurrence(1.5 + (double)i);
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

int main(void)
{
	struct _thread_attr a = {0};
	struct sched_param self;
	int tids[NTHREADS];

	tap_plan(NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		expected[i] = recurrence(1.5 + (double)i);

	/* Workers share one RR priority below ours: they preempt each other
	 * on slices while we wait in ThreadJoin. */
	SchedGet(0, 0, &self);
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_RR;
	a.__param.sched_priority = self.sched_priority > 1 ? self.sched_priority - 1 : 1;
	int ok = 1;
	for (long i = 0; i < NTHREADS; i++)
		ok &= (tids[i] = ThreadCreate(0, worker, (void *)i, &a)) > 0;
	CHECK(ok);
	for (int i = 0; i < NTHREADS; i++) {
		ThreadJoin(tids[i], NULL);
		CHECK(got[i] == expected[i]);
	}
	return tap_done();
}
