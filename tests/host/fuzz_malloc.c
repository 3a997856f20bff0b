/*
 * libFuzzer target for libc's allocator (libc/malloc.c, compiled by
 * host.mk with clang and every symbol renamed muon_*): the input is a
 * sequence of up to 64 4-byte operations (op, slot, size low, size
 * high; the op's top bit multiplies the size by 5) on 32
 * slots: malloc, calloc, realloc, free, posix_memalign/aligned_alloc,
 * malloc_usable_size, malloc_trim. Every block is filled with a pattern
 * of its own (its first and last 64 bytes) and checked whenever it is
 * touched, calloc'ed memory must be
 * zero, alignment and usable sizes must hold; at the end of each input
 * everything is freed and trimmed and every mapping must have gone back
 * (mmap and munmap are the host's behind a counting seam). Any abort from
 * the allocator (it found corruption) is a crash.
 * Seeds: tests/host/corpus/malloc/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libc_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- what malloc.c calls ---------------------------------------------------- */

static long live_maps;
static size_t live_bytes;

/* Unmapped ranges are kept and handed out again, zeroed as a fresh
 * mapping is: each input maps and unmaps its spans and large blocks, and
 * real mmap/munmap calls would make the runs slow. The host mapping
 * behind a length is a power of two (its capacity), so that a range can
 * serve other lengths. */
#define POOL 64
#define LIVE 256
struct range {
	void *p;
	size_t cap;
};
static struct range pool[POOL], live[LIVE];
static int npool, nlive;

static size_t capacity(size_t len)
{
	size_t c = 16384;
	while (c < len)
		c *= 2;
	return c;
}

void *muon_mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
void *muon_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	void *p = MAP_FAILED;
	size_t cap = capacity(len);

	if (addr || prot != 0x300 || flags != 0x80002 || fd != -1 || off || len % 4096 ||
	    nlive == LIVE)
		__builtin_trap();
	for (int i = 0; i < npool; i++)
		if (pool[i].cap == cap) {
			p = pool[i].p;
			pool[i] = pool[--npool];
			memset(p, 0, len);
			break;
		}
	if (p == MAP_FAILED)
		p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		muon_errno = 12;
		return (void *)-1;
	}
	live[nlive].p = p;
	live[nlive].cap = cap;
	nlive++;
	live_maps++;
	live_bytes += len;
	return p;
}

int muon_munmap(void *addr, size_t len);
int muon_munmap(void *addr, size_t len)
{
	int i = 0;

	while (i < nlive && live[i].p != addr)
		i++;
	if (i == nlive || live[i].cap != capacity(len))
		__builtin_trap(); /* not one of ours, or not its length */
	struct range r = live[i];
	live[i] = live[--nlive];
	live_maps--;
	live_bytes -= len;
	if (npool < POOL) {
		pool[npool++] = r;
		return 0;
	}
	return munmap(r.p, r.cap);
}

int muon_SchedYield_r(void);
int muon_SchedYield_r(void)
{
	return 0;
}

int muon_ClockNanosleep_r(int id, int flags, const uint64_t *ns);
int muon_ClockNanosleep_r(int id, int flags, const uint64_t *ns)
{
	(void)id, (void)flags, (void)ns;
	return 0;
}

int muon_KerConsoleWrite_r(const char *s, size_t n);
int muon_KerConsoleWrite_r(const char *s, size_t n)
{
	return (int)write(2, s, n);
}

void muon_abort(void);
void muon_abort(void)
{
	__builtin_trap(); /* the allocator saw corruption: a bug */
}

void *muon_memset(void *d, int c, size_t n);
void *muon_memset(void *d, int c, size_t n)
{
	return memset(d, c, n);
}

void *muon_memcpy(void *d, const void *s, size_t n);
void *muon_memcpy(void *d, const void *s, size_t n)
{
	return memcpy(d, s, n);
}

/* --- the operations -------------------------------------------------------------- */

#define SLOTS 32

static struct {
	unsigned char *p;
	size_t n;
	unsigned char seed;
	size_t align;
} slot[SLOTS];

