/*
 * The helper the spawn and isolation tests start: argv[1] says what to do,
 * the exit status says how it went (0 = as expected).
 *   eperm        every privileged call must fail with EPERM
 *   peek A S     read the word at address A; fail if it equals S (then it
 *                would have seen another process's memory)
 *   poke A       write to address A (in our own space, if mapped at all)
 *   fault        write to a kernel address: must be killed by SIGSEGV
 *   kptr         a kernel pointer given to a kernel call gets EFAULT
 *   undef        execute an undefined instruction: killed by SIGILL
 *   divzero      divide by zero: SIGFPE on x86-64; aarch64 does not trap
 *                (the quotient is 0), so there it exits 0
 *   fpu SEED     run a long FP recurrence twice, while other processes do
 *                the same: exit 0 only if both runs agree exactly
 *   lastthread   a joinable thread returns unjoined, then main calls
 *                ThreadDestroy(0): the process ends with status 5
 *   exit0        exit with status 0 at once
 *   hold         channel 1: take one message and hold it, asleep (never
 *                reply)
 *   threadflood  ThreadCreate until EAGAIN: exit 0 if that came at the
 *                limit of 256 threads a process (none may come sooner)
 *   memflood     threads with 64 MiB stacks until EAGAIN: exit 0 if that
 *                came while a quarter of all pages was still free
 *   qemu-exit    end QEMU with success the way the kernel does (aarch64:
 *                semihosting SYS_EXIT with status 0; x86-64: 0 to
 *                isa-debug-exit): refused to user mode, so killed by
 *                SIGILL (aarch64) or SIGSEGV (x86-64, port I/O)
 *   psci-off     aarch64: PSCI SYSTEM_OFF through HVC, the conduit of QEMU
 *                virt (QEMU would exit 0): UNDEFINED at EL0, so SIGILL
 *   stress-server  channel 1 served by 4 threads (test_msg_stress): each
 *                request {seq, client, len, bytes} is answered with the
 *                bytes reversed and their sum; a request of client -1 ends
 *                the server, exiting with 0 if it served exactly the count
 *                that request carries
 */
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

/* Never inlined: every call must run the very same instructions (an
 * inlined, differently contracted copy rounds differently). */
static __attribute__((noinline)) double recurrence(double seed)
{
	double x = seed, y = 1.0 / seed;

	for (int i = 0; i < 2000000; i++) {
		x = x * 1.0000001 + y;
		y = y * 0.9999999 - x * 1e-9;
	}
	return x + y;
}

struct stress_req {
	int32_t seq, client, len, pad;
	uint8_t data[4096];
};
struct stress_reply {
	int32_t seq, sum;
	uint8_t data[4096];
};

static int stress_chid;
static volatile long served;

static void *stress_serve(void *arg)
{
	static struct stress_req reqs[4];
	static struct stress_reply reps[4];
	long me = (long)arg;
	struct stress_req *q = &reqs[me];
	struct stress_reply *r = &reps[me];

	for (;;) {
		int rcvid = KerMsgReceive(stress_chid, q, -(long)sizeof(*q), NULL, 0);
		if (rcvid <= 0)
			continue;
		if (q->client == -1) {
			int ok = served == q->seq;
			KerMsgReply(rcvid, 0, NULL, 0);
			_exit(ok ? 0 : 3);
		}
		if (q->len < 0 || q->len > 4096) {
			MsgError(rcvid, EINVAL);
			continue;
		}
		r->seq = q->seq;
		r->sum = 0;
		for (int i = 0; i < q->len; i++) {
			r->data[i] = q->data[q->len - 1 - i];
			r->sum += q->data[i];
		}
		__atomic_add_fetch(&served, 1, __ATOMIC_RELAXED);
		KerMsgReply(rcvid, q->client, r, -(long)(8 + q->len));
	}
	return NULL;
}

static void *nothing(void *a)
{
	return a;
}

