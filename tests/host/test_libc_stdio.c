/*
 * Host tests of libc's stdio and exit path (libc/stdio.c, libc/exit.c,
 * with lib/fmt.c and libc/fmt_float.c): the kernel calls are replaced by
 * a capture (KerConsoleWrite_r) and a longjmp (KerProcExit_r), so the
 * tests see exactly which bytes reach the console in which writes; and
 * the printf family is checked against glibc's over tables of formats and
 * values (integers, strings, pointers, doubles of every kind) and random
 * doubles.
 */
#include "host_exit.h"
#include "host_test.h"
#include "libc_host.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- the fake kernel -------------------------------------------------------- */

static char console[16384];
static size_t console_len;
static int writes;	  /* KerConsoleWrite calls */
static size_t max_accept; /* 0: take everything; else at most this per call */
static int fail_writes;	  /* refuse the next N calls with -EIO */

int muon_KerConsoleWrite_r(const char *s, size_t n);
int muon_KerConsoleWrite_r(const char *s, size_t n)
{
	writes++;
	if (fail_writes) {
		fail_writes--;
		return -5;
	}
	if (n > 4096)
		return -22; /* the kernel's limit */
	if (max_accept && n > max_accept)
		n = max_accept;
	if (console_len + n <= sizeof(console)) {
		memcpy(console + console_len, s, n);
		console_len += n;
	}
	return (int)n;
}

int muon_SchedYield_r(void);
int muon_SchedYield_r(void)
{
	return 0;
}


static void reset(void)
{
	console_len = 0;
	writes = 0;
	max_accept = 0;
	fail_writes = 0;
}

static int shows(const char *want)
{
	size_t n = strlen(want);
	int ok = console_len == n && !memcmp(console, want, n);

	if (!ok)
		printf("# console has \"%.*s\" (%zu), want \"%s\"\n", (int)console_len, console,
		       console_len, want);
	return ok;
}

/* --- formatting against glibc ------------------------------------------------ */

static int mismatches;

/* Formats with both; a difference is shown (the first few) and counted. */
__attribute__((format(printf, 1, 2))) static void same(const char *fmt, ...)
{
	static char a[4096], b[4096];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int na = muon_vsnprintf(a, sizeof(a), fmt, ap);
	int nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	/* glibc's known bug: %#g rounding up to a power of ten loses the
	 * zeros '#' must keep (999.5 "%#.3g" gives "1.e+03", not "1.00e+03");
	 * checked on its own below. */
	if (strchr(fmt, '#') && strstr(b, ".e") && !strstr(a, ".e"))
		return;
	if (na != nb || strcmp(a, b)) {
		if (mismatches++ < 30)
			printf("# \"%s\": muon \"%s\" (%d), glibc \"%s\" (%d)\n", fmt, a, na, b, nb);
	}
}

static const char *const int_fmts[] = {
    "%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+05d", "%.3d", "%8.3d", "%-8.3d|",
    "%.0d", "%5.0d", "%u", "%x", "%X", "%#x", "%#X", "%#o", "%o", "%#.3o", "%#5x", "%#05x",
    "%-#8o|", "%08.3x", "%+u", "% x", "%#.0x", "%#.0o",
};
static const long long int_vals[] = {
    0, 1, -1, 7, -7, 42, 255, 256, -255, 65535, 65536, 2147483647, -2147483648LL,
    4294967295LL, 4294967296LL, 9223372036854775807LL, -9223372036854775807LL - 1,
    0x123456789abcdefLL, -1000000,
};

