/*
 * The I/O message range every resource manager serves (DESIGN.md §4:
 * 0x0100-0x01FF), with QNX's type numbers, the connect message (open,
 * unlink and name_open send it) and the I/O messages libc sends on an
 * fd (read, write, lseek, fstat, close, dup, ftruncate, mmap, a
 * manager's own), QNX's layouts but for _io_mmap. The
 * resource-manager layer (<sys/resmgr.h>, <sys/iofunc.h>) serves them.
 * Private message types go above _IO_MAX (message_attach()).
 */
#ifndef _SYS_IOMSG_H_INCLUDED
#define _SYS_IOMSG_H_INCLUDED

#define _IO_BASE 0x100
/* In QNX's order: each type is the one before it plus one. The ones
 * named _IO_RSVD_* are numbers QNX keeps but no longer sends. */
#define _IO_CONNECT	    0x100
#define _IO_READ	    0x101
#define _IO_WRITE	    0x102
#define _IO_RSVD_CLOSE_OCB  0x103
#define _IO_STAT	    0x104
#define _IO_NOTIFY	    0x105
#define _IO_DEVCTL	    0x106
#define _IO_RSVD_UNBLOCK    0x107
#define _IO_PATHCONF	    0x108
#define _IO_LSEEK	    0x109
#define _IO_CHMOD	    0x10A
#define _IO_CHOWN	    0x10B
#define _IO_UTIME	    0x10C
#define _IO_OPENFD	    0x10D
#define _IO_FDINFO	    0x10E
#define _IO_LOCK	    0x10F
#define _IO_SPACE	    0x110
#define _IO_SHUTDOWN	    0x111
#define _IO_MMAP	    0x112
#define _IO_MSG		    0x113
#define _IO_RSVD	    0x114
#define _IO_DUP		    0x115
#define _IO_CLOSE	    0x116
#define _IO_RSVD_LOCK_OCB   0x117
#define _IO_RSVD_UNLOCK_OCB 0x118
#define _IO_SYNC	    0x119
#define _IO_POWER	    0x11A
#define _IO_MAX		    0x1FF

#include <stdint.h>
#include <sys/ktypes.h>
#include <sys/stat.h>

/* _IO_CONNECT subtypes (QNX's numbers). */
#define _IO_CONNECT_COMBINE	  0
#define _IO_CONNECT_COMBINE_CLOSE 1
#define _IO_CONNECT_OPEN	  2
#define _IO_CONNECT_UNLINK	  3

/* _io_connect.ioflag: the open flags, but the access mode plus one, so
 * that each bit says one access (QNX). */
#define _IO_FLAG_RD 0x01
#define _IO_FLAG_WR 0x02

/* The connect message, QNX's layout: path_len bytes of path (with its
 * 0) follow the header. */
struct _io_connect {
	uint16_t type;	  /* _IO_CONNECT */
	uint16_t subtype; /* _IO_CONNECT_* */
	uint32_t file_type;
	uint16_t reply_max;
	uint16_t entry_max;
	uint32_t key;
	uint32_t handle;
	uint32_t ioflag;
	uint32_t mode;
	uint16_t sflag;
	uint16_t access;
	uint16_t zero;
	uint16_t path_len;
	uint8_t eflag;
	uint8_t extra_type;
	uint16_t extra_len;
	char path[1];
};

/* read: nbytes at most; reply status the bytes read, the data after. */
struct _io_read {
	uint16_t type; /* _IO_READ */
	uint16_t combine_len;
	int32_t nbytes;
	uint32_t xtype; /* _IO_XTYPE_NONE */
	uint32_t zero;
};

/* write: nbytes of data follow the header; reply status the bytes
 * written. */
struct _io_write {
	uint16_t type; /* _IO_WRITE */
	uint16_t combine_len;
	int32_t nbytes;
	uint32_t xtype; /* _IO_XTYPE_NONE */
	uint32_t zero;
};

#define _IO_XTYPE_NONE 0x00
#define _IO_XTYPE_MASK 0xff

/* lseek: reply data the new offset. */
struct _io_lseek {
	uint16_t type; /* _IO_LSEEK */
	uint16_t combine_len;
	int16_t whence; /* SEEK_SET, SEEK_CUR, SEEK_END */
	uint16_t zero;
	uint64_t offset;
};

/* stat: reply data a struct stat. */
struct _io_stat {
	uint16_t type; /* _IO_STAT */
	uint16_t combine_len;
	uint32_t zero;
};