static void thread_end(void *v)
{
	ThreadDestroy(0, -1, v);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "eperm")) {
		struct sched_param p = {.sched_priority = 10};
		int bad = 0;
		bad += ProcCreate_r("x") != -EPERM;
		bad += ProcMemMap_r(1, 0x10000000, 4096, PROT_READ) != -EPERM;
		bad += ProcMemWrite_r(1, 0x10000000, "x", 1) != -EPERM;
		bad += ProcWait_r(-1, NULL) != -EPERM;
		bad += ProcDestroy_r(1, 0) != -EPERM;
		bad += ThreadCreate_r(1, nothing, NULL, NULL) != -EPERM;
		bad += SchedSet_r(1, 1, SCHED_FIFO, &p) != -EPERM;
		/* Above 63 needs the priority ability; 63 itself does not. */
		struct sched_param hi = {.sched_priority = 64}, ok63 = {.sched_priority = 63};
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &hi) != -EPERM;
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &ok63) != 0;
		bad += SchedSet_r(0, 0, SCHED_NOCHANGE, &p) != 0;
		struct _thread_attr a = {0};
		a.__flags = PTHREAD_EXPLICIT_SCHED;
		a.__policy = SCHED_FIFO;
		a.__param.sched_priority = 70;
		bad += ThreadCreate_r(0, nothing, NULL, &a) != -EPERM;
		/* Setting CLOCK_REALTIME needs the clock ability. */
		uint64_t now = 1;
		bad += ClockTime_r(CLOCK_REALTIME, &now, NULL) != -EPERM;
		bad += ClockTime_r(CLOCK_REALTIME, NULL, &now) != 0;
		return bad;
	}
	if (!strcmp(argv[1], "peek") && argc == 4) {
		volatile unsigned long *a = (void *)strtoul(argv[2], NULL, 0);
		return *a == strtoul(argv[3], NULL, 0) ? 1 : 0;
	}
	if (!strcmp(argv[1], "poke") && argc == 3) {
		*(volatile unsigned long *)strtoul(argv[2], NULL, 0) = 0xbad;
		return 0;
	}
	if (!strcmp(argv[1], "fault")) {
		*(volatile int *)0xffff800000000000ul = 1;
		return 1;
	}
	if (!strcmp(argv[1], "undef")) {
#if defined(__x86_64__)
		__asm__ volatile("ud2");
#else
		__asm__ volatile(".inst 0x00000000"); /* udf #0 */
#endif
		return 1;
	}
	if (!strcmp(argv[1], "divzero")) {
		volatile int zero = 0;
		return 100 / zero;
	}
	if (!strcmp(argv[1], "fpu") && argc == 3) {
		double seed = (double)strtol(argv[2], NULL, 0) + 0.5;
		return recurrence(seed) == recurrence(seed) ? 0 : 1;
	}
	if (!strcmp(argv[1], "stress-server")) {
		struct _thread_attr a = {0};
		stress_chid = ChannelCreate(0); /* chid 1: the first in this process */
		for (long i = 1; i < 4; i++)
			ThreadCreate(0, stress_serve, (void *)i, &a);
		stress_serve((void *)0);
	}
	if (!strcmp(argv[1], "lastthread")) {
		struct _thread_attr a = {0};
		a.__exitfunc = thread_end;
		if (ThreadCreate_r(0, nothing, NULL, &a) <= 0)
			return 1;
		ThreadDestroy(0, -1, (void *)5); /* the last live thread */
		return 1;
	}
	if (!strcmp(argv[1], "exit0"))
		return 0;
	if (!strcmp(argv[1], "hold")) {
		int ch = ChannelCreate(0);
		uint64_t forever = UINT64_MAX;
		MsgReceive(ch, NULL, 0, NULL);
		ClockNanosleep(CLOCK_MONOTONIC, 0, &forever); /* holding it */
		return 1;
	}
	if (!strcmp(argv[1], "threadflood")) {
		struct _thread_attr a = {0};
		static char stk[8192] __attribute__((aligned(16)));
		a.__flags = PTHREAD_CREATE_DETACHED;
		a.__stackaddr = stk; /* all on one stack: none of them runs */
		a.__stacksize = sizeof(stk);
		a.__exitfunc = thread_end;
		int n = 0, r;
		while ((r = ThreadCreate_r(0, nothing, NULL, &a)) > 0 && n < 10000)
			n++;
		/* 256 threads a process, this one included. */
		return r == -EAGAIN && n == 255 ? 0 : 1;
	}
	if (!strcmp(argv[1], "memflood")) {
		struct _thread_attr a = {0};
		a.__flags = PTHREAD_CREATE_DETACHED;
		a.__stacksize = 64ul << 20; /* mapped (and charged) at once */
		a.__exitfunc = thread_end;
		int n = 0, r;
		while ((r = ThreadCreate_r(0, nothing, NULL, &a)) > 0 && n < 100)
			n++;
		struct ker_info_counts c = {0};
		KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
		/* Half of all pages at most: the machine keeps the rest. */
		return r == -EAGAIN && c.free_pages > c.total_pages / 4 ? 0 : 1;
	}
	if (!strcmp(argv[1], "qemu-exit")) {
#if defined(__x86_64__)
		__asm__ volatile("outb %b0, %w1" ::"a"(0), "Nd"(0xf4));
#else
		/* {ADP_Stopped_ApplicationExit, status 0} */
		static const unsigned long block[2] = {0x20026, 0};
		register unsigned long x0 __asm__("x0") = 0x18; /* SYS_EXIT */
		register const unsigned long *x1 __asm__("x1") = block;
		__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
#endif
		return 1;
	}
#if defined(__aarch64__)
	if (!strcmp(argv[1], "psci-off")) {
		register unsigned long x0 __asm__("x0") = 0x84000008; /* SYSTEM_OFF */
		__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
		return 1;
	}
#endif
	if (!strcmp(argv[1], "kptr"))
		return KerConsoleWrite_r((const char *)0xffffffff80200000ul, 8) == -EFAULT ? 0 : 1;
	return 2;
}
