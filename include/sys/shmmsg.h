/*
 * shmmgr's messages (DESIGN.md §4: 0x0500-0x05FF) beyond the I/O range
 * it serves on /dev/shmem (open, unlink, fstat, ftruncate, mmap, close:
 * <sys/iomsg.h>). libc/shm.c sends them; servers/shmmgr answers.
 */
#ifndef _SYS_SHMMSG_H_INCLUDED
#define _SYS_SHMMSG_H_INCLUDED

#include <stdint.h>
#include <sys/iomsg.h>

#define _SHM_BASE	 0x0500
#define _SHM_OPEN_HANDLE 0x0500 /* struct _shm_open_handle */
#define _SHM_MAX_TYPE	 0x05ff

/* Bytes of a shared-memory object's name after its '/' (so that
 * "/dev/shmem/NAME" is a path namesrv takes). */
#define _SHM_NAME_MAX 244

/* shm_open_handle: sent on a new connection to shmmgr's channel, which
 * becomes the fd on success. ioflag: the access mode plus one
 * (_IO_FLAG_RD / _IO_FLAG_WR), no wider than the handle's. Errors:
 * EINVAL (no such handle for the sender, or used), EACCES (access). */
struct _shm_open_handle {
	uint16_t type; /* _SHM_OPEN_HANDLE */
	uint16_t zero;
	uint32_t ioflag;
	uint64_t handle;
};

/* shm_create_handle: an _IO_MSG (mgrid _IOMGR_SHMEM, subtype
 * _SHM_CREATE_HANDLE) on the fd. A handle for process pid only, with
 * access ioflag (no wider than the fd's: EACCES), opened at most once.
 * Reply data: the handle (uint64_t). */
#define _SHM_CREATE_HANDLE 1
struct _shm_create_handle {
	struct _io_msg hdr;
	int32_t pid;
	uint32_t ioflag;
	uint32_t options; /* 0 */
	uint32_t zero;
};

#endif
