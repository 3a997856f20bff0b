/*
 * pool_server: a multithreaded server with a thread pool. The server
 * name_attach()es "example_pool" on a dispatch and lets a thread pool
 * serve it: the pool keeps one or two threads waiting for messages and
 * makes more (up to four) when they all get busy. Four client threads
 * send at once; each request waits until all four are in service, which
 * only works because four pool threads handle them side by side.
 *
 * Run: pool_server
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/neutrino.h>

#define NAME	 "example_pool"
#define WORK	 0x1000 /* our message type, above _IO_MAX */
#define NCLIENTS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_in = PTHREAD_COND_INITIALIZER;
static int in_service;
static pthread_t handled_by[NCLIENTS];

/* Runs in a pool thread, one per request in service. */
static int on_work(message_context_t *ctp, int type, unsigned flags, void *handle)
{
	(void)type;
	(void)flags;
	(void)handle;
	pthread_mutex_lock(&lock);
	handled_by[in_service++] = pthread_self();
	/* The last of the four to arrive wakes the others. */
	if (in_service == NCLIENTS)
		pthread_cond_broadcast(&all_in);
	while (in_service < NCLIENTS)
		pthread_cond_wait(&all_in, &lock);
	pthread_mutex_unlock(&lock);
	MsgReply(ctp->rcvid, 0, NULL, 0);
	return 0;
}

static void *client(void *arg)
{
	(void)arg;
	int coid = name_open(NAME, 0);
	uint16_t type = WORK;

	return (void *)(long)(coid < 0 || MsgSend(coid, &type, sizeof(type), NULL, 0) != 0);
}

int main(void)
{
	dispatch_t *dpp = dispatch_create();
	if (!dpp || !name_attach(dpp, NAME, 0) ||
	    message_attach(dpp, NULL, WORK, WORK, on_work, NULL) < 0) {
		perror("server: set-up");
		return 1;
	}

	/* Each pool thread allocates a context, then loops on block (wait for
	 * a message) and handler (run what message_attach registered). */
	thread_pool_attr_t pa;
	memset(&pa, 0, sizeof(pa));
	pa.handle = dpp;
	pa.context_alloc = dispatch_context_alloc;
	pa.block_func = dispatch_block;
	pa.unblock_func = dispatch_unblock;
	pa.handler_func = dispatch_handler;
	pa.context_free = dispatch_context_free;
	pa.lo_water = 1;  /* at least one thread waiting for work */
	pa.increment = 1; /* made one at a time */
	pa.hi_water = 2;  /* at most two waiting: more end */
	pa.maximum = 4;	  /* at most four in all */
	thread_pool_t *pool = thread_pool_create(&pa, 0);
	if (!pool || thread_pool_start(pool) != 0) { /* flags 0: start returns */
		perror("server: thread pool");
		return 1;
	}
	printf("server: pool started (lo_water 1, hi_water 2, maximum 4)\n");

	pthread_t c[NCLIENTS];
	for (int i = 0; i < NCLIENTS; i++)
		pthread_create(&c[i], NULL, client, NULL);
	int failed = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		void *r;
		pthread_join(c[i], &r);
		failed += r != NULL;
	}

	int threads = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= pthread_equal(handled_by[i], handled_by[j]);
		threads += !seen;
	}
	printf("server: %d requests were in service at once, in %d pool threads\n", in_service,
	       threads);
	printf("server: %d clients failed\n", failed);
	return failed != 0 || threads != NCLIENTS;
}
