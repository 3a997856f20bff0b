/*
 * Threads from user mode: ThreadCreate/ThreadJoin in numbers, exit values
 * delivered (by return through the exit function and by ThreadDestroy),
 * QNX's join errors, detach, and the thread count back to its baseline.
 */
#include <errno.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "settle.h"
#include "counts.h"
#include "tap.h"

#define MANY 64

/* A return from a thread function lands here (the kernel makes it the
 * return address). The value returned is not portably in our argument
 * register, so the marker says "came back by return". */
static void returned(void *ignored)
{
	(void)ignored;
	ThreadDestroy(0, -1, (void *)77);
}

static void *times_three(void *arg)
{
	ThreadDestroy(0, -1, (void *)((long)arg * 3));
	return NULL; /* never reached */
}

static void *just_return(void *arg)
{
	return arg;
}

static void *destroy_self(void *arg)
{
	ThreadDestroy(0, -1, (void *)((long)arg + 1000));
	return NULL; /* never reached */
}

static volatile int spin_go;

static void *wait_for_go(void *arg)
{
	(void)arg;
	while (!spin_go)
		SchedYield();
	return (void *)7;
}

int main(void)
{
	struct _thread_attr attr = {0};
	int tids[MANY];
	void *status;

	tap_plan(19);
	attr.__exitfunc = returned;
	struct ker_info_counts before = counts();

	/* Many threads, each returning its argument times three. */
	int created = 0, joined_right = 0;
	for (long i = 0; i < MANY; i++) {
		tids[i] = ThreadCreate(0, times_three, (void *)i, &attr);
		created += tids[i] > 0;
	}
	CHECK_EQ(created, MANY);
	CHECK_EQ(counts().threads, before.threads + MANY);
	for (long i = 0; i < MANY; i++)
		if (ThreadJoin(tids[i], &status) == 0 && (long)status == i * 3)
			joined_right++;
	CHECK_EQ(joined_right, MANY);

	/* Returning from the thread function goes to the exit function. */
	int r = ThreadCreate(0, just_return, NULL, &attr);
	CHECK_EQ(ThreadJoin(r, &status), 0);
	CHECK_EQ((long)status, 77);

	/* ThreadDestroy(0, ...) ends the caller with that value. */
	int t = ThreadCreate(0, destroy_self, (void *)5, &attr);
	CHECK(t > 0);
	CHECK_EQ(ThreadJoin(t, &status), 0);
	CHECK_EQ((long)status, 1005);

	/* Join errors, QNX's: self EDEADLK, unknown ESRCH, twice ESRCH
	 * (the first join freed it), detached EINVAL. */
	CHECK(ThreadJoin(1, NULL) == -1 && errno == EDEADLK);
	CHECK(ThreadJoin(999, NULL) == -1 && errno == ESRCH);
	CHECK_EQ(ThreadJoin_r(t, NULL), -ESRCH);

	struct _thread_attr det = attr;
	det.__flags = PTHREAD_CREATE_DETACHED;
	spin_go = 0;
	t = ThreadCreate(0, wait_for_go, NULL, &det);
	CHECK(t > 0);
	CHECK_EQ(ThreadJoin_r(t, NULL), -EINVAL);
	CHECK_EQ(ThreadDetach_r(t), -EINVAL); /* already detached */
	spin_go = 1;

	/* ThreadDetach of a joinable thread, then it ends on its own. */
	spin_go = 0;
	t = ThreadCreate(0, wait_for_go, NULL, &attr);
	CHECK_EQ(ThreadDetach(t), 0);
	spin_go = 1;

	/* Bad arguments: EFAULT for a kernel pointer, EINVAL for no code. */
	CHECK_EQ(ThreadCreate_r(0, times_three, NULL, (void *)0xffff800000001000ul), -EFAULT);
	CHECK_EQ(ThreadCreate_r(0, NULL, NULL, &attr), -EINVAL);
	/* We run as pid 1, privileged: another pid is allowed but must
	 * exist (EPERM for the unprivileged is the spawn test's). */
	CHECK_EQ(ThreadCreate_r(12345, times_three, NULL, &attr), -ESRCH);

	/* Let the detached ones finish, then everything is back. */
	settle_threads(before.threads);
	struct ker_info_counts after = counts();
	/* Pages are checked across whole processes (the spawn test): page
	 * tables made for thread stacks stay until the process ends. */
	CHECK_EQ(after.threads, before.threads);
	return tap_done();
}
