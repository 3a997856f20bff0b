/*
 * pidin: one line per thread, as QNX's pidin prints them: pid, tid, process
 * name, priority with its policy letter, the CPU it runs on or last ran
 * on, state, and what the thread is blocked on. Reads
 * KerInfo(KER_INFO_THREADS).
 *
 *     pidin [-p PID] [arg]   -p: only process PID
 *                            arg (or any start of "arguments"): one line
 *                            per process, its pid and arguments
 *
 * The arguments are proc's copy (_PROC_ARGS); a process proc did not
 * spawn, or a system without proc, shows its name. Exit status 0; 1 with
 * a message on stderr on a bad argument, an unknown PID or a failed
 * kernel call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>

/*
 * No allocator yet: the table lives on the stack (128 KiB for the main
 * thread), so there is a ceiling. ~64 KiB of entries leaves room for
 * printf and the arguments.
 */
#define MAX_THREADS (64 * 1024 / sizeof(struct ker_thread_info))
#define SLACK	    8 /* room for threads created between two KerInfo calls */

/* QNX's state names, indexed by STATE_* (the numbers KerInfo reports). */
static const char *const state_names[] = {
    "DEAD",    "RUNNING",    "READY",	 "STOPPED",    "SEND",	      "RECEIVE",   "REPLY",
    "STACK",   "WAITTHREAD", "WAITPAGE", "SIGSUSPEND", "SIGWAITINFO", "NANOSLEEP", "MUTEX",
    "CONDVAR", "JOIN",	     "INTR",	 "SEM",	       "WAITCTX",     "NET_SEND",  "NET_REPLY",
};

enum {
	ST_SEND = 4,
	ST_RECEIVE = 5,
	ST_REPLY = 6,
	ST_MUTEX = 13,
	ST_CONDVAR = 14,
	ST_JOIN = 15,
	ST_SEM = 17,
};

static void usage(void)
{
	fprintf(stderr, "usage: pidin [-p PID] [arg]\n");
	exit(1);
}

static char policy_letter(int policy)
{
	switch (policy) {
	case SCHED_FIFO:
		return 'f';
	case SCHED_RR:
		return 'r';
	case SCHED_OTHER:
		return 'o';
	default:
		return '?';
	}
}

/* States whose blocked_on names an object (a chid, pid or tid); of the
 * others, the sync objects' show their address, the rest (NANOSLEEP
 * among them) an empty Blocked column. */
static int has_object(int state)
{
	switch (state) {
	case ST_SEND:
	case ST_RECEIVE:
	case ST_REPLY:
	case ST_JOIN:
		return 1;
	default:
		return 0;
	}
}

static int before(const struct ker_thread_info *a, const struct ker_thread_info *b)
{
	return a->pid != b->pid ? a->pid < b->pid : a->tid < b->tid;
}

/* Insertion sort: the kernel already lists threads nearly in order. */
static void sort_threads(struct ker_thread_info *t, long n)
{
	for (long i = 1; i < n; i++) {
		struct ker_thread_info x = t[i];
		long j = i;
		while (j > 0 && before(&x, &t[j - 1])) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = x;
	}
}

/* t's process name (the kernel NUL-terminates it; copied with a bound
 * all the same). */
static void name_of(const struct ker_thread_info *t, char name[sizeof(t->name) + 1])
{
	memcpy(name, t->name, sizeof(t->name));
	name[sizeof(t->name)] = '\0';
	if (!name[0])
		strcpy(name, t->pid == 0 ? "kernel" : "?");
}

/* The Blocked column: what QNX's pidin documentation lists for each
 * state. A sync object's address (MUTEX, CONDVAR, SEM), a MUTEX's with
 * its owner as pid-tid when the kernel knows it; else the chid, server
 * pid or tid; empty when there is nothing. */
static void blocked(const struct ker_thread_info *t, char *buf, size_t len)
{
	unsigned long addr = (unsigned long)t->sync_addr;

	buf[0] = '\0';
	if (t->state == ST_MUTEX && t->owner_pid)
		snprintf(buf, len, "0x%lx %d-%d", addr, t->owner_pid, t->blocked_on);
	else if (t->state == ST_MUTEX || t->state == ST_CONDVAR || t->state == ST_SEM)
		snprintf(buf, len, "0x%lx", addr);
	else if (has_object(t->state) && t->blocked_on != 0)
		snprintf(buf, len, "%d", t->blocked_on);
}

