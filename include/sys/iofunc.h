/*
 * QNX's POSIX-layer helpers for resource managers (libc/iofunc.c): an
 * attribute structure per served thing (size, mode, open counts), an
 * OCB per open (its offset and open flags), and the iofunc_*_default
 * handlers iofunc_func_init() puts in a resmgr_attach()'s tables: open
 * (allocates and binds an OCB), read (0 bytes: end of file), write (all
 * the bytes, kept nowhere), lseek (on attr->nbytes), stat, close.
 */
#ifndef _SYS_IOFUNC_H_INCLUDED
#define _SYS_IOFUNC_H_INCLUDED

#include <sys/types.h>

struct _iofunc_attr;
struct _iofunc_ocb;

/* A program's own types (QNX's extension idiom): declared first, with
 * the iofunc_*_t structures as their first members. */
#ifndef IOFUNC_ATTR_T
#define IOFUNC_ATTR_T struct _iofunc_attr
#endif
#ifndef IOFUNC_OCB_T
#define IOFUNC_OCB_T struct _iofunc_ocb
#endif
#ifndef RESMGR_HANDLE_T
#define RESMGR_HANDLE_T IOFUNC_ATTR_T
#endif
#ifndef RESMGR_OCB_T
#define RESMGR_OCB_T IOFUNC_OCB_T
#endif

#include <sys/resmgr.h>
#include <sys/stat.h>

typedef struct _iofunc_attr {
	uint32_t flags;
	int32_t lock_tid;
	uint16_t lock_count;
	uint16_t count;	 /* OCBs open on it */
	uint16_t rcount; /* ... for reading */
	uint16_t wcount; /* ... for writing */
	uint16_t rlocks;
	uint16_t wlocks;
	off_t nbytes; /* its size: lseek's SEEK_END, stat's st_size */
	ino_t inode;
	uid_t uid;
	gid_t gid;
	time_t mtime;
	time_t atime;
	time_t ctime;
	mode_t mode; /* S_IF* type and permissions */
	nlink_t nlink;
	dev_t rdev;
} iofunc_attr_t;

typedef struct _iofunc_ocb {
	IOFUNC_ATTR_T *attr;
	int32_t ioflag; /* _io_connect.ioflag: _IO_FLAG_RD/WR, O_APPEND, ... */
	off_t offset;
	uint16_t sflag;
	uint16_t flags;
} iofunc_ocb_t;

/* attr as a new thing of mode (the type bits S_IFREG when none);
 * dattr and info may be NULL (no directory, no client). */
void iofunc_attr_init(iofunc_attr_t *attr, mode_t mode, iofunc_attr_t *dattr,
		      struct _client_info *info);
/* The first nconnect/nio entries of the tables get the defaults. */
void iofunc_func_init(unsigned nconnect, resmgr_connect_funcs_t *connect, unsigned nio,
		      resmgr_io_funcs_t *io);

/* Whether the OCB may read (EBADF otherwise) and the message's xtype is
 * none (ENOSYS otherwise); *nonblock: O_NONBLOCK (may be NULL). */
int iofunc_read_verify(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb, int *nonblock);
int iofunc_write_verify(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb, int *nonblock);
/* st from attr. */
int iofunc_stat(resmgr_context_t *ctp, iofunc_attr_t *attr, struct stat *st);

int iofunc_open_default(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr, void *extra);
int iofunc_read_default(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb);
int iofunc_write_default(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb);
int iofunc_lseek_default(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *ocb);
int iofunc_stat_default(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb);
int iofunc_close_dup_default(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *ocb);
int iofunc_close_ocb_default(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb);
/* DCMD_ALL_GETFLAGS / SETFLAGS (<sys/dcmd_all.h>); ENOTTY for others. */
int iofunc_devctl_default(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb);

#endif
