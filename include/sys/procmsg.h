/*
 * Requests to proc, the process manager (SYSMGR_PID, channel SYSMGR_CHID),
 * which every process sends through its SYSMGR_COID connection. Message
 * types 0x0000-0x00FF are proc's (DESIGN.md §4); memory requests take
 * 0x0040.. as QNX's memory manager does. Each starts with its 16-bit type.
 * proc/ serves them; libc (mman.c) sends them.
 */
#ifndef _SYS_PROCMSG_H_INCLUDED
#define _SYS_PROCMSG_H_INCLUDED

#include <stdint.h>

#define _PROC_BASE 0x0000
#define _PROC_MAX 0x00ff

/* Anonymous private memory (mmap, munmap, mprotect): one message, its
 * type saying which. Replies: _MEM_MAP the address (MsgReply status 0,
 * the address as the reply's data), the others status 0; errors as
 * POSIX (EINVAL, ENOMEM, ENOTSUP). */
#define _MEM_MAP 0x0040
#define _MEM_UNMAP 0x0041
#define _MEM_PROTECT 0x0042

struct _mem_request {
	uint16_t type;	 /* _MEM_* */
	uint16_t zero;
	int32_t prot;	 /* PROT_*: _MEM_MAP, _MEM_PROTECT */
	int32_t flags;	 /* MAP_*: _MEM_MAP */
	int32_t fd;	 /* -1: anonymous memory is all there is */
	uint64_t addr;	 /* MAP_FIXED's address, or the range's start */
	uint64_t len;
	int64_t offset; /* 0 */
};

#endif
