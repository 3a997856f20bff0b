/*
 * Thread pools (<sys/dispatch.h>): detached pthreads that each take a
 * context from context_alloc and loop on block_func then handler_func.
 * "Idle" counts the threads not handling (blocked, or made and about to
 * block). A thread that leaves block_func with idle below lo_water makes
 * `increment` more, never more than `maximum` in all; one that finishes
 * its handler with idle at hi_water ends. thread_pool_destroy wakes the
 * blocked ones with unblock_func (once per blocked thread) and waits for
 * every thread to end.
 * One mutex per pool guards the counts and the thread list. The
 * dispatch layer's own loop (dispatch_block, dispatch_handler) sends a
 * handler's reply with the thread's next receive (MsgReplyReceive).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>

#include "libc.h"

struct pool_thread {
	struct pool_thread *next;
	thread_pool_t *pool;
	pthread_t tid;
	THREAD_POOL_PARAM_T *ctp; /* its context; NULL until context_alloc */
	int blocked;		  /* in block_func now */
};

struct _thread_pool {
	thread_pool_attr_t attr;
	unsigned flags; /* POOL_FLAG_* */
	pthread_mutex_t lock;
	pthread_cond_t gone; /* a thread ended (thread_pool_destroy waits) */
	unsigned total;	     /* threads of the pool, made or running */
	unsigned idle;	     /* of those, threads not in handler_func */
	int destroying;
	struct pool_thread *threads;
};

thread_pool_t *thread_pool_create(thread_pool_attr_t *attr, unsigned flags)
{
	if (!attr || !attr->block_func || !attr->handler_func || !attr->context_alloc ||
	    !attr->maximum || !attr->increment || attr->lo_water > attr->hi_water ||
	    attr->hi_water > attr->maximum ||
	    (flags & ~(unsigned)(POOL_FLAG_EXIT_SELF | POOL_FLAG_USE_SELF)) ||
	    flags == (POOL_FLAG_EXIT_SELF | POOL_FLAG_USE_SELF)) {
		errno = EINVAL;
		return NULL;
	}
	thread_pool_t *pool = calloc(1, sizeof(*pool));
	if (!pool) {
		errno = ENOMEM;
		return NULL;
	}
	pool->attr = *attr;
	pool->flags = flags;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->gone, NULL);
	return pool;
}

static void unlink_thread(thread_pool_t *pool, struct pool_thread *me)
{
	for (struct pool_thread **p = &pool->threads; *p; p = &(*p)->next) {
		if (*p == me) {
			*p = me->next;
			return;
		}
	}
}

static void grow(thread_pool_t *pool);

/* One thread's life; returns when it ends (the pool's lock not held). */
static void run(thread_pool_t *pool, struct pool_thread *me)
{
	THREAD_POOL_PARAM_T *ctp = pool->attr.context_alloc(pool->attr.handle);
	/* The dispatch layer's own loop (its handler returns as soon as it
	 * has replied): a reply may go with the next receive (dispatch.c). */
	bool fused =
	    pool->attr.block_func == dispatch_block && pool->attr.handler_func == dispatch_handler;
	bool idle = true; /* counted idle (spawn counted it so) */

	if (fused && ctp)
		__libc_dispatch_loop(ctp);
	pthread_mutex_lock(&pool->lock);
	me->ctp = ctp;
	while (ctp && !pool->destroying) {
		me->blocked = 1;
		pthread_mutex_unlock(&pool->lock);
		THREAD_POOL_PARAM_T *got = pool->attr.block_func(ctp);
		int err = errno;
		pthread_mutex_lock(&pool->lock);
		me->blocked = 0;
		/* A failed receive ends the thread unless a signal or timeout
		 * cut it short: a channel that is gone would spin it. */
		if (pool->destroying || (!got && err != EINTR && err != ETIMEDOUT))
			break;
		if (!got)
			continue;
		pool->idle--;
		idle = false;
		grow(pool);
		pthread_mutex_unlock(&pool->lock);
		pool->attr.handler_func(got);
		pthread_mutex_lock(&pool->lock);
		/* Enough idle without us: we end, never counted idle again (a
		 * thread counted idle while it ends kept the others from
		 * growing the pool, and the last one could end with none
		 * left to receive). */
		if (pool->idle >= pool->attr.hi_water)
			break;
		pool->idle++;
		idle = true;
	}
	me->ctp = NULL;
	pthread_mutex_unlock(&pool->lock);
	if (fused && ctp)
		__libc_dispatch_flush(ctp); /* no next receive: the reply now */
	/* Before the thread stops counting: thread_pool_destroy frees the
	 * pool once none counts, so nothing of it is touched after. */
	if (ctp && pool->attr.context_free)
		pool->attr.context_free(ctp);
	pthread_mutex_lock(&pool->lock);
	if (idle)
		pool->idle--;
	pool->total--;
	unlink_thread(pool, me);
	pthread_cond_broadcast(&pool->gone);
	pthread_mutex_unlock(&pool->lock);
}

