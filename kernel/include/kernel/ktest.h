/*
 * In-kernel tests. KTEST(name) { ... } registers a test in the .ktests
 * section; booting with "ktest" on the command line runs them all and
 * prints TAP. KT_ASSERT stops the test on failure, KT_EXPECT goes on.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/compiler.h>

/* Aligned so the linker packs the section as a plain array (the
 * linker script must ALIGN(16) __ktests_start). */
struct ktest {
	const char *name;
	void (*fn)(void);
} ALIGNED(16);

#define KTEST(tname)                                                           \
	static void ktest_fn_##tname(void);                                    \
	static const struct ktest ktest_##tname SECTION(".ktests") USED = {    \
		#tname, ktest_fn_##tname};                                     \
	static void ktest_fn_##tname(void)

/* Records a failure with its location; returns false. */
PRINTF_LIKE(3, 4) bool ktest_fail(const char *file, int line, const char *fmt, ...);

#define KT_EXPECT(cond)                                                        \
	((cond) ? true : ktest_fail(__FILE__, __LINE__, "%s", #cond))
#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!KT_EXPECT(cond))                                          \
			return;                                                \
	} while (0)
/* Compare as unsigned 64-bit values and show both on failure. */
#define KT_EXPECT_EQ(a, b)                                                     \
	({                                                                     \
		uint64_t ka_ = (uint64_t)(a), kb_ = (uint64_t)(b);             \
		ka_ == kb_ ? true                                              \
			   : ktest_fail(__FILE__, __LINE__,                    \
					"%s == %s: 0x%llx != 0x%llx", #a, #b,  \
					(unsigned long long)ka_,               \
					(unsigned long long)kb_);              \
	})
#define KT_ASSERT_EQ(a, b)                                                     \
	do {                                                                   \
		if (!KT_EXPECT_EQ(a, b))                                       \
			return;                                                \
	} while (0)

/* Run every registered test (or those whose name starts with filter, when
 * not NULL); returns the number that failed. */
int ktest_run(const char *filter);

#endif
