/*
 * printf's floating-point conversions (%e %E %f %F %g %G %a %A) for
 * libc: the hook lib/fmt.c calls (fmt_float). The kernel has no FP, so
 * this lives in libc only.
 *
 * Exact: a double m * 2^e is turned into its full decimal expansion (a
 * big integer in base 10^9: m * 2^e, or m * 5^-e with the point moved
 * -e places; at most 767 significant digits), then rounded to the digits
 * asked for, halfway cases to even, as glibc does in the default rounding
 * mode. Long double (%Lf...) is converted to double first (x86-64's 80-bit
 * and aarch64's 128-bit formats lose their extra precision and range).
 */
#include <kernel/fmt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "libc.h"

#define LIMB_BASE 1000000000u
#define MAX_LIMBS 90   /* 2^53 * 5^1074 < 10^767: 86 limbs of 9 digits */
#define MAX_DIGITS 800

/* A decimal expansion: value = 0.d[0]d[1]...d[n-1] * 10^dp, d without
 * leading or trailing zeros; n == 0 is zero. */
struct dec {
	char d[MAX_DIGITS];
	int n, dp;
};

static void big_mul(uint32_t *limb, int *n, uint32_t f)
{
	uint64_t carry = 0;

	for (int i = 0; i < *n; i++) {
		uint64_t v = (uint64_t)limb[i] * f + carry;
		limb[i] = (uint32_t)(v % LIMB_BASE);
		carry = v / LIMB_BASE;
	}
	while (carry) {
		limb[(*n)++] = (uint32_t)(carry % LIMB_BASE);
		carry /= LIMB_BASE;
	}
}

/* The exact expansion of m * 2^e2 (m > 0). */
static void to_dec(uint64_t m, int e2, struct dec *x)
{
	uint32_t limb[MAX_LIMBS];
	int n = 0;

	while (!(m & 1)) {
		m >>= 1;
		e2++;
	}
	for (uint64_t v = m; v; v /= LIMB_BASE)
		limb[n++] = (uint32_t)(v % LIMB_BASE);
	if (e2 >= 0) {
		for (int k = e2; k > 0; k -= 29)
			big_mul(limb, &n, 1u << (k < 29 ? k : 29));
	} else {
		for (int k = -e2; k > 0; k -= 13) {
			uint32_t f = 1;
			for (int j = 0; j < (k < 13 ? k : 13); j++)
				f *= 5;
			big_mul(limb, &n, f);
		}
	}
	/* Digits, most significant first. */
	char tmp[12];
	int t = 0, nd = 0;
	for (uint32_t v = limb[n - 1]; v; v /= 10)
		tmp[t++] = (char)('0' + v % 10);
	while (t)
		x->d[nd++] = tmp[--t];
	for (int i = n - 2; i >= 0; i--) {
		uint32_t v = limb[i];
		for (int j = 8; j >= 0; j--) {
			x->d[nd + j] = (char)('0' + v % 10);
			v /= 10;
		}
		nd += 9;
	}
	x->dp = e2 >= 0 ? nd : nd + e2;
	while (nd > 0 && x->d[nd - 1] == '0')
		nd--;
	x->n = nd;
}

/* Keep the first k digits (k may be <= 0 or past the end), rounding to
 * nearest, ties to even. */
static void dec_round(struct dec *x, int k)
{
	if (k >= x->n)
		return;
	if (k < 0) {
		x->n = 0;
		return;
	}
	char r = x->d[k];
	bool up = r > '5' || (r == '5' && (k + 1 < x->n || (k > 0 && (x->d[k - 1] - '0') & 1)));
	x->n = k;
	if (up) {
		int i = k - 1;
		while (i >= 0 && x->d[i] == '9')
			i--;
		if (i < 0) { /* 999 -> 1000 */
			x->d[0] = '1';
			x->n = 1;
			x->dp++;
			return;
		}
		x->d[i]++;
		x->n = i + 1;
	}
	while (x->n > 0 && x->d[x->n - 1] == '0')
		x->n--;
}

static char digit_at(const struct dec *x, int i)
{
	return i >= 0 && i < x->n ? x->d[i] : '0';
}

/* The body (no sign) of an %f-style number with prec fraction digits. */
static void put_f(struct fmt_out *o, const struct dec *x, int prec, bool point)
{
	if (x->n == 0 || x->dp <= 0)
		fmt_put(o, '0');
	else
		for (int i = 0; i < x->dp; i++)
			fmt_put(o, digit_at(x, i));
	if (point)
		fmt_put(o, '.');
	int base = x->n ? x->dp : 0;
	for (int i = 0; i < prec; i++)
		fmt_put(o, x->n ? digit_at(x, base + i) : '0');
}

