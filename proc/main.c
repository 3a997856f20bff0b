/*
 * proc, the process manager: the first user process, started by the
 * kernel with the boot image lent to it. It runs the image's boot script
 * in order: display_msg prints, NAME=value sets the environment later
 * programs get, a program line spawns the program at its priority and
 * policy and, unless it ends in '&', waits for it to end; waitfor waits
 * until a path is served. Then it stays, collecting every process that
 * ends and starting again the servers marked [+restart] (pid 1 must
 * never end: the system stops with it).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <spawn.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "proc.h"

#define ENV_MAX 32
#define DEFAULT_PRIO 10

static char env_store[ENV_MAX][256];
static char *env[ENV_MAX + 1];
static int nenv;

static void set_env(const char *name, const char *value)
{
	size_t len = strlen(name);
	int i;

	for (i = 0; i < nenv; i++)
		if (!strncmp(env[i], name, len) && env[i][len] == '=')
			break;
	if (i == ENV_MAX) {
		printf("proc: too many environment variables; %s ignored\n", name);
		return;
	}
	if ((size_t)snprintf(env_store[i], sizeof(env_store[i]), "%s=%s", name, value) >=
	    sizeof(env_store[i])) {
		printf("proc: %s is too long; ignored\n", name);
		return;
	}
	env[i] = env_store[i];
	if (i == nenv)
		nenv++;
}

static void report(const char *name, pid_t pid, int status)
{
	if (status & 0x7f)
		printf("proc: %s (pid %d) killed by signal %d\n", name, pid, status & 0x7f);
	else
		printf("proc: %s (pid %d) exited with status %d\n", name, pid, (status >> 8) & 0xff);
}

/* The boot script's reopen: the device its later programs get as fds
 * 0-2 (proc's own output stays on the kernel's console: proc's server
 * thread must never wait for a server that may be waiting for proc). */
static int console_fd = -1;
static posix_spawn_file_actions_t console_actions;

static void reopen(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("proc: reopen %s: %s\n", path, strerror(errno));
		return;
	}
	if (console_fd >= 0) {
		close(console_fd);
		posix_spawn_file_actions_destroy(&console_actions);
	}
	console_fd = fd;
	posix_spawn_file_actions_init(&console_actions);
	for (int i = 0; i < 3; i++)
		posix_spawn_file_actions_adddup2(&console_actions, fd, i);
}

/* Spawn name with argv at prio and policy, through our own requests
 * (procs.c): it inherits our abilities, but _NTO_ABILITY_PROCMGR, as a
 * QNX boot script's programs run as root. Its pid, or -1 after saying
 * why. */
static pid_t start(const char *name, char *const argv[], int prio, int policy)
{
	posix_spawnattr_t a;
	pid_t pid;
	int err;

	posix_spawnattr_init(&a);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER);
	posix_spawnattr_setschedpolicy(&a, policy);
	a.param.sched_priority = prio;
	if ((err = posix_spawn(&pid, name, console_fd >= 0 ? &console_actions : NULL, &a, argv,
			       env))) {
		printf("proc: cannot start %s: %s\n", name, strerror(err));
		return -1;
	}
	return pid;
}

/* The boot script's programs marked [+restart] (IFS_CMDF_RESTART): each
 * started again when it ends, up to MAX_RESTARTS times, so that a server
 * killed mid-request serves again (its clients reopen through namesrv). */
#define MAX_SERVERS 8
#define MAX_RESTARTS 16

static struct keep {
	struct ifs_cmd cmd;
	pid_t pid;
	int restarts;
} kept[MAX_SERVERS];
static int nkept;

static pid_t run_cmd(const struct ifs_cmd *c)
{
	int prio = c->priority ? (int)c->priority : DEFAULT_PRIO;
	int policy = c->policy ? (int)c->policy : SCHED_RR; /* IFS_SCHED_* are QNX's values */

	return start(c->argv[0], (char *const *)c->argv, prio, policy);
}

/* A child of ours ended with status: say so, and start it again if it
 * is a server to keep. */
static void ended(pid_t pid, int status)
{
	for (int i = 0; i < nkept; i++) {
		struct keep *k = &kept[i];
		if (k->pid != pid)
			continue;
		report(k->cmd.argv[0], pid, status);
		if (k->restarts++ == MAX_RESTARTS) {
			printf("proc: %s restarted %d times; not again\n", k->cmd.argv[0],
			       MAX_RESTARTS);
			k->pid = 0;
			return;
		}
		k->pid = run_cmd(&k->cmd);
		if (k->pid > 0)
			printf("proc: %s restarted (pid %d)\n", k->cmd.argv[0], k->pid);
		return;
	}
	report("process", pid, status);
}

/* Wait until pid ends, tending the other children that end meanwhile;
 * its status, or -1 after saying why. */
static int wait_for(pid_t pid, const char *name)
{
	int status;

	for (pid_t p; (p = wait(&status)) != pid; ) {
		if (p < 0) {
			printf("proc: lost %s (pid %d): %s\n", name, pid, strerror(errno));
			return -1;
		}
		ended(p, status);
	}
	return status;
}

