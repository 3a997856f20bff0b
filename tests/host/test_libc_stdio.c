/*
 * Host tests of libc's console stdio and exit path (libc/stdio.c,
 * libc/exit.c, with kernel/fmt.c): the kernel calls are replaced by a
 * capture (KerConsoleWrite_r) and a longjmp (KerProcExit_r), so the tests
 * see exactly which bytes reach the console in which writes.
 */
#include "host_test.h"
#include "libc_host.h"

#include <setjmp.h>
#include <stdarg.h>
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

static jmp_buf exit_jmp;
static int exit_status;

int muon_KerProcExit_r(int status);
int muon_KerProcExit_r(int status)
{
	exit_status = status;
	longjmp(exit_jmp, 1);
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

/* --- formatting is fmt.c's: spot-check that it is wired through ---------- */

static int same(const char *fmt, ...)
{
	char a[128], b[128];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int na = muon_vsnprintf(a, sizeof(a), fmt, ap);
	int nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	return na == nb && !strcmp(a, b);
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

	CHECK(same("%d %s %5.2x|%-4c|%p", -42, "str", 0xabu, 'q', (void *)0x1234));
	CHECK_EQ(muon_snprintf(buf, 4, "%s", "truncate"), 8);
	CHECK(!strcmp(buf, "tru"));
	CHECK_EQ(muon_sprintf(buf, "[%03d]", 7), 5);
	CHECK(!strcmp(buf, "[007]"));

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

	/* A full buffer is written out without waiting for a newline. */
	reset();
	for (int i = 0; i < 300; i++)
		muon_putchar('z');
	CHECK_EQ(console_len, 256);
	muon_fflush(muon_stdout);
	CHECK_EQ(console_len, 300);

	/* Long output: formatted again in full up to PRINTF_MAX (4096). */
	reset();
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(muon_printf("%1000d|\n", 1), 1002);
	CHECK_EQ(console_len, 1002);
	CHECK(console[998] == ' ' && console[999] == '1' && console[1000] == '|');
	reset();
	CHECK_EQ(muon_printf("%5000d", 7), 4096);
	muon_fflush(muon_stdout);
	CHECK_EQ(console_len, 4096);
	CHECK(console[4095] == ' ');

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

	/* abort: its message on the console, status 134, no handlers. */
	reset();
	muon_atexit(second);
	norder = 0;
	muon_printf("pending ");
	if (!setjmp(exit_jmp))
		muon_abort();
	CHECK_EQ(exit_status, 134);
	CHECK(shows("pending abort\n"));
	CHECK_EQ(norder, 0);
	return ht_done();
}
