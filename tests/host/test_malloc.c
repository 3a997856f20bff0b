/*
 * Host tests of libc's allocator (libc/malloc.c, renamed muon_*): its
 * page source is the host's mmap/munmap behind muon_mmap/muon_munmap,
 * which check the arguments (Muon's PROT_/MAP_ values), keep a table of
 * live mappings (every munmap must be exactly one of them) and count
 * them, so the tests can see that every page goes back. abort() ends in
 * muon_KerProcExit_r, which longjmps back into the test, so the
 * allocator's checks (bad pointer, damaged header, double free) are seen
 * to fire with their message. Covered: sizes and alignment, usable sizes,
 * calloc (zeroing, overflow), realloc (content, in place, NULL and 0 as
 * glibc), posix_memalign/aligned_alloc (EINVAL as glibc), random
 * sequences with content checks, 4 threads with cross-thread frees, and
 * the return of every page (large blocks at free, empty spans at free
 * but one per class, all of them at malloc_trim).
 */
#include "host_exit.h"
#include "host_test.h"
#include "libc_host.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The host's calloc and realloc are compared with ours on overflow:
 * under ASan they must return NULL rather than stop the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* --- the fake kernel and page source --------------------------------------- */

#define MUON_PROT_READ 0x100
#define MUON_PROT_WRITE 0x200
#define MUON_MAP_PRIVATE 0x0002
#define MUON_MAP_ANON 0x00080000
#define MUON_ENOMEM 12

static pthread_mutex_t seam_lock = PTHREAD_MUTEX_INITIALIZER;
#define MAX_MAPS 65536
static struct {
	void *addr;
	size_t len;
} maps[MAX_MAPS];
static int nmaps;
static long n_mmap, n_munmap, bad_seam;
static size_t live_bytes;
static size_t fail_after = SIZE_MAX; /* mmap fails once this reaches 0 */

void *muon_mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
void *muon_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	pthread_mutex_lock(&seam_lock);
	if (addr || prot != (MUON_PROT_READ | MUON_PROT_WRITE) ||
	    flags != (MUON_MAP_PRIVATE | MUON_MAP_ANON) || fd != -1 || off || !len || len % 4096)
		bad_seam++;
	if (fail_after == 0 || nmaps == MAX_MAPS) {
		pthread_mutex_unlock(&seam_lock);
		muon_errno = MUON_ENOMEM;
		return (void *)-1;
	}
	if (fail_after != SIZE_MAX)
		fail_after--;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		pthread_mutex_unlock(&seam_lock);
		muon_errno = MUON_ENOMEM;
		return (void *)-1;
	}
	maps[nmaps].addr = p;
	maps[nmaps].len = len;
	nmaps++;
	n_mmap++;
	live_bytes += len;
	pthread_mutex_unlock(&seam_lock);
	return p;
}

int muon_munmap(void *addr, size_t len);
int muon_munmap(void *addr, size_t len)
{
	pthread_mutex_lock(&seam_lock);
	for (int i = 0; i < nmaps; i++) {
		if (maps[i].addr == addr) {
			if (maps[i].len != len)
				bad_seam++;
			maps[i] = maps[--nmaps];
			n_munmap++;
			live_bytes -= len;
			pthread_mutex_unlock(&seam_lock);
			return munmap(addr, len);
		}
	}
	bad_seam++; /* not a mapping of ours */
	pthread_mutex_unlock(&seam_lock);
	return -1;
}

int muon_SchedYield_r(void);
int muon_SchedYield_r(void)
{
	return sched_yield();
}

int muon_ClockNanosleep_r(int id, int flags, const uint64_t *ns);
int muon_ClockNanosleep_r(int id, int flags, const uint64_t *ns)
{
	(void)id;
	(void)flags;
	struct timespec ts = {0, (long)*ns};
	nanosleep(&ts, NULL);
	return 0;
}

static char console[4096];
static size_t console_len;

