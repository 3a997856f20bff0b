/*
 * The utilities in utils/ (echo, cat, ls, sleep, uname, uptime, kill,
 * slay, on), from proc's child (booted init=proc init.run=test_utils).
 * Each runs as a spawned program whose stdout and stderr are
 * /dev/utilcap, a resource manager a thread of this test serves
 * (capture.h): what the program wrote is in `got` by the time waitpid
 * returns. /dev/utilsrc reads as
 * one line, for cat. Checked: the exact output and exit status of each,
 * -h on every one, bad arguments, and kill and slay on a child of ours
 * (the signal it died of). Nothing waits on time.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iofunc.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "counts.h"
#include "tap.h"

static iofunc_attr_t src_attr;

static int src_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	static const char line[] = "a line from utilsrc\n";
	int r = iofunc_read_verify(ctp, msg, ocb, NULL);

	if (r != EOK)
		return r;
	size_t left =
	    ocb->offset < (off_t)sizeof(line) - 1 ? sizeof(line) - 1 - (size_t)ocb->offset : 0;
	size_t n = left < (size_t)msg->i.nbytes ? left : (size_t)msg->i.nbytes;
	SETIOV(&ctp->iov[0], line + ocb->offset, n);
	ocb->offset += (off_t)n;
	_IO_SET_READ_NBYTES(ctp, (int)n);
	return _RESMGR_NPARTS(n ? 1 : 0);
}

static int output_is(const char *want)
{
	if (!strcmp(got, want))
		return 1;
	printf("#   got \"%s\", want \"%s\"\n", got, want);
	return 0;
}

/* A child of ours asleep until signalled. */
static pid_t sleeper(void)
{
	pid_t pid;
	char *argv[] = {"sleep", "1000", NULL};
	return posix_spawn(&pid, "sleep", NULL, NULL, argv, NULL) ? -1 : pid;
}

static int died_of(pid_t pid, int signo)
{
	int st;
	return waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == signo;
}

int main(void)
{
	static resmgr_connect_funcs_t scf;
	static resmgr_io_funcs_t sio;
	dispatch_t *dpp = dispatch_create();
	char num[16];

	tap_plan(34);
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &scf, _RESMGR_IO_NFUNCS, &sio);
	sio.read = src_read;
	iofunc_attr_init(&src_attr, S_IFREG | 0444, NULL, NULL);
	CHECK(dpp &&
	      resmgr_attach(dpp, NULL, "/dev/utilsrc", _FTYPE_ANY, 0, &scf, &sio, &src_attr) >= 0 &&
	      capture_start(dpp, "/dev/utilcap"));
	struct ker_info_counts base = counts();

	/* echo */
	CHECK(run((char *[]){"echo", "hello", "two words", NULL}) == 0 &&
	      output_is("hello two words\n"));
	CHECK(run((char *[]){"echo", "-n", "x", NULL}) == 0 && output_is("x"));
	CHECK(run((char *[]){"echo", NULL}) == 0 && output_is("\n"));

	/* uname */
	CHECK(run((char *[]){"uname", NULL}) == 0 && output_is("Muon\n"));
#if defined(__x86_64__)
	CHECK(run((char *[]){"uname", "-m", NULL}) == 0 && output_is("x86_64\n"));
#else
	CHECK(run((char *[]){"uname", "-m", NULL}) == 0 && output_is("aarch64\n"));
