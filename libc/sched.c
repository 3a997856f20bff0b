/* POSIX scheduling calls over the kernel's Sched* calls. */
#include <errno.h>
#include <sched.h>
#include <sys/kcall.h>

#include "libc.h"

int sched_yield(void)
{
	return SchedYield();
}

static int known(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_OTHER;
}

int sched_get_priority_min(int policy)
{
	if (!known(policy)) {
		errno = EINVAL;
		return -1;
	}
	return 1;
}

int sched_get_priority_max(int policy)
{
	if (!known(policy)) {
		errno = EINVAL;
		return -1;
	}
	return 255;
}
