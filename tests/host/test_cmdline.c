/* Host tests of the kernel command-line lookups (kernel/cmdline.c). */
#include "host_test.h"

#include <kernel/cmdline.h>
#include <string.h>

int main(void)
{
	char buf[16];
	const char *c = "ktest  crash=page x=1 ktestx long=abcdefghijklmnopqrstuvwxyz";

	CHECK(cmdline_has(c, "ktest"));
	CHECK(cmdline_has(c, "crash"));
	CHECK(cmdline_has(c, "ktestx"));
	CHECK(!cmdline_has(c, "kte"));
	CHECK(!cmdline_has(c, "page"));
	CHECK(!cmdline_has(c, ""));
	CHECK(!cmdline_has("", "ktest"));
	CHECK(cmdline_get(c, "crash", buf, sizeof(buf)) && !strcmp(buf, "page"));
	CHECK(cmdline_get(c, "x", buf, sizeof(buf)) && !strcmp(buf, "1"));
	CHECK(!cmdline_get(c, "ktest", buf, sizeof(buf)));
	CHECK(!cmdline_get(c, "missing", buf, sizeof(buf)));
	CHECK(cmdline_get(c, "long", buf, sizeof(buf)) && strlen(buf) == 15 &&
	      !strcmp(buf, "abcdefghijklmno"));
	CHECK(cmdline_get("ktest=pmm", "ktest", buf, sizeof(buf)) && !strcmp(buf, "pmm"));
	CHECK(cmdline_get("a= b", "a", buf, sizeof(buf)) && !strcmp(buf, ""));
	return ht_done();
}
