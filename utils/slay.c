/*
 * slay (QNX's): send a signal (default SIGTERM) to every process named
 * NAME (the name its program was started as, as pidin shows it).
 *
 *     slay [-s SIGNAL] NAME
 *
 * Exit status 0 when some process was signalled; 1 when none is named
 * NAME or a signal failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "signame.h"

#define MAX_THREADS 512

static struct ker_thread_info threads[MAX_THREADS];

int main(int argc, char **argv)
{
	int i = 1, signo = SIGTERM, hit = 0, bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-h")) {
		printf("usage: slay [-s SIGNAL] NAME\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-s") && (signo = signal_named(argv[2])) >= 0)
		i = 3;
	if (i != argc - 1 || signo < 0) {
		fprintf(stderr, "usage: slay [-s SIGNAL] NAME\n");
		return 1;
	}
	long n = KerInfo(KER_INFO_THREADS, threads, sizeof(threads));
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	for (long t = 0; t < n; t++) {
		/* A process's first thread in the list stands for it. */
		int first = 1;
		for (long u = 0; u < t && first; u++)
			first = threads[u].pid != threads[t].pid;
		if (!first || threads[t].pid <= 1 || strcmp(threads[t].name, argv[i]))
			continue;
		hit = 1;
		if (kill(threads[t].pid, signo)) {
			fprintf(stderr, "slay: %d: %s\n", threads[t].pid, strerror(errno));
			bad = 1;
		}
	}
	if (!hit)
		fprintf(stderr, "slay: no process named %s\n", argv[i]);
	return !hit || bad;
}