/* An exponent: letter, sign, at least min decimal digits. */
static void put_exponent(struct fmt_out *o, char letter, int e, int min)
{
	unsigned u = e < 0 ? (unsigned)-e : (unsigned)e;
	char tmp[8];
	int t = 0;

	fmt_put(o, letter);
	fmt_put(o, e < 0 ? '-' : '+');
	do {
		tmp[t++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || t < min);
	while (t)
		fmt_put(o, tmp[--t]);
}

/* The body of an %e-style number: d.ddd e+XX. */
static void put_e(struct fmt_out *o, const struct dec *x, int prec, bool point, bool upper)
{
	int e = x->n ? x->dp - 1 : 0;

	fmt_put(o, digit_at(x, 0));
	if (point)
		fmt_put(o, '.');
	for (int i = 1; i <= prec; i++)
		fmt_put(o, digit_at(x, i));
	put_exponent(o, upper ? 'E' : 'e', e, 2);
}

/* The body of an %a-style number: 0xh.hhhp+d. */
static void put_a(struct fmt_out *o, uint64_t bits, int prec, bool alt, bool upper,
		  bool prefix)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t mant = bits & ((1ull << 52) - 1);
	int bexp = (int)(bits >> 52 & 0x7ff);
	unsigned lead = bexp ? 1 : 0;
	int e = bexp ? bexp - 1023 : (mant ? -1022 : 0);
	int nd = 13;

	if (prec < 0) {
		while (nd > 0 && !(mant & 0xf)) {
			mant >>= 4;
			nd--;
		}
	} else if (prec < 13) {
		int sh = 4 * (13 - prec);
		uint64_t rem = mant & ((1ull << sh) - 1), half = 1ull << (sh - 1);
		mant >>= sh;
		nd = prec;
		if (rem > half || (rem == half && ((nd ? mant : lead) & 1))) {
			mant++;
			if (mant >> (4 * nd)) { /* carried into the leading digit */
				mant = 0;
				lead++;
			}
		}
	}
	if (prefix) {
		fmt_put(o, '0');
		fmt_put(o, upper ? 'X' : 'x');
	}
	fmt_put(o, hex[lead]);
	if (nd > 0 || alt || prec > 0)
		fmt_put(o, '.');
	for (int i = nd - 1; i >= 0; i--)
		fmt_put(o, hex[mant >> (4 * i) & 0xf]);
	for (int i = nd; i < prec; i++)
		fmt_put(o, '0');
	put_exponent(o, upper ? 'P' : 'p', e, 1);
}

enum kind { K_F, K_E, K_A, K_TEXT };

struct body {
	enum kind kind;
	const struct dec *x;
	uint64_t bits;
	int prec;
	bool point, upper, alt;
	bool no_prefix; /* %a: leave out the "0x" (already written) */
	const char *text;
};

static void put_body(struct fmt_out *o, const struct body *b)
{
	switch (b->kind) {
	case K_F:
		put_f(o, b->x, b->prec, b->point);
		break;
	case K_E:
		put_e(o, b->x, b->prec, b->point, b->upper);
		break;
	case K_A:
		put_a(o, b->bits, b->prec, b->alt, b->upper, !b->no_prefix);
		break;
	case K_TEXT:
		for (const char *p = b->text; *p; p++)
			fmt_put(o, *p);
		break;
	}
}

void __libc_fmt_float(struct fmt_out *o, const struct fmt_spec *spec, va_list *ap)
{
	double v = spec->length == 'L' ? (double)va_arg(*ap, long double) : va_arg(*ap, double);
	uint64_t bits;
	memcpy(&bits, &v, sizeof(bits));
	bool neg = bits >> 63;
	int flags = spec->flags;
	char conv = spec->conv;
	bool upper = conv >= 'A' && conv <= 'Z';
	char lc = (char)(conv | 0x20);
	bool alt = flags & FMT_ALT;
	int bexp = (int)(bits >> 52 & 0x7ff);
	uint64_t frac = bits & ((1ull << 52) - 1);
	struct dec x;
	struct body b = {.upper = upper, .alt = alt, .bits = bits, .x = &x};
	bool zero_ok = true;

	if (bexp == 0x7ff) {
		b.kind = K_TEXT;
		b.text = frac ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		zero_ok = false;
	} else if (lc == 'a') {
		b.kind = K_A;
		b.prec = spec->prec;
	} else {
		int prec = spec->prec < 0 ? 6 : spec->prec;
		x.n = 0;
		x.dp = 0;
		if (bexp || frac)
			to_dec(bexp ? frac | 1ull << 52 : frac, (bexp ? bexp : 1) - 1075, &x);
		if (lc == 'f') {
			dec_round(&x, x.dp + prec);
			b.kind = K_F;
		} else if (lc == 'e') {
			dec_round(&x, prec + 1);
			b.kind = K_E;
		} else { /* g */
			if (prec == 0)
				prec = 1;
			dec_round(&x, prec);
			int e = x.n ? x.dp - 1 : 0;
			if (e < prec && e >= -4) {
				b.kind = K_F;
				prec = prec - 1 - e;
				if (!alt) {
					int have = x.n - x.dp; /* fraction digits that are not 0 */
					prec = have < prec ? (have > 0 ? have : 0) : prec;
				}
			} else {
				b.kind = K_E;
				prec = prec - 1;
				if (!alt && x.n - 1 < prec)
					prec = x.n > 0 ? x.n - 1 : 0;
			}
		}
		b.prec = prec;
		b.point = prec > 0 || alt;
	}

	char sign = neg ? '-' : (flags & FMT_PLUS) ? '+' : (flags & FMT_SPACE) ? ' ' : 0;
	struct fmt_out count = {0};
	put_body(&count, &b);
	int total = (int)count.len + (sign ? 1 : 0);
	bool zero = zero_ok && (flags & FMT_ZERO) && !(flags & FMT_LEFT);

	if (!(flags & FMT_LEFT) && !zero)
		fmt_pad(o, ' ', spec->width - total);
	if (sign)
		fmt_put(o, sign);
	if (zero) {
		if (b.kind == K_A) { /* the zeros go after the "0x" */
			fmt_put(o, '0');
			fmt_put(o, upper ? 'X' : 'x');
			b.no_prefix = true;
		}
		fmt_pad(o, '0', spec->width - total);
	}
	put_body(o, &b);
	if (flags & FMT_LEFT)
		fmt_pad(o, ' ', spec->width - total);
}
