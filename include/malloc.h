/*
 * The allocator's extras beyond <stdlib.h> (glibc's and QNX's
 * <malloc.h> names): memalign, malloc_usable_size, malloc_trim.
 * libc/malloc.c; the standard calls are declared here too.
 */
#ifndef _MALLOC_H_INCLUDED
#define _MALLOC_H_INCLUDED

#include <stddef.h>
#include <stdlib.h>

/* aligned_alloc under its older name: align a power of two, else NULL
 * with EINVAL. */
void *memalign(size_t align, size_t size);
/* Bytes usable at p (at least what was asked; 0 for NULL). Aborts on a
 * pointer malloc did not give. */
size_t malloc_usable_size(void *p);
/* Unmap the empty spans malloc keeps (one per size class) so that every
 * page no block uses goes back to proc. 1 if any was, else 0. pad is
 * ignored. */
int malloc_trim(size_t pad);

#endif
