/*
 * FP/SIMD registers survive preemption: threads at equal RR priority run
 * the same long floating-point recurrence from different seeds while the
 * kernel switches between them; each must end with exactly the value the
 * main thread computed alone beforehand. They survive signal handlers
 * too: a 1 ms timer's signal interrupts the recurrence wherever it is,
 * in the workers as they preempt each other and then in the main thread
 * alone, and its handler computes with the FP registers before returning
 * (the kernel saves the state in the signal frame and loads it back;
 * with lazily switched FP/SIMD it must first make it the thread's own).
 */
#include <signal.h>
#include <sys/neutrino.h>
#include <time.h>

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
static volatile int handled;
static volatile double scratch;

/* Every FP register the compiler uses here is clobbered. */
static void on_tick(int signo)
{
	double a = signo, b = 0.25;

	for (int i = 0; i < 200; i++) {
		a = a * 1.5 - b;
		b = b * 0.5 + a * 1e-3;
	}
	scratch = a + b;
	handled++;
}

static sigset_t usr1;

static void *worker(void *arg)
{
	long i = (long)arg;

	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	got[i] = recurrence(1.5 + (double)i);
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

int main(void)
{
	struct _thread_attr a = {0};
	struct sched_param self;
	int tids[NTHREADS];

	tap_plan(NTHREADS + 3);
	for (int i = 0; i < NTHREADS; i++)
		expected[i] = recurrence(1.5 + (double)i);

	/* Workers share one RR priority below ours: they preempt each other
	 * on slices while we wait in ThreadJoin. */
	SchedGet(0, 0, &self);
	a.__flags = PTHREAD_EXPLICIT_SCHED;
	a.__policy = SCHED_RR;
	a.__param.sched_priority = self.sched_priority > 1 ? self.sched_priority - 1 : 1;
	/* The timer's SIGUSR1 goes to the workers while we wait. */
	struct sigaction sa = {.sa_handler = on_tick};
	struct sigevent ev;
	struct itimerspec v = {.it_value = {0, 1000000}, .it_interval = {0, 1000000}};
	timer_t tm;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	SIGEV_SIGNAL_INIT(&ev, SIGUSR1);
	sigaction(SIGUSR1, &sa, NULL);
	int ok = timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0 && timer_settime(tm, 0, &v, NULL) == 0;
	for (long i = 0; i < NTHREADS; i++)
		ok &= (tids[i] = ThreadCreate(0, worker, (void *)i, &a)) > 0;
	CHECK(ok);
	for (int i = 0; i < NTHREADS; i++) {
		ThreadJoin(tids[i], NULL);
		CHECK(got[i] == expected[i]);
	}
	int in_workers = handled;

	/* The recurrence again, here, alone, under the same signal. */
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	double alone = recurrence(1.5);
	timer_delete(tm);
	CHECK(in_workers > 0 && handled > in_workers);
	CHECK(alone == expected[0]);
	return tap_done();
}
