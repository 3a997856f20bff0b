/*
 * FP/SIMD registers survive preemption: threads at equal RR priority run
 * the same long floating-point recurrence from different seeds while the
 * kernel switches between them; each must end with exactly the value the
 * main thread computed alone beforehand. They survive signal handlers
 * too: a 1 ms timer's signal interrupts the recurrence wherever it is,
 * in the workers as they preempt each other (each runs it again until a
 * signal has come, so a slow or busy host cannot make the test pass
 * untested), and its handler computes with the FP registers before
 * returning
 * (the kernel saves the state in the signal frame and loads it back;
 * with lazily switched FP/SIMD it must first make it the thread's own).
 * And the kernel's own use of them, x86-64's long message copies with
 * the SSE registers, leaves them as they were: a server receives and
 * answers 64 KiB messages with kernel calls made with a pattern in its
 * first four vector registers, which must still hold it after each.
 * And a thread that holds the registers but stops using them keeps its
 * state: it yields to a peer that never uses them, far more times than
 * the lazy switch keeps the registers open for it (FPU_RECENT), with a
 * pattern loaded before and read after.
 */
#include <signal.h>
#include <string.h>
#include <sys/kcallnr.h>
#include <sys/neutrino.h>
#include <time.h>

#include "rawcall.h"
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

#define BIG (64 * 1024)
static unsigned char big_in[BIG], big_out[BIG], big_reply[BIG], big_back[BIG];
static unsigned char pattern[64];
static volatile int simd_kept;

/* Kernel call nr (a0..a3) made with pattern in the first four vector
 * registers: whether they hold it after; *ret gets the call's value. */
static int call_keeps_simd(long nr, long a0, long a1, long a2, long a3, long *ret)
{
	unsigned char after[64];
#if defined(__x86_64__)
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = a2;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;

	__asm__ volatile("movdqu 0(%[p]), %%xmm0\n\tmovdqu 16(%[p]), %%xmm1\n\t"
			 "movdqu 32(%[p]), %%xmm2\n\tmovdqu 48(%[p]), %%xmm3\n\t"
			 "syscall\n\t"
			 "movdqu %%xmm0, 0(%[g])\n\tmovdqu %%xmm1, 16(%[g])\n\t"
			 "movdqu %%xmm2, 32(%[g])\n\tmovdqu %%xmm3, 48(%[g])"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
			 : [p] "r"(pattern), [g] "r"(after)
			 : "rcx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3");
	*ret = rax;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = 0;
	register long x5 __asm__("x5") = 0;

	__asm__ volatile("ldp q0, q1, [%[p]]\n\tldp q2, q3, [%[p], #32]\n\t"
			 "svc #0\n\t"
			 "stp q0, q1, [%[g]]\n\tstp q2, q3, [%[g], #32]"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 : "r"(x8), [p] "r"(pattern), [g] "r"(after)
			 : A64_KCALL_CLOBBERS, "memory", "cc", "v0", "v1", "v2", "v3");
	*ret = x0;
#endif
	return memcmp(after, pattern, sizeof(after)) == 0;
}

/* n SchedYields in a row made with pattern in the first four vector
 * registers, which nothing touches in between: whether they hold it
 * after. */
static int yields_keep_simd(long n)
{
	unsigned char after[64];
#if defined(__x86_64__)
	__asm__ volatile("movdqu 0(%[p]), %%xmm0\n\tmovdqu 16(%[p]), %%xmm1\n\t"
			 "movdqu 32(%[p]), %%xmm2\n\tmovdqu 48(%[p]), %%xmm3\n\t"
			 "1:\n\tmovl %[nr], %%eax\n\tsyscall\n\tdecq %[n]\n\tjnz 1b\n\t"
			 "movdqu %%xmm0, 0(%[g])\n\tmovdqu %%xmm1, 16(%[g])\n\t"
			 "movdqu %%xmm2, 32(%[g])\n\tmovdqu %%xmm3, 48(%[g])"
			 : [n] "+r"(n)
			 : [p] "r"(pattern), [g] "r"(after), [nr] "i"(__KER_SchedYield)
			 : "rax", X86_KCALL_CLOBBERS, "memory", "cc", "xmm0", "xmm1", "xmm2",
			   "xmm3");
#elif defined(__aarch64__)
	__asm__ volatile("ldp q0, q1, [%[p]]\n\tldp q2, q3, [%[p], #32]\n\t"
			 "1:\n\tmov x8, %[nr]\n\tsvc #0\n\tsubs %[n], %[n], #1\n\tb.ne 1b\n\t"
			 "stp q0, q1, [%[g]]\n\tstp q2, q3, [%[g], #32]"
			 : [n] "+r"(n)
			 : [p] "r"(pattern), [g] "r"(after), [nr] "i"(__KER_SchedYield)
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x8", A64_KCALL_CLOBBERS, "memory",
			   "cc", "v0", "v1", "v2", "v3");
#endif
	return memcmp(after, pattern, sizeof(after)) == 0;
}

