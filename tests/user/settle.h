/*
 * Waiting for detached threads to end. They may run on another CPU, so
 * a test cannot know they have ended by the time it looks (nothing joins
 * them): it polls the kernel's thread count, yielding, for up to 10 s,
 * and then checks the count it got, which says what happened.
 */
#ifndef TESTS_USER_SETTLE_H
#define TESTS_USER_SETTLE_H

#include <stdint.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>

/* The live-thread count once it is want, or the last one seen. */
static inline uint64_t settle_threads(uint64_t want)
{
	struct ker_info_counts c = {0};
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (c.threads == want || now.tv_sec - t0.tv_sec >= 10)
			return c.threads;
		SchedYield();
	}
}

#endif
