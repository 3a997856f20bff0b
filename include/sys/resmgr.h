/*
 * QNX's resource-manager layer (libc/resmgr.c): resmgr_attach() gives a
 * dispatch's channel a path prefix in namesrv's pathname space and
 * routes the _IO_CONNECT and I/O messages it receives to the tables of
 * handlers it was given; an open binds an OCB (the handler's per-open
 * state) to the client's connection, and the I/O handlers get it back.
 *
 * A handler's return value says what the layer replies:
 *   an errno value          MsgError() with it (EOK: MsgReply() of
 *                           ctp->status and no data);
 *   _RESMGR_NPARTS(n)       MsgReplyv() of ctp->status and ctp->iov[0..n);
 *   _RESMGR_NOREPLY         nothing: the handler replied or will.
 */
#ifndef _SYS_RESMGR_H_INCLUDED
#define _SYS_RESMGR_H_INCLUDED

#include <limits.h>
#include <sys/dispatch.h>
#include <sys/iomsg.h>

#define _RESMGR_NOREPLY	       INT_MAX
#define _RESMGR_NPARTS(n)      (-(n))
#define _RESMGR_ERRNO(e)       (e)
#define _RESMGR_STATUS(ctp, s) ((ctp)->status = (s))

/* The byte counts of a read or write reply (its status). */
#define _IO_SET_READ_NBYTES(ctp, n)  ((ctp)->status = (n))
#define _IO_SET_WRITE_NBYTES(ctp, n) ((ctp)->status = (n))

/* A program may name its own attribute and OCB types before including
 * this header (QNX's way of extending them). */
#ifndef RESMGR_HANDLE_T
#define RESMGR_HANDLE_T void
#endif
#ifndef RESMGR_OCB_T
#define RESMGR_OCB_T void
#endif

typedef struct _resmgr_attr {
	unsigned flags;
	unsigned nparts_max;   /* ctp->iov parts a handler may reply with */
	unsigned msg_max_size; /* receive buffer (at least the default) */
	unsigned reserved[4];
} resmgr_attr_t;

/* enum _file_type: what resmgr_attach serves (QNX's numbers). */
enum _file_type {
	_FTYPE_MATCHED = 0,
	_FTYPE_ALL = 1,
	_FTYPE_ANY = 2,
	_FTYPE_FILE = 3,
	_FTYPE_LINK = 4,
	_FTYPE_SYMLINK = 5,
	_FTYPE_PIPE = 6,
	_FTYPE_SHMEM = 7,
	_FTYPE_MQUEUE = 8,
	_FTYPE_SOCKET = 9,
	_FTYPE_SEM = 10,
	_FTYPE_PHOTON = 11,
	_FTYPE_DUMPER = 12,
	_FTYPE_MOUNT = 13,
	_FTYPE_NAME = 14,
	_FTYPE_TYMEM = 15,
};

/* The connect handlers this layer calls, in QNX's order: an open
 * (_IO_CONNECT_OPEN) and an unlink (_IO_CONNECT_UNLINK; msg->i.path is
 * the path after the prefix). One absent is ENOSYS. */
typedef struct _resmgr_connect_funcs {
	unsigned nfuncs;
	int (*open)(resmgr_context_t *ctp, io_open_t *msg, RESMGR_HANDLE_T *handle, void *extra);
	int (*unlink)(resmgr_context_t *ctp, io_unlink_t *msg, RESMGR_HANDLE_T *handle,
		      void *reserved);
} resmgr_connect_funcs_t;
#define _RESMGR_CONNECT_NFUNCS 2

/*
 * The I/O handlers this layer calls, by message (space: _IO_SPACE, mmap:
 * _IO_MMAP, msg: _IO_MSG; none has a default). close_dup answers the
 * client's _IO_CLOSE; close_ocb then (or when the client's connection
 * goes without one: it ended) lets the OCB go, with msg NULL, once no
 * connection is bound to it any more (_IO_DUP shares an OCB; the layer
 * serves it itself).
 */
typedef struct _resmgr_io_funcs {
	unsigned nfuncs;
	int (*read)(resmgr_context_t *ctp, io_read_t *msg, RESMGR_OCB_T *ocb);
	int (*write)(resmgr_context_t *ctp, io_write_t *msg, RESMGR_OCB_T *ocb);
	int (*close_ocb)(resmgr_context_t *ctp, void *reserved, RESMGR_OCB_T *ocb);
	int (*stat)(resmgr_context_t *ctp, io_stat_t *msg, RESMGR_OCB_T *ocb);
	int (*lseek)(resmgr_context_t *ctp, io_lseek_t *msg, RESMGR_OCB_T *ocb);
	int (*close_dup)(resmgr_context_t *ctp, io_close_t *msg, RESMGR_OCB_T *ocb);
	int (*space)(resmgr_context_t *ctp, io_space_t *msg, RESMGR_OCB_T *ocb);
	int (*mmap)(resmgr_context_t *ctp, io_mmap_t *msg, RESMGR_OCB_T *ocb);
	int (*msg)(resmgr_context_t *ctp, io_msg_t *msg, RESMGR_OCB_T *ocb);
	int (*devctl)(resmgr_context_t *ctp, io_devctl_t *msg, RESMGR_OCB_T *ocb);
} resmgr_io_funcs_t;
#define _RESMGR_IO_NFUNCS 10

/*
 * resmgr_attach: dpp's channel (made if it has none) serves path (an
 * absolute prefix, <sys/namemsg.h>'s rules) through the tables (kept by
 * pointer, as QNX does) with handle passed to connect handlers. Returns
 * the link id (>= 0; ctp->id in the handlers), or -1 with errno
 * (EEXIST: the prefix is taken; ENOSYS: no namesrv). Only file_type
 * _FTYPE_ANY and flags 0 (EINVAL otherwise). The dispatch also gets a
 * _PULSE_CODE_DISCONNECT handler (when it has none) that closes the
 * OCBs of a client that went without closing them.
 */
int resmgr_attach(dispatch_t *dpp, resmgr_attr_t *attr, const char *path, enum _file_type file_type,
		  unsigned flags, const resmgr_connect_funcs_t *connect_funcs,
		  const resmgr_io_funcs_t *io_funcs, RESMGR_HANDLE_T *handle);
/* The prefix goes; opens already made keep being served. */
int resmgr_detach(dispatch_t *dpp, int id, unsigned flags);

/* An open handler's binding of ocb to the client's connection (the one
 * ctp's _IO_CONNECT came on): its I/O messages get ocb and io_funcs
 * (NULL: the link's). 0, or -1 with errno (ENOMEM). */
int resmgr_open_bind(resmgr_context_t *ctp, void *ocb, const resmgr_io_funcs_t *io_funcs);
/* MsgRead() of the message ctp holds, from offset. */
ssize_t resmgr_msgread(resmgr_context_t *ctp, void *msg, size_t nbytes, size_t offset);

#endif
