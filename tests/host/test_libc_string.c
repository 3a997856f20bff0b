/* Host tests of libc's string, strerror and ctype functions (libc/string.c,
 * libc/strerror.c, libc/ctype.c), checked against the host C library,
 * with every alignment and overlap the word-at-a-time paths care about. */
#include "host_test.h"
#include "libc_host.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* Fill with a pattern that differs at every offset. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static int check_mem(void)
{
	enum { N = 96, PAD = 16 };
	unsigned char a[N + 2 * PAD], b[N + 2 * PAD], src[N + 2 * PAD];

	for (size_t so = 0; so < PAD; so++)
		for (size_t doff = 0; doff < PAD; doff++)
			for (size_t n = 0; n <= N; n += (n < 20 ? 1 : 7)) {
				fill(src, sizeof(src), 1);
				fill(a, sizeof(a), 2);
				fill(b, sizeof(b), 2);
				if (muon_memcpy(a + doff, src + so, n) != a + doff)
					return 0;
				memcpy(b + doff, src + so, n);
				if (memcmp(a, b, sizeof(a)))
					return 0;
				muon_memset(a + doff, (int)(so + 0x100),
					    n); /* c is taken as a byte */
				memset(b + doff, (int)(so + 0x100), n);
				if (memcmp(a, b, sizeof(a)))
					return 0;
			}
	return 1;
}

static int check_memmove(void)
{
	enum { N = 80 };
	unsigned char a[N + 32], b[N + 32];

	for (size_t from = 0; from < 24; from++)
		for (size_t to = 0; to < 24; to++)
			for (size_t n = 0; n <= N; n += (n < 20 ? 1 : 9)) {
				fill(a, sizeof(a), 3);
				fill(b, sizeof(b), 3);
				if (muon_memmove(a + to, a + from, n) != a + to)
					return 0;
				memmove(b + to, b + from, n);
				if (memcmp(a, b, sizeof(a)))
					return 0;
			}
	return 1;
}

static int check_compare(void)
{
	static const char *const s[] = {"",	   "a",	      "b",    "ab",  "abc",	  "abd",
					"abc\x80", "abc\x7f", "\xff", "ABC", "abcdefghij"};
	size_t n = sizeof(s) / sizeof(s[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			if (sign(muon_strcmp(s[i], s[j])) != sign(strcmp(s[i], s[j])))
				return 0;
			for (size_t k = 0; k < 6; k++) {
				if (sign(muon_strncmp(s[i], s[j], k)) !=
				    sign(strncmp(s[i], s[j], k)))
					return 0;
				size_t m = k;
				if (m > strlen(s[i]) + 1 || m > strlen(s[j]) + 1)
					continue;
				if (sign(muon_memcmp(s[i], s[j], m)) != sign(memcmp(s[i], s[j], m)))
					return 0;
			}
		}
	return 1;
}

static int check_search(void)
{
	const char *s = "hello, w\xe9orld, hello";
	size_t len = strlen(s);

	for (int c = 0; c < 256; c++) {
		if (muon_strchr(s, c) != strchr(s, c) || muon_strrchr(s, c) != strrchr(s, c))
			return 0;
		if (muon_memchr(s, c, len) != memchr(s, c, len))
			return 0;
	}
	static const char *const needles[] = {"", "h", "hello", "lo,", "world", "xyz", "hello!"};
	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (muon_strstr(s, needles[i]) != strstr(s, needles[i]))
			return 0;
	return muon_strstr("", "") == strstr("", "") && muon_strstr("", "a") == NULL;
}

int main(void)
{
	CHECK(check_mem());
	CHECK(check_memmove());
	CHECK(check_compare());
	CHECK(check_search());

	CHECK_EQ(muon_strlen(""), 0);
	CHECK_EQ(muon_strlen("abcdefghijklmnopq"), 17);
	CHECK_EQ(muon_strnlen("abcdef", 3), 3);
	CHECK_EQ(muon_strnlen("ab", 10), 2);
	CHECK_EQ(muon_strnlen("ab", 0), 0);

	char a[16], b[16];
	memset(a, 'x', sizeof(a));
	memset(b, 'x', sizeof(b));
	CHECK(muon_strcpy(a, "copy") == a && !strcmp(a, "copy") && a[5] == 'x');
	CHECK(muon_strcat(a, "cat") == a && !strcmp(a, "copycat"));
	CHECK(muon_strncat(a, "123456", 3) == a && !strcmp(a, "copycat123"));
	memset(a, 'x', sizeof(a));
	muon_strncpy(a, "ab", 6);
	strncpy(b, "ab", 6);
	CHECK(!memcmp(a, b, sizeof(a)));	  /* zero padding up to n */
	const char *volatile longer = "abcdefgh"; /* hidden from -Wstringop-truncation */
	muon_strncpy(a, longer, 4);
	strncpy(b, longer, 4);
	CHECK(!memcmp(a, b, sizeof(a))); /* no terminator when src is longer */

	/* strlcpy/strlcat: BSD semantics (the host glibc has none to compare). */
	CHECK_EQ(muon_strlcpy(a, "hello", sizeof(a)), 5);
	CHECK(!strcmp(a, "hello"));
	CHECK_EQ(muon_strlcpy(a, "truncated!", 5), 10);
	CHECK(!strcmp(a, "trun"));
	a[0] = 'Q';
	CHECK_EQ(muon_strlcpy(a, "xyz", 0), 3);
	CHECK_EQ(a[0], 'Q'); /* size 0 writes nothing */
	muon_strlcpy(a, "ab", sizeof(a));
	CHECK_EQ(muon_strlcat(a, "cd", sizeof(a)), 4);
	CHECK(!strcmp(a, "abcd"));
	CHECK_EQ(muon_strlcat(a, "efghijklmnopqrstuvwxyz", 8), 26);
	CHECK(!strcmp(a, "abcdefg"));
	CHECK_EQ(muon_strlcat(a, "zz", 3), 3 + 2); /* no NUL within size: size + strlen */
	CHECK(!strcmp(a, "abcdefg"));

	CHECK(!strcmp(muon_strerror(0), "No error"));
	CHECK(!strcmp(muon_strerror(EINVAL), "Invalid argument"));
	CHECK(!strcmp(muon_strerror(ESRCH), "No such process"));
	CHECK(!strcmp(muon_strerror(260), "Connection timed out")); /* QNX ETIMEDOUT */
	CHECK(!strcmp(muon_strerror(-1), "Unknown error"));
	CHECK(!strcmp(muon_strerror(9999), "Unknown error"));

	int ctype_ok = 1;
	for (int c = -1; c < 256; c++) {
		ctype_ok &= !muon_isspace(c) == !isspace(c) && !muon_isalpha(c) == !isalpha(c) &&
			    !muon_isdigit(c) == !isdigit(c) && !muon_isxdigit(c) == !isxdigit(c) &&
			    !muon_isalnum(c) == !isalnum(c) && !muon_ispunct(c) == !ispunct(c) &&
			    !muon_isprint(c) == !isprint(c) && !muon_isgraph(c) == !isgraph(c) &&
			    !muon_iscntrl(c) == !iscntrl(c) && !muon_isupper(c) == !isupper(c) &&
			    !muon_islower(c) == !islower(c) && !muon_isblank(c) == !isblank(c) &&
			    muon_tolower(c) == tolower(c) && muon_toupper(c) == toupper(c);
		if (!ctype_ok) {
			printf("# ctype differs at %d\n", c);
			break;
		}
	}
	CHECK(ctype_ok);
	return ht_done();
}
