/* Host tests of the kernel's formatter (kernel/fmt.c), checked against the
 * host C library's snprintf for every case, and truncation rules. */
#include "host_test.h"

#include <kernel/fmt.h>
#include <stdarg.h>
#include <string.h>

static int same(const char *fmt, ...)
{
	char a[256], b[256];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int na = fmt_vsnprintf(a, sizeof(a), fmt, ap);
	int nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (na != nb || strcmp(a, b)) {
		printf("# format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)\n", fmt, a, na, b, nb);
		return 0;
	}
	return 1;
}

#define SAME(...) ht_check(same(__VA_ARGS__), #__VA_ARGS__, __FILE__, __LINE__)

int main(void)
{
	SAME("plain text");
	SAME("%d %i %d %d", 0, -1, 2147483647, (int)-2147483647 - 1);
	SAME("%u %x %X %o", 4000000000u, 0xdeadbeefu, 0xabcdefu, 0755u);
	SAME("%ld %lu %lx", -123456789012l, 18446744073709551615ul, 0xfedcba9876543210ul);
	SAME("%lld %llu %llx", -1ll, 0ull, 0x1ull);
	SAME("%zu %zx %jd %td", (size_t)77, (size_t)0x10, (intmax_t)-5, (ptrdiff_t)-6);
	SAME("%hd %hu %hhd %hhu %hhx", (short)-3, (unsigned short)65535, (signed char)-7,
	     (unsigned char)200, (unsigned char)0xab);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d]", 42, 42, 42, 42, 42, -42);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%.0x]", 7, 7, 7, 0, 0);
	SAME("[%#x] [%#X] [%#o] [%#o] [%#x] [%#.3o]", 255u, 255u, 8u, 0u, 0u, 1u);
	SAME("[%016lx] [%-16lx] [%#018lx]", 0x1234ul, 0x1234ul, 0x1234ul);
	SAME("[%*d] [%-*d] [%.*d] [%*.*d]", 6, 1, 6, 1, 4, 1, 7, 3, 9);
	SAME("[%s] [%10s] [%-10s] [%.2s] [%*.*s]", "abc", "abc", "abc", "abc", 5, 1, "xyz");
	SAME("[%c] [%3c] [%-3c] [%%]", 'x', 'y', 'z');
	SAME("%p %p", (void *)0x1000, (void *)0xffffffff80200000ul);

	/* Truncation: always terminated, returns the full length. */
	char buf[8];
	CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	CHECK(!strcmp(buf, "0123456"));
	CHECK_EQ(fmt_snprintf(buf, 1, "abc"), 3);
	CHECK_EQ(buf[0], 0);
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 12345), 5);
	/* Our own rules where libc has its own words (called through a
	 * pointer so gcc's format checks let the odd formats through). */
	int (*raw)(char *, size_t, const char *, ...) = fmt_snprintf;
	const char *volatile nul = NULL;
	CHECK_EQ(raw(buf, sizeof(buf), "%s", nul), 6);
	CHECK(!strcmp(buf, "(null)"));
	CHECK_EQ(raw(buf, sizeof(buf), "%q"), 2);
	CHECK(!strcmp(buf, "%q"));
	return ht_done();
}
