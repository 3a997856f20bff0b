/*
 * The I/O message range every resource manager serves (DESIGN.md §4:
 * 0x0100-0x01FF), with QNX's type numbers, and the connect message
 * (name_open sends it); the other structures come with the
 * resource-manager layer (<sys/resmgr.h>, <sys/iofunc.h>). Private
 * message types go above _IO_MAX (message_attach()).
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

/* _IO_CONNECT subtypes (QNX's numbers). */
#define _IO_CONNECT_COMBINE	  0
#define _IO_CONNECT_COMBINE_CLOSE 1
#define _IO_CONNECT_OPEN	  2

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

#endif
