/* Host tests of libc's stdlib (libc/stdlib.c, strtod.c, env.c, qsort.c,
 * sysconf.c): strtol, strtoul, strtoll, strtoull and atoi checked against
 * the host C library for value, end pointer and errno, over every base;
 * strtod and strtof the same over a table and random inputs (decimal
 * strings near halfway points, long digit strings, hex floats); qsort on
 * sorted, reversed, equal and random input with its comparison count;
 * bsearch; the environment calls; sysconf. */
#include "host_test.h"
#include "libc_host.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
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

static const char *const fp_inputs[] = {
    "0", "-0", "+0.0", "1", "-1", "0.1", "0.5", "1e10", "1E-10", "  3.14159", "1.", ".5", ".",
    "-.", "e5", "1e", "1e+", "1e-", "1ex", "1.5e+3x", "0x", "0x.", "0x1", "0X1P3", "0x1.8p-1",
    "0x.8", "0x1p", "0x1p+", "0xp1", "-0x1.fffffffffffffp1023", "0x1.fffffffffffff8p1023",
    "0x1p-1074", "0x1p-1075", "0x1.0000000000001p-1075", "0x3p-1076", "0x1p-1076",
    "0x123456789abcdef0123p0", "0x1.00000000000008p0", "0x1.000000000000080000001p0",
    "0x1.00000000000018p0", "inf", "-INF", "infinity", "Infinityx", "infin", "nan", "-NaN",
    "nan(123)", "nan(abc_1)", "nan(", "nan(x", "nanx", "in", "n", "+", "-", "", "   ",
    "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
    "1e309", "-1e400", "1e-307", "2.2250738585072014e-308", "2.2250738585072011e-308",
    "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
    "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
    "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125000000000000000000000000000000000000001e-324",
    "1e-324", "1e-400", "1e-99999999999999", "1e99999999999999", "0.000000000000000000000000001e27",
    "9007199254740993", "9007199254740993.0000000000000000000000000000000000000000001",
    "9007199254740992.9999999999999999999", "9007199254740995", "123456789012345678901234567890",
    "00000000000000000000000000000000000000000000000000001", "0.0000000000000000000000e-999999",
    "1.00000005960464477539062500000000001", "1.000000059604644775390625",
    "3.4028235e38", "3.4028236e38", "3.40282357e38", "1.17549435e-38", "1.4e-45", "7e-46",
    "7.1e-46", "0.1e0x", "1.5.5", "--1", "+-1", " \t\n1.25",
};

/* Compares strtod (or strtof) for value bits, end pointer and errno. */
static int check_fp(const char *s)
{
	char *e1, *e2;
	int ok = 1;

	errno = 0;
	muon_errno = 0;
	double d1 = muon_strtod(s, &e1), d2 = strtod(s, &e2);
	int ok_d = (!memcmp(&d1, &d2, sizeof(d1)) || (isnan(d1) && isnan(d2) &&
						      signbit(d1) == signbit(d2))) &&
		   e1 == e2 && muon_errno == errno;
	if (!ok_d)
		printf("# strtod(\"%.60s\"): muon %a end %td errno %d, glibc %a end %td errno %d\n",
		       s, d1, e1 - s, muon_errno, d2, e2 - s, errno);
	errno = 0;
	muon_errno = 0;
	float f1 = muon_strtof(s, &e1), f2 = strtof(s, &e2);
	int ok_f = (!memcmp(&f1, &f2, sizeof(f1)) || (isnan(f1) && isnan(f2))) && e1 == e2 &&
		   muon_errno == errno;
	if (!ok_f)
		printf("# strtof(\"%.60s\"): muon %a end %td errno %d, glibc %a end %td errno %d\n",
		       s, (double)f1, e1 - s, muon_errno, (double)f2, e2 - s, errno);
	ok = ok_d && ok_f;
	return ok;
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static long compares;
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	compares++;
	return x < y ? -1 : x > y;
}

struct rec {
	char key[3];
	char pad[4]; /* odd element size */
};
static int cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, 3);
}

static int sorted_ok(const int *v, int n)
{
	for (int i = 1; i < n; i++)
		if (v[i - 1] > v[i])
			return 0;
	return 1;
}