static int run(const struct ifs_cmd *c)
{
	pid_t pid = run_cmd(c);

	if (pid < 0)
		return 1;
	if (c->flags & IFS_CMDF_RESTART) {
		if (nkept == MAX_SERVERS) {
			printf("proc: more than %d servers to restart; %s will not be\n",
			       MAX_SERVERS, c->argv[0]);
			return 0;
		}
		kept[nkept++] = (struct keep){*c, pid, 0};
	}
	if (c->flags & IFS_CMDF_BACKGROUND)
		return 0;
	int status = wait_for(pid, c->argv[0]);
	if (status < 0)
		return 1;
	report(c->argv[0], pid, status);
	return status != 0;
}

/* waitfor PATH: poll namesrv until something serves PATH or ms pass. */
static void waitfor(const char *path, uint32_t ms)
{
	uint64_t step = 10 * 1000000ull, left = (uint64_t)ms * 1000000ull;

	/* A server just started is usually ready after it has run a little:
	 * yield to it first, and sleep only if that is not enough. */
	for (int i = 0; i < 1000; i++) {
		if (namesrv_resolves(path))
			return;
		SchedYield();
	}
	for (; !namesrv_resolves(path); left -= step) {
		if (left < step) {
			printf("proc: waitfor %s: not there after %u ms; going on\n", path, ms);
			return;
		}
		ClockNanosleep(CLOCK_MONOTONIC, 0, &step);
	}
}

/* Serve requests (server.c) from a thread of our own, so that waiting
 * for a program never keeps it from its mmap. Our first channel and
 * first side connection are SYSMGR_CHID and SYSMGR_COID: every process
 * created from now on is connected to that channel, and so are we, so
 * proc's own threads spawn and wait through the same requests. The
 * channel is _NTO_CHF_UNBLOCK: a client whose held wait a signal
 * interrupts stays until we have let go of its rcvid (server.c). */
static void start_server(const struct ifs *fs)
{
	int chid = ChannelCreate(_NTO_CHF_UNBLOCK);

	procs_init(fs);
	if (chid != SYSMGR_CHID || KerProcManager(chid) != 0 ||
	    ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0) != SYSMGR_COID ||
	    ThreadCreate(0, proc_serve, (void *)(long)chid, NULL) < 0) {
		printf("proc: cannot serve on channel %d: %s\n", chid, strerror(errno));
		exit(1);
	}
}

/* init.run=NAME on the kernel's command line (argv "run=NAME"): run NAME
 * alone after the script's servers, with our abilities, and end the
 * system with its status (the test harness boots each test that needs
 * proc this way); init.alone=NAME: the same without the servers (the
 * bench, which measures on a quiet system and starts what it measures). */
static void run_alone(const char *name)
{
	char *argv[] = {(char *)name, NULL};
	pid_t pid = start(name, argv, DEFAULT_PRIO, SCHED_RR);
	int status;

	if (pid < 0 || (status = wait_for(pid, name)) < 0)
		exit(1);
	if (console_fd >= 0)
		tcdrain(console_fd); /* what it wrote is out before the system ends */
	/* Its exit code, or 128 + the signal that ended it. */
	exit(status & 0x7f ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
}

/* Run the boot script in order; servers_only: only its servers (the
 * background programs), waitfors and settings, for init.run. */
static void run_script(const struct ifs *fs, bool servers_only)
{
	struct ifs_cmd c;
	uint32_t cursor = 0;
	int ran = 0, failed = 0;

	while (ifs_script_next(fs, &cursor, &c) == 1) {
		switch (c.type) {
		case IFS_CMD_DISPLAY_MSG:
			if (!servers_only)
				printf("%s\n", c.argv[0]);
			break;
		case IFS_CMD_SETENV:
			set_env(c.argv[0], c.argv[1]);
			break;
		case IFS_CMD_RUN:
			if (servers_only && !(c.flags & IFS_CMDF_BACKGROUND))
				break;
			ran++;
			failed += run(&c);
			break;
		case IFS_CMD_WAITFOR:
			waitfor(c.argv[0], c.value);
			break;
		case IFS_CMD_REOPEN:
			reopen(c.argv[0]);
			break;
		default:
			printf("proc: unknown boot script command %u skipped\n", c.type);
			break;
		}
	}
	if (!servers_only)
		printf("proc: boot script done: %d programs, %d failed\n", ran, failed);
}

int main(int argc, char **argv)
{
	struct ifs fs;
	const char *alone = NULL;
	int status;

	proc_open_image(&fs);
	start_server(&fs);
	namesrv_start(&fs);
	bool servers = true;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "run=", 4))
			alone = argv[i] + 4;
		if (!strncmp(argv[i], "alone=", 6)) {
			alone = argv[i] + 6;
			servers = false;
		}
	}
	if (servers)
		run_script(&fs, alone != NULL);
	if (alone)
		run_alone(alone);
	/* Tend what the script left running; proc goes on serving. */
	for (pid_t pid; (pid = wait(&status)) > 0;)
		ended(pid, status);
	ThreadDestroy(0, -1, NULL);
	return 0;
}
