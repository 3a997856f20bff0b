/*
 * The memory allocator: malloc, free, calloc, realloc, posix_memalign,
 * aligned_alloc, memalign, malloc_usable_size and malloc_trim.
 *
 * Small blocks (up to SMALL_MAX = 65520 bytes) come from 43 size classes
 * (block strides 32..128 by 16, then four per doubling up to 64 KiB);
 * each class carves its blocks from spans, runs of pages of its own
 * obtained with mmap. Larger blocks are mapped one per request and
 * unmapped by free, so their memory goes straight back to proc. A span
 * whose last block is freed is unmapped too, except for one empty span
 * per class kept so that a malloc/free loop does not map and unmap on
 * every call; malloc_trim(0) unmaps those.
 *
 * Every block has a 16-byte header just before the pointer it hands out:
 * its owner (the span, the large mapping, or for an over-aligned block
 * the block it lies inside), what it is (class, large, aligned, free) and
 * a check word hashed from the address, the owner and the kind. free and
 * realloc abort with a message when the pointer is not 16-aligned, its
 * header's check does not match (not a pointer malloc gave, or a header
 * overwritten by an overflow of the block before), the owner is not a
 * span or mapping of ours or the pointer is not on one of its block
 * boundaries, or the block is already free (double free). Free lists are
 * kept in the free blocks themselves; a block taken from one must lie on
 * a block boundary of its span and still carry a valid "free" header, or
 * malloc aborts (a write after free or an overflow into a free block).
 * Span descriptors sit at the start of their span, before the first
 * block, where an overflow forward cannot reach them.
 *
 * Locking: one lock per size class (a word taken with C11 atomics;
 * contended: spin a little, then SchedYield, then sleep 50 us so that a
 * lower-priority holder can run). Large blocks take no lock. mmap and
 * munmap are called with no lock held. No lock is held across another.
 *
 * The page source is the two functions pages_get and pages_put over
 * mmap/munmap; the host tests (tests/host/test_malloc.c) compile this file
 * with every symbol renamed muon_* and provide muon_mmap and muon_munmap
 * over the host's (counting them), muon_SchedYield_r and so on.
 */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/neutrino.h>

#define PAGE 4096UL
#define HDR 16UL			  /* the header before each block */
#define SMALL_MAX (65536UL - HDR)	  /* the largest small request */
#define NCLASS 43
#define SPAN_HDR 64UL			  /* struct span, padded */
#define LARGE_HDR 64UL			  /* struct large + block header */
#define SPAN_TARGET (16384UL - SPAN_HDR) /* bytes of blocks a span aims at */

/* header.info: the kind in the low 16 bits, FREE on top. */
#define KIND_LARGE 0xffffu
#define KIND_ALIGNED 0xfffeu
#define INFO_FREE 0x10000u

#define SPAN_MAGIC 0x5350414e6d756f6eULL  /* "SPANmuon" */
#define LARGE_MAGIC 0x4c5247456d756f6eULL /* "LRGEmuon" */

struct header {
	void *owner;	/* span, struct large, or (aligned) the real block */
	uint32_t info;	/* class, KIND_LARGE or KIND_ALIGNED; | INFO_FREE */
	uint32_t check; /* mix(address, owner, info) */
};

struct span {
	uint64_t magic;		 /* SPAN_MAGIC ^ address */
	struct span *next, *prev; /* in the class's list of spans with room */
	char *free;		 /* first free block (its header), or NULL */
	char *bump;		 /* next never-used block */
	char *end;		 /* the blocks: [span + SPAN_HDR, end) */
	uint32_t used;		 /* blocks handed out */
	uint16_t cls;		 /* size class */
	uint8_t listed;		 /* on the class's list */
	size_t bytes;		 /* length of the mapping */
};

struct large {
	uint64_t magic; /* LARGE_MAGIC ^ address */
	size_t bytes;	/* length of the mapping */
};

struct size_class {
	int lock;	    /* 0 free, 1 taken */
	uint32_t nempty;    /* listed spans with no block in use */
	struct span *avail; /* spans with a free or never-used block */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct header) == HDR, "header size");
_Static_assert(sizeof(struct span) <= SPAN_HDR, "span header size");
_Static_assert(sizeof(struct large) + HDR <= LARGE_HDR, "large header size");

