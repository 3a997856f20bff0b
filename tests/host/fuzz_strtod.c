/*
 * libFuzzer target: libc's strtod and strtof (libc/strtod.c, symbols
 * renamed muon_*) against glibc's on any string: the same bits (NaNs:
 * both NaN, same sign), the same end pointer, the same errno -- except
 * for "nan(digits)": glibc reads the digits as a payload with strtoull
 * and lets that call's ERANGE leak out; a NaN is never out of range.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

double muon_strtod(const char *s, char **end);
float muon_strtof(const char *s, char **end);
extern int muon_errno;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[4096];
	char *e1, *e2;

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';

	errno = 0;
	muon_errno = 0;
	double d1 = muon_strtod(s, &e1), d2 = strtod(s, &e2);
	if (isnan(d1) ? !isnan(d2) || signbit(d1) != signbit(d2) : memcmp(&d1, &d2, sizeof(d1)))
		__builtin_trap();
	if (e1 != e2 || (muon_errno != errno && !isnan(d1)))
		__builtin_trap();

	errno = 0;
	muon_errno = 0;
	float f1 = muon_strtof(s, &e1), f2 = strtof(s, &e2);
	if (isnan(f1) ? !isnan(f2) : memcmp(&f1, &f2, sizeof(f1)))
		__builtin_trap();
	if (e1 != e2 || (muon_errno != errno && !isnan(f1)))
		__builtin_trap();
	return 0;
}
