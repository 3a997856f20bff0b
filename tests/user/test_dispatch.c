/*
 * The dispatch layer (<sys/dispatch.h>): messages routed by type range
 * to their handler with its handle and the whole message (the part past
 * the context's buffer read with MsgRead), ENOSYS for a type no range
 * holds (or the MSG_FLAG_DEFAULT_FUNC handler), pulses by code (given
 * and allocated), a pulse with no handler dropped, detaching, bad
 * input, and thread pools: one growing from lo_water to its maximum
 * under six blocked clients and shrinking to hi_water when idle, one
 * whose starter exits (POOL_FLAG_EXIT_SELF), one whose starter serves
 * in it (POOL_FLAG_USE_SELF), all destroyed with their threads.
 * Threads, channels, connections and pulses end at their baseline.
 * Booted by the kernel, without proc: name_open and name_attach are
 * ENOSYS (no namesrv), even with our own connection at NAMESRV_COID.
 * Every wait is on IPC or a condvar, and the thread counts are polled
 * with a bound (settle.h): nothing depends on one CPU's order.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "settle.h"
#include "counts.h"
#include "pool.h"
#include "tap.h"

/* The call's result says it failed (cond) and errno says why. */
#define FAILS(cond, err) (errno = 0, (cond) && errno == (err))

#define TYPE_A_LOW  0x1000
#define TYPE_A_HIGH 0x10ff
#define TYPE_B_LOW  0x2000
#define TYPE_B_HIGH 0x2fff
#define TYPE_NONE   0x3000
#define TYPE_QUIT   0x7000
#define TYPE_POOL   0x4000

static int tag_a, tag_b, tag_p, tag_q;

/* What a routing handler answers: which handler, with what, and the
 * message it saw (length and byte sum). */
struct answer {
	int32_t code;
	int32_t tag; /* 1: range A's handle, 2: range B's */
	uint32_t len;
	uint32_t sum;
};

static int route(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	struct answer a = {code, handle == &tag_a ? 1 : handle == &tag_b ? 2 : 0, 0, 0};
	const uint8_t *p = (const uint8_t *)ctp->msg;
	uint8_t more[256];
	ssize_t n;

	(void)flags;
	for (int i = 0; i < ctp->size; i++)
		a.sum += p[i];
	a.len = (uint32_t)ctp->size;
	while ((n = MsgRead(ctp->rcvid, more, sizeof(more), a.len)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			a.sum += more[i];
		a.len += (uint32_t)n;
	}
	MsgReply(ctp->rcvid, 0, &a, sizeof(a));
	return 0;
}

/* What the pulse handler saw, read by main after a later message's
 * reply (one server thread: the queue's order is the handling order). */
static int pulses_seen, last_code, last_value, last_tag;

static int on_pulse(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)flags;
	pulses_seen++;
	last_code = code;
	last_value = ctp->msg->pulse.value.sival_int;
	last_tag = handle == &tag_p ? 1 : 0;
	return 0;
}

static volatile int quit;
static int unhandled; /* dispatch_handler's -1 returns in the server loop */

static int on_quit(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	(void)code, (void)flags, (void)handle;
	quit = 1;
	MsgReply(ctp->rcvid, 0, NULL, 0);
	return 0;
}

static void *serve(void *arg)
{
	dispatch_context_t *ctp = arg;
	while (!quit)
		if (dispatch_block(ctp) && dispatch_handler(ctp) < 0)
			unhandled++;
	return NULL;
}

/* A message of len bytes of type `type`; its expected byte sum. */
static uint32_t fill(uint8_t *buf, size_t len, uint16_t type)
{
	uint32_t sum = 0;
	memcpy(buf, &type, sizeof(type));
	for (size_t i = sizeof(type); i < len; i++)
		buf[i] = (uint8_t)(i * 7);
	for (size_t i = 0; i < len; i++)
		sum += buf[i];
	return sum;
}

static int sync_with(int coid)
{
	uint16_t t = TYPE_A_LOW;
	struct answer a;
	return MsgSend(coid, &t, sizeof(t), &a, sizeof(a)) == 0 && a.tag == 1;
}

/* --- the pool ------------------------------------------------------------ */

#define CLIENTS 6

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_in = PTHREAD_COND_INITIALIZER;
static int in_handler, most_in_handler;
static uint64_t threads_at_peak, pool_base;

/* Holds each request until all CLIENTS are in a handler at once, which
 * takes the pool at its maximum; then answers 3 * value + 1. */
