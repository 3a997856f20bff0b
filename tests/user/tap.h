/*
 * TAP for user-mode tests: the plan first (tests declare how many points
 * they have), then "ok N - what" / "not ok N - what" with a diagnostic
 * line. tap_done() returns the exit status: 0 only if every point passed
 * and the count matched the plan.
 */
#ifndef TESTS_USER_TAP_H
#define TESTS_USER_TAP_H

#include <errno.h>
#include <stdio.h>

static int tap_planned, tap_count, tap_failed;

static inline void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline int tap_check(int ok, const char *what, const char *file, int line)
{
	tap_count++;
	if (ok) {
		printf("ok %d - %s\n", tap_count, what);
	} else {
		tap_failed++;
		printf("not ok %d - %s\n# at %s:%d\n", tap_count, what, file, line);
	}
	return ok;
}

#define CHECK(cond) tap_check(!!(cond), #cond, __FILE__, __LINE__)
/* Compare as long and show both sides on failure. */
#define CHECK_EQ(a, b)                                                                             \
	({                                                                                         \
		long a_ = (long)(a), b_ = (long)(b);                                               \
		int ok_ = tap_check(a_ == b_, #a " == " #b, __FILE__, __LINE__);                   \
		if (!ok_)                                                                          \
			printf("#   got %ld, want %ld\n", a_, b_);                                     \
		ok_;                                                                               \
	})

/* Whether a call returning r failed with errno err; says what it got
 * if not (for CHECK(fails(call, EINVAL))). */
static inline int fails(long r, int err)
{
	if (r == -1 && errno == err)
		return 1;
	printf("#   got %ld errno %d, want -1 errno %d\n", r, errno, err);
	return 0;
}

static inline int tap_done(void)
{
	if (tap_count != tap_planned)
		printf("# planned %d tests, ran %d\n", tap_planned, tap_count);
	return tap_failed || tap_count != tap_planned ? 1 : 0;
}

#endif
