/*
 * A thread pool on the dispatch layer's own loop (dispatch_block,
 * dispatch_handler), as the tests that serve from one set it up.
 */
#ifndef TESTS_USER_POOL_H
#define TESTS_USER_POOL_H

#include <string.h>
#include <sys/dispatch.h>

/* Pool attributes for dpp: lo and hi water, at most max threads, one
 * more at a time. */
static inline thread_pool_attr_t pool_attr(dispatch_t *dpp, unsigned lo, unsigned hi,
					   unsigned max)
{
	thread_pool_attr_t a;
	memset(&a, 0, sizeof(a));
	a.handle = dpp;
	a.context_alloc = dispatch_context_alloc;
	a.block_func = dispatch_block;
	a.unblock_func = dispatch_unblock;
	a.handler_func = dispatch_handler;
	a.context_free = dispatch_context_free;
	a.lo_water = (unsigned short)lo;
	a.hi_water = (unsigned short)hi;
	a.maximum = (unsigned short)max;
	a.increment = 1;
	return a;
}

#endif
