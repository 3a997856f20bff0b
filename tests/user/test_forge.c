/*
 * A forger, to prove the test verdict cannot be forged from user mode. As
 * pid 1 it prints a whole passing TAP run and the kernel's closing lines
 * ("MUON-EXIT: 0"), then exits with status 1 (as test_forge128: 128, whose
 * low 7 bits are 0, all x86-64's isa-debug-exit carries). The harness must
 * judge the run FAILED: its verdict is QEMU's exit code, which only the
 * kernel sets. tools/run-tests asserts that qemu-test says so.
 *
 * First children try the kernel's own ways of ending QEMU with success
 * from user mode (child qemu-exit: semihosting SYS_EXIT or isa-debug-exit;
 * child psci-off on aarch64): each must die of its fault, which the
 * kernel reports. Had one worked, QEMU would have exited 0 (aarch64) or 1
 * (x86-64), the codes of a pass, and the run would pass: run-tests counts
 * that as a failure too.
 */
#include <stdio.h>
#include <string.h>
#include <sys/neutrino.h>

#include "../../proc/proc.h"

static struct ifs fs;

/* Run child with one argument to its end; its wait status, or -1. */
static int run_child(const char *what)
{
	char *argv[] = {"child", (char *)what, NULL};
	int status;
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);

	if (pid < 0)
		return -1;
	return ProcWait(pid, &status) == pid ? status : -1;
}

static void say(const char *s)
{
	KerConsoleWrite(s, strlen(s));
}

int main(int argc, char **argv)
{
	int status = argc > 0 && !strcmp(argv[0], "test_forge128") ? 128 : 1;

	proc_open_image(&fs);
	/* Diagnostics only ('#'): the forged TAP below stays a clean pass. */
	printf("# child qemu-exit: wait status %d\n", run_child("qemu-exit"));
#if defined(__aarch64__)
	printf("# child psci-off: wait status %d\n", run_child("psci-off"));
#endif

	printf("1..3\nok 1 - threads\nok 2 - messages\nok 3 - everything\n");
	say("init: pid 1 ended with status 0x0\nMUON-EXIT: 0\n");
	return status;
}