static int hold(message_context_t *ctp, int code, unsigned flags, void *handle)
{
	int32_t v = 0;
	(void)code, (void)flags, (void)handle;
	memcpy(&v, (char *)ctp->msg + 4, sizeof(v));
	pthread_mutex_lock(&pool_lock);
	if (++in_handler > most_in_handler)
		most_in_handler = in_handler;
	if (in_handler == CLIENTS) {
		threads_at_peak = counts().threads;
		pthread_cond_broadcast(&all_in);
	}
	while (most_in_handler < CLIENTS)
		pthread_cond_wait(&all_in, &pool_lock);
	in_handler--;
	pthread_mutex_unlock(&pool_lock);
	MsgReply(ctp->rcvid, 3 * v + 1, NULL, 0);
	return 0;
}

static int pool_coid;

static void *client(void *arg)
{
	struct {
		uint16_t type, pad;
		int32_t value;
	} m = {TYPE_POOL, 0, (int32_t)(long)arg};
	return (void *)MsgSend(pool_coid, &m, sizeof(m), NULL, 0);
}

static void *start_exit_self(void *pool)
{
	thread_pool_start(pool);
	return (void *)1; /* not reached: EXIT_SELF ends the thread */
}

static void *start_use_self(void *pool)
{
	return (void *)(long)thread_pool_start(pool); /* when the pool ends */
}

