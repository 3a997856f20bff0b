/*
 * Host tests of the buddy allocator (kernel/pmm.c) over a block of host
 * memory posing as RAM: counts, alignment, splitting and merging, hot
 * blocks, reservations honoured, misuse caught (double free, wrong
 * order, reserved or foreign pages), and shared pages' reference counts.
 */
#include "host_test.h"

#include <kernel/pmm.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf panic_jmp;
static int panic_armed;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (panic_armed)
		longjmp(panic_jmp, 1);
	fprintf(stderr, "unexpected panic: %s\n", panic_msg);
	abort();
}

/* Run stmt and report whether it panicked with a message containing want. */
#define PANICS(stmt, want)                                                     \
	({                                                                     \
		volatile int p_ = 0;                                           \
		panic_armed = 1;                                               \
		if (!setjmp(panic_jmp)) {                                      \
			stmt;                                                  \
		} else {                                                       \
			p_ = strstr(panic_msg, want) != NULL;                  \
		}                                                              \
		panic_armed = 0;                                               \
		p_;                                                            \
	})

#define RAM_SIZE (16u << 20)
#define PG 4096u

static uint8_t *ram;
static uint64_t base;

static void setup(const struct pmm_range *res, unsigned nres)
{
	struct pmm_range r = {base, RAM_SIZE};
	pmm_init(&r, 1, res, nres);
}

int main(void)
{
	/* 4 MiB-aligned so max-order blocks line up as they would in RAM. */
	ram = aligned_alloc(4u << 20, RAM_SIZE);
	base = (uint64_t)(uintptr_t)ram;

	/* No reservations: everything but the metadata is free. */
	setup(NULL, 0);
	uint64_t total = pmm_free_pages();
	uint64_t meta_pages = (pmm_meta_bytes() + PG - 1) / PG;
	CHECK_EQ(total + meta_pages, RAM_SIZE / PG);
	CHECK_EQ(pmm_total_pages(), total);

	/* Every page once, all distinct, then exhaustion. */
	uint8_t *seen = calloc(RAM_SIZE / PG, 1);
	uint64_t n = 0, dup = 0, outside = 0, pa;
	while ((pa = pmm_alloc(0))) {
		if (pa < base || pa >= base + RAM_SIZE) {
			outside++;
			continue;
		}
		dup += seen[(pa - base) / PG]++;
		n++;
	}
	CHECK_EQ(n, total);
	CHECK_EQ(dup, 0);
	CHECK_EQ(outside, 0);
	CHECK_EQ(pmm_alloc(0), 0);
	CHECK_EQ(pmm_free_pages(), 0);
	for (uint64_t i = 0; i < RAM_SIZE / PG; i++)
		if (seen[i])
			pmm_free(base + i * PG, 0);
	CHECK_EQ(pmm_free_pages(), total);

	/* Buddies merged back: as many max-order blocks as fit. */
	unsigned big = 0;
	uint64_t blocks[8];
	while (big < 8 && (blocks[big] = pmm_alloc(PMM_MAX_ORDER)))
		big++;
	CHECK(big >= 2); /* 16 MiB minus metadata holds at least 2 x 4 MiB */
	for (unsigned i = 0; i < big; i++) {
		CHECK_EQ(blocks[i] % (PG << PMM_MAX_ORDER), 0);
		pmm_free(blocks[i], PMM_MAX_ORDER);
	}
	CHECK_EQ(pmm_free_pages(), total);

	/* Splitting: an order-3 block leaves its buddies free. */
	uint64_t a = pmm_alloc(3);
	CHECK(a != 0);
	CHECK_EQ(a % (8 * PG), 0);
	CHECK_EQ(pmm_free_pages(), total - 8);

	/* Misuse is caught, not absorbed. */
	CHECK(PANICS(pmm_free(a, 2), "allocated as order 3"));
	CHECK(PANICS(pmm_free(a + PG, 0), "inside a block"));
	CHECK(PANICS(pmm_free(a + 1, 0), "not page-aligned"));
	CHECK(PANICS(pmm_free(PG * 3, 0), "not managed"));
	pmm_free(a, 3);
	CHECK(PANICS(pmm_free(a, 3), "double free"));
	CHECK_EQ(pmm_free_pages(), total);
	CHECK_EQ(pmm_alloc(PMM_MAX_ORDER + 1), 0);

	/* Hot blocks: a page just freed is the next one handed out, is free
	 * for the counts and for double-free checks, and stays unmerged
	 * until an allocation finds nothing else. */
	a = pmm_alloc(0);
	pmm_free(a, 0);
	CHECK_EQ(pmm_alloc(0), a);
	pmm_free(a, 0);
	CHECK_EQ(pmm_free_pages(), total);
	CHECK(!pmm_page_allocated(a));
	CHECK(PANICS(pmm_free(a, 0), "double free"));
	n = 0;
	while (pmm_alloc(0))
		n++;
	CHECK_EQ(n, total);
	uint64_t pair = base + 64 * PG; /* pages 64 and 65: buddies */
	pmm_free(pair, 0);
	pmm_free(pair + PG, 0);
	CHECK_EQ(pmm_free_pages(), 2);
	CHECK_EQ(pmm_alloc(1), pair); /* merged on demand */
	CHECK_EQ(pmm_alloc(0), 0);

	/* Reservations (overlapping each other, unaligned edges) are never
	 * handed out, and freeing a reserved page panics. */
	struct pmm_range res[] = {
		{base + 100 * PG + 17, 3 * PG},      /* pages 100..103 */
		{base + 102 * PG, 10 * PG},          /* overlaps: ..111 */
		{base + RAM_SIZE - PG, PG},          /* the last page */
		{base - 8 * PG, 9 * PG},             /* hangs off the start: page 0 */
	};
	setup(res, 4);
	memset(seen, 0, RAM_SIZE / PG);
	uint64_t bad = 0;
	n = 0;
	while ((pa = pmm_alloc(0))) {
		uint64_t i = (pa - base) / PG;
		if ((i >= 100 && i <= 111) || i == RAM_SIZE / PG - 1 || i == 0)
			bad++;
		seen[i] = 1;
		n++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(n + 12 + 1 + 1 + (pmm_meta_bytes() + PG - 1) / PG, RAM_SIZE / PG);
	CHECK(PANICS(pmm_free(base + 105 * PG, 0), "reserved"));

	/* Shared pages: freed with their last reference, never before. */
	setup(NULL, 0);
	uint64_t before = pmm_free_pages();
	uint64_t sp = pmm_alloc_shared();
	CHECK(sp != 0 && pmm_free_pages() == before - 1);
	pmm_get(sp);
	pmm_get(sp);
	pmm_put(sp);
	pmm_put(sp);
	CHECK(pmm_page_allocated(sp) && pmm_free_pages() == before - 1);
	pmm_put(sp);
	CHECK(!pmm_page_allocated(sp) && pmm_free_pages() == before);
	CHECK(PANICS(pmm_put(sp), "not an allocated page"));
	uint64_t two = pmm_alloc(1);
	CHECK(PANICS(pmm_get(two), "not an allocated page")); /* not one page */
	pmm_free(two, 1);

	/* RAM ranges need not be aligned; partial pages are dropped. */
	struct pmm_range odd = {base + 123, 64 * PG};
	pmm_init(&odd, 1, NULL, 0);
	CHECK_EQ(pmm_free_pages() + (pmm_meta_bytes() + PG - 1) / PG, 63);

	free(seen);
	free(ram);
	return ht_done();
}