static volatile int yielding;

/* Yields until told to stop; never touches the FP/SIMD registers. */
static void *yielder(void *arg)
{
	(void)arg;
	while (yielding)
		SchedYield();
	return NULL;
}

/* Three 64 KiB messages in, three 64 KiB replies out. */
static void *big_server(void *arg)
{
	long chid = (long)arg, rcvid, r;
	int ok = 1;

	for (int i = 0; i < 3; i++) {
		ok &= call_keeps_simd(__KER_KerMsgReceive, chid, (long)big_in, BIG, 0, &rcvid);
		ok &= rcvid > 0 && big_in[0] == (unsigned char)i &&
		      big_in[BIG - 1] == (unsigned char)i;
		memset(big_reply, 0x80 + i, BIG);
		ok &= call_keeps_simd(__KER_KerMsgReply, rcvid, 0, (long)big_reply, BIG, &r);
		ok &= r == 0;
	}
	simd_kept = ok;
	return NULL;
}

/* Runs of the recurrence until the timer's signal has been handled (a
 * wrong value ends them too): at most ROUNDS, so a timer that never
 * fires is a failure, not a hang. */
#define ROUNDS 50

static void *worker(void *arg)
{
	long i = (long)arg;
	int n = 0;

	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	do
		got[i] = recurrence(1.5 + (double)i);
	while (got[i] == expected[i] && !handled && ++n < ROUNDS);
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

int main(void)
{
	struct _thread_attr a = {0};
	struct sched_param self;
	int tids[NTHREADS];

	tap_plan(NTHREADS + 5);
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
	int ok =
	    timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0 && timer_settime(tm, 0, &v, NULL) == 0;
	for (long i = 0; i < NTHREADS; i++)
		ok &= (tids[i] = ThreadCreate(0, worker, (void *)i, &a)) > 0;
	CHECK(ok);
	for (int i = 0; i < NTHREADS; i++) {
		ThreadJoin(tids[i], NULL);
		CHECK(got[i] == expected[i]);
	}
	timer_delete(tm);
	CHECK(handled > 0);

	/* The kernel's long copies and the SIMD registers. */
	for (int i = 0; i < 64; i++)
		pattern[i] = (unsigned char)(0x35 + 7 * i);
	long chid = ChannelCreate(0);
	int coid = ConnectAttach(0, 0, (int)chid, _NTO_SIDE_CHANNEL, 0);
	struct _thread_attr sa2 = {0};
	int st = ThreadCreate(0, big_server, (void *)chid, &sa2);
	ok = chid > 0 && coid >= 0 && st > 0;
	for (int i = 0; i < 3 && ok; i++) {
		memset(big_out, i, BIG);
		ok &= MsgSend(coid, big_out, BIG, big_back, BIG) == 0;
		ok &= big_back[0] == 0x80 + i && big_back[BIG - 1] == 0x80 + i;
	}
	ThreadJoin(st, NULL);
	CHECK(ok);
	CHECK(simd_kept);

	/* The holder of the registers, no longer using them: its peer at
	 * our priority runs between our 100 yields (FIFO: we take turns). */
	struct sched_param fifo = {.sched_priority = self.sched_priority};
	struct _thread_attr ya = {0};
	ya.__flags = PTHREAD_EXPLICIT_SCHED;
	ya.__policy = SCHED_FIFO;
	ya.__param.sched_priority = self.sched_priority;
	int fifo_set = SchedSet(0, 0, SCHED_FIFO, &fifo) == 0;
	yielding = 1;
	int yt = ThreadCreate(0, yielder, NULL, &ya);
	int kept = yt > 0 && yields_keep_simd(100);
	yielding = 0;
	CHECK(fifo_set && kept && ThreadJoin(yt, NULL) == 0);
	return tap_done();
}
