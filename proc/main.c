/*
 * proc, the process manager: the first user process, started by the
 * kernel with the boot image lent to it. It runs the image's boot script
 * in order: display_msg prints, NAME=value sets the environment later
 * programs get, a program line spawns the program at its priority and
 * policy and, unless it ends in '&', waits for it to end. Then it stays,
 * collecting every process that ends (pid 1 must never end: the system
 * stops with it).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <spawn.h>
#include <sys/neutrino.h>

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
	if ((err = posix_spawn(&pid, name, NULL, &a, argv, env))) {
		printf("proc: cannot start %s: %s\n", name, strerror(err));
		return -1;
	}
	return pid;
}

static int run(const struct ifs_cmd *c)
{
	int prio = c->priority ? (int)c->priority : DEFAULT_PRIO;
	int policy = c->policy ? (int)c->policy : SCHED_RR; /* IFS_SCHED_* are QNX's values */
	pid_t pid = start(c->argv[0], (char *const *)c->argv, prio, policy);
	int status;

	if (pid < 0)
		return 1;
	if (c->flags & IFS_CMDF_BACKGROUND)
		return 0;
	if (waitpid(pid, &status, 0) != pid) {
		printf("proc: lost %s (pid %d): %s\n", c->argv[0], pid, strerror(errno));
		return 1;
	}
	report(c->argv[0], pid, status);
	return status != 0;
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
 * alone, with our abilities, and end the system with its status (the
 * test harness boots each test that needs proc this way). */
static void run_alone(const char *name)
{
	char *argv[] = {(char *)name, NULL};
	pid_t pid = start(name, argv, DEFAULT_PRIO, SCHED_RR);
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		exit(1);
	/* Its exit code, or 128 + the signal that ended it. */
	exit(status & 0x7f ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
}

int main(int argc, char **argv)
{
	struct ifs fs;
	struct ifs_cmd c;
	uint32_t cursor = 0;
	int ran = 0, failed = 0, status;

	proc_open_image(&fs);
	start_server(&fs);
	namesrv_start(&fs);
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "run=", 4))
			run_alone(argv[i] + 4);
	while (ifs_script_next(&fs, &cursor, &c) == 1) {
		switch (c.type) {
		case IFS_CMD_DISPLAY_MSG:
			printf("%s\n", c.argv[0]);
			break;
		case IFS_CMD_SETENV:
			set_env(c.argv[0], c.argv[1]);
			break;
		case IFS_CMD_RUN:
			ran++;
			failed += run(&c);
			break;
		case IFS_CMD_WAITFOR:
			/* Paths come with the name server; nothing can appear yet. */
			printf("proc: waitfor %s: no pathname space yet; going on\n", c.argv[0]);
			break;
		default:
			printf("proc: unknown boot script command %u skipped\n", c.type);
			break;
		}
	}
	printf("proc: boot script done: %d programs, %d failed\n", ran, failed);
	/* Collect what the script left running; then this thread is done
	 * and proc goes on serving. */
	for (pid_t pid; (pid = wait(&status)) > 0;)
		report("process", pid, status);
	ThreadDestroy(0, -1, NULL);
	return 0;
}
