/*
 * Memory objects (kernel/memobj.c): runs of zeroed pages a process owns
 * (shmmgr) and maps into others, for shared memory. Ids are the
 * owner's; bad ids are -EBADF.
 */
#ifndef KERNEL_MEMOBJ_H
#define KERNEL_MEMOBJ_H

#include <kernel/compiler.h>

struct process;

#define MEMOBJ_STEP 256 /* pages one resize call makes or drops (1 MiB) */

/* A new empty object of p's: its id, or -EAGAIN (p's limit, no memory,
 * ids used up). */
int memobj_create(struct process *p);
/* The object holds size bytes (a page multiple, else -EINVAL): new pages
 * are zeroed, pages past the end are dropped (mappings keep theirs).
 * At most MEMOBJ_STEP pages change in one call: 0 when it has the size,
 * 1 when the caller must come again for the rest, -ENOMEM (refused
 * before any change). */
int memobj_resize(struct process *p, int id, uint64_t size);
/* The object goes; its pages live on while mapped. */
int memobj_destroy(struct process *p, int id);
/* Map [offset, offset+size) of owner's object id (page multiples, size
 * not 0: else -EINVAL; past its end: -ENXIO) into process to, as
 * process_map_shared (max: the VM_WRITE and VM_EXEC mprotect may ever
 * give); va 0: the kernel picks, else what was mapped at
 * [va, va+size) goes first (MAP_FIXED), once the arguments are found
 * good. The address or -errno. */
long memobj_map(struct process *owner, int id, uint64_t offset, uint64_t size, struct process *to,
		uintptr_t va, unsigned prot, unsigned max);
/* p ends: its objects go. */
void memobj_process_exit(struct process *p);
/* Objects that exist, for KerInfo. */
uint64_t memobj_count(void);

#endif