static struct size_class classes[NCLASS];

/* --- the page source ---------------------------------------------------- */

static void *pages_get(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void pages_put(void *p, size_t bytes)
{
	munmap(p, bytes);
}

/* --- locks ---------------------------------------------------------------- */

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ volatile("pause");
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static void lock_slow(int *l)
{
	for (unsigned tries = 0;; tries++) {
		if (tries < 8) {
			cpu_relax();
		} else if (tries < 200) {
			SchedYield_r();
		} else {
			uint64_t ns = 50000;
			ClockNanosleep_r(CLOCK_MONOTONIC, 0, &ns);
		}
		if (!__atomic_load_n(l, __ATOMIC_RELAXED) &&
		    !__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
			return;
	}
}

static inline void lock(int *l)
{
	if (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		lock_slow(l);
}

static inline void unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* --- reports ---------------------------------------------------------------- */

static void say(const char *s, size_t n)
{
	while (n) {
		int r = KerConsoleWrite_r(s, n);
		if (r <= 0)
			return;
		s += r;
		n -= (size_t)r;
	}
}

/* "malloc: WHAT 0x...\n" on the console, then abort. */
__attribute__((noreturn, noinline)) static void corrupt(const char *what, const void *p)
{
	char buf[160];
	size_t n = 0;
	const char *pre = "malloc: ";

	while (*pre)
		buf[n++] = *pre++;
	while (*what && n < 120)
		buf[n++] = *what++;
	buf[n++] = ' ';
	buf[n++] = '0';
	buf[n++] = 'x';
	uintptr_t v = (uintptr_t)p;
	bool digits = false;
	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 15;
		if (d || digits || shift == 0) {
			buf[n++] = "0123456789abcdef"[d];
			digits = true;
		}
	}
	buf[n++] = '\n';
	say(buf, n);
	abort();
}

/* --- size classes ------------------------------------------------------------- */

/* The class whose stride holds n bytes and a header (n <= SMALL_MAX). */
static inline unsigned class_of(size_t n)
{
	size_t s = (n + HDR + 15) & ~15UL;

	if (s <= 128)
		return s <= 32 ? 0 : (unsigned)(s / 16 - 2);
	unsigned k = 63 - (unsigned)__builtin_clzl(s - 1); /* s in (2^k, 2^(k+1)] */
	size_t step = 1UL << (k - 2);
	unsigned j = (unsigned)((s - (1UL << k) + step - 1) / step); /* 1..4 */
	return 7 + (k - 7) * 4 + (j - 1);
}

/* Block size of class c, its header included. */
static inline size_t class_stride(unsigned c)
{
	if (c < 7)
		return 32 + 16 * c;
	unsigned k = 7 + (c - 7) / 4, j = (c - 7) % 4 + 1;
	return (1UL << k) + j * (1UL << (k - 2));
}

/* Mapping length of a span of class c: room for SPAN_TARGET bytes of
 * blocks, at least 4 blocks, in whole pages. */
static size_t class_span_bytes(unsigned c)
{
	size_t stride = class_stride(c), nb = SPAN_TARGET / stride;
	if (nb < 4)
		nb = 4;
	return (SPAN_HDR + nb * stride + PAGE - 1) & ~(PAGE - 1);
}

static inline char *span_first(struct span *s)
{
	return (char *)s + SPAN_HDR;
}

/* --- headers ------------------------------------------------------------------ */

static inline uint32_t mix(const void *p, const void *owner, uint32_t info)
{
	uint64_t x = (uintptr_t)p ^ ((uintptr_t)owner * 0x9e3779b97f4a7c15ULL) ^
		     ((uint64_t)info << 40) ^ 0x6d756f6e6d616c6cULL;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (uint32_t)x;
}

static inline struct header *hdr_of(const void *p)
{
	return (struct header *)((char *)p - HDR);
}

static inline void set_header(void *p, void *owner, uint32_t info)
{
	struct header *h = hdr_of(p);
	h->owner = owner;
	h->info = info;
	h->check = mix(p, owner, info);
}

/* The header of p, checked: alignment, check word, owner. Aborts (naming
 * the caller's operation) on a pointer malloc did not give. */
static struct header *checked(const void *p, const char *op)
{
	if ((uintptr_t)p & (HDR - 1))
		corrupt(op, p);
	struct header *h = hdr_of(p);
	if (h->check != mix(p, h->owner, h->info))
		corrupt(op, p);
	if (h->info & INFO_FREE)
		corrupt("double free (or use after free) of", p);
	uint32_t kind = h->info & 0xffff;
	if (kind == KIND_LARGE) {
		struct large *l = h->owner;
		if (l->magic != (LARGE_MAGIC ^ (uintptr_t)l) || (char *)p < (char *)l + LARGE_HDR ||
		    (char *)p >= (char *)l + l->bytes)
			corrupt(op, p);
	} else if (kind == KIND_ALIGNED) {
		if ((char *)h->owner >= (char *)p)
			corrupt(op, p);
	} else {
		struct span *s = h->owner;
		if (kind >= NCLASS || s->magic != (SPAN_MAGIC ^ (uintptr_t)s) || s->cls != kind ||
		    (char *)h < span_first(s) || (char *)h >= s->end ||
		    (size_t)((char *)h - span_first(s)) % class_stride(kind))
			corrupt(op, p);
	}
	return h;
}

static inline void list_add(struct size_class *c, struct span *s)
{
	s->prev = NULL;
	s->next = c->avail;
	if (c->avail)
		c->avail->prev = s;
	c->avail = s;
	s->listed = 1;
}

static inline void list_del(struct size_class *c, struct span *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->avail = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->listed = 0;
}

static void *small_alloc(unsigned cls)
{
	struct size_class *c = &classes[cls];
	size_t stride = class_stride(cls);
	struct span *s;
	char *b;

	lock(&c->lock);
	while (!(s = c->avail)) {
		unlock(&c->lock);
		size_t bytes = class_span_bytes(cls);
		s = pages_get(bytes);
		if (!s)
			return NULL;
		s->magic = SPAN_MAGIC ^ (uintptr_t)s;
		s->free = NULL;
		s->bump = span_first(s);
		s->end = s->bump + (bytes - SPAN_HDR) / stride * stride;
		s->used = 0;
		s->cls = (uint16_t)cls;
		s->bytes = bytes;
		lock(&c->lock);
		list_add(c, s);
		c->nempty++;
	}
	if ((b = s->free)) {
		/* A free block's header says free; its first payload word is
		 * the next free block's header. */
		struct header *h = (struct header *)b;
		void *p = b + HDR;
		if (b < span_first(s) || b >= s->bump || (size_t)(b - span_first(s)) % stride ||
		    h->owner != s || h->info != (cls | INFO_FREE) ||
		    h->check != mix(p, s, cls | INFO_FREE)) {
			unlock(&c->lock);
			corrupt("free list corrupted (write after free or overflow) at", p);
		}
		s->free = *(char **)p;
	} else {
		b = s->bump;
		s->bump += stride;
	}
	if (s->used++ == 0)
		c->nempty--;
	if (!s->free && s->bump == s->end)
		list_del(c, s); /* full */
	unlock(&c->lock);
	set_header(b + HDR, s, cls);
	return b + HDR;
}

/* Free a small block whose header h checked out. */
static void small_free(void *p, struct header *h)
{
	struct span *s = h->owner;
	unsigned cls = s->cls;
	struct size_class *c = &classes[cls];
	struct span *drop = NULL;

	lock(&c->lock);
	if (h->info & INFO_FREE) {
		unlock(&c->lock);
		corrupt("double free of", p);
	}
	*(char **)p = s->free;
	set_header(p, s, cls | INFO_FREE);
	s->free = (char *)h;
	if (!s->listed)
		list_add(c, s);
	if (--s->used == 0) {
		if (c->nempty >= 1) {
			list_del(c, s);
			drop = s;
		} else {
			c->nempty++;
		}
	}
	unlock(&c->lock);
	if (drop) {
		drop->magic = 0;
		pages_put(drop, drop->bytes);
	}
}

/* --- large blocks --------------------------------------------------------------- */

static void *large_alloc(size_t n)
{
	if (n > SIZE_MAX / 2)
		return NULL;
	size_t bytes = (LARGE_HDR + n + PAGE - 1) & ~(PAGE - 1);
	struct large *l = pages_get(bytes);
	if (!l)
		return NULL;
	l->magic = LARGE_MAGIC ^ (uintptr_t)l;
	l->bytes = bytes;
	void *p = (char *)l + LARGE_HDR;
	set_header(p, l, KIND_LARGE);
	return p;
}

static void large_free(struct header *h)
{
	struct large *l = h->owner;
	l->magic = 0;
	pages_put(l, l->bytes);
}

/* --- the interface ---------------------------------------------------------------- */

static void *alloc(size_t n)
{
	return n <= SMALL_MAX ? small_alloc(class_of(n)) : large_alloc(n);
}

void *malloc(size_t n)
{
	void *p = alloc(n);
	if (!p)
		errno = ENOMEM;
	return p;
}

/* Free the block of a checked header h (p its pointer). */
static void release(void *p, struct header *h)
{
	uint32_t kind = h->info & 0xffff;

	if (kind == KIND_ALIGNED) {
		void *q = h->owner;
		set_header(p, q, KIND_ALIGNED | INFO_FREE); /* stale from now on */
		h = checked(q, "free of a corrupted aligned block");
		kind = h->info & 0xffff;
		if (kind == KIND_ALIGNED)
			corrupt("free of a corrupted aligned block", p);
		p = q;
	}
	if (kind == KIND_LARGE)
		large_free(h);
	else
		small_free(p, h);
}

void free(void *p)
{
	if (p)
		release(p, checked(p, "free of a pointer malloc did not give (or a damaged header):"));
}

/* Bytes usable at p (checked header h). */
static size_t usable(const void *p, const struct header *h)
{
	uint32_t kind = h->info & 0xffff;

	if (kind == KIND_ALIGNED) {
		const void *q = h->owner;
		return usable(q, checked(q, "corrupted aligned block")) -
		       (size_t)((const char *)p - (const char *)q);
	}
	if (kind == KIND_LARGE) {
		const struct large *l = h->owner;
		return (size_t)((const char *)l + l->bytes - (const char *)p);
	}
	return class_stride(kind) - HDR;
}

size_t malloc_usable_size(void *p)
{
	return p ? usable(p, checked(p, "malloc_usable_size of a pointer malloc did not give:"))
		 : 0;
}

void *calloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(total);
	/* A large block is a fresh mapping: already zero. */
	if (p && total <= SMALL_MAX)
		memset(p, 0, total);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	struct header *h = checked(p, "realloc of a pointer malloc did not give (or a damaged header):");
	size_t have = usable(p, h);
	uint32_t kind = h->info & 0xffff;
	/* In place when it fits, unless it would waste more than half of a
	 * small block or a large block shrinks below half (then move). */
	if (n <= have) {
		if (kind == KIND_ALIGNED || (kind == KIND_LARGE && n > have / 2) ||
		    (kind < NCLASS && (kind == 0 || n + HDR > class_stride(kind) / 2)))
			return p;
	}
	void *q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	release(p, h);
	return q;
}

/* align: a power of two. */
static void *aligned(size_t align, size_t n)
{
	if (align <= HDR)
		return alloc(n);
	if (n > SIZE_MAX / 2 || align > SIZE_MAX / 4)
		return NULL;
	char *q = alloc(n + align);
	if (!q)
		return NULL;
	char *p = (char *)(((uintptr_t)q + align - 1) & ~(uintptr_t)(align - 1));
	if (p != q)
		set_header(p, q, KIND_ALIGNED); /* p - HDR >= q: inside q's block */
	return p;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = aligned(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	void *p = aligned(align, n);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}

int malloc_trim(size_t pad)
{
	struct span *drop = NULL;

	(void)pad;
	for (unsigned i = 0; i < NCLASS; i++) {
		struct size_class *c = &classes[i];
		lock(&c->lock);
		for (struct span *s = c->avail, *next; s; s = next) {
			next = s->next;
			if (s->used == 0) {
				list_del(c, s);
				s->next = drop;
				drop = s;
			}
		}
		c->nempty = 0;
		unlock(&c->lock);
	}
	int any = drop != NULL;
	while (drop) {
		struct span *s = drop;
		drop = s->next;
		s->magic = 0;
		pages_put(s, s->bytes);
	}
	return any;
}
