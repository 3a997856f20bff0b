/*
 * Processes: 200 spawned and reaped in sequence with page, thread and
 * process counts back at their baseline; unprivileged processes refused
 * the privileged calls (EPERM); isolation (a child can neither see nor
 * change our memory); faulting processes (bad access, undefined
 * instruction, divide by zero) die alone with the right signal; kernel
 * pointers get EFAULT; FP/SIMD state survives switches between processes.
 * Runs as pid 1, the privileged one, using proc's own loader.
 */
#include <stdio.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "../../proc/proc.h"
#include "counts.h"
#include "tap.h"

#define ROUNDS 200
#define EXITED(code) ((code) << 8)

static struct ifs fs;

/* Run a program to its end; its wait status, or -1. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = proc_spawn(&fs, argv[0], argv, NULL, 10, SCHED_RR);

	if (pid < 0) {
		printf("# spawn %s: error %d\n", argv[0], -pid);
		return -1;
	}
	return ProcWait(pid, &status) == pid ? status : -1;
}

static volatile unsigned long secret = 0x5ec2e75ec2e7ul;

int main(void)
{
	char addr[32], value[32];

	tap_plan(16);
	proc_open_image(&fs);

	/* Warm up once so caches of kernel objects reach their steady size. */
	run((char *[]){"hello", NULL});
	struct ker_info_counts before = counts();
	int good = 0;
	for (int i = 0; i < ROUNDS; i++)
		good += run((char *[]){"hello", NULL}) == EXITED(3);
	CHECK_EQ(good, ROUNDS);
	struct ker_info_counts after = counts();
	CHECK_EQ(after.free_pages, before.free_pages);
	CHECK_EQ(after.threads, before.threads);
	CHECK_EQ(after.processes, before.processes);

	CHECK_EQ(run((char *[]){"child", "eperm", NULL}), EXITED(0));

	/* Our secret's address means nothing in the child: it reads its own
	 * memory there (or nothing), never our value, and its write there
	 * does not reach us. */
	snprintf(addr, sizeof(addr), "%p", (void *)&secret);
	snprintf(value, sizeof(value), "%lu", secret);
	int st = run((char *[]){"child", "peek", addr, value, NULL});
	CHECK(st == EXITED(0) || st == 11);
	st = run((char *[]){"child", "poke", addr, NULL});
	CHECK(st == EXITED(0) || st == 11);
	CHECK_EQ(secret, 0x5ec2e75ec2e7ul);

	/* A faulting child dies of SIGSEGV; we go on and can spawn again. */
	CHECK_EQ(run((char *[]){"child", "fault", NULL}), 11);
	CHECK_EQ(run((char *[]){"hello", NULL}), EXITED(3));
	CHECK_EQ(run((char *[]){"child", "kptr", NULL}), EXITED(0));
	CHECK_EQ(run((char *[]){"child", "undef", NULL}), 4); /* SIGILL */
#if defined(__x86_64__)
	CHECK_EQ(run((char *[]){"child", "divzero", NULL}), 8); /* SIGFPE */
#else
	CHECK_EQ(run((char *[]){"child", "divzero", NULL}), EXITED(0));
#endif

	/* Two processes crunching FP at once, at one RR priority below
	 * ours: slices switch between them; each checks its own result. */
	pid_t f1 = proc_spawn(&fs, "child", (char *[]){"child", "fpu", "1", NULL}, NULL, 9,
			      SCHED_RR);
	pid_t f2 = proc_spawn(&fs, "child", (char *[]){"child", "fpu", "2", NULL}, NULL, 9,
			      SCHED_RR);
	int s1 = -1, s2 = -1;
	CHECK(f1 > 0 && f2 > 0);
	CHECK(ProcWait(f1, &s1) == f1 && ProcWait(f2, &s2) == f2 && s1 == 0 && s2 == 0);

	/* Nothing left over from all that either. */
	CHECK_EQ(counts().processes, before.processes);
	return tap_done();
}
