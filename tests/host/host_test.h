/*
 * Minimal TAP for host unit tests: each CHECK is one test point; the plan
 * is printed at the end (valid TAP). main() returns ht_done().
 */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <inttypes.h>
#include <stdio.h>

static int ht_count, ht_failed;

static inline int ht_check(int ok, const char *what, const char *file, int line)
{
	ht_count++;
	if (ok) {
		printf("ok %d - %s\n", ht_count, what);
	} else {
		ht_failed++;
		printf("not ok %d - %s\n# at %s:%d\n", ht_count, what, file, line);
	}
	return ok;
}

#define CHECK(cond) ht_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b)                                                         \
	({                                                                     \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);               \
		int ok_ = ht_check(a_ == b_, #a " == " #b, __FILE__, __LINE__); \
		if (!ok_)                                                      \
			printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", a_, b_); \
		ok_;                                                           \
	})

/* A xorshift64 step: the tests' reproducible random numbers (state
 * never 0). */
static inline uint64_t ht_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static inline int ht_done(void)
{
	printf("1..%d\n", ht_count);
	return ht_failed ? 1 : 0;
}

#endif