int main(void)
{
	tap_plan(99);
	struct ker_info_counts base = counts();

	/* Started by the kernel, not proc: no name server. Our own side
	 * connections at SYSMGR_COID and NAMESRV_COID (to a channel nobody
	 * receives on) are never taken for it: ENOSYS, not a hang. */
	int nchid = ChannelCreate(0);
	int side0 = ConnectAttach(0, 0, nchid, _NTO_SIDE_CHANNEL, 0);
	int side1 = ConnectAttach(0, 0, nchid, _NTO_SIDE_CHANNEL, 0);
	CHECK(side0 == SYSMGR_COID && side1 == NAMESRV_COID);
	CHECK(FAILS(name_open("anything", 0) == -1, ENOSYS));
	CHECK(FAILS(name_attach(NULL, "anything", 0) == NULL, ENOSYS));
	ConnectDetach(side0);
	ConnectDetach(side1);
	ChannelDestroy(nchid);

	/* dispatch_create's channel comes with the first attach; there is
	 * no context before something is attached; destroy takes it away. */
	dispatch_t *own = dispatch_create();
	CHECK(own != NULL);
	CHECK_EQ(counts().channels, base.channels);
	CHECK(FAILS(dispatch_context_alloc(own) == NULL, EINVAL));
	CHECK_EQ(pulse_attach(own, 0, 1, on_pulse, NULL), 1);
	CHECK_EQ(counts().channels, base.channels + 1);
	CHECK_EQ(dispatch_destroy(own), 0);
	CHECK_EQ(counts().channels, base.channels);
	CHECK(FAILS(dispatch_destroy(NULL) == -1, EINVAL));

	int chid = ChannelCreate(_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT);
	dispatch_t *dpp = dispatch_create_channel(chid, 0);
	CHECK(dpp != NULL);

	/* --- attaching, and what is refused ----------------------------- */
	CHECK_EQ(message_attach(dpp, NULL, TYPE_A_LOW, TYPE_A_HIGH, route, &tag_a), 0);
	CHECK_EQ(message_attach(dpp, NULL, TYPE_B_LOW, TYPE_B_HIGH, route, &tag_b), 0);
	CHECK_EQ(message_attach(dpp, NULL, TYPE_QUIT, TYPE_QUIT, on_quit, &tag_q), 0);
	CHECK(FAILS(message_attach(NULL, NULL, 0x5000, 0x5001, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x5001, 0x5000, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x1080, 0x1100, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x0f00, 0x1000, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x2100, 0x2100, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x5000, 0x10000, route, NULL) == -1, EINVAL));
	CHECK(FAILS(message_attach(dpp, NULL, 0x5000, 0x5000, NULL, NULL) == -1, EINVAL));
	/* Touching a range is not overlapping it. */
	CHECK_EQ(message_attach(dpp, NULL, TYPE_A_HIGH + 1, TYPE_A_HIGH + 1, route, NULL), 0);
	CHECK_EQ(message_detach(dpp, TYPE_A_HIGH + 1, TYPE_A_HIGH + 1, 0), 0);
	CHECK(FAILS(message_detach(dpp, TYPE_A_HIGH + 1, TYPE_A_HIGH + 1, 0) == -1, EINVAL));

	CHECK_EQ(pulse_attach(dpp, 0, 5, on_pulse, &tag_p), 5);
	CHECK(FAILS(pulse_attach(dpp, 0, 5, on_pulse, &tag_p) == -1, EINVAL));
	CHECK(FAILS(pulse_attach(dpp, 0, 200, on_pulse, &tag_p) == -1, EINVAL));
	int c1 = pulse_attach(dpp, MSG_FLAG_ALLOC_PULSE, 0, on_pulse, &tag_p);
	int c2 = pulse_attach(dpp, MSG_FLAG_ALLOC_PULSE, 0, on_pulse, &tag_p);
	CHECK(c1 >= _PULSE_CODE_MINAVAIL && c1 <= _PULSE_CODE_MAXAVAIL && c1 != 5);
	CHECK(c2 >= _PULSE_CODE_MINAVAIL && c2 <= _PULSE_CODE_MAXAVAIL && c2 != 5 && c2 != c1);

	dispatch_context_t *ctp = dispatch_context_alloc(dpp);
	CHECK(ctp != NULL);
	CHECK_EQ(ctp->message_context.msg_max_size, _DISPATCH_MSG_MAX_SIZE);
	/* The buffer is made: a larger one is refused from now on. */
	message_attr_t big = {0, 1, 2 * _DISPATCH_MSG_MAX_SIZE};
	CHECK(FAILS(message_attach(dpp, &big, 0x5000, 0x5000, route, NULL) == -1, EINVAL));
	CHECK(FAILS(dispatch_destroy(dpp) == -1, EBUSY));

	/* dispatch_block's errors: no context, one bent to another
	 * dispatch, a kernel timeout. */
	CHECK(FAILS(dispatch_block(NULL) == NULL, EINVAL));
	dispatch_t *other = dispatch_create();
	ctp->message_context.dpp = other;
	CHECK(FAILS(dispatch_block(ctp) == NULL, EINVAL));
	ctp->message_context.dpp = dpp;
	CHECK_EQ(dispatch_destroy(other), 0);
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL, NULL);
	CHECK(FAILS(dispatch_block(ctp) == NULL, ETIMEDOUT));

	/* --- routing, served by one thread ------------------------------ */
	pthread_t server;
	CHECK_EQ(pthread_create(&server, NULL, serve, ctp), 0);
	int coid = ConnectAttach(0, getpid(), chid, _NTO_SIDE_CHANNEL, 0);
	CHECK(coid >= 0);

	static uint8_t msg[3000];
	struct answer a = {0};
	uint32_t sum = fill(msg, sizeof(msg), 0x1042);
	CHECK_EQ(MsgSend(coid, msg, sizeof(msg), &a, sizeof(a)), 0);
	CHECK(a.code == 0x1042 && a.tag == 1);
	CHECK(a.len == sizeof(msg) && a.sum == sum); /* past the buffer too */
	sum = fill(msg, 100, TYPE_B_HIGH);
	CHECK_EQ(MsgSend(coid, msg, 100, &a, sizeof(a)), 0);
	CHECK(a.code == TYPE_B_HIGH && a.tag == 2 && a.len == 100 && a.sum == sum);
	uint16_t none = TYPE_NONE;
	CHECK(FAILS(MsgSend(coid, &none, sizeof(none), NULL, 0) == -1, ENOSYS));
	CHECK(sync_with(coid)); /* the loop counted it before taking this */
	CHECK_EQ(unhandled, 1);

	/* Pulses: each handled before the message sent after it. */
	CHECK_EQ(MsgSendPulse(coid, -1, 5, 77), 0);
	CHECK(sync_with(coid));
	CHECK(pulses_seen == 1 && last_code == 5 && last_value == 77 && last_tag == 1);
	CHECK_EQ(MsgSendPulse(coid, -1, c2, 78), 0);
	CHECK(sync_with(coid));
	CHECK(pulses_seen == 2 && last_code == c2 && last_value == 78);
	/* No handler: dropped (nothing replies to a pulse), still serving. */
	int spare = c1 == 9 || c2 == 9 ? 10 : 9;
	CHECK_EQ(MsgSendPulse(coid, -1, spare, 79), 0);
	CHECK(sync_with(coid));
	CHECK(pulses_seen == 2 && unhandled == 2);
	/* Detached: its pulses and messages go nowhere. */
	CHECK_EQ(pulse_detach(dpp, 5, 0), 0);
	CHECK_EQ(MsgSendPulse(coid, -1, 5, 80), 0);
	CHECK(sync_with(coid));
	CHECK(pulses_seen == 2 && unhandled == 3);
	CHECK_EQ(message_detach(dpp, TYPE_B_LOW, TYPE_B_HIGH, 0), 0);
	fill(msg, 100, TYPE_B_LOW);
	CHECK(FAILS(MsgSend(coid, msg, 100, &a, sizeof(a)) == -1, ENOSYS));

	/* MSG_FLAG_DEFAULT_FUNC: the handler of types no range holds. */
	message_attr_t deflt = {MSG_FLAG_DEFAULT_FUNC, 0, 0};
	CHECK_EQ(message_attach(dpp, &deflt, 0, 0, route, NULL), 0);
	CHECK(MsgSend(coid, &none, sizeof(none), &a, sizeof(a)) == 0 && a.code == TYPE_NONE &&
	      a.tag == 0);
	CHECK_EQ(message_detach(dpp, 0, 0, MSG_FLAG_DEFAULT_FUNC), 0);

	uint16_t q = TYPE_QUIT;
	CHECK_EQ(MsgSend(coid, &q, sizeof(q), NULL, 0), 0);
	CHECK_EQ(pthread_join(server, NULL), 0);
	dispatch_context_free(ctp);

	/* --- a pool whose starter exits, on the same dispatch ------------- */
	thread_pool_attr_t pa = pool_attr(dpp, 1, 1, 2);
	CHECK(FAILS(thread_pool_create(NULL, 0) == NULL, EINVAL));
	pa.lo_water = 2; /* above hi_water */
	CHECK(FAILS(thread_pool_create(&pa, 0) == NULL, EINVAL));
	pa.lo_water = 1;
	thread_pool_t *p1 = thread_pool_create(&pa, POOL_FLAG_EXIT_SELF);
	CHECK(p1 != NULL);
	pthread_t starter;
	void *ret = (void *)2;
	pthread_create(&starter, NULL, start_exit_self, p1);
	CHECK(pthread_join(starter, &ret) == 0 && ret == NULL);
	sum = fill(msg, 3000, TYPE_A_LOW);
	CHECK(MsgSend(coid, msg, 3000, &a, sizeof(a)) == 0 && a.tag == 1 && a.sum == sum);
	CHECK_EQ(thread_pool_destroy(p1), 0);
	CHECK_EQ(settle_threads(base.threads), base.threads);
	/* POOL_FLAG_USE_SELF: the starter serves, until the pool ends. */
	thread_pool_t *p2 = thread_pool_create(&pa, POOL_FLAG_USE_SELF);
	CHECK(p2 != NULL);
	pthread_create(&starter, NULL, start_use_self, p2);
	sum = fill(msg, 500, TYPE_A_LOW + 1);
	CHECK(MsgSend(coid, msg, 500, &a, sizeof(a)) == 0 && a.tag == 1 && a.sum == sum);
	CHECK_EQ(thread_pool_destroy(p2), 0);
	ret = (void *)2;
	CHECK(pthread_join(starter, &ret) == 0 && ret == NULL);
	CHECK_EQ(settle_threads(base.threads), base.threads);
	CHECK_EQ(ConnectDetach(coid), 0);
	CHECK_EQ(dispatch_destroy(dpp), 0);
	CHECK_EQ(ChannelDestroy(chid), 0);

	/* --- a pool under six blocked clients ------------------------------ */
	chid = ChannelCreate(_NTO_CHF_UNBLOCK | _NTO_CHF_DISCONNECT);
	dpp = dispatch_create_channel(chid, 0);
	CHECK_EQ(message_attach(dpp, NULL, TYPE_POOL, TYPE_POOL, hold, NULL), 0);
	pa = pool_attr(dpp, 2, 4, CLIENTS);
	thread_pool_t *pool = thread_pool_create(&pa, 0);
	CHECK(pool != NULL);
	pool_base = counts().threads;
	CHECK_EQ(thread_pool_start(pool), 0);
	CHECK_EQ(settle_threads(pool_base + 2), pool_base + 2); /* lo_water */
	pool_coid = ConnectAttach(0, getpid(), chid, _NTO_SIDE_CHANNEL, 0);
	pthread_t clients[CLIENTS];
	for (long i = 0; i < CLIENTS; i++)
		pthread_create(&clients[i], NULL, client, (void *)i);
	int replies_ok = 0;
	for (long i = 0; i < CLIENTS; i++) {
		void *r = NULL;
		pthread_join(clients[i], &r);
		replies_ok += (long)r == 3 * i + 1;
	}
	CHECK_EQ(replies_ok, CLIENTS);
	CHECK_EQ(most_in_handler, CLIENTS);
	CHECK_EQ(threads_at_peak, pool_base + CLIENTS + CLIENTS); /* maximum */
	/* Idle: the threads past hi_water end. */
	CHECK_EQ(settle_threads(pool_base + 4), pool_base + 4);
	CHECK_EQ(thread_pool_destroy(pool), 0);
	CHECK_EQ(settle_threads(base.threads), base.threads);
	CHECK_EQ(ConnectDetach(pool_coid), 0);
	CHECK_EQ(dispatch_destroy(dpp), 0);
	CHECK_EQ(ChannelDestroy(chid), 0);

	struct ker_info_counts end = counts();
	CHECK_EQ(end.threads, base.threads);
	CHECK_EQ(end.channels, base.channels);
	CHECK(end.connections == base.connections && end.pulses == base.pulses);
	return tap_done();
}