/* close: the client's fd goes (its connection follows). */
struct _io_close {
	uint16_t type; /* _IO_CLOSE */
	uint16_t combine_len;
};

/*
 * dup: QNX's layout; the resource-manager layer serves it itself (the
 * OCB is shared, counted by the connections bound to it). Sent on a
 * connection of the sender's:
 *   - info.pid the sender: a dup within the process (dup, dup2,
 *     F_DUPFD): this new connection shares the OCB of the sender's
 *     connection info.coid (EBADF: none).
 *   - flags _IO_DUP_FLAG_GRANT: a spawn's parent lets its child, pid
 *     info.pid, take this connection's OCB on the child's connection
 *     info.coid, once. The grant holds the OCB until it is taken or
 *     the child's last connection to the server goes.
 *   - info.pid another process: the child takes what that parent
 *     granted it for this connection from its connection info.coid;
 *     EPERM when no such grant is there (a forged (pid, coid)).
 */
#define _IO_DUP_FLAG_GRANT 0x1

struct _io_dup {
	uint16_t type; /* _IO_DUP */
	uint16_t combine_len;
	struct _msg_info info; /* pid and coid: whose OCB, as above */
	uint32_t flags;	       /* QNX's reserved word: _IO_DUP_FLAG_* */
	uint32_t key;
};

/* space: resize or allocate (QNX's layout; subtype F_ALLOCSP, F_FREESP
 * of <fcntl.h>). ftruncate(fd, n) sends F_FREESP with whence SEEK_SET,
 * start n and len 0: the size becomes n, larger or smaller (SysV's
 * F_FREESP). Reply status: the new size. */
struct _io_space {
	uint16_t type; /* _IO_SPACE */
	uint16_t combine_len;
	uint16_t subtype;
	int16_t whence;
	uint64_t start;
	uint64_t len;
};

/* mmap of an fd: libc sends it on the fd and the resource manager maps
 * [offset, offset+len) of what the fd names into the sender (Muon's
 * layout: in QNX proc sends it and maps; here the server maps, with
 * the kernel's KerMemObjMap). prot PROT_*, flags MAP_SHARED (|
 * MAP_FIXED, with addr). Reply data: the address (uint64_t). */
struct _io_mmap {
	uint16_t type; /* _IO_MMAP */
	uint16_t combine_len;
	uint32_t prot;
	uint64_t offset;
	uint64_t len;
	uint64_t addr;
	uint32_t flags;
	uint32_t zero;
};

/* A manager's own request on an fd (QNX's layout): mgrid says whose
 * (_IOMGR_*), subtype which; its data follows the header. */
struct _io_msg {
	uint16_t type; /* _IO_MSG */
	uint16_t combine_len;
	uint16_t mgrid;
	uint16_t subtype;
};
#define _IOMGR_SHMEM 0x05 /* shmmgr's (<sys/shmmsg.h>) */

/* What a handler gets: the message (i); lseek and stat build their
 * reply (o) in the same place. */
typedef union {
	struct _io_connect i;
} io_open_t;
typedef union {
	struct _io_read i;
} io_read_t;
typedef union {
	struct _io_write i;
} io_write_t;
typedef union {
	struct _io_lseek i;
	uint64_t o;
} io_lseek_t;
typedef union {
	struct _io_stat i;
	struct stat o;
} io_stat_t;
typedef union {
	struct _io_close i;
} io_close_t;
typedef union {
	struct _io_connect i;
} io_unlink_t;
typedef union {
	struct _io_space i;
	uint64_t o;
} io_space_t;
typedef union {
	struct _io_mmap i;
	uint64_t o;
} io_mmap_t;
typedef union {
	struct _io_msg i;
} io_msg_t;

/* devctl: nbytes of data follow the header when dcmd's direction has
 * DEVDIR_TO; the reply is a _io_devctl_reply and (DEVDIR_FROM) the data,
 * at the same offset. */
struct _io_devctl {
	uint16_t type; /* _IO_DEVCTL */
	uint16_t combine_len;
	int32_t dcmd;
	uint32_t nbytes;
	int32_t zero;
};

struct _io_devctl_reply {
	uint32_t zero;
	int32_t ret_val; /* devctl()'s *info */
	uint32_t nbytes;
	int32_t zero2;
};

typedef union {
	struct _io_devctl i;
	struct _io_devctl_reply o;
} io_devctl_t;

/* The data after a devctl message's header. */
#define _DEVCTL_DATA(msg) ((void *)(&(msg) + 1))

#endif