int muon_KerConsoleWrite_r(const char *s, size_t n);
int muon_KerConsoleWrite_r(const char *s, size_t n)
{
	if (console_len + n < sizeof(console)) {
		memcpy(console + console_len, s, n);
		console_len += n;
		console[console_len] = 0;
	}
	return (int)n;
}


/* libc's abort (abort.c, through SIGABRT) is not in the host build: the
 * allocator's abort ends here as a process killed by it would (134). */
__attribute__((noreturn)) void muon_abort(void);
void muon_abort(void)
{
	muon_KerProcExit_r(134);
	__builtin_unreachable();
}

/* Run one call that must abort with a message containing want. */
#define ABORTS(call, want)                                                                     \
	({                                                                                     \
		console_len = 0;                                                               \
		console[0] = 0;                                                                \
		exit_status = -1;                                                              \
		if (!setjmp(exit_jmp)) {                                                       \
			call;                                                                  \
		}                                                                              \
		int ok_ = exit_status == 134 && strstr(console, want) != NULL;                 \
		if (!ok_)                                                                      \
			printf("# status %d, console \"%s\"\n", exit_status, console);         \
		ok_;                                                                           \
	})

static size_t live(void)
{
	pthread_mutex_lock(&seam_lock);
	size_t v = live_bytes;
	pthread_mutex_unlock(&seam_lock);
	return v;
}

/* --- content ---------------------------------------------------------------- */