static void *thread_main(void *arg)
{
	struct pool_thread *me = arg;

	run(me->pool, me);
	free(me);
	return NULL;
}

/* Makes one thread, counted idle from now (it is about to block). Called
 * with the lock held. */
static int spawn(thread_pool_t *pool)
{
	struct pool_thread *t = calloc(1, sizeof(*t));
	if (!t)
		return ENOMEM;
	t->pool = pool;
	pthread_attr_t a;
	if (pool->attr.attr)
		a = *pool->attr.attr;
	else
		pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pool->total++;
	pool->idle++;
	t->next = pool->threads;
	pool->threads = t;
	int err = pthread_create(&t->tid, &a, thread_main, t);
	if (err) {
		pool->total--;
		pool->idle--;
		pool->threads = t->next;
		free(t);
	}
	return err;
}

/* Below lo_water idle threads: make `increment` more, within maximum. */
static void grow(thread_pool_t *pool)
{
	if (pool->idle >= pool->attr.lo_water)
		return;
	for (unsigned i = 0; i < pool->attr.increment && pool->total < pool->attr.maximum; i++)
		if (spawn(pool))
			return;
}

int thread_pool_start(void *arg)
{
	thread_pool_t *pool = arg;
	if (!pool) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&pool->lock);
	/* The calling thread counts as one of the pool's with USE_SELF. */
	struct pool_thread self = {.pool = pool, .tid = pthread_self()};
	if (pool->flags & POOL_FLAG_USE_SELF) {
		pool->total++;
		pool->idle++;
		self.next = pool->threads;
		pool->threads = &self;
	}
	unsigned want = pool->attr.lo_water ? pool->attr.lo_water : 1;
	int err = 0;
	while (!err && pool->idle < want && pool->total < pool->attr.maximum)
		err = spawn(pool);
	pthread_mutex_unlock(&pool->lock);
	if (pool->flags & POOL_FLAG_USE_SELF) {
		run(pool, &self);
		return 0;
	}
	if (pool->flags & POOL_FLAG_EXIT_SELF)
		pthread_exit(NULL);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int thread_pool_destroy(thread_pool_t *pool)
{
	if (!pool) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&pool->lock);
	for (struct pool_thread *t = pool->threads; t; t = t->next) {
		if (pthread_equal(t->tid, pthread_self())) {
			/* It would wait for itself. */
			pthread_mutex_unlock(&pool->lock);
			errno = EDEADLK;
			return -1;
		}
	}
	pool->destroying = 1;
	/* One unblock_func call per thread marked blocked (each wakes one,
	 * or the next to block, as dispatch_unblock does): the marks change
	 * only under the lock, and a marked thread has not yet seen
	 * `destroying`. Threads in their handlers see it when they return. */
	for (struct pool_thread *t = pool->threads; t; t = t->next)
		if (t->blocked && t->ctp && pool->attr.unblock_func)
			pool->attr.unblock_func(t->ctp);
	while (pool->total)
		pthread_cond_wait(&pool->gone, &pool->lock);
	pthread_mutex_unlock(&pool->lock);
	pthread_cond_destroy(&pool->gone);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
	return 0;
}
