/*
 * mmap, munmap and mprotect of anonymous private memory (POSIX; QNX's
 * mmap() page), as requests to proc: this test runs as proc's child
 * (booted init=proc init.run=test_mmap), so every call here is a message
 * through SYSMGR_COID and proc's handlers (proc/mem.c).
 *  - a mapping is page-aligned, zero-filled, writable; munmap frees it;
 *  - errors: zero length, unknown prot bits, flags or fd, an offset, a
 *    shared mapping (EINVAL); write and execute together (ENOTSUP);
 *    unaligned MAP_FIXED / munmap / mprotect addresses (EINVAL);
 *    mprotect of a range not all mapped (ENOMEM);
 *  - MAP_FIXED replaces what was there (zero-filled again);
 *  - protection faults: a write to a page made read-only, and a read of a
 *    PROT_NONE page, reach a SIGSEGV handler with SEGV_ACCERR and the
 *    address; the handler makes the page writable (mprotect) and the
 *    instruction, retried, succeeds; a hole punched by munmap in the
 *    middle of a mapping faults with SEGV_MAPERR and its neighbours keep
 *    their content;
 *  - a request proc does not know: ENOSYS;
 *  - memory is zero-filled on first touch: 64 MiB mapped costs only its
 *    page tables (35 pages at most), each page touched one page;
 *  - map/unmap cycles leave the free-page count where it was.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <unistd.h>

#include "segv.h"
#include "tap.h"

#define PAGE 4096ul
#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANON)

static uint64_t free_pages(void)
{
	struct ker_info_counts c = {0};
	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	return c.free_pages;
}

static int zeroed(const volatile uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void basics(void) /* 5 points */
{
	CHECK(getpid() != SYSMGR_PID); /* proc's child: requests are messages */
	volatile uint8_t *p = mmap(NULL, 3 * PAGE, RW, ANON, -1, 0);
	CHECK(p != MAP_FAILED && ((uintptr_t)p & (PAGE - 1)) == 0);
	CHECK(zeroed(p, 3 * PAGE));
	p[0] = 1;
	p[3 * PAGE - 1] = 2;
	CHECK(p[0] == 1 && p[3 * PAGE - 1] == 2);
	CHECK_EQ(munmap((void *)p, 3 * PAGE), 0);
}

static int map_fails(void *r, int err)
{
	return r == MAP_FAILED && errno == err;
}

static void errors(void) /* 16 points */
{
	CHECK(map_fails(mmap(NULL, 0, RW, ANON, -1, 0), EINVAL));
	CHECK(map_fails(mmap(NULL, PAGE, 0x8000, ANON, -1, 0), EINVAL));
	CHECK(map_fails(mmap(NULL, PAGE, PROT_WRITE | PROT_EXEC, ANON, -1, 0), ENOTSUP));
	CHECK(map_fails(mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANON, -1, 0), EINVAL));
	CHECK(map_fails(mmap(NULL, PAGE, RW, ANON | 0x100000, -1, 0), EINVAL));
	CHECK(map_fails(mmap(NULL, PAGE, RW, ANON, 3, 0), EINVAL));
	CHECK(map_fails(mmap(NULL, PAGE, RW, ANON, -1, PAGE), EINVAL));
	CHECK(map_fails(mmap((void *)0x10000123, PAGE, RW, ANON | MAP_FIXED, -1, 0), EINVAL));
	void *p = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
	CHECK(munmap((char *)p + 1, PAGE) == -1 && errno == EINVAL);
	CHECK(munmap(p, 0) == -1 && errno == EINVAL);
	CHECK(mprotect((char *)p + 1, PAGE, PROT_READ) == -1 && errno == EINVAL);
	/* The kernel's half (past USER_TOP, where USER_TOP - va wraps): not
	 * ours to map, unmap or protect. */
	void *k = (void *)0xffff800000000000ul;
	CHECK(map_fails(mmap(k, PAGE, RW, ANON | MAP_FIXED, -1, 0), EINVAL));
	CHECK(munmap(k, PAGE) == -1 && errno == EINVAL);
	CHECK(mprotect(k, PAGE, PROT_READ) == -1 && errno == EINVAL);
	/* Half of it mapped: ENOMEM, and nothing changed. */
	munmap((char *)p + PAGE, PAGE);
	CHECK(mprotect(p, 2 * PAGE, PROT_READ) == -1 && errno == ENOMEM);
	/* Unknown request types: ENOSYS. */
	uint16_t type = 0x00ee;
	CHECK_EQ(MsgSend_r(SYSMGR_COID, &type, sizeof(type), NULL, 0), -ENOSYS);
	munmap(p, PAGE);
}

