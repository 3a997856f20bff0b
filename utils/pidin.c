/*
 * pidin: one line per thread, as QNX's pidin prints them: pid, tid, name
 * (the thread's, as pthread_setname_np set it, else its process's),
 * priority with its policy letter, the CPU it runs on or last ran on,
 * state, and what the thread is blocked on. Reads
 * KerInfo(KER_INFO_THREADS).
 *
 *     pidin [-p PID] [arg|mem]   -p: only process PID
 *                                arg (or any start of "arguments"): one
 *                                line per process, its pid and arguments
 *                                mem (or "memory"): one line per process,
 *                                its threads and the KiB of code, data
 *                                and shared memory mapped now, and of
 *                                what counts against its limit
 *                                (KerInfo(KER_INFO_PROCESSES))
 *
 * The arguments are proc's copy (_PROC_ARGS); a process proc did not
 * spawn, or a system without proc, shows its name. Exit status 0; 1 with
 * a message on stderr on a bad argument, an unknown PID or a failed
 * kernel call.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>

#define SLACK 8 /* room for entries made between two KerInfo calls */

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
	fprintf(stderr, "usage: pidin [-p PID] [arg|mem]\n");
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

/* The Name column: the thread's own name when it has one, as QNX's. */
static void column_name(const struct ker_thread_info *t, char *name, size_t len)
{
	char pname[sizeof(t->name) + 1];

	if (t->thread_name[0]) {
		snprintf(name, len, "%.*s", (int)sizeof(t->thread_name) - 1, t->thread_name);
		return;
	}
	name_of(t, pname);
	snprintf(name, len, "%s", pname);
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
	char name[sizeof(t->thread_name)], state[16], on[48];

	column_name(t, name, sizeof(name));
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

/* KerInfo's table what of entries of size sz, in a buffer of its own
 * (free it); *n: the entries, or -errno (-EAGAIN: they keep growing
 * faster than we can ask). */
static void *fetch(int what, size_t sz, long *n)
{
	long want = KerInfo_r(what, NULL, 0);

	for (int tries = 0; want >= 0 && tries < 5; tries++) {
		size_t room = (size_t)want + SLACK;
		void *buf = malloc(room * sz);
		if (!buf) {
			*n = -ENOMEM;
			return NULL;
		}
		long got = KerInfo_r(what, buf, room * sz);
		if (got >= 0 && (size_t)got <= room) {
			*n = got;
			return buf;
		}
		free(buf);
		want = got;
	}
	*n = want < 0 ? want : -EAGAIN;
	return NULL;
}

static long threads(int only_pid, bool args)
{
	long n;
	struct ker_thread_info *t = fetch(KER_INFO_THREADS, sizeof(*t), &n);

	if (!t)
		return n;
	sort_threads(t, n);
	bool shown = false;
	for (long i = 0; i < n; i++)
		shown |= only_pid < 0 || t[i].pid == only_pid;
	if (!shown) {
		free(t);
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
	free(t);
	return 0;
}

static void kib(char *buf, size_t len, uint64_t pages)
{
	snprintf(buf, len, "%lluK", (unsigned long long)pages * 4);
}

static long memory(int only_pid)
{
	long n;
	struct ker_process_info *p = fetch(KER_INFO_PROCESSES, sizeof(*p), &n);
	bool shown = false;

	if (!p)
		return n;
	for (long i = 0; i < n; i++)
		shown |= only_pid < 0 || p[i].pid == only_pid;
	if (!shown) {
		free(p);
		return -ESRCH;
	}
	printf("%8s %-18s %3s %7s %7s %7s %7s\n", "pid", "name", "thr", "code", "data", "shared",
	       "charged");
	for (long i = 0; i < n; i++) { /* the kernel lists them in pid order */
		char code[24], data[24], shared[24], charged[24];
		if (only_pid >= 0 && p[i].pid != only_pid)
			continue;
		p[i].name[sizeof(p[i].name) - 1] = '\0';
		kib(code, sizeof(code), p[i].code_pages);
		kib(data, sizeof(data), p[i].data_pages);
		kib(shared, sizeof(shared), p[i].shared_pages);
		kib(charged, sizeof(charged), p[i].charged_pages);
		printf("%8d %-18.18s %3u %7s %7s %7s %7s\n", p[i].pid, p[i].name, p[i].threads,
		       code, data, shared, charged);
	}
	free(p);
	return 0;
}

/* Whether word is a start of full (at least one letter), as QNX's pidin
 * takes "ar", "arg" or "arguments". */
static bool abbrev(const char *word, const char *full)
{
	return word[0] && !strncmp(full, word, strlen(word));
}

int main(int argc, char **argv)
{
	int only_pid = -1;
	bool args = false, mem = false;

	for (int i = 1; i < argc; i++) {
		if (abbrev(argv[i], "arguments")) {
			args = true;
		} else if (abbrev(argv[i], "memory")) {
			mem = true;
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
	if (args && mem)
		usage();

	long r = mem ? memory(only_pid) : threads(only_pid, args);
	if (r == -ESRCH)
		fprintf(stderr, "pidin: no process %d\n", only_pid);
	else if (r == -EAGAIN)
		fprintf(stderr, "pidin: the count keeps growing\n");
	else if (r < 0)
		fprintf(stderr, "pidin: KerInfo: %s\n", strerror((int)-r));
	return r < 0;
}
