/*
 * The kernel's object and page counts (KerInfo(KER_INFO_COUNTS)), which
 * tests take before and after a workload to show it leaked nothing.
 */
#ifndef TESTS_USER_COUNTS_H
#define TESTS_USER_COUNTS_H

#include <sys/kinfo.h>
#include <sys/neutrino.h>

static inline struct ker_info_counts counts(void)
{
	struct ker_info_counts c = {0};
	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	return c;
}

#endif