static void fixed(void) /* 3 points */
{
	volatile uint8_t *p = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
	p[PAGE] = 7;
	void *q = mmap((void *)(p + PAGE), PAGE, RW, ANON | MAP_FIXED, -1, 0);
	CHECK(q == (void *)(p + PAGE));
	CHECK(p[PAGE] == 0); /* replaced: a new zero page */
	CHECK_EQ(munmap((void *)p, 2 * PAGE), 0);
}

static void protection(void) /* 9 points */
{
	volatile uint8_t *p = mmap(NULL, 3 * PAGE, RW, ANON, -1, 0);
	p[0] = 1;
	p[2 * PAGE] = 3;

	/* Read-only: reads work, a write faults once (ACCERR at its
	 * address), the handler opens the page, the write lands. */
	CHECK_EQ(mprotect((void *)p, PAGE, PROT_READ), 0);
	faults = 0;
	CHECK(p[0] == 1 && faults == 0);
	p[5] = 9;
	CHECK(faults == 1 && fault_code == SEGV_ACCERR && fault_addr == (uintptr_t)(p + 5));
	CHECK(p[5] == 9 && p[0] == 1);

	/* PROT_NONE: even a read faults; content kept across mprotect. */
	CHECK_EQ(mprotect((void *)(p + 2 * PAGE), PAGE, PROT_NONE), 0);
	faults = 0;
	CHECK(p[2 * PAGE] == 3 && faults == 1 && fault_code == SEGV_ACCERR);

	/* A hole in the middle: MAPERR there, the neighbours untouched. */
	CHECK_EQ(munmap((void *)(p + PAGE), PAGE), 0);
	faults = 0;
	CHECK(p[PAGE + 8] == 0 && faults == 1 && fault_code == SEGV_MAPERR);
	CHECK(p[0] == 1 && p[2 * PAGE] == 3);
	munmap((void *)p, 3 * PAGE);
}

/* Zero-filled on first touch: 64 MiB cost only page tables until used
 * (one last-level table per 2 MiB it spans: 33 when not 2 MiB-aligned;
 * at most two above them), then a page for each page touched (3
 * points). */
static void first_touch(void)
{
	uint64_t f0 = free_pages();
	volatile uint8_t *p = mmap(NULL, 64ul << 20, RW, ANON, -1, 0);
	uint64_t f1 = free_pages();
	if (!CHECK(p != MAP_FAILED && f0 - f1 <= 33 + 2))
		printf("#   mapping 64 MiB took %llu pages\n", (unsigned long long)(f0 - f1));
	p[100] = 1;
	p[PAGE + 100] = 2;
	if (!CHECK(f1 - free_pages() == 2 && p[100] == 1 && p[PAGE + 100] == 2 && p[2 * PAGE] == 0))
		printf("#   two pages touched took %llu\n",
		       (unsigned long long)(f1 - free_pages()));
	munmap((void *)p, 64ul << 20);
	CHECK(free_pages() >= f1);
}

static void no_leak(void) /* 1 point */
{
	void *v[8];
	/* One cycle first: page tables made for these addresses stay. */
	for (int round = 0; round < 2; round++) {
		uint64_t before = free_pages();
		for (int i = 0; i < 8; i++)
			v[i] = mmap(NULL, (size_t)(i + 1) * PAGE, RW, ANON, -1, 0);
		for (int i = 0; i < 8; i++)
			munmap(v[i], (size_t)(i + 1) * PAGE);
		if (round == 1 && !CHECK_EQ(free_pages(), before))
			printf("#   free pages %llu, were %llu\n", (unsigned long long)free_pages(),
			       (unsigned long long)before);
	}
}

int main(void)
{
	tap_plan(5 + 16 + 3 + 9 + 3 + 1);
	segv_catch();
	basics();
	errors();
	fixed();
	protection();
	first_touch();
	no_leak();
	return tap_done();
}
