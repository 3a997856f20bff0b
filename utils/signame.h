/*
 * Signal names for kill and slay: "INT", "SIGINT" or "2" to a number.
 */
#ifndef UTILS_SIGNAME_H
#define UTILS_SIGNAME_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int signo;
} signames[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},	  {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
};

/* The signal s names, or -1. */
static inline int signal_named(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n >= 0 && n < 64 ? (int)n : -1;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (!strcmp(s, signames[i].name))
			return signames[i].signo;
	return -1;
}

#endif