static void print_thread(const struct ker_thread_info *t)
{
	char name[sizeof(t->name) + 1], state[16], on[48];

	name_of(t, name);
	if (t->state < sizeof(state_names) / sizeof(state_names[0]))
		strcpy(state, state_names[t->state]);
	else
		snprintf(state, sizeof(state), "%u", t->state);
	blocked(t, on, sizeof(on));
	if (on[0])
		printf("%8d %3d %-18.18s %3u%c %3u %-11s %s\n", t->pid, t->tid, name, t->priority,
		       policy_letter(t->policy), t->cpu, state, on);
	else /* no trailing blanks */
		printf("%8d %3d %-18.18s %3u%c %3u %s\n", t->pid, t->tid, name, t->priority,
		       policy_letter(t->policy), t->cpu, state);
}

/* pidin arg: t's process once, with the arguments proc keeps (their
 * strings joined by blanks), else its name. */
static void print_args(const struct ker_thread_info *t)
{
	struct _proc_args q = {.type = _PROC_ARGS, .pid = t->pid};
	char a[_PROC_ARGS_MAX + 1], name[sizeof(t->name) + 1];
	long n = t->pid ? MsgSend_r(SYSMGR_COID, &q, sizeof(q), a, _PROC_ARGS_MAX) : 0;

	if (n <= 0) { /* none kept, the process gone since, or no proc to ask */
		name_of(t, name);
		printf("%8d %s\n", t->pid, name);
		return;
	}
	if (n > _PROC_ARGS_MAX)
		n = _PROC_ARGS_MAX;
	a[n] = '\0'; /* proc's strings end in 0; bound them all the same */
	for (long i = 0; i < n - 1; i++)
		if (!a[i])
			a[i] = ' ';
	printf("%8d %s\n", t->pid, a);
}

/*
 * Fetch into a table of room entries and print it. Returns 0 when
 * printed, the thread count when it did not fit (more threads appeared
 * since it was sized: the caller asks again with more room), or -errno.
 * A table of its own size on the stack (a VLA) is the buffer "growing".
 */
static long show(long room, int only_pid, int args)
{
	struct ker_thread_info t[room];
	long n = KerInfo_r(KER_INFO_THREADS, t, sizeof(t));

	if (n < 0)
		return n;
	if (n > room)
		return n;
	sort_threads(t, n);
	int shown = 0;
	for (long i = 0; i < n; i++)
		shown += only_pid < 0 || t[i].pid == only_pid;
	if (!shown) {
		fprintf(stderr, "pidin: no process %d\n", only_pid);
		return -ESRCH;
	}
	printf(args ? "     pid Arguments\n"
		    : "     pid tid name               prio cpu STATE       Blocked\n");
	for (long i = 0; i < n; i++) {
		if (only_pid >= 0 && t[i].pid != only_pid)
			continue;
		if (!args)
			print_thread(&t[i]);
		else if (i == 0 || t[i].pid != t[i - 1].pid) /* sorted: once a process */
			print_args(&t[i]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int only_pid = -1, args = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] && !strncmp("arguments", argv[i], strlen(argv[i]))) {
			args = 1;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (end == argv[i] || *end || v < 0 || v > 0x7fffffff) {
				fprintf(stderr, "pidin: bad pid '%s'\n", argv[i]);
				return 1;
			}
			only_pid = (int)v;
		} else {
			usage();
		}
	}

	long n = KerInfo_r(KER_INFO_THREADS, NULL, 0);
	for (int tries = 0; n >= 0 && tries < 5; tries++) {
		if ((unsigned long)n + SLACK > MAX_THREADS) {
			fprintf(stderr, "pidin: %ld threads, more than pidin can list (%lu)\n", n,
				(unsigned long)MAX_THREADS);
			return 1;
		}
		n = show(n + SLACK, only_pid, args);
		if (n == 0)
			return 0;
	}
	if (n == -ESRCH)
		return 1; /* show said so */
	if (n < 0)
		fprintf(stderr, "pidin: KerInfo: %s\n", strerror((int)-n));
	else
		fprintf(stderr, "pidin: the thread count keeps growing\n");
	return 1;
}
