/*
 * Thread functions that return (issue 10, defect 9). A return ends the
 * thread as ThreadDestroy(0, -1, value) would, as QNX does: libc supplies
 * the exit function when the attributes give none. Checked with a NULL
 * attr, with an attr whose __exitfunc is NULL (kernel-mapped stack, and a
 * stack of ours whose top is not 16-aligned), for joinable threads (the
 * value reaches ThreadJoin) and detached ones (the process lives on);
 * inside each thread function the stack is aligned as the ABI wants at a
 * function's first instruction (x86-64: rsp + 8 a multiple of 16;
 * aarch64: sp a multiple of 16), seen through the frame address and an
 * SSE-aligned local; a process whose threads return exits with main's
 * status; thread and process counts come back to their baseline.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "../../proc/proc.h"
#include "settle.h"
#include "counts.h"
#include "tap.h"

#define EXITED(code) ((code) << 8)
#define MANY	     32

static struct ifs fs;

/* The value, hidden from the optimiser (it may not fold an alignment
 * test on an address it knows to be aligned). */
static inline uintptr_t opaque(uintptr_t v)
{
	__asm__ volatile("" : "+r"(v));
	return v;
}

typedef float v4sf __attribute__((vector_size(16)));

/* A 16-byte vector local: on x86-64 the compiler keeps it with movaps,
 * which faults on a misaligned stack. Returns its address's low bits. */
static __attribute__((noinline)) unsigned sse_local(float x)
{
	volatile v4sf v = {x, x, x, x};
	v4sf w = v;
	v = w + w;
	return (unsigned)(opaque((uintptr_t)&v) & 15);
}

static volatile int misaligned; /* bad frames seen by thread functions */

/*
 * Return arg + 1, after checking our own frame: the frame pointer is the
 * stack pointer at entry less the return address (x86-64) or less the
 * frame record (aarch64), both 16-aligned exactly when the entry
 * alignment was right.
 */
static void *plus_one(void *arg)
{
	if (opaque((uintptr_t)__builtin_frame_address(0)) & 15)
		misaligned++;
	if (sse_local((float)(long)arg))
		misaligned++;
	return (void *)((long)arg + 1);
}

static char own_stack[16 * 1024] __attribute__((aligned(16)));

/* Create a thread running plus_one(arg) with attr, join it and return
 * the value it gave (or -1000 - errno). */
static long join_value(const struct _thread_attr *attr, long arg)
{
	void *v = NULL;
	int t = ThreadCreate(0, plus_one, (void *)arg, attr);

	if (t <= 0)
		return -1000 - errno;
	if (ThreadJoin(t, &v))
		return -1000 - errno;
	return (long)v;
}

int main(void)
{
	struct _thread_attr attr = {0};

	tap_plan(15);
	proc_open_image(&fs);
	/* Warm the caches of kernel objects, then take the baseline. */
	join_value(NULL, 0);
	struct ker_info_counts before = counts();

	misaligned = 0;
	CHECK_EQ(join_value(NULL, 41), 42);
	CHECK_EQ(misaligned, 0);

	/* An attr with no exit function: a kernel-mapped stack of our size. */
	attr.__stacksize = 64 * 1024;
	misaligned = 0;
	CHECK_EQ(join_value(&attr, 99), 100);
	CHECK_EQ(misaligned, 0);

	/* Our own stack, its top 8 bytes off 16: the kernel aligns it down,
	 * then the return address goes below. */
	attr.__stackaddr = own_stack;
	attr.__stacksize = sizeof(own_stack) - 8;
	misaligned = 0;
	CHECK_EQ(join_value(&attr, 7), 8);
	CHECK_EQ(misaligned, 0);
	attr.__stackaddr = NULL;
	attr.__stacksize = 0;

	/* Many at once, each with its own value. */
	int tids[MANY], created = 0, right = 0;
	misaligned = 0;
	for (long i = 0; i < MANY; i++)
		created += (tids[i] = ThreadCreate(0, plus_one, (void *)(i * 10), NULL)) > 0;
	CHECK_EQ(created, MANY);
	for (long i = 0; i < MANY; i++) {
		void *v = NULL;
		right += tids[i] > 0 && ThreadJoin(tids[i], &v) == 0 && (long)v == i * 10 + 1;
	}
	CHECK_EQ(right, MANY);
	CHECK_EQ(misaligned, 0);

	/* Detached: the return ends the thread, and only it. */
	struct _thread_attr det = {0};
	det.__flags = PTHREAD_CREATE_DETACHED;
	misaligned = 0;
	int t = ThreadCreate(0, plus_one, (void *)5, &det);
	CHECK(t > 0);
	CHECK_EQ(settle_threads(before.threads), before.threads);
	CHECK_EQ(misaligned, 0);
	CHECK_EQ(ThreadJoin_r(t, NULL), -ESRCH); /* gone, not joinable */

	/* A whole process: a detached thread and a joined one return, main
	 * returns the joined one's value. */
	char *argv[] = {"child", "thread-return", NULL};
	int status = -1;
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);
	CHECK(pid > 0 && ProcWait(pid, &status) == pid && status == EXITED(42));
	if (status != EXITED(42))
		printf("#   child's wait status 0x%x\n", status);

	struct ker_info_counts after = counts();
	CHECK(after.threads == before.threads && after.processes == before.processes);
	return tap_done();
}
