/*
 * QNX's dispatch layer (libc/dispatch.c, libc/thread_pool.c): one
 * blocking point for a server. A dispatch_t owns a channel and routes
 * what arrives on it: a message by its first 16-bit type to the handler
 * attached for a range of types (message_attach), a pulse by its code
 * (pulse_attach). dispatch_block() receives into a context's buffer and
 * dispatch_handler() calls the handler; a thread pool runs that loop in
 * as many threads as its water marks ask for.
 */
#ifndef _SYS_DISPATCH_H_INCLUDED
#define _SYS_DISPATCH_H_INCLUDED

#include <pthread.h>
#include <stdint.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>

typedef struct _dispatch dispatch_t;

/*
 * What a context's buffer holds, seen as its first field: a message
 * starts with its 16-bit type, a pulse is a struct _pulse (rcvid 0).
 * The resource-manager layer adds the I/O messages (<sys/iomsg.h>).
 */
typedef union _resmgr_iomsgs {
	uint16_t type;
	struct _pulse pulse;
} resmgr_iomsgs_t;

/*
 * A receive context (QNX: message_context_t and resmgr_context_t are the
 * same structure). The buffer behind msg holds msg_max_size bytes; the
 * rest of a longer message stays with the client for MsgRead().
 */
typedef struct _resmgr_context {
	int rcvid;	       /* the message's rcvid; 0: a pulse */
	struct _msg_info info; /* what MsgReceive() said of it */
	resmgr_iomsgs_t *msg;  /* the receive buffer */
	dispatch_t *dpp;       /* the dispatch this context receives for */
	int id;		       /* the link id (resmgr_attach); -1 here */
	unsigned msg_max_size; /* bytes the buffer holds */
	int status;	       /* for the handler's use */
	int offset;	       /* the offset of this message in the client's */
	int size;	       /* bytes received into the buffer */
	iov_t iov[1];	       /* nparts_max parts for replies (at least 1) */
} resmgr_context_t;
typedef resmgr_context_t message_context_t;

typedef union _dispatch_context {
	resmgr_context_t resmgr_context;
	message_context_t message_context;
} dispatch_context_t;

/* message_attach()'s attributes (NULL: the defaults). */
typedef struct _message_attr {
	unsigned flags;	       /* MSG_FLAG_CROSS_ENDIAN, MSG_FLAG_DEFAULT_FUNC */
	unsigned nparts_max;   /* iov_t parts each context has (at least 1) */
	unsigned msg_max_size; /* receive buffer size (at least the default) */
} message_attr_t;

/* The default receive buffer of a context, in bytes. */
#define _DISPATCH_MSG_MAX_SIZE 1024

/* message_attr_t.flags and pulse_attach()'s flags. */
#define MSG_FLAG_ALLOC_PULSE  0x0001 /* pulse_attach: take any free code */
#define MSG_FLAG_CROSS_ENDIAN 0x0002 /* accept other-endian senders */
#define MSG_FLAG_DEFAULT_FUNC 0x0004 /* handler of types no range holds */

/* dispatch_create_channel() flags. */
#define DISPATCH_FLAG_NOLOCK                                                                       \
	0x0001 /* no lock while routing: no attach                                                 \
		  or detach once contexts receive */

dispatch_t *dispatch_create(void);
dispatch_t *dispatch_create_channel(int chid, unsigned flags);
int dispatch_destroy(dispatch_t *dpp);

int message_attach(dispatch_t *dpp, message_attr_t *attr, int low, int high,
		   int (*func)(message_context_t *ctp, int code, unsigned flags, void *handle),
		   void *handle);
int message_detach(dispatch_t *dpp, int low, int high, int flags);
int pulse_attach(dispatch_t *dpp, int flags, int code,
		 int (*func)(message_context_t *ctp, int code, unsigned flags, void *handle),
		 void *handle);
int pulse_detach(dispatch_t *dpp, int code, int flags);