/* The pattern covers a block's first and last EDGE bytes (all of a small
 * one), so that a run stays fast with blocks of hundreds of KiB. */
#define EDGE 64
#define MAX_OPS 64

static inline size_t skip(size_t i, size_t n)
{
	return i == EDGE && n > 2 * EDGE ? n - EDGE : i;
}

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i = skip(i + 1, n))
		p[i] = (unsigned char)(seed + i * 13);
}

static void expect(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void intact(const unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i = skip(i + 1, n))
		expect(p[i] == (unsigned char)(seed + i * 13));
}

static void placed(int s, size_t n)
{
	expect(slot[s].p != NULL);
	expect(((uintptr_t)slot[s].p & 15) == 0);
	if (slot[s].align)
		expect(((uintptr_t)slot[s].p & (slot[s].align - 1)) == 0);
	expect(muon_malloc_usable_size(slot[s].p) >= n);
	slot[s].n = n;
	fill(slot[s].p, n, slot[s].seed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 4 <= size && i < 4 * MAX_OPS; i += 4) {
		unsigned op = data[i] & 7, s = data[i + 1] % SLOTS;
		size_t n = data[i + 2] | (size_t)data[i + 3] << 8;
		if (data[i] & 0x80)
			n *= 5; /* up to 320 KiB: large blocks too */
		if (slot[s].p)
			intact(slot[s].p, slot[s].n, slot[s].seed);
		switch (op) {
		case 0: /* malloc */
		case 1: /* calloc */
			if (slot[s].p)
				muon_free(slot[s].p);
			slot[s].seed = data[i + 2];
			slot[s].align = 0;
			if (op == 0) {
				slot[s].p = muon_malloc(n);
			} else {
				slot[s].p = muon_calloc(n / 4 + 1, 4);
				n = n / 4 * 4 + 4;
				for (size_t k = 0; slot[s].p && k < n; k = skip(k + 1, n))
					expect(slot[s].p[k] == 0);
			}
			placed((int)s, n);
			break;
		case 2: /* realloc */
		case 3: {
			size_t keep = !slot[s].p ? 0 : n < slot[s].n ? n : slot[s].n;
			if (keep < slot[s].n && slot[s].n > 2 * EDGE && keep > EDGE)
				keep = EDGE; /* only its edges were filled */
			unsigned char *q = muon_realloc(slot[s].p, n);
			if (!n && slot[s].p) {
				expect(q == NULL); /* freed */
				slot[s].p = NULL;
				break;
			}
			expect(q != NULL);
			intact(q, keep, slot[s].seed);
			if (!slot[s].p)
				slot[s].seed = data[i + 2];
			slot[s].p = q;
			slot[s].align = 0;
			placed((int)s, n);
			break;
		}
		case 4: /* free */
			muon_free(slot[s].p);
			slot[s].p = NULL;
			break;
		case 5: { /* posix_memalign / aligned_alloc */
			if (slot[s].p)
				muon_free(slot[s].p);
			size_t align = (size_t)1 << (data[i + 2] % 17);
			slot[s].seed = data[i + 3];
			slot[s].align = align;
			n = data[i + 3] * (size_t)(data[i] & 0x80 ? 1000 : 3);
			if (align < sizeof(void *)) {
				void *q = NULL;
				expect(muon_posix_memalign(&q, align, n) == 22 && q == NULL);
				slot[s].p = muon_aligned_alloc(align, n);
			} else {
				void *q = NULL;
				expect(muon_posix_memalign(&q, align, n) == 0);
				slot[s].p = q;
			}
			placed((int)s, n);
			break;
		}
		case 6: /* usable size */
			if (slot[s].p)
				expect(muon_malloc_usable_size(slot[s].p) >= slot[s].n);
			break;
		default:
			muon_malloc_trim(0);
			break;
		}
	}
	for (int s = 0; s < SLOTS; s++) {
		if (slot[s].p) {
			intact(slot[s].p, slot[s].n, slot[s].seed);
			muon_free(slot[s].p);
			slot[s].p = NULL;
		}
	}
	muon_malloc_trim(0);
	expect(live_maps == 0 && live_bytes == 0);
	return 0;
}
