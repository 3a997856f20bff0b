/*
 * strtod, strtof, strtold and atof: decimal and hexadecimal floating
 * point, "inf"/"infinity"/"nan"/"nan(...)", correctly rounded (to
 * nearest, ties to even) from the exact value of the input.
 *
 * Decimal: up to 800 significant digits are kept (the rest only count as
 * "something non-zero follows", which is exact: a halfway point between
 * two doubles has fewer than 770 significant digits); the value D * 10^k
 * becomes a quotient of big integers, 64 bits of it taken by long
 * division with the remainder as a sticky bit, then rounded once to the
 * format. Hexadecimal input is exact in 60 bits plus a sticky bit.
 * ERANGE: overflow (result +-HUGE_VAL) and underflow (a result that is
 * subnormal or zero after rounding, and inexact), as glibc does. strtold goes through
 * double: long double's extra precision and range are not used.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 800
#define BIG_LIMBS  128 /* 4096 bits: 10^1126 and a shifted D fit */

struct big {
	uint32_t w[BIG_LIMBS]; /* little-endian */
	int n;		       /* limbs in use; the top one non-zero (0: zero) */
};

static void big_set(struct big *b, uint32_t v)
{
	b->w[0] = v;
	b->n = v ? 1 : 0;
}

/* b = b * m + a. */
static void big_mul_add(struct big *b, uint32_t m, uint32_t a)
{
	uint64_t carry = a;

	for (int i = 0; i < b->n; i++) {
		uint64_t v = (uint64_t)b->w[i] * m + carry;
		b->w[i] = (uint32_t)v;
		carry = v >> 32;
	}
	if (carry && b->n < BIG_LIMBS)
		b->w[b->n++] = (uint32_t)carry;
}

static void big_shl(struct big *b, int bits)
{
	int limbs = bits / 32, sh = bits % 32;

	if (!b->n || !bits)
		return;
	int n = b->n + limbs + 1;
	if (n > BIG_LIMBS)
		n = BIG_LIMBS; /* cannot happen for the sizes used here */
	for (int i = n - 1; i >= 0; i--) {
		int s = i - limbs;
		uint64_t hi = s >= 0 && s < b->n ? b->w[s] : 0;
		uint64_t lo = s - 1 >= 0 && s - 1 < b->n ? b->w[s - 1] : 0;
		b->w[i] = sh ? (uint32_t)((hi << sh) | (lo >> (32 - sh))) : (uint32_t)hi;
	}
	b->n = n;
	while (b->n && !b->w[b->n - 1])
		b->n--;
}

