/*
 * For tests of one CPU's semantics: who runs first, what state a thread
 * is in by the time we look, the order priorities give. On several CPUs
 * those race by design, so such a test runs its threads, and the
 * processes it starts with proc's loader (their first thread is ours to
 * create), on CPU 0 alone (QNX's runmask and inherit mask). What only
 * several CPUs show is test_smp's.
 */
#ifndef TESTS_USER_ONECPU_H
#define TESTS_USER_ONECPU_H

#include <sys/neutrino.h>

static inline void one_cpu(void)
{
	struct _thread_runmask rm = {1, {1}, {1}};

	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &rm);
}

#endif