#endif
	CHECK(run((char *[]){"uname", "-a", NULL}) == 0 && !strncmp(got, "Muon ", 5));
	CHECK(run((char *[]){"uname", "-z", NULL}) == 1 && strstr(got, "usage: uname"));

	/* cat */
	CHECK(run((char *[]){"cat", "/dev/utilsrc", "/dev/utilsrc", NULL}) == 0 &&
	      output_is("a line from utilsrc\na line from utilsrc\n"));
	CHECK(run((char *[]){"cat", "/dev/nothing", NULL}) == 1 &&
	      strstr(got, "cat: /dev/nothing: "));

	/* ls: namesrv's implied directories and the names attached */
	CHECK(run((char *[]){"ls", "/dev", NULL}) == 0 && strstr(got, "utilcap\n") &&
	      strstr(got, "shmem\n") && strstr(got, "name\n"));
	name_attach_t *na = name_attach(NULL, "utiltest", 0);
	CHECK(na && run((char *[]){"ls", "/dev/name/local", NULL}) == 0 && output_is("utiltest\n"));
	CHECK(na && name_detach(na, 0) == 0);
	CHECK(run((char *[]){"ls", "/dev/utilsrc", NULL}) == 0 && output_is("/dev/utilsrc\n"));
	CHECK(run((char *[]){"ls", "/nothing", NULL}) == 1 && strstr(got, "ls: /nothing: "));

	/* uptime: since the kernel's entry, so more than nothing */
	CHECK(run((char *[]){"uptime", "-n", NULL}) == 0 && strtoull(got, NULL, 10) > 0);
	CHECK(run((char *[]){"uptime", NULL}) == 0 && !strncmp(got, "up ", 3) &&
	      strstr(got, " s\n"));

	/* sleep */
	CHECK(run((char *[]){"sleep", "0.01", NULL}) == 0 && output_is(""));
	CHECK(run((char *[]){"sleep", "soon", NULL}) == 1 && strstr(got, "usage: sleep"));

	/* kill: SIGTERM by default, by number, by name */
	pid_t s = sleeper();
	snprintf(num, sizeof(num), "%d", s);
	CHECK(s > 0 && run((char *[]){"kill", num, NULL}) == 0 && died_of(s, SIGTERM));
	s = sleeper();
	snprintf(num, sizeof(num), "%d", s);
	CHECK(s > 0 && run((char *[]){"kill", "-9", num, NULL}) == 0 && died_of(s, SIGKILL));
	s = sleeper();
	snprintf(num, sizeof(num), "%d", s);
	CHECK(s > 0 && run((char *[]){"kill", "-s", "USR1", num, NULL}) == 0 &&
	      died_of(s, SIGUSR1));
	CHECK(run((char *[]){"kill", "4000", NULL}) == 1 && strstr(got, "kill: 4000: "));
	CHECK(run((char *[]){"kill", "-NOPE", "5", NULL}) == 1 && strstr(got, "usage: kill"));

	/* slay: every process of that name */
	s = sleeper();
	CHECK(s > 0 && run((char *[]){"slay", "-s", "INT", "sleep", NULL}) == 0 &&
	      died_of(s, SIGINT));
	CHECK(run((char *[]){"slay", "nosuch", NULL}) == 1 &&
	      output_is("slay: no process named nosuch\n"));

	/* on: a command at a priority, its status passed on */
	CHECK(run((char *[]){"on", "-p", "20f", "uname", NULL}) == 0 && output_is("Muon\n"));
	CHECK(run((char *[]){"on", "-p", "20", "uname", "-z", NULL}) == 1);
	CHECK(run((char *[]){"on", "-p", "300", "uname", NULL}) == 1 && strstr(got, "usage: on"));
	CHECK(run((char *[]){"on", "-p", "10", "nosuch", NULL}) == 127 &&
	      strstr(got, "on: nosuch: "));

	/* -h: usage on stdout, status 0, for each */
	const char *all[] = {"echo", "cat", "ls", "sleep", "uname", "uptime", "kill", "slay", "on"};
	int helped = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		helped +=
		    run((char *[]){(char *)all[i], "-h", NULL}) == 0 && !strncmp(got, "usage: ", 7);
	CHECK_EQ(helped, 9);

	struct ker_info_counts now = counts();
	CHECK_EQ(now.processes, base.processes);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.threads, base.threads);
	return tap_done();
}