static int big_cmp(const struct big *a, const struct big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

/* a -= b, with a >= b. */
static void big_sub(struct big *a, const struct big *b)
{
	int64_t borrow = 0;

	for (int i = 0; i < a->n; i++) {
		int64_t v = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
		borrow = v < 0;
		a->w[i] = (uint32_t)v;
	}
	while (a->n && !a->w[a->n - 1])
		a->n--;
}

static int big_bits(const struct big *b)
{
	return b->n ? 32 * (b->n - 1) + 32 - __builtin_clz(b->w[b->n - 1]) : 0;
}

/*
 * q * 2^e2, a little more if sticky (q != 0), rounded to a binary format
 * of mant significand bits (hidden one included), least normal exponent
 * emin, biased exponent field all ones at inf_field. Returns the bits;
 * *range set on overflow or an inexact subnormal/zero result.
 */
static uint64_t round_bin(uint64_t q, long e2, bool sticky, int mant, int emin, int inf_field,
			  bool *range)
{
	int len = 64 - __builtin_clzll(q);
	long lead = len - 1 + e2;
	long keep = mant;

	if (lead > -emin + 2) { /* far past the largest finite value */
		*range = true;
		return (uint64_t)inf_field << (mant - 1);
	}
	if (lead < emin)
		keep = mant - (emin - lead);
	long drop = len - keep;
	uint64_t m;
	bool inexact = sticky;

	if (drop <= 0) {
		m = q << -drop;
	} else if (drop >= 64) {
		bool up = drop == 64 && (q > 1ull << 63 || (q == 1ull << 63 && sticky));
		m = up;
		inexact = true;
	} else {
		uint64_t rem = q & ((1ull << drop) - 1), half = 1ull << (drop - 1);
		m = q >> drop;
		inexact |= rem != 0;
		if (rem > half || (rem == half && (sticky || (m & 1))))
			m++;
	}
	uint64_t bits;
	if (lead < emin) {
		bits = m; /* subnormal, or the least normal if it rounded up to it */
		if (inexact && m < 1ull << (mant - 1))
			*range = true;
	} else {
		bits = ((uint64_t)(lead - emin) << (mant - 1)) + m;
	}
	if (bits >> (mant - 1) >= (uint64_t)inf_field) {
		*range = true;
		bits = (uint64_t)inf_field << (mant - 1);
	}
	return bits;
}

/* A parsed number: q * 2^e2 (+ sticky), or a special value. */
struct parsed {
	enum { P_NONE, P_ZERO, P_NUM, P_INF, P_NAN, P_HUGE, P_TINY } kind;
	bool neg, sticky;
	uint64_t q;
	long e2;
};

static bool match(const char *p, const char *word)
{
	for (; *word; p++, word++)
		if (tolower((unsigned char)*p) != *word)
			return false;
	return true;
}

/* Decimal digits at p (already known to start with a digit or ".d"). */
/* The exponent after p's 'e' or 'p' (an optional sign, then digits),
 * added to *e; the text after it, or p itself when no digits follow (the
 * letter is then not part of the number). Huge exponents saturate. */
static const char *exponent(const char *p, long *e)
{
	const char *q = p + 1;
	bool neg = false;
	long v = 0;

	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (!isdigit((unsigned char)*q))
		return p;
	for (; isdigit((unsigned char)*q); q++)
		if (v < 1000000)
			v = v * 10 + (*q - '0');
	*e += neg ? -v : v;
	return q;
}

static const char *parse_dec(const char *p, struct parsed *r)
{
	char dig[MAX_DIGITS];
	int nd = 0;
	long dexp = 0;
	bool sticky = false;

	for (; isdigit((unsigned char)*p); p++) {
		if (nd == 0 && *p == '0')
			continue;
		if (nd < MAX_DIGITS) {
			dig[nd++] = *p;
		} else {
			dexp++;
			sticky |= *p != '0';
		}
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++) {
			if (nd == 0 && *p == '0') {
				dexp--;
			} else if (nd < MAX_DIGITS) {
				dig[nd++] = *p;
				dexp--;
			} else {
				sticky |= *p != '0';
			}
		}
	if (*p == 'e' || *p == 'E')
		p = exponent(p, &dexp);
	while (nd > 0 && dig[nd - 1] == '0') {
		nd--;
		dexp++;
	}
	if (nd == 0) {
		r->kind = P_ZERO;
		return p;
	}
	long lead = dexp + nd - 1;
	if (lead > 310) {
		r->kind = P_HUGE;
		return p;
	}
	if (lead < -330) {
		r->kind = P_TINY;
		return p;
	}

	struct big num, den;
	big_set(&num, 0);
	for (int i = 0; i < nd; i++)
		big_mul_add(&num, 10, (uint32_t)(dig[i] - '0'));
	big_set(&den, 1);
	for (long k = dexp < 0 ? -dexp : dexp; k > 0; k -= 9) {
		uint32_t f = 1;
		for (long j = 0; j < (k < 9 ? k : 9); j++)
			f *= 10;
		big_mul_add(dexp < 0 ? &den : &num, f, 0);
	}
	/* num / den as 64 bits q, num/den = q * 2^(t - 63) + remainder. */
	int t = big_bits(&num) - big_bits(&den);
	if (t > 0)
		big_shl(&den, t);
	else
		big_shl(&num, -t);
	uint64_t q = 0;
	for (int i = 0; i < 64; i++) {
		q <<= 1;
		if (big_cmp(&num, &den) >= 0) {
			big_sub(&num, &den);
			q |= 1;
		}
		big_shl(&num, 1);
	}
	r->kind = P_NUM;
	r->q = q;
	r->e2 = t - 63;
	r->sticky = sticky || num.n != 0;
	return p;
}

static int hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hexadecimal digits at p (after "0x"; a digit or ".d" follows). */
static const char *parse_hex(const char *p, struct parsed *r)
{
	uint64_t q = 0;
	long e2 = 0;
	bool sticky = false, point = false;

	for (;; p++) {
		int d;
		if (*p == '.' && !point) {
			point = true;
			continue;
		}
		if ((d = hexval((unsigned char)*p)) < 0)
			break;
		if (q >> 60) {
			sticky |= d != 0;
			if (!point)
				e2 += 4;
		} else {
			q = q << 4 | (unsigned)d;
			if (point)
				e2 -= 4;
		}
	}
	if (*p == 'p' || *p == 'P')
		p = exponent(p, &e2);
	if (!q) {
		r->kind = P_ZERO;
	} else if (e2 > 20000) {
		r->kind = P_HUGE;
	} else if (e2 < -20000) {
		r->kind = P_TINY;
	} else {
		r->kind = P_NUM;
		r->q = q;
		r->e2 = e2;
		r->sticky = sticky;
	}
	return p;
}

static const char *parse(const char *s, struct parsed *r)
{
	const char *p = s;

	r->kind = P_NONE;
	r->neg = false;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		r->neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    (hexval((unsigned char)p[2]) >= 0 ||
	     (p[2] == '.' && hexval((unsigned char)p[3]) >= 0)))
		return parse_hex(p + 2, r);
	if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])))
		return parse_dec(p, r);
	if (match(p, "inf")) {
		r->kind = P_INF;
		return p + (match(p, "infinity") ? 8 : 3);
	}
	if (match(p, "nan")) {
		r->kind = P_NAN;
		p += 3;
		if (*p == '(') {
			const char *q = p + 1;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (*q == ')')
				p = q + 1;
		}
		return p;
	}
	return s;
}

