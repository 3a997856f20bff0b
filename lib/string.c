/*
 * Memory and string functions, one implementation for the kernel and libc.
 * Pure code, also built for the host tests (tests/host/test_libc_string.c
 * checks it against the host C library).
 * Built with -fno-tree-loop-distribute-patterns so that GCC does not turn
 * these loops back into calls to themselves. The mem* functions move
 * 8-byte words when both pointers allow it, four at a time in memcpy and
 * memset (pages zeroed for new threads, 64 KiB messages).
 *
 * Built a second time with STRING_SIMD_COPY (x86-64's kernel, arch.mk):
 * only memcpy_simd, the very loop of memcpy compiled with the SIMD
 * registers as user programs get it, for the kernel's long message
 * copies (kernel/msg.c saves the FP/SIMD state around it).
 */
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD	   sizeof(word_t)
#define ALIGNED(p) (((uintptr_t)(p) & (WORD - 1)) == 0)

static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (ALIGNED(d) && ALIGNED(s)) {
		/* Four words a turn: a page is a quarter of the loop overhead. */
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			word_t a = ((const word_t *)s)[0], b = ((const word_t *)s)[1];
			word_t c = ((const word_t *)s)[2], e = ((const word_t *)s)[3];
			((word_t *)d)[0] = a;
			((word_t *)d)[1] = b;
			((word_t *)d)[2] = c;
			((word_t *)d)[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
}

#ifdef STRING_SIMD_COPY
void memcpy_simd(void *restrict dst, const void *restrict src, size_t n);
void memcpy_simd(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
}
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* d before s, or past its end: a forward copy is safe. */
		copy_forward(d, s, n);
		return dst;
	}
	d += n;
	s += n;
	if (ALIGNED(d) && ALIGNED(s)) {
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;

	while (n && !ALIGNED(d)) {
		*d++ = b;
		n--;
	}
	word_t w = b * (word_t)0x0101010101010101ull;
	for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD) {
		((word_t *)d)[0] = w;
		((word_t *)d)[1] = w;
		((word_t *)d)[2] = w;
		((word_t *)d)[3] = w;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n--)
		*d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y)
		x++, y++;
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src); /* no terminator within size */
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}
#endif /* STRING_SIMD_COPY */
