/*
 * libc's allocator on the target (libc/malloc.c over mmap/munmap, i.e.
 * requests to proc: this test runs as proc's child, init=proc
 * init.run=test_malloc):
 *  - malloc/calloc/realloc/posix_memalign/aligned_alloc basics as
 *    <stdlib.h> documents them (malloc(0) unique, calloc overflow ENOMEM,
 *    realloc(NULL, n) and realloc(p, 0), EINVAL for a bad alignment);
 *  - a large block's pages go back to proc at free;
 *  - a stress run: 4 threads at SCHED_RR, each on a stack of its own,
 *    STRESS_OPS random malloc/calloc/realloc/free/posix_memalign in all,
 *    every block filled with a pattern of its own and checked when it is
 *    touched again, blocks also handed between threads and freed by
 *    another;
 *  - afterwards (all freed, malloc_trim), the free-page count is where it
 *    was after a first, smaller round of the same workload, exactly (the
 *    page tables made for the heap's addresses went with its munmaps).
 *
 * STRESS_OPS is 10^6 (the count): under QEMU TCG the run takes
 * about the time printed in the "# stress:" line.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <time.h>

#include "tap.h"

#ifndef STRESS_OPS
#define STRESS_OPS 1000000L
#endif
#define NTHREADS 4
#define SLOTS 256	 /* live blocks per thread, at most */
#define RING 32		 /* blocks in passage between threads */
#define STACK (64 * 1024)