/* Parsed to the bits of a format (see round_bin), errno on range. */
static uint64_t convert(const char *s, char **end, int mant, int emin, int inf_field)
{
	struct parsed r;
	const char *e = parse(s, &r);
	bool range = false;
	uint64_t bits = 0;
	int width = mant + (inf_field == 0xff ? 8 : 11); /* 32 or 64 */

	if (end)
		*end = (char *)(r.kind == P_NONE ? s : e);
	switch (r.kind) {
	case P_NONE:
	case P_ZERO:
		break;
	case P_TINY:
		range = true;
		break;
	case P_HUGE:
	case P_INF:
		range = r.kind == P_HUGE;
		bits = (uint64_t)inf_field << (mant - 1);
		break;
	case P_NAN:
		bits = (uint64_t)inf_field << (mant - 1) | 1ull << (mant - 2);
		break;
	case P_NUM:
		bits = round_bin(r.q, r.e2, r.sticky, mant, emin, inf_field, &range);
		break;
	}
	if (range)
		errno = ERANGE;
	if (r.neg && r.kind != P_NONE)
		bits |= 1ull << (width - 1);
	return bits;
}

double strtod(const char *restrict s, char **restrict end)
{
	uint64_t bits = convert(s, end, 53, -1022, 0x7ff);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

float strtof(const char *restrict s, char **restrict end)
{
	uint32_t bits = (uint32_t)convert(s, end, 24, -126, 0xff);
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

long double strtold(const char *restrict s, char **restrict end)
{
	return strtod(s, end);
}

double atof(const char *s)
{
	return strtod(s, NULL);
}