static void check_strtod(void)
{
	int all = 1;
	char buf[128];

	for (size_t i = 0; i < sizeof(fp_inputs) / sizeof(fp_inputs[0]); i++)
		all &= check_fp(fp_inputs[i]);
	CHECK(all);
	/* Random doubles printed with 17, 16, 15 digits and just past a
	 * halfway point; random digit strings; random hex. */
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = ht_random(&rng);
		double d;
		memcpy(&d, &bits, sizeof(d));
		int prec = 12 + (int)(ht_random(&rng) % 8);
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		all &= check_fp(buf);
		snprintf(buf, sizeof(buf), "%a", d);
		all &= check_fp(buf);
		/* The halfway point between d and its neighbour above, exactly. */
		uint64_t ubits = bits + 1; /* the neighbour further from zero */
		double up;
		memcpy(&up, &ubits, sizeof(up));
		if (isfinite(d) && isfinite(up)) {
			long double mid = ((long double)d + (long double)up) / 2;
			snprintf(buf, sizeof(buf), "%.40Le", mid);
			all &= check_fp(buf);
		}
		int nd = 1 + (int)(ht_random(&rng) % 40);
		for (int k = 0; k < nd; k++)
			buf[k] = (char)('0' + ht_random(&rng) % 10);
		snprintf(buf + nd, sizeof(buf) - (size_t)nd, "e%d", (int)(ht_random(&rng) % 700) - 350);
		all &= check_fp(buf);
	}
	CHECK(all);
	all = 1;
	/* Halfway points of floats and of subnormal doubles; long strings. */
	for (int i = 0; i < 5000; i++) {
		uint32_t fb = (uint32_t)ht_random(&rng);
		float f, fu;
		memcpy(&f, &fb, sizeof(f));
		fb++;
		memcpy(&fu, &fb, sizeof(fu));
		if (isfinite(f) && isfinite(fu)) {
			snprintf(buf, sizeof(buf), "%.60e", ((double)f + (double)fu) / 2);
			all &= check_fp(buf);
		}
		uint64_t sb = ht_random(&rng) >> (12 + ht_random(&rng) % 52);
		double d, du;
		memcpy(&d, &sb, sizeof(d));
		sb++;
		memcpy(&du, &sb, sizeof(du));
		snprintf(buf, sizeof(buf), "%.100Le", ((long double)d + (long double)du) / 2);
		all &= check_fp(buf);
	}
	CHECK(all);
	/* atof, strtold. */
	CHECK(muon_atof("2.5e1x") == 25.0);
	CHECK(muon_strtold("0.1", NULL) == (long double)0.1);
}

static void check_sort(void)
{
	enum { N = 4096 };
	static int v[N];
	int ok = 1;

	/* Sorted, reversed, all equal, organ pipe, random: n log2 n bounds
	 * the comparisons (heapsort: under 2 n log2 n, 12 * 2 * 4096). */
	for (int kind = 0; kind < 5; kind++) {
		for (int i = 0; i < N; i++)
			v[i] = kind == 0   ? i
			       : kind == 1 ? N - i
			       : kind == 2 ? 7
			       : kind == 3 ? (i < N / 2 ? i : N - i)
					   : (int)(ht_random(&rng) % 1000);
		compares = 0;
		muon_qsort(v, N, sizeof(int), cmp_int);
		ok &= sorted_ok(v, N);
		if (compares > 2L * 12 * N) {
			printf("# kind %d: %ld comparisons\n", kind, compares);
			ok = 0;
		}
	}
	CHECK(ok);
	/* Small sizes and an odd element size. */
	for (int n = 0; n < 20; n++) {
		for (int i = 0; i < n; i++)
			v[i] = (int)(ht_random(&rng) % 5);
		muon_qsort(v, (size_t)n, sizeof(int), cmp_int);
		ok &= sorted_ok(v, n);
	}
	CHECK(ok);
	struct rec r[5] = {{"dd", "1"}, {"aa", "2"}, {"cc", "3"}, {"bb", "4"}, {"ee", "5"}};
	muon_qsort(r, 5, sizeof(r[0]), cmp_rec);
	CHECK(!strcmp(r[0].key, "aa") && !strcmp(r[0].pad, "2") && !strcmp(r[4].key, "ee") &&
	      !strcmp(r[2].pad, "3"));

	/* bsearch: every element found, absent ones not. */
	for (int i = 0; i < N; i++)
		v[i] = 2 * i;
	for (int n = 0; n <= 9; n++)
		for (int k = -1; k <= 2 * n; k++) {
			int *p = muon_bsearch(&k, v, (size_t)n, sizeof(int), cmp_int);
			ok &= (k >= 0 && k % 2 == 0 && k / 2 < n) ? p == &v[k / 2] : p == NULL;
		}
	int k = 2 * 1234;
	ok &= muon_bsearch(&k, v, N, sizeof(int), cmp_int) == &v[1234];
	CHECK(ok);
}

