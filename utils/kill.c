/*
 * kill: send a signal (default SIGTERM) to each PID; a negative PID is
 * a process group (write "--" before it).
 *
 *     kill [-SIGNAL | -s SIGNAL] [--] PID...
 *
 * Exit status 0; 1 after saying which PID could not be signalled.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signame.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: kill [-SIGNAL | -s SIGNAL] [--] PID...\n");
	return f == stdout ? 0 : 1;
}

int main(int argc, char **argv)
{
	int i = 1, signo = SIGTERM, bad = 0;

	if (argc > 1 && !strcmp(argv[1], "-h"))
		return usage(stdout);
	if (i < argc && !strcmp(argv[i], "-s")) {
		if (i + 1 >= argc || (signo = signal_named(argv[i + 1])) < 0)
			return usage(stderr);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--")) {
		if ((signo = signal_named(argv[i] + 1)) < 0)
			return usage(stderr);
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc)
		return usage(stderr);
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end || pid == 0) {
			fprintf(stderr, "kill: %s: not a pid\n", argv[i]);
			bad = 1;
		} else if (kill((pid_t)pid, signo)) {
			fprintf(stderr, "kill: %ld: %s\n", pid, strerror(errno));
			bad = 1;
		}
	}
	return bad;
}