static inline unsigned char pat(uint32_t seed, size_t i)
{
	return (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static void fill(void *p, size_t n, uint32_t seed)
{
	unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		b[i] = pat(seed, i);
}

static int intact(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != pat(seed, i))
			return 0;
	return 1;
}

static uint64_t rng_state = 0x12345678;

/* A size: mostly small, some up to 64 KiB, a few large. */
static size_t rnd_size(uint64_t *s)
{
	uint64_t r = ht_random(s);
	if (r % 64 == 0)
		return (r >> 8) % 300000;
	switch (r % 16) {
	case 1:
		return (r >> 8) % 70000;
	case 2:
		return (r >> 8) % 8000;
	case 3:
		return (r >> 8) % 4;
	default:
		return (r >> 8) % 600;
	}
}

/* --- the tests ----------------------------------------------------------------- */

static void test_basic(void)
{
	void *a = muon_malloc(0), *b = muon_malloc(0);
	void *ga = malloc(0);
	CHECK(a && b && a != b);
	CHECK(ga != NULL); /* glibc agrees: a unique pointer */
	CHECK(muon_malloc_usable_size(a) >= 16);
	CHECK_EQ(muon_malloc_usable_size(NULL), 0);
	muon_free(a);
	muon_free(b);
	free(ga);
	muon_free(NULL);

	int sizes_ok = 1, align_ok = 1, usable_ok = 1, waste_ok = 1;
	for (size_t n = 0; n < 70000; n += n < 300 ? 1 : n < 5000 ? 13 : 997) {
		unsigned char *p = muon_malloc(n);
		if (!p) {
			sizes_ok = 0;
			continue;
		}
		size_t u = muon_malloc_usable_size(p);
		align_ok &= ((uintptr_t)p & 15) == 0;
		usable_ok &= u >= n;
		/* Classes: 16-byte steps to 112, then 4 per doubling. */
		if (n <= 65520)
			waste_ok &= u <= (n < 112 ? n + 16 : n + n / 4 + 16);
		fill(p, u, (uint32_t)n);
		usable_ok &= intact(p, u, (uint32_t)n);
		muon_free(p);
	}
	CHECK(sizes_ok);
	CHECK(align_ok);
	CHECK(usable_ok);
	CHECK(waste_ok);

	/* Two live blocks never overlap. */
	char *x[200];
	int overlap = 0;
	for (int i = 0; i < 200; i++) {
		x[i] = muon_malloc((size_t)i * 3);
		fill(x[i], (size_t)i * 3, (uint32_t)i);
	}
	for (int i = 0; i < 200; i++) {
		overlap |= !intact(x[i], (size_t)i * 3, (uint32_t)i);
		muon_free(x[i]);
	}
	CHECK(!overlap);
}

static void test_calloc(void)
{
	/* Dirty a block, free it, calloc the same class: zeroes. */
	unsigned char *p = muon_malloc(200);
	memset(p, 0xa5, 200);
	muon_free(p);
	unsigned char *q = muon_calloc(10, 20);
	int zero = q != NULL;
	for (int i = 0; q && i < 200; i++)
		zero &= q[i] == 0;
	CHECK(zero);
	muon_free(q);

	q = muon_calloc(1, 200000); /* large: a fresh mapping */
	zero = q != NULL;
	for (int i = 0; q && i < 200000; i += 97)
		zero &= q[i] == 0;
	CHECK(zero);
	muon_free(q);

	/* Overflow: NULL with ENOMEM, as glibc. */
	muon_errno = 0;
	errno = 0;
	volatile size_t huge = SIZE_MAX / 2;
	void *m = muon_calloc(huge, 3);
	void *g = calloc(huge, 3);
	CHECK(m == NULL && g == NULL);
	CHECK_EQ(muon_errno, MUON_ENOMEM);
	CHECK_EQ(errno, ENOMEM);
	muon_errno = 0;
	CHECK(muon_calloc((size_t)1 << 33, (size_t)1 << 33) == NULL && muon_errno == MUON_ENOMEM);
	q = muon_calloc(0, 5);
	CHECK(q != NULL);
	muon_free(q);

	/* malloc too big: NULL, ENOMEM. */
	muon_errno = 0;
	CHECK(muon_malloc(SIZE_MAX - 10) == NULL && muon_errno == MUON_ENOMEM);
	muon_errno = 0;
	CHECK(muon_malloc(SIZE_MAX / 2 + 1) == NULL && muon_errno == MUON_ENOMEM);
}

static void test_realloc(void)
{
	/* realloc(NULL, n) is malloc(n). */
	char *p = muon_realloc(NULL, 40);
	CHECK(p != NULL && muon_malloc_usable_size(p) >= 40);
	fill(p, 40, 1);

	/* In place while it fits. */
	size_t u = muon_malloc_usable_size(p);
	CHECK(muon_realloc(p, u) == p);
	CHECK(intact(p, 40, 1));

	/* Growing through small, medium and large keeps the content. */
	size_t n = 40;
	int kept = 1;
	for (size_t to = 100; to < 1000000; to = to * 3 + 5) {
		char *q = muon_realloc(p, to);
		if (!q) {
			kept = 0;
			break;
		}
		kept &= intact(q, n, 1);
		fill(q, to, 1);
		p = q;
		n = to;
	}
	CHECK(kept);
	/* and shrinking. */
	for (size_t to = n / 3; to > 5; to = to / 3) {
		char *q = muon_realloc(p, to);
		kept &= q && intact(q, to, 1);
		p = q;
	}
	CHECK(kept);
	muon_free(p);

	/* A large block shrinking a little stays; a lot moves. */
	p = muon_malloc(200000);
	CHECK(muon_realloc(p, 190000) == p);
	char *q = muon_realloc(p, 1000);
	CHECK(q != p && muon_malloc_usable_size(q) < 2000);
	muon_free(q);

	/* realloc(p, 0) frees p and returns NULL, as glibc's does. */
	long before = n_munmap;
	p = muon_malloc(100000);
	CHECK(muon_realloc(p, 0) == NULL);
	CHECK_EQ(n_munmap, before + 1);
	void *g = malloc(10);
	CHECK(realloc(g, 0) == NULL);

	/* Failure: NULL, ENOMEM, the block untouched. */
	p = muon_malloc(50);
	fill(p, 50, 9);
	muon_errno = 0;
	CHECK(muon_realloc(p, SIZE_MAX - 100) == NULL && muon_errno == MUON_ENOMEM);
	CHECK(intact(p, 50, 9));
	fail_after = 0;
	CHECK(muon_realloc(p, 500000) == NULL && muon_errno == MUON_ENOMEM);
	fail_after = SIZE_MAX;
	CHECK(intact(p, 50, 9));
	muon_free(p);
}

static void test_align(void)
{
	/* posix_memalign's EINVAL as glibc's. */
	static const size_t bad_or_good[] = {0, 1, 2, 3, 4, 8, 12, 16, 24, 32, 48, 64, 4096, 1 << 20};
	int same = 1;
	for (size_t i = 0; i < sizeof(bad_or_good) / sizeof(bad_or_good[0]); i++) {
		void *m = NULL, *g = NULL;
		int rm = muon_posix_memalign(&m, bad_or_good[i], 10);
		int rg = posix_memalign(&g, bad_or_good[i], 10);
		same &= (rm == 0) == (rg == 0) && (rm == 0 || rm == 22);
		if (!rm)
			muon_free(m);
		if (!rg)
			free(g);
	}
	CHECK(same);

	int ok = 1;
	for (size_t a = 8; a <= (1 << 17); a *= 2) {
		for (size_t n = 0; n < 300000; n = n * 5 + 7) {
			void *p = NULL;
			if (muon_posix_memalign(&p, a, n)) {
				ok = 0;
				continue;
			}
			ok &= ((uintptr_t)p & (a - 1)) == 0;
			ok &= muon_malloc_usable_size(p) >= n;
			fill(p, n, (uint32_t)a);
			/* realloc of an aligned block keeps the content */
			char *q = muon_realloc(p, n + 100);
			ok &= q && intact(q, n, (uint32_t)a);
			muon_free(q);

			q = muon_aligned_alloc(a, n);
			ok &= q && ((uintptr_t)q & (a - 1)) == 0;
			fill(q, n, 3);
			muon_free(q);
		}
	}
	CHECK(ok);

	muon_errno = 0;
	CHECK(muon_aligned_alloc(24, 10) == NULL && muon_errno == 22);
	muon_errno = 0;
	CHECK(muon_aligned_alloc(0, 10) == NULL && muon_errno == 22);
	void *p = muon_aligned_alloc(2, 10); /* any power of two */
	CHECK(p != NULL);
	muon_free(p);
	p = muon_memalign(256, 1);
	CHECK(p && ((uintptr_t)p & 255) == 0);
	muon_free(p);
	void *out = (void *)1;
	CHECK_EQ(muon_posix_memalign(&out, 64, SIZE_MAX - 10), MUON_ENOMEM);
	CHECK(out == (void *)1);
}

static void test_checks(void)
{
	char stackbuf[64] __attribute__((aligned(16)));
	memset(stackbuf, 0, sizeof(stackbuf));

	/* Not ours. */
	CHECK(ABORTS(muon_free(stackbuf + 32), "free of a pointer malloc did not give"));
	char *p = muon_malloc(100);
	CHECK(ABORTS(muon_free(p + 8), "free of a pointer malloc did not give"));
	CHECK(ABORTS(muon_free(p + 32), "free of a pointer malloc did not give"));
	CHECK(ABORTS(muon_realloc(p + 16, 10), "realloc of a pointer malloc did not give"));
	CHECK(ABORTS(muon_malloc_usable_size(p + 48), "malloc: "));

	/* Double free, small and aligned. */
	muon_free(p);
	CHECK(ABORTS(muon_free(p), "double free (or use after free) of 0x"));
	CHECK(ABORTS(muon_realloc(p, 10), "double free (or use after free) of 0x"));
	CHECK(ABORTS(muon_malloc_usable_size(p), "double free (or use after free) of 0x"));
	p = muon_aligned_alloc(64, 100);
	muon_free(p);
	CHECK(ABORTS(muon_free(p), "double free (or use after free) of"));

	/* An overflow into the next block's header. */
	char *a = muon_malloc(24), *b = muon_malloc(24);
	char saved[16];
	char *victim = b > a ? b : a, *before = b > a ? a : b;
	if (victim - before == 48) {
		memcpy(saved, victim - 16, 16);
		memset(before, 'x', 48); /* 24 bytes too many */
		CHECK(ABORTS(muon_free(victim), "did not give (or a damaged header)"));
		memcpy(victim - 16, saved, 16);
	} else {
		CHECK(!"two blocks of one class, allocated in turn, are adjacent");
	}
	muon_free(a);
	muon_free(b);

	/* A large block's header. */
	p = muon_malloc(100000);
	memcpy(saved, p - 16, 16);
	p[-3] ^= 1;
	CHECK(ABORTS(muon_free(p), "malloc did not give"));
	memcpy(p - 16, saved, 16);
	muon_free(p);

	/* A write after free that breaks the free list: in a child, since the
	 * class is left broken. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setjmp(exit_jmp))
			_exit(strstr(console, "free list corrupted") ? 0 : 2);
		char *x = muon_malloc(3000);
		muon_free(x);
		memset(x, 0x41, 16); /* clobber the link */
		muon_malloc(3000);
		muon_malloc(3000);
		_exit(3);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Random sequences over slots, content-checked; returns 1 when all held. */
struct slot {
	unsigned char *p;
	size_t n;
	uint32_t seed;
	size_t align; /* 0: not asked */
};

static int churn(struct slot *s, int nslots, long ops, uint64_t *rs)
{
	int ok = 1;
	for (long i = 0; i < ops; i++) {
		uint64_t r = ht_random(rs);
		struct slot *t = &s[r % (uint64_t)nslots];
		unsigned op = (unsigned)(r >> 32) % 10;
		if (t->p) {
			ok &= intact(t->p, t->n, t->seed);
			if (t->align)
				ok &= ((uintptr_t)t->p & (t->align - 1)) == 0;
			if (op < 4) {
				size_t n = rnd_size(rs);
				unsigned char *q = muon_realloc(t->p, n);
				if (!q && n) {
					ok = 0;
					continue;
				}
				size_t keep = n < t->n ? n : t->n;
				ok &= !n || intact(q, keep, t->seed);
				t->p = q;
				t->n = n;
				t->align = 0;
				if (q) {
					ok &= muon_malloc_usable_size(q) >= n;
					fill(q, n, t->seed);
				}
			} else {
				muon_free(t->p);
				t->p = NULL;
			}
			continue;
		}
		size_t n = rnd_size(rs);
		t->seed = (uint32_t)r;
		t->align = 0;
		if (op < 6) {
			t->p = muon_malloc(n);
		} else if (op < 8) {
			t->p = muon_calloc(1, n);
			for (size_t k = 0; t->p && k < n; k++)
				ok &= t->p[k] == 0;
		} else {
			t->align = (size_t)1 << ((r >> 40) % 14);
			if (t->align < sizeof(void *))
				t->align = sizeof(void *);
			void *q = NULL;
			ok &= muon_posix_memalign(&q, t->align, n) == 0;
			t->p = q;
		}
		if (!t->p) {
			ok = 0;
			continue;
		}
		ok &= ((uintptr_t)t->p & 15) == 0;
		ok &= muon_malloc_usable_size(t->p) >= n;
		t->n = n;
		fill(t->p, n, t->seed);
	}
	for (int i = 0; i < nslots; i++) {
		if (s[i].p) {
			ok &= intact(s[i].p, s[i].n, s[i].seed);
			muon_free(s[i].p);
			s[i].p = NULL;
		}
	}
	return ok;
}

static void test_random(void)
{
	static struct slot slots[1000];
	CHECK(churn(slots, 1000, 200000, &rng_state));
	CHECK(churn(slots, 7, 50000, &rng_state));
}

/* Four threads: each churns slots of its own and frees blocks the others
 * made (passed through a shared ring). */
#define RING 64
static unsigned char *_Atomic ring[RING];
static int thread_ok[4];

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint64_t rs = 0x9e3779b97f4a7c15ULL * (uint64_t)(id + 1);
	static struct slot slots[4][200];
	int ok = 1;
	for (int round = 0; round < 10; round++) {
		ok &= churn(slots[id], 200, 3000, &rs);
		for (int k = 0; k < 200; k++) {
			uint64_t r = ht_random(&rs);
			size_t n = 1 + r % 2000;
			unsigned char *p = muon_malloc(n);
			if (!p) {
				ok = 0;
				continue;
			}
			p[0] = (unsigned char)n;
			p[n - 1] = 0x5a;
			unsigned char *old = __atomic_exchange_n(&ring[(r >> 20) % RING], p, __ATOMIC_ACQ_REL);
			if (old)
				muon_free(old);
		}
	}
	thread_ok[id] = ok;
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(thread_ok[0] && thread_ok[1] && thread_ok[2] && thread_ok[3]);
	for (int i = 0; i < RING; i++) {
		if (ring[i])
			muon_free(ring[i]);
		ring[i] = NULL;
	}
}

/* Pages go back: large blocks at free, empty spans beyond one per class at
 * free, all of them at malloc_trim. */
static void test_pages(void)
{
	muon_malloc_trim(0);
	CHECK_EQ(live(), 0);

	long m = n_mmap, u = n_munmap;
	void *big = muon_malloc(1 << 20);
	CHECK_EQ(n_mmap, m + 1);
	CHECK(live() >= (1 << 20));
	muon_free(big);
	CHECK_EQ(n_munmap, u + 1);
	CHECK_EQ(live(), 0);

	/* Many spans of one class, then all freed: one span stays. */
	static void *v[3000];
	for (int i = 0; i < 3000; i++)
		v[i] = muon_malloc(100);
	CHECK(live() > 16 * 16384);
	for (int i = 0; i < 3000; i++)
		muon_free(v[i]);
	CHECK_EQ(live(), 16384);
	/* Freed in another order, the same. */
	for (int i = 0; i < 3000; i++)
		v[i] = muon_malloc(100);
	for (int i = 0; i < 3000; i += 2)
		muon_free(v[i]);
	for (int i = 1; i < 3000; i += 2)
		muon_free(v[i]);
	CHECK_EQ(live(), 16384);
	/* A malloc/free loop maps nothing more. */
	m = n_mmap;
	for (int i = 0; i < 10000; i++)
		muon_free(muon_malloc(100));
	CHECK_EQ(n_mmap, m);
	CHECK_EQ(muon_malloc_trim(0), 1);
	CHECK_EQ(live(), 0);
	CHECK_EQ(muon_malloc_trim(0), 0);

	/* mmap failing: NULL, ENOMEM, nothing leaked. */
	fail_after = 0;
	muon_errno = 0;
	CHECK(muon_malloc(10) == NULL && muon_errno == MUON_ENOMEM);
	CHECK(muon_malloc(100000) == NULL);
	fail_after = SIZE_MAX;
	CHECK_EQ(live(), 0);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define RUN(f)                                                                                   \
	do {                                                                                     \
		double t0_ = now();                                                              \
		f();                                                                             \
		printf("# " #f ": %.2f s\n", now() - t0_);                                       \
	} while (0)

int main(void)
{
	RUN(test_basic);
	RUN(test_calloc);
	RUN(test_realloc);
	RUN(test_align);
	RUN(test_checks);
	RUN(test_random);
	RUN(test_threads);
	RUN(test_pages);
	/* Everything freed and trimmed: every mapping went back, each by
	 * exactly its own munmap, each asked for as Muon's mmap wants. */
	muon_malloc_trim(0);
	CHECK_EQ(live(), 0);
	CHECK_EQ(nmaps, 0);
	CHECK_EQ(n_mmap, n_munmap);
	CHECK_EQ(bad_seam, 0);
	printf("# %ld mmaps, %ld munmaps\n", n_mmap, n_munmap);
	return ht_done();
}
