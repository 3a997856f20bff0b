/*
 * Stress: 16 client threads, a server process with 4 threads, 20,000
 * messages of sizes 0..4096 in all; every reply checked (sequence, sum,
 * the bytes reversed), none lost or duplicated (the server's count must
 * match), and object and page counts back at their baseline after.
 */
#include <errno.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>

#include "../../proc/proc.h"
#include "counts.h"
#include "tap.h"

#define CLIENTS 16
#define PER_CLIENT 1250 /* 16 x 1250 = 20,000 messages */

struct stress_req {
	int32_t seq, client, len, pad;
	uint8_t data[4096];
};
struct stress_reply {
	int32_t seq, sum;
	uint8_t data[4096];
};

static pid_t server;
static int bad[CLIENTS];

static int attach(void)
{
	/* The server makes its channel right after it starts: wait for it
	 * by trying, a bounded number of times. */
	for (int i = 0; i < 100000; i++) {
		int coid = ConnectAttach_r(0, server, 1, _NTO_SIDE_CHANNEL, 0);
		if (coid != -ESRCH)
			return coid;
		SchedYield();
	}
	return -ESRCH;
}

static void *client(void *arg)
{
	static struct stress_req reqs[CLIENTS];
	static struct stress_reply reps[CLIENTS];
	long me = (long)arg;
	struct stress_req *q = &reqs[me];
	struct stress_reply *r = &reps[me];
	int coid = attach();
	uint32_t x = 12345u + (uint32_t)me;

	for (int n = 0; n < PER_CLIENT && coid >= 0; n++) {
		x = x * 1103515245u + 12345u;
		q->seq = n;
		q->client = (int32_t)me;
		q->len = (int32_t)(x >> 8) % 4097;
		int32_t sum = 0;
		for (int i = 0; i < q->len; i++)
			sum += q->data[i] = (uint8_t)(x >> (i % 24)) + (uint8_t)i;
		long st = KerMsgSend(coid, q, 16 + q->len, r, sizeof(*r));
		int ok = st == me && r->seq == n && r->sum == sum;
		for (int i = 0; ok && i < q->len; i++)
			ok = r->data[i] == q->data[q->len - 1 - i];
		bad[me] += !ok;
	}
	if (coid < 0)
		bad[me] = PER_CLIENT;
	else
		ConnectDetach(coid);
	ThreadDestroy(0, -1, NULL);
	return NULL;
}

static int run_round(struct ifs *fs)
{
	struct _thread_attr a = {0};
	int tids[CLIENTS], status = -1, failures = 0;

	server = proc_spawn_abilities(fs, "child", (char *[]){"child", "stress-server", NULL}, NULL,
				      10, SCHED_RR, _NTO_ABILITY_PUBLIC_CHANNEL);
	if (server < 0)
		return -1;
	memset(bad, 0, sizeof(bad));
	for (long i = 0; i < CLIENTS; i++)
		tids[i] = ThreadCreate(0, client, (void *)i, &a);
	for (int i = 0; i < CLIENTS; i++) {
		ThreadJoin(tids[i], NULL);
		failures += bad[i];
	}
	/* Tell the server how many it should have served. */
	int coid = attach();
	struct stress_req quit = {.seq = CLIENTS * PER_CLIENT, .client = -1};
	KerMsgSend(coid, &quit, 16, NULL, 0);
	ConnectDetach(coid);
	ProcWait(server, &status);
	return failures == 0 && status == 0 ? 0 : failures ? failures : 100000 + status;
}

int main(void)
{
	struct ifs fs;

	tap_plan(4);
	proc_open_image(&fs);
	CHECK_EQ(run_round(&fs), 0); /* warms the caches, checks everything */
	struct ker_info_counts before = counts();
	CHECK_EQ(run_round(&fs), 0);
	struct ker_info_counts after = counts();
	CHECK_EQ(after.free_pages, before.free_pages);
	CHECK(after.threads == before.threads && after.processes == before.processes);
	return tap_done();
}