static const char *const dbl_fmts[] = {
    "%f", "%e", "%g", "%a", "%F", "%E", "%G", "%A", "%.0f", "%.0e", "%.0g", "%.0a", "%.1f",
    "%.1e", "%.1g", "%.1a", "%.3f", "%.3e", "%.3g", "%.3a", "%.10f", "%.10e", "%.10g",
    "%.13a", "%.17g", "%.17e", "%.20f", "%.40e", "%.60g", "%#.0f", "%#.0e", "%#g", "%#.3g",
    "%#.0a", "%#a", "%+f", "% e", "%+g", "% a", "%12f", "%-12f|", "%012f", "%012e", "%012g",
    "%020a", "%-020a|", "%+012.3f", "% 012.3e", "%+#012.0f", "%15.4g", "%-15.4G|", "%015.4g",
    "%.15a", "%.340f", "%.760e", "%.800g", "%.100a", "%12.5a", "%.14a", "%#.30g", "%8.2e",
};
static const double dbl_vals[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1.5, 2.5, -2.5, 3.5, 0.125, 0.375, 1e-5,
    1.0 / 3, 2.0 / 3, 123456789.0, 1234567890123456789.0, 1e15, 1e16, 1e17, 1e21, 1e22,
    1e23, 9.5, 99.5, 999.5, 0.05, 0.15, 0.25, 0.35, 0.45, 0.0005, 0.00015, 9.999999e-5,
    99999.95, 999999.5, 9999995, 1e100, 1.7976931348623157e308, 2.2250738585072014e-308,
    2.2250738585072009e-308, 4.9406564584124654e-324, 1e-320, 3.14159265358979,
    2.718281828459045, 1e-300, 6.02214076e23, 5e-324 * 3, 0x1.fffffffffffffp0,
    0x1.8p0, 0x1.08p0, 0x1.fp-1, 0x1.ffp1000, 0x1p-1022, 0x1.0000000000001p0,
    0x1.7ffffffffffffp0, 0x1.8000000000001p4, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0,
    -(0.0 / 0.0), 1e-10, 1234.5678, 0.000123456, 100, 1000000, 1e6 - 0.5, 1e-4, 9.9999e-5,
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static double random_double(void)
{
	uint64_t bits = ht_random(&rng);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static void check_formatting(void)
{
	char buf[64];

	/* Integers at every length modifier. */
	for (size_t f = 0; f < sizeof(int_fmts) / sizeof(int_fmts[0]); f++) {
		char fmt[32];
		const char *p = int_fmts[f];
		size_t n = strlen(p);
		char conv = p[n - 1] == '|' ? p[n - 2] : p[n - 1];
		size_t at = p[n - 1] == '|' ? n - 2 : n - 1;
		static const char *const mods[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
		for (size_t v = 0; v < sizeof(int_vals) / sizeof(int_vals[0]); v++)
			for (size_t m = 0; m < 8; m++) {
				snprintf(fmt, sizeof(fmt), "%.*s%s%c%s", (int)at, p, mods[m], conv,
					 p + at + 1);
				long long x = int_vals[v];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
				if (m >= 3)
					same(fmt, x);
				else
					same(fmt, (int)x);
#pragma GCC diagnostic pop
			}
	}
	/* Width and precision from arguments, negative ones included. */
	for (int w = -12; w <= 12; w += 3)
		for (int pr = -2; pr <= 6; pr += 2) {
			same("%*.*d|", w, pr, -42);
			same("%*.*s|", w, pr, "string");
			same("%*.*f|", w, pr, -3.25);
			same("%*.*e|", w, pr, 1234.5);
			same("%-*x|", w, 0xbeefu);
		}
	/* Strings, characters, pointers, %%. */
	same("%s|%10s|%-10s|%.2s|%10.3s|%-10.3s|%.0s|%s", "abc", "abc", "abc", "abc", "abcdef",
	     "abcdef", "abc", "");
	same("%c|%5c|%-5c|%c", 'x', 'y', 'z', 0xe9);
	same("%p|%20p|%-20p|%p", (void *)0x1234, (void *)0xdeadbeefcafe, (void *)1,
	     (void *)0xffffffffffffffff);
	same("100%% %d%%", 5);
	/* Doubles: the table, then random bits (any double, NaNs included). */
	for (size_t f = 0; f < sizeof(dbl_fmts) / sizeof(dbl_fmts[0]); f++)
		for (size_t v = 0; v < sizeof(dbl_vals) / sizeof(dbl_vals[0]); v++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			same(dbl_fmts[f], dbl_vals[v]);
#pragma GCC diagnostic pop
		}
	CHECK_EQ(mismatches, 0);
	for (int i = 0; i < 20000; i++) {
		double d = random_double();
		same("%.17g %e %a", d, d, d);
		same("%.3f %.0e %.5g %.2a", d, d, d, d);
		same("%.25e", d);
		int p = (int)(ht_random(&rng) % 30);
		same("%.*g %.*e %.*a", p, d, p, d, p % 16, d);
	}
	/* Values near ties of shorter decimal forms: k / 2^n. */
	for (int n = 1; n < 60; n++)
		for (int k = 1; k < 40; k += 2) {
			double d = ldexp(k, -n);
			same("%.0f %.1f %.2f %.3f %.4f %.5e %.1e %.0e %.2g", d, d, d, d, d, d, d, d, d);
		}
	/* Subnormals. */
	for (int i = 0; i < 2000; i++) {
		uint64_t bits = ht_random(&rng) >> (12 + ht_random(&rng) % 52);
		double d;
		memcpy(&d, &bits, sizeof(d));
		same("%.17g %.20e %a %.3a %.1074f", d, d, d, d, d);
	}
	/* long double: formatted as double (the documented rounding). */
	long double ld = 0.1L;
	same("%Lf %Le %Lg", (long double)(double)ld, (long double)(double)ld,
	     (long double)(double)ld);
	CHECK_EQ(mismatches, 0);
	char wide[4096];
	muon_snprintf(wide, sizeof(wide), "%Lf|%.3Le|%LG", 0.1L, 1e300L, 1e-5L);
	CHECK(!strcmp(wide, "0.100000|1.000e+300|1E-05"));
	muon_snprintf(wide, sizeof(wide), "%#.3g|%#g|%#.1g|%#.3G", 999.5, 999999.5, 9.5, 0.0009996);
	CHECK(!strcmp(wide, "1.00e+03|1.00000e+06|1.e+01|0.00100"));

	/* The return value counts what would have been written. */
	CHECK_EQ(muon_snprintf(buf, 4, "%s", "truncate"), 8);
	CHECK(!strcmp(buf, "tru"));
	CHECK_EQ(muon_snprintf(NULL, 0, "%.3f", 2.0), 5);
	CHECK_EQ(muon_snprintf(buf, 1, "%e", 2.0), 12);
	CHECK(buf[0] == 0);
	CHECK_EQ(muon_sprintf(buf, "[%03d]", 7), 5);
	CHECK(!strcmp(buf, "[007]"));
	/* %n is not supported: its pointer is taken, nothing written. */
	int n = -1;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	CHECK_EQ(muon_snprintf(buf, sizeof(buf), "ab%ncd%d", &n, 5), 5);
#pragma GCC diagnostic pop
	CHECK(!strcmp(buf, "abcd5") && n == -1);
	/* Long output in one call: no limit. */
	CHECK_EQ(muon_snprintf(wide, sizeof(wide), "%.1000f", 1e300), 1302);
	CHECK(wide[300] == '0' && wide[301] == '.' && wide[1301] == '0' && !wide[1302]);
}

/* --- exit ------------------------------------------------------------------- */

static char order[64];
static int norder;
static void first(void)
{
	if (norder < (int)sizeof(order))
		order[norder++] = '1';
}
static void second(void)
{
	if (norder < (int)sizeof(order))
		order[norder++] = '2';
	muon_printf("unflushed at exit");
}

int main(void)
{
	char buf[64];

	check_formatting();

	/* stdout is line buffered: nothing until '\n', then one write. */
	reset();
	CHECK_EQ(muon_printf("x=%d", 5), 3);
	CHECK(shows(""));
	CHECK_EQ(muon_printf(", y=%s\nrest", "two"), 12);
	CHECK(shows("x=5, y=two\n"));
	CHECK_EQ(writes, 1);
	muon_fflush(muon_stdout);
	CHECK(shows("x=5, y=two\nrest"));

	/* puts, putchar, fputs, fputc, fwrite. */
	reset();
	CHECK(muon_puts("line") >= 0);
	CHECK_EQ(muon_putchar('a'), 'a');
	CHECK_EQ(muon_fputc(0x1ff, muon_stdout), 0xff); /* taken as unsigned char */
	CHECK(muon_fputs("b\n", muon_stdout) >= 0);
	CHECK_EQ(muon_fwrite("abcdef", 2, 3, muon_stdout), 3);
	CHECK_EQ(muon_fwrite("abcdef", 0, 3, muon_stdout), 0);
	muon_fflush(NULL);
	CHECK(shows("line\na\xff"
		    "b\nabcdef"));

	/* stderr: written at the end of each call, after what stdout holds. */
	reset();
	muon_printf("out ");
	muon_fprintf(muon_stderr, "err %d", 1);
	CHECK(shows("out err 1"));
	CHECK_EQ(writes, 2);
	muon_fputs("e2", muon_stderr);
	CHECK(shows("out err 1e2"));

	/* A full buffer (BUFSIZ, 1024) is written out without waiting for a
	 * newline. */
	reset();
	for (int i = 0; i < 1100; i++)
		muon_putchar('z');
	CHECK_EQ(console_len, 1024);
	muon_fflush(muon_stdout);
	CHECK_EQ(console_len, 1100);

	/* Several lines in one call: one write up to the last newline. */
	reset();
	muon_printf("a\nb\nc");
	CHECK(shows("a\nb\n"));
	CHECK_EQ(writes, 1);
	muon_fflush(NULL);
	CHECK(shows("a\nb\nc"));

	/* Long output: no limit, passed on as the buffer fills. */
	reset();
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(muon_printf("%1000d|\n", 1), 1002);
	CHECK_EQ(console_len, 1002);
	CHECK(console[998] == ' ' && console[999] == '1' && console[1000] == '|');
	reset();
	CHECK_EQ(muon_printf("%5000d", 7), 5000);
	muon_fflush(muon_stdout);
	CHECK_EQ(console_len, 5000);
	CHECK(console[4998] == ' ' && console[4999] == '7');

	/* setvbuf: fully buffered (a newline does not write), a buffer of
	 * ours, unbuffered; bad modes refused. */
	reset();
	char mine[16];
	CHECK_EQ(muon_setvbuf(muon_stdout, mine, 0 /* _IOFBF */, sizeof(mine)), 0);
	muon_printf("12345\n78");
	CHECK(shows(""));
	muon_printf("9abcdefghij");
	CHECK(shows("12345\n789abcdefg"));
	muon_fflush(muon_stdout);
	CHECK(shows("12345\n789abcdefghij"));
	reset();
	CHECK_EQ(muon_setvbuf(muon_stdout, NULL, 2 /* _IONBF */, 0), 0);
	muon_printf("now");
	CHECK(shows("now"));
	CHECK_EQ(muon_setvbuf(muon_stdout, NULL, 7, 0), -1);
	CHECK_EQ(muon_errno, EINVAL);
	muon_setbuf(muon_stdout, NULL); /* unbuffered */
	muon_putchar('!');
	CHECK(shows("now!"));
	CHECK_EQ(muon_setvbuf(muon_stdout, NULL, 1 /* _IOLBF */, 0), 0);
	reset();
	muon_printf("x");
	CHECK(shows(""));
	muon_printf("\n");
	CHECK(shows("x\n"));

	/* stdin: no input yet, EOF and feof; not writable; stdout not
	 * readable. */
	CHECK_EQ(muon_fileno(muon_stdin), 0);
	CHECK_EQ(muon_fileno(muon_stdout), 1);
	CHECK_EQ(muon_fileno(muon_stderr), 2);
	CHECK_EQ(muon_getchar(), -1);
	CHECK(muon_feof(muon_stdin) && !muon_ferror(muon_stdin));
	CHECK(muon_fgets(buf, sizeof(buf), muon_stdin) == NULL);
	CHECK_EQ(muon_fread(buf, 1, 10, muon_stdin), 0);
	CHECK_EQ(muon_ungetc('q', muon_stdin), 'q');
	CHECK(!muon_feof(muon_stdin));
	CHECK_EQ(muon_fgetc(muon_stdin), 'q');
	CHECK_EQ(muon_ungetc('\n', muon_stdin), '\n');
	CHECK(muon_fgets(buf, sizeof(buf), muon_stdin) == buf && !strcmp(buf, "\n"));
	muon_clearerr(muon_stdin);
	CHECK(!muon_feof(muon_stdin));
	muon_errno = 0;
	CHECK_EQ(muon_fputc('x', muon_stdin), -1);
	CHECK(muon_ferror(muon_stdin) && muon_errno == EBADF);
	CHECK_EQ(muon_fprintf(muon_stdin, "x"), -1);
	muon_clearerr(muon_stdin);
	CHECK(!muon_ferror(muon_stdin));
	CHECK_EQ(muon_fgetc(muon_stdout), -1);
	CHECK(muon_ferror(muon_stdout));
	muon_clearerr(muon_stdout);

	/* A refused write: the error flag, and EOF from the call. */
	reset();
	fail_writes = 1;
	CHECK_EQ(muon_fputs("x\n", muon_stdout), -1);
	CHECK(muon_ferror(muon_stdout));
	CHECK(muon_puts("y") >= 0); /* later writes go on */
	CHECK(shows("y\n"));
	CHECK(muon_ferror(muon_stdout)); /* until clearerr */
	muon_clearerr(muon_stdout);
	CHECK(!muon_ferror(muon_stdout));
	reset();
	fail_writes = 1;
	CHECK_EQ(muon_fprintf(muon_stderr, "%d", 5), -1);
	CHECK_EQ(muon_fprintf(muon_stderr, "%d", 6), 1);
	CHECK(muon_ferror(muon_stderr));
	muon_clearerr(muon_stderr);

	/* perror: "s: message\n" on stderr. */
	reset();
	muon_errno = EINVAL;
	muon_perror("op");
	CHECK(shows("op: Invalid argument\n"));

	/* Partial writes are continued; refused ones dropped, not retried. */
	reset();
	max_accept = 3;
	muon_puts("partial write");
	CHECK(shows("partial write\n"));
	CHECK_EQ(writes, 5);
	reset();
	fail_writes = 1;
	muon_puts("lost");
	muon_puts("kept");
	CHECK(shows("kept\n"));

	/* exit: atexit handlers newest first, then stdout flushed, then the
	 * kernel call with the status. */
	reset();
	CHECK_EQ(muon_atexit(first), 0);
	CHECK_EQ(muon_atexit(second), 0);
	if (!setjmp(exit_jmp))
		muon_exit(3);
	CHECK_EQ(exit_status, 3);
	CHECK(!memcmp(order, "21", 2) && norder == 2);
	CHECK(shows("unflushed at exit"));
	/* The handlers ran once: a second exit runs none. */
	if (!setjmp(exit_jmp))
		muon_exit(0);
	CHECK_EQ(norder, 2);
	/* The table holds 32. */
	int added = 0;
	while (muon_atexit(first) == 0 && added < 40)
		added++;
	CHECK_EQ(added, 32);
	norder = 0;
	if (!setjmp(exit_jmp))
		muon_exit(1);
	CHECK_EQ(norder, 32);

	return ht_done();
}