static void check_env(void)
{
	char *env[] = {"A=1", "PATH=/bin", "B=2", NULL};
	char big[300];

	muon_environ = env;
	CHECK_EQ(muon_setenv("A", "9", 0), 0);
	CHECK(!strcmp(muon_getenv("A"), "1"));
	CHECK(muon_environ == env); /* nothing changed yet */
	CHECK_EQ(muon_setenv("A", "9", 1), 0);
	CHECK(!strcmp(muon_getenv("A"), "9") && !strcmp(env[0], "A=1"));
	CHECK_EQ(muon_setenv("NEW", "x=y", 0), 0);
	CHECK(!strcmp(muon_getenv("NEW"), "x=y") && !strcmp(muon_getenv("PATH"), "/bin"));
	CHECK_EQ(muon_unsetenv("PATH"), 0);
	CHECK(muon_getenv("PATH") == NULL && !strcmp(muon_getenv("B"), "2"));
	CHECK_EQ(muon_unsetenv("NOPE"), 0);
	muon_errno = 0;
	CHECK(muon_setenv("", "v", 1) == -1 && muon_errno == EINVAL);
	CHECK(muon_setenv("A=B", "v", 1) == -1 && muon_errno == EINVAL);
	CHECK(muon_unsetenv("X=") == -1);
	char put[] = "PUT=mine";
	CHECK_EQ(muon_putenv(put), 0);
	put[4] = 'M';
	CHECK(!strcmp(muon_getenv("PUT"), "Mine")); /* the string itself */
	CHECK_EQ(muon_putenv("bad"), -1);
	/* Too long, then the pool full; slots come back when unset. */
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	muon_errno = 0;
	CHECK(muon_setenv("BIG", big, 1) == -1 && muon_errno == ENOMEM);
	int set = 0;
	char name[16];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		if (muon_setenv(name, "v", 1) == 0)
			set++;
	}
	CHECK_EQ(set, 30); /* 32 slots: A and NEW hold two */
	CHECK_EQ(muon_errno, ENOMEM);
	CHECK_EQ(muon_unsetenv("V3"), 0);
	CHECK_EQ(muon_setenv("V100", "w", 1), 0);
	CHECK(!strcmp(muon_getenv("V100"), "w") && muon_getenv("V3") == NULL);
	muon_environ = NULL;
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

	/* strtoimax & co. */
	CHECK_EQ(muon_strtoimax("-0x7fffffffffffffff", &end, 0), -0x7fffffffffffffffL);
	CHECK_EQ(muon_strtoumax("0777x", &end, 0), 0777);
	CHECK(*end == 'x');
	CHECK_EQ(muon_atol("-123456789012"), -123456789012L);
	CHECK_EQ(muon_atoll("99"), 99);

	check_strtod();
	check_sort();
	check_env();

	CHECK_EQ(muon_sysconf(11 /* _SC_PAGESIZE */), 4096);
	CHECK_EQ(muon_sysconf(21 /* _SC_NPROCESSORS_ONLN */), 1);
	CHECK_EQ(muon_sysconf(5 /* _SC_OPEN_MAX */), 256);
	muon_errno = 0;
	CHECK(muon_sysconf(9999) == -1 && muon_errno == EINVAL);
	return ht_done();
}
