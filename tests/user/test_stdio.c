/*
 * libc for servers (issue 12), on the target: printf's floating point and
 * strtod on this arch's calling convention (long double included), the
 * buffering of stdout seen through a buffer of our own (line buffered:
 * out at '\n'; fully buffered: not; fflush), stderr's order against
 * stdout (the harness checks the console line), stdin's EOF and the
 * error flags, threads sharing stdout, qsort/bsearch, sysconf, and in
 * children: getenv of the envp proc_spawn passes, setenv/unsetenv, and
 * assert()/abort() ending the process with SIGABRT.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "../../proc/proc.h"
#include "tap.h"

#define EXITED(code)   ((code) << 8)
#define SIGNALED(sig)  (sig)

static struct ifs fs;

static int spawn_wait(char **argv, char **envp)
{
	int status = -1;
	pid_t pid = proc_spawn(&fs, "child", argv, envp, 10, SCHED_RR);

	if (pid < 0 || ProcWait(pid, &status) != pid) {
		printf("# spawn %s: %d\n", argv[1], pid);
		return -1;
	}
	return status;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static volatile int done_lines;

static void *printer(void *arg)
{
	for (int i = 0; i < 20; i++)
		printf("# thread %ld line %d of 20, %s\n", (long)arg, i, "one piece");
	__atomic_add_fetch(&done_lines, 20, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	char buf[256];

	tap_plan(24);
	proc_open_image(&fs);

	/* Floating point through this arch's varargs. */
	snprintf(buf, sizeof(buf), "%.3f|%e|%g|%a|%.0f|%.2f|%Lg|%5.1f|%-8.2e|%+.3g", 3.14159,
		 1e-10, 100000.0, 1.0, 2.5, 1.005, 0.1L, -0.0, 12345.678, 1e100);
	if (!CHECK(!strcmp(buf, "3.142|1.000000e-10|100000|0x1p+0|2|1.00|0.1| -0.0|1.23e+04|+1e+100")))
		printf("#   got \"%s\"\n", buf);
	snprintf(buf, sizeof(buf), "%f %F %e %G %a", (double)INFINITY, -(double)INFINITY,
		 (double)NAN, 5e-324, 5e-324);
	if (!CHECK(!strcmp(buf, "inf -INF nan 4.94066E-324 0x0.0000000000001p-1022")))
		printf("#   got \"%s\"\n", buf);

	/* strtod / strtof / strtold. */
	char *end;
	errno = 0;
	CHECK(strtod("0.1", &end) == 0.1 && *end == 0 && strtod("0x1.8p1", NULL) == 3.0 &&
	      strtof("1e-45", NULL) == 0x1p-149f && strtold("2.5", NULL) == 2.5L &&
	      errno == ERANGE);
	errno = 0;
	CHECK(strtod("1e400", NULL) == HUGE_VAL && errno == ERANGE && isnan(strtod("nan", NULL)) &&
	      atof("-12.5e-1") == -1.25);

	/* stdout line buffered: our buffer shows what waits in it. */
	char lb[64];
	fflush(stdout);
	CHECK_EQ(setvbuf(stdout, lb, _IOLBF, sizeof(lb)), 0);
	printf("# ab");
	int held = !memcmp(lb, "# ab", 4);
	printf("c\n# d"); /* out up to the newline; "# d" moves to the front */
	int moved = !memcmp(lb, "# d", 3);
	printf("\n");
	CHECK(held && moved);
	/* Fully buffered: a newline does not write; fflush does. */
	CHECK_EQ(setvbuf(stdout, lb, _IOFBF, sizeof(lb)), 0);
	fflush(stdout); /* (the "ok" line above waits in lb) */
	printf("# 1\n# 2\n");
	held = !memcmp(lb, "# 1\n# 2\n", 8);
	fflush(stdout);
	printf("# 3\n");
	moved = !memcmp(lb, "# 3\n", 4);
	fflush(stdout);
	CHECK(held && moved);
	CHECK_EQ(setvbuf(stdout, NULL, _IOLBF, 0), 0);
	CHECK(setvbuf(stdout, NULL, 99, 0) == -1 && errno == EINVAL);

	/* stderr after stdout, in the order written (the harness looks for
	 * the whole line on the console). */
	printf("# order: stdout-1 ");
	fprintf(stderr, "stderr-2 ");
	fputs("stdout-3 ", stdout);
	fputc('\n', stderr);

	/* stdin: no input yet. Errors: writing stdin, reading stdout. */
	CHECK(getchar() == EOF && feof(stdin) && !ferror(stdin) &&
	      fgets(buf, sizeof(buf), stdin) == NULL);
	clearerr(stdin);
	errno = 0;
	CHECK(fputc('x', stdin) == EOF && ferror(stdin) && errno == EBADF && !feof(stdin));
	clearerr(stdin);
	CHECK(!ferror(stdin) && fgetc(stdout) == EOF && ferror(stdout));
	clearerr(stdout);
	CHECK(fileno(stdin) == 0 && fileno(stdout) == 1 && fileno(stderr) == 2 &&
	      !ferror(stdout));

	/* Threads sharing stdout: every line whole (the console shows
	 * them), and no deadlock. */
	int t1 = ThreadCreate(0, printer, (void *)1, NULL);
	int t2 = ThreadCreate(0, printer, (void *)2, NULL);
	printer((void *)0);
	CHECK(t1 > 0 && t2 > 0 && ThreadJoin(t1, NULL) == 0 && ThreadJoin(t2, NULL) == 0 &&
	      done_lines == 60 && !ferror(stdout));

	/* qsort (sorted, reversed) and bsearch. */
	static int v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = 1000 - i;
	qsort(v, 1000, sizeof(int), cmp_int);
	int sorted = 1;
	for (int i = 0; i < 1000; i++)
		sorted &= v[i] == i + 1;
	qsort(v, 1000, sizeof(int), cmp_int);
	for (int i = 0; i < 1000; i++)
		sorted &= v[i] == i + 1;
	CHECK(sorted);
	int key = 777, missing = 1001;
	CHECK(bsearch(&key, v, 1000, sizeof(int), cmp_int) == &v[776] &&
	      !bsearch(&missing, v, 1000, sizeof(int), cmp_int));

	/* sysconf; <inttypes.h>; div. */
	CHECK(sysconf(_SC_PAGESIZE) == 4096 && sysconf(_SC_NPROCESSORS_ONLN) == 1 &&
	      sysconf(_SC_OPEN_MAX) == 256 && sysconf(_SC_CLK_TCK) == 100);
	snprintf(buf, sizeof(buf), "%" PRId64 " %" PRIx32 " %" PRIuPTR, INT64_MIN, 0xabcu,
		 (uintptr_t)42);
	div_t d = div(-7, 2);
	CHECK(!strcmp(buf, "-9223372036854775808 abc 42") && d.quot == -3 && d.rem == -1 &&
	      strtoimax("-0x10", NULL, 0) == -16);

	/* The environment a spawned child gets, and setenv there. */
	char *env_argv[] = {"child", "env", "GREETING", "hello world", NULL};
	char *envp[] = {"A=1", "GREETING=hello world", "Z=26", NULL};
	CHECK_EQ(spawn_wait(env_argv, envp), EXITED(0));
	char *env_argv2[] = {"child", "env", "GREETING", "hello world", NULL};
	char *envp2[] = {"A=1", NULL};
	CHECK_EQ(spawn_wait(env_argv2, envp2), EXITED(1));
	/* Ours (booted as pid 1: whatever the kernel gave), then our own. */
	CHECK(setenv("MINE", "v", 1) == 0 && !strcmp(getenv("MINE"), "v") && unsetenv("MINE") == 0 &&
	      getenv("MINE") == NULL);

	/* assert and abort end a child with SIGABRT. */
	char *assert_argv[] = {"child", "assert", NULL};
	CHECK_EQ(spawn_wait(assert_argv, NULL), SIGNALED(6));
	char *abort_argv[] = {"child", "abort-handler", NULL};
	CHECK_EQ(spawn_wait(abort_argv, NULL), SIGNALED(6));
	assert(1 + 1 == 2); /* true: nothing happens */
	return tap_done();
}
