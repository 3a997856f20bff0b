/*
 * on (QNX's, its -p): run COMMAND at priority PRIO (1..255) with policy
 * f (FIFO), r (round-robin, the default) or o (other), wait for it, and
 * exit with its status (128 + the signal that ended it).
 *
 *     on -p PRIO[f|r|o] COMMAND [ARG]...
 */
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int usage(FILE *f)
{
	fprintf(f, "usage: on -p PRIO[f|r|o] COMMAND [ARG]...\n");
	return f == stdout ? 0 : 1;
}

int main(int argc, char **argv)
{
	posix_spawnattr_t a;
	struct sched_param sp;
	char *end;
	pid_t pid;
	int st, policy = SCHED_RR;

	if (argc > 1 && !strcmp(argv[1], "-h"))
		return usage(stdout);
	if (argc < 4 || strcmp(argv[1], "-p"))
		return usage(stderr);
	long prio = strtol(argv[2], &end, 10);
	if (*end == 'f' || *end == 'r' || *end == 'o') {
		policy = *end == 'f' ? SCHED_FIFO : *end == 'r' ? SCHED_RR : SCHED_OTHER;
		end++;
	}
	if (*end || prio < 1 || prio > 255)
		return usage(stderr);
	sp.sched_priority = (int)prio;
	posix_spawnattr_init(&a);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER);
	posix_spawnattr_setschedpolicy(&a, policy);
	posix_spawnattr_setschedparam(&a, &sp);
	int err = posix_spawnp(&pid, argv[3], NULL, &a, argv + 3, environ);
	if (err) {
		fprintf(stderr, "on: %s: %s\n", argv[3], strerror(err));
		return 127;
	}
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
