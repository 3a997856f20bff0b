/*
 * In-kernel test runner: runs the KTEST()s linked into .ktests and prints
 * TAP ("1..N", "ok N - name", "not ok N - name", "# ..." diagnostics).
 */
#include <kernel/kprintf.h>
#include <kernel/ktest.h>
#include <kernel/sections.h>
#include <kernel/string.h>

static bool current_failed;

bool ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failed = true;
	kprintf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	return false;
}

static bool selected(const struct ktest *t, const char *filter)
{
	return !filter || !strncmp(t->name, filter, strlen(filter));
}

int ktest_run(const char *filter)
{
	int n = 0, failed = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		n += selected(t, filter);
	kprintf("1..%d\n", n);
	n = 0;
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!selected(t, filter))
			continue;
		current_failed = false;
		t->fn();
		n++;
		failed += current_failed;
		kprintf("%s %d - %s\n", current_failed ? "not ok" : "ok", n, t->name);
	}
	return failed;
}
