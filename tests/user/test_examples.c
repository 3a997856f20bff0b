/*
 * The examples (examples/, listed in examples/README.md), from proc's
 * child (booted init=proc init.run=test_examples). Each runs as a spawned
 * program whose stdout and stderr are /dev/excap, a resource manager a
 * thread of this test serves (capture.h), so what it (and the children it
 * starts) wrote is in `got` by the time waitpid returns. Checked for each: exit
 * status 0 and its output line by line against the text examples/README.md
 * promises ('*' in a line stands for text that varies: pids; concurrent
 * clients' lines may come in any order). They run on
 * CPU 0 alone (the inherit mask passes to them and their children), so
 * the lines of their processes and threads come in one order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/iofunc.h>
#include <sys/wait.h>

#include "capture.h"
#include "counts.h"
#include "onecpu.h"
#include "tap.h"

/* unordered: its lines may come in any order (concurrent clients). */
static const struct example {
	const char *name, *output;
	int unordered;
} examples[] = {
    {"checksum",
     "server: \"hello\" sums to 532\n"
     "client: checksum of \"hello\" is 532\n"
     "server: \"muon\" sums to 447\n"
     "client: checksum of \"muon\" is 447\n"
     "server: \"message passing\" sums to 1530\n"
     "client: checksum of \"message passing\" is 1530\n"
     "server: client said quit and exited with 0\n",
     0},
    {"name_server",
     "server: attached /dev/name/local/example_greeter\n"
     "client 1: server says \"hello, client 1\"\n"
     "client 2: server says \"hello, client 2\"\n"
     "client 3: server says \"hello, client 3\"\n"
     "server: greeted 3 clients, 3 disconnected, 0 failed\n",
     1},
    {"event",
     "client: saying hello, asking to be told after 3 ticks\n"
     "server: pulse HELLO with value 42\n"
     "server: timer started, a tick every 100 ms\n"
     "server: tick 1\n"
     "server: tick 2\n"
     "server: tick 3\n"
     "client: got the event: pulse code 3 value 7\n"
     "server: done after 3 ticks\n",
     0},
    {"unblock",
     "server: got a slow request; not replying yet\n"
     "server: unblock pulse for the held request; answering ETIMEDOUT\n"
     "client: request timed out (Connection timed out); exiting\n"
     "server: disconnect pulse; detaching the client's connection\n"
     "server: client exited with 0\n",
     0},
    {"prio_inherit",
     "server: a priority 30 client's message: running at 30 (its own 10)\n"
     "     pid tid name               prio cpu STATE       Blocked\n"
     " * 1 prio_inherit        10r   0 JOIN        3\n"
     " * 2 prio_inherit        30r   0 REPLY       1\n"
     " * 3 prio_inherit        30r   0 REPLY       *\n"
     "client at 30: got the reply\n"
     "server: a priority 20 client's message: running at 20 (its own 10)\n"
     "client at 20: got the reply\n"
     "main: the server waits at priority 10 (its own 10)\n",
     0},
    {"pool_server",
     "server: pool started (lo_water 1, hi_water 2, maximum 4)\n"
     "server: 4 requests were in service at once, in 4 pool threads\n"
     "server: 0 clients failed\n",
     0},
    {"shm_share",
     "creator: wrote /example_shm\n"
     "reader 1: \"written by the creator\"\n"
     "reader 2: \"written by the creator\"\n"
     "handle child: \"passed by handle\"\n"
     "handle child: opening the handle again fails\n"
     "creator: 0 children failed\n",
     0},
    {"robust_mutex",
     "child: holding the mutex, exiting without unlocking\n"
     "parent: lock says EOWNERDEAD\n"
     "parent: repaired the count (back to 5)\n"
     "parent: locked again (ok), count 6\n",
     0},
};
#define NEXAMPLES (int)(sizeof(examples) / sizeof(examples[0]))

/* Does text match pattern, where '*' is any run of characters within a
 * line? */
static int matches(const char *pattern, const char *text)
{
	for (; *pattern; pattern++, text++) {
		if (*pattern == '*') {
			for (;; text++) {
				if (matches(pattern + 1, text))
					return 1;
				if (!*text || *text == '\n')
					return 0;
			}
		}
		if (*pattern != *text)
			return 0;
	}
	return !*text;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* text's lines sorted, into out (of size len). */
static void sort_lines(const char *text, char *out, size_t len)
{
	static char copy[sizeof(got)];
	char *lines[64];
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", text);
	for (char *l = copy, *nl; *l && n < 64; l = nl + 1) {
		lines[n++] = l;
		if (!(nl = strchr(l, '\n')))
			break;
		*nl = 0;
	}
	qsort(lines, n, sizeof(lines[0]), by_text);
	out[0] = 0;
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s\n", lines[i]);
}

/* What it wrote, as TAP comments. */
static void show(const char *label, const char *text)
{
	printf("#   %s:\n", label);
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		int len = nl ? (int)(nl - l) : (int)strlen(l);
		printf("#     %.*s\n", len, l);
		l += len + (nl != NULL);
	}
}

int main(void)
{
	one_cpu();
	tap_plan(2 * NEXAMPLES + 4);
	CHECK(capture_start(dispatch_create(), "/dev/excap"));
	struct ker_info_counts base = counts();

	for (int i = 0; i < NEXAMPLES; i++) {
		const struct example *e = &examples[i];
		printf("# %s\n", e->name);
		int status = run((char *[]){(char *)e->name, NULL});

		if (!CHECK(status == 0))
			printf("#   %s exited with %d\n", e->name, status);
		static char want[sizeof(got)], have[sizeof(got)];
		snprintf(want, sizeof(want), "%s", e->output);
		snprintf(have, sizeof(have), "%s", got);
		if (e->unordered) {
			sort_lines(e->output, want, sizeof(want));
			sort_lines(got, have, sizeof(have));
		}
		if (!CHECK(matches(want, have))) {
			show(e->name, got);
			show("wanted", e->output);
		}
	}

	/* Nothing left behind: every process, connection and thread gone. */
	struct ker_info_counts now = counts();
	CHECK_EQ(now.processes, base.processes);
	CHECK_EQ(now.connections, base.connections);
	CHECK_EQ(now.threads, base.threads);
	return tap_done();
}
