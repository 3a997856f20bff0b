/*
 * Waiting for what another CPU finishes: detached threads ending (nothing
 * joins them), a server's work after its reply (shmmgr's close_ocb runs
 * after the close's answer). A test cannot know it is done by the time
 * it looks: it polls the kernel's count, yielding, for up to 10 s, and
 * then checks the count it got, which says what happened.
 */
#ifndef TESTS_USER_SETTLE_H
#define TESTS_USER_SETTLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>

/* The count at offset off of struct ker_info_counts once it is want, or
 * the last one seen. */
static inline uint64_t settle_count(size_t off, uint64_t want)
{
	struct ker_info_counts c = {0};
	struct timespec t0, now;
	uint64_t v;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
		clock_gettime(CLOCK_MONOTONIC, &now);
		v = *(const uint64_t *)((const char *)&c + off);
		if (v == want || now.tv_sec - t0.tv_sec >= 10)
			return v;
		SchedYield();
	}
}

/* The live-thread count once it is want, or the last one seen. */
static inline uint64_t settle_threads(uint64_t want)
{
	return settle_count(offsetof(struct ker_info_counts, threads), want);
}

/* The memory-object count once it is want, or the last one seen. */
static inline uint64_t settle_memobjs(uint64_t want)
{
	return settle_count(offsetof(struct ker_info_counts, memobjs), want);
}

#endif
