/* Host tests of libc's number conversion and getenv (libc/stdlib.c):
 * strtol, strtoul, strtoll, strtoull and atoi checked against the host C
 * library for value, end pointer and errno, over every base. */
#include "host_test.h"
#include "libc_host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const inputs[] = {
    "0",
    "1",
    "-1",
    "+1",
    "  42",
    "\t\n\v\f\r 42x",
    "-",
    "+",
    "",
    "   ",
    "x",
    "0x",
    "0x1f",
    "0X1F",
    "0xg",
    "-0x10",
    "010",
    "08",
    "0b101",
    "z",
    "Zz",
    "123abc",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "99999999999999999999999999",
    "-99999999999999999999999",
    "0x7fffffffffffffff",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "777777777777777777777",
    "1777777777777777777777",
    "2000000000000000000000",
    "zzzzzzzzzzzzzzzz",
    "1y2",
    "  -  5",
    "00000000000000000000000000000001",
};

static int check_one(const char *s, int base)
{
	char *e1, *e2;
	int ok = 1;

	errno = 0;
	muon_errno = 0;
	long l1 = muon_strtol(s, &e1, base), l2 = strtol(s, &e2, base);
	ok &= l1 == l2 && e1 == e2 && muon_errno == errno;
	errno = 0;
	muon_errno = 0;
	unsigned long u1 = muon_strtoul(s, &e1, base), u2 = strtoul(s, &e2, base);
	ok &= u1 == u2 && e1 == e2 && muon_errno == errno;
	errno = 0;
	muon_errno = 0;
	long long ll1 = muon_strtoll(s, &e1, base), ll2 = strtoll(s, &e2, base);
	ok &= ll1 == ll2 && e1 == e2 && muon_errno == errno;
	errno = 0;
	muon_errno = 0;
	unsigned long long ull1 = muon_strtoull(s, &e1, base), ull2 = strtoull(s, &e2, base);
	ok &= ull1 == ull2 && e1 == e2 && muon_errno == errno;
	if (!ok)
		printf("# \"%s\" base %d: strtol %ld/%ld strtoul %lu/%lu end %td/%td\n", s, base,
		       l1, l2, u1, u2, e1 - s, e2 - s);
	return ok;
}

int main(void)
{
	int all = 1;
	static const int bases[] = {0, 2, 8, 10, 16, 36};

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			all &= check_one(inputs[i], bases[b]);
	for (int base = 2; base <= 36; base++)
		all &= check_one("-1aZ9zQ", base) & check_one("zzzzzzzzzzzzzzzzzz", base);
	CHECK(all);

	/* No end pointer wanted; a bad base is EINVAL with no conversion. */
	CHECK_EQ(muon_strtol("123", NULL, 10), 123);
	char *end;
	const char *s = "123";
	muon_errno = 0;
	CHECK_EQ(muon_strtol(s, &end, 1), 0);
	CHECK_EQ(muon_errno, EINVAL);
	CHECK(end == s);
	muon_errno = 0;
	CHECK_EQ(muon_strtoul(s, &end, 37), 0);
	CHECK_EQ(muon_errno, EINVAL);

	CHECK_EQ(muon_atoi("  -77xyz"), -77);
	CHECK_EQ(muon_atoi("2147483647"), 2147483647);
	CHECK_EQ(muon_atoi(""), 0);

	char *env[] = {"A=1", "PATH=/bin:/proc/boot", "EMPTY=", "AB=2", NULL};
	muon_environ = env;
	CHECK(!strcmp(muon_getenv("PATH"), "/bin:/proc/boot"));
	CHECK(!strcmp(muon_getenv("A"), "1"));
	CHECK(!strcmp(muon_getenv("AB"), "2"));
	CHECK(!strcmp(muon_getenv("EMPTY"), ""));
	CHECK(muon_getenv("PAT") == NULL);
	CHECK(muon_getenv("") == NULL);
	CHECK(muon_getenv("A=1") == NULL);
	muon_environ = NULL;
	CHECK(muon_getenv("PATH") == NULL);
	return ht_done();
}