static uint64_t free_pages(void)
{
	struct ker_info_counts c = {0};
	KerInfo(KER_INFO_COUNTS, &c, sizeof(c));
	return c.free_pages;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Pattern: word i of a block with seed s is s * (i + 1); bytes past the
 * last whole word are its low bytes. Large blocks: the first and last 64
 * bytes and one word per page (enough to touch every page). */
#define BIG 16384

static inline uint64_t word(uint64_t seed, size_t i)
{
	return seed * (i + 1) + i;
}

static void fill(void *p, size_t n, uint64_t seed)
{
	uint64_t *w = p;
	if (n > BIG) {
		for (size_t i = 0; i < 8; i++)
			w[i] = word(seed, i);
		for (size_t i = 512; i < n / 8; i += 512)
			w[i] = word(seed, i);
		for (size_t i = n / 8 - 8; i < n / 8; i++)
			w[i] = word(seed, i);
		return;
	}
	size_t k = n / 8;
	for (size_t i = 0; i < k; i++)
		w[i] = word(seed, i);
	for (size_t b = k * 8; b < n; b++)
		((unsigned char *)p)[b] = (unsigned char)(word(seed, k) >> (8 * (b - k * 8)));
}

static int intact(const void *p, size_t n, uint64_t seed)
{
	const uint64_t *w = p;
	if (n > BIG) {
		for (size_t i = 0; i < 8; i++)
			if (w[i] != word(seed, i))
				return 0;
		for (size_t i = 512; i < n / 8; i += 512)
			if (w[i] != word(seed, i))
				return 0;
		for (size_t i = n / 8 - 8; i < n / 8; i++)
			if (w[i] != word(seed, i))
				return 0;
		return 1;
	}
	size_t k = n / 8;
	for (size_t i = 0; i < k; i++)
		if (w[i] != word(seed, i))
			return 0;
	for (size_t b = k * 8; b < n; b++)
		if (((const unsigned char *)p)[b] != (unsigned char)(word(seed, k) >> (8 * (b - k * 8))))
			return 0;
	return 1;
}

/* Mostly small, some medium, rarely large (mapped on its own). */
static size_t rnd_size(uint64_t *s)
{
	uint64_t r = rnd(s);
	if (r % 1024 == 0)
		return 65536 + (r >> 12) % 200000;
	if (r % 32 == 0)
		return (r >> 12) % 16384;
	if (r % 4 == 0)
		return (r >> 12) % 1024;
	return (r >> 12) % 160;
}

/* --- the stress run ---------------------------------------------------------- */

struct slot {
	void *p;
	size_t n;
	uint64_t seed;
};

struct worker {
	long ops;
	int ok;
	uintptr_t lo, hi; /* the lowest and highest block address seen */
	uint64_t rs;
	struct slot slots[SLOTS];
};

static struct worker workers[NTHREADS];
static char stacks[NTHREADS][STACK] __attribute__((aligned(16)));
static void *ring[RING];
static uintptr_t heap_lo = UINTPTR_MAX, heap_hi; /* blocks seen, all rounds */

static void *work(void *arg)
{
	struct worker *me = arg;
	uint64_t *rs = &me->rs;
	int ok = 1;

	for (long i = 0; i < me->ops; i++) {
		uint64_t r = rnd(rs);
		struct slot *t = &me->slots[r % SLOTS];
		unsigned op = (unsigned)(r >> 24) % 16;
		if (op == 15) {
			/* Hand a fresh block to whoever comes next; free what
			 * was there (another thread's, usually). */
			size_t n = 8 + (r >> 32) % 200;
			uint64_t *p = malloc(n);
			if (!p) {
				ok = 0;
				continue;
			}
			p[0] = n;
			void *old = __atomic_exchange_n(&ring[(r >> 40) % RING], p, __ATOMIC_ACQ_REL);
			if (old) {
				ok &= *(uint64_t *)old >= 8 && *(uint64_t *)old < 208;
				free(old);
			}
			continue;
		}
		if (t->p) {
			ok &= intact(t->p, t->n, t->seed);
			if (op < 6) {
				size_t n = rnd_size(rs);
				void *q = realloc(t->p, n);
				if (!q) {
					if (n)
						ok = 0;
					t->p = NULL;
					continue;
				}
				/* The old content up to the shorter size; of
				 * a large block, its first 64 bytes. */
				size_t keep = n < t->n ? n : t->n;
				if (t->n > BIG && keep > 64)
					keep = 64;
				ok &= intact(q, keep, t->seed);
				t->p = q;
				t->n = n;
				fill(q, n, t->seed);
			} else {
				free(t->p);
				t->p = NULL;
			}
			continue;
		}
		size_t n = rnd_size(rs);
		t->seed = r | 1;
		if (op < 10) {
			t->p = malloc(n);
		} else if (op < 13) {
			t->p = calloc(1, n);
			if (t->p && n <= BIG) {
				const unsigned char *b = t->p;
				for (size_t k = 0; k < n; k++)
					ok &= b[k] == 0;
			}
		} else {
			size_t align = (size_t)16 << ((r >> 44) % 6);
			ok &= posix_memalign(&t->p, align, n) == 0;
			ok &= ((uintptr_t)t->p & (align - 1)) == 0;
		}
		if (!t->p) {
			ok = 0;
			continue;
		}
		if ((uintptr_t)t->p < me->lo)
			me->lo = (uintptr_t)t->p;
		if ((uintptr_t)t->p + n > me->hi)
			me->hi = (uintptr_t)t->p + n;
		t->n = n;
		fill(t->p, n, t->seed);
	}
	for (int i = 0; i < SLOTS; i++) {
		struct slot *t = &me->slots[i];
		if (t->p) {
			ok &= intact(t->p, t->n, t->seed);
			free(t->p);
			t->p = NULL;
		}
	}
	me->ok = ok;
	return NULL;
}

/* Run ops operations over NTHREADS threads at SCHED_RR; 1 if every
 * thread's checks held. */
static int stress(long ops)
{
	struct sched_param me = {0};
	int tids[NTHREADS], ok = 1;

	SchedGet(0, 0, &me);
	for (int i = 0; i < NTHREADS; i++) {
		struct _thread_attr a = {0};
		workers[i].ops = ops / NTHREADS;
		workers[i].ok = 0;
		workers[i].lo = UINTPTR_MAX;
		workers[i].hi = 0;
		workers[i].rs = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1) + (uint64_t)ops;
		a.__flags = PTHREAD_EXPLICIT_SCHED;
		a.__policy = SCHED_RR;
		a.__param.sched_priority = me.sched_priority;
		a.__stackaddr = stacks[i];
		a.__stacksize = STACK;
		tids[i] = ThreadCreate(0, work, &workers[i], &a);
		if (tids[i] < 0) {
			printf("# ThreadCreate: errno %d\n", errno);
			ok = 0;
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		if (tids[i] > 0 && ThreadJoin(tids[i], NULL) != 0)
			ok = 0;
	for (int i = 0; i < NTHREADS; i++) {
		ok &= workers[i].ok;
		if (workers[i].lo < heap_lo)
			heap_lo = workers[i].lo;
		if (workers[i].hi > heap_hi)
			heap_hi = workers[i].hi;
	}
	for (int i = 0; i < RING; i++) {
		free(ring[i]);
		ring[i] = NULL;
	}
	return ok;
}

/* --- the basics ------------------------------------------------------------------ */

static void basics(void) /* 12 points */
{
	void *a = malloc(0), *b = malloc(0);
	CHECK(a && b && a != b && malloc_usable_size(a) >= 16);
	free(a);
	free(b);

	char *p = malloc(100);
	CHECK(p && ((uintptr_t)p & 15) == 0);
	memset(p, 0x5a, 100);
	char *q = realloc(p, 5000);
	CHECK(q && q[0] == 0x5a && q[99] == 0x5a);
	CHECK(realloc(q, 0) == NULL); /* frees, as glibc */

	q = realloc(NULL, 10);
	CHECK(q != NULL);
	free(q);

	errno = 0;
	CHECK(calloc(SIZE_MAX / 4, 8) == NULL && errno == ENOMEM);
	unsigned char *z = calloc(100, 3);
	int zero = z != NULL;
	for (int i = 0; z && i < 300; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	free(z);

	errno = 0;
	CHECK(malloc(SIZE_MAX - 64) == NULL && errno == ENOMEM);

	void *m = NULL;
	CHECK_EQ(posix_memalign(&m, 24, 10), EINVAL);
	CHECK_EQ(posix_memalign(&m, 4096, 10), 0);
	CHECK(((uintptr_t)m & 4095) == 0);
	free(m);
	m = aligned_alloc(64, 64);
	CHECK(m && ((uintptr_t)m & 63) == 0);
	free(m);
}

static void large(void) /* 2 points */
{
	uint64_t before = free_pages();
	char *p = malloc(1 << 20);
	for (size_t i = 0; p && i < (1 << 20); i += 4096)
		p[i] = 1;
	uint64_t during = free_pages();
	free(p);
	uint64_t after = free_pages();
	CHECK(before - during >= 256);
	/* Back, page tables included (munmap lets go of emptied ones). */
	if (!CHECK(after == before))
		printf("#   free pages %llu, were %llu\n", (unsigned long long)after,
		       (unsigned long long)before);
}

int main(void)
{
	tap_plan(12 + 2 + 3);
	basics();
	large();

	/* A first round of the same workload, then the baseline. */
	CHECK(stress(STRESS_OPS / 10));
	malloc_trim(0);
	uint64_t base = free_pages();

	uint64_t t0 = now_ns();
	int ok = stress(STRESS_OPS);
	uint64_t t1 = now_ns();
	CHECK(ok);
	printf("# stress: %ld operations over %d threads in %llu ms\n", STRESS_OPS, NTHREADS,
	       (unsigned long long)((t1 - t0) / 1000000));
	uint64_t held = free_pages();
	malloc_trim(0);
	uint64_t after = free_pages();
	/* Every page back, the page tables made for the heap's (ever new)
	 * addresses too: munmap lets go of the tables it empties. */
	printf("# free pages: baseline %llu, before trim %llu, after %llu; heap addresses over "
	       "%llu KiB\n",
	       (unsigned long long)base, (unsigned long long)held, (unsigned long long)after,
	       (unsigned long long)((heap_hi - heap_lo) >> 10));
	CHECK_EQ(after, base);
	return tap_done();
}