dispatch_context_t *dispatch_context_alloc(dispatch_t *dpp);
void dispatch_context_free(dispatch_context_t *ctp);
dispatch_context_t *dispatch_block(dispatch_context_t *ctp);
int dispatch_handler(dispatch_context_t *ctp);
/* Wakes one thread blocked in dispatch_block() on ctp's dispatch, or the
 * next to block there (dispatch_handler() swallows what wakes it). */
void dispatch_unblock(dispatch_context_t *ctp);

/*
 * Names (libc/name.c, served by namesrv: <sys/namemsg.h>). name_attach
 * gives dpp's channel (made here if it has none; dpp NULL: a dispatch
 * made here) the name /dev/name/local/NAME and attaches a handler that
 * answers the _IO_CONNECT each name_open sends (unless dpp already
 * routes that type). name_open returns a connection (a coid below
 * _NTO_SIDE_CHANNEL) to the channel that holds the name; name_close
 * closes it, and the server's channel (_NTO_CHF_DISCONNECT) gets a
 * _PULSE_CODE_DISCONNECT once the client has no connection to it left.
 * Only local names: NAME_FLAG_ATTACH_GLOBAL is ENOTSUP. A process proc
 * did not spawn has no namesrv: ENOSYS.
 */
#define NAME_FLAG_DETACH_SAVEDPP 0x0001 /* name_detach keeps the dispatch */
#define NAME_FLAG_ATTACH_GLOBAL	 0x0002 /* a network-wide name: not here */

typedef struct _name_attach {
	dispatch_t *dpp;
	int chid;
	int mntid; /* namesrv's id of the name */
	int zero[2];
} name_attach_t;

name_attach_t *name_attach(dispatch_t *dpp, const char *path, unsigned flags);
int name_detach(name_attach_t *attach, unsigned flags);
int name_open(const char *name, int flags);
int name_close(int coid);

/*
 * Thread pools: threads that each allocate a context, then loop on
 * block_func and handler_func. A program may name its own types before
 * including this header.
 */
#ifndef THREAD_POOL_HANDLE_T
#define THREAD_POOL_HANDLE_T dispatch_t
#endif
#ifndef THREAD_POOL_PARAM_T
#define THREAD_POOL_PARAM_T dispatch_context_t
#endif

typedef struct _thread_pool_attr {
	THREAD_POOL_HANDLE_T *handle; /* context_alloc's argument */
	THREAD_POOL_PARAM_T *(*block_func)(THREAD_POOL_PARAM_T *ctp);
	/* Wakes one thread blocked in block_func (thread_pool_destroy calls
	 * it once per blocked thread). */
	void (*unblock_func)(THREAD_POOL_PARAM_T *ctp);
	int (*handler_func)(THREAD_POOL_PARAM_T *ctp);
	THREAD_POOL_PARAM_T *(*context_alloc)(THREAD_POOL_HANDLE_T *handle);
	void (*context_free)(THREAD_POOL_PARAM_T *ctp);
	pthread_attr_t *attr;	  /* the threads' attributes (NULL: default) */
	unsigned short lo_water;  /* fewest threads blocked */
	unsigned short increment; /* threads made at once below lo_water */
	unsigned short hi_water;  /* most threads blocked */
	unsigned short maximum;	  /* most threads in all */
	unsigned reserved[8];
} thread_pool_attr_t;

typedef struct _thread_pool thread_pool_t;

/* thread_pool_create() flags: what thread_pool_start() does with the
 * calling thread once the pool runs. */
#define POOL_FLAG_EXIT_SELF 0x0001 /* it ends (pthread_exit) */
#define POOL_FLAG_USE_SELF  0x0002 /* it becomes one of the pool's threads */

thread_pool_t *thread_pool_create(thread_pool_attr_t *attr, unsigned flags);
int thread_pool_start(void *pool);
int thread_pool_destroy(thread_pool_t *pool);

#endif
