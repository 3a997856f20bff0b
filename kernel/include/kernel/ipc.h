/*
 * Native message passing: channels, connections and the message path
 * (QNX Neutrino semantics). Objects:
 *   struct channel     a process's receive point (chid), with the queue of
 *                      SEND-blocked threads and pulses (priority, then
 *                      arrival) and the RECEIVE-blocked threads (arrival)
 *   struct connection  a process's coid naming a channel (possibly its own)
 *   struct pulse       a queued pulse
 * Files: channel.c (channels, connections, ids, teardown), msg.c (send,
 * receive, reply, read, write, pulses, the copy between address spaces),
 * fastpath.c (the fast path: the common cases first), msgpath.h (the
 * steps both take), sys_msg.c (kernel calls).
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <kernel/list.h>
#include <sys/ktypes.h>

struct process;
struct scoids;
struct thread;

#define CHANNELS_MAX	     256 /* chids 1..255 per process */
#define CONNECTIONS_MAX	     256 /* fd-range coids 0..255 per process */
#define SIDE_CONNECTIONS_MAX 256 /* side-channel coids 0x40000000.. */
#define COID_SIDE	     _NTO_SIDE_CHANNEL
/* scoids: this plus an index into the server's scoid table (channel.c),
 * apart from every coid. */
#define SCOID_BASE 0x40010000
#define SCOIDS_MAX 2048 /* a server's at once */
/* Messages and replies this short travel through the waiting thread's own
 * buffer (struct ipc_wait): copied in from the address space that is
 * current and out in the one that is current then, with no page-table
 * walk. Longer ones are copied once, straight between the two spaces. */
#define IPC_SHORT 256
/* Pulses a channel holds queued: from one connection, and in all (user
 * pulses); the kernel's own (DISCONNECT, COIDDEATH, THREADDEATH) have an
 * allowance of their own, so a flood of user pulses never crowds them
 * out. MsgSendPulse past a limit is EAGAIN; a kernel pulse past its
 * allowance is dropped (counted in KerInfo). */
#define PULSES_PER_CONNECTION 256
#define PULSES_PER_CHANNEL    1024
#define KERNEL_PULSES_PER_CHANNEL 1024

/* What the send queue holds, threads and pulses alike: ordered by
 * priority, then arrival. */
struct qitem {
	struct list link;
	uint8_t priority;
	bool pulse;
};

struct pulse {
	struct qitem q;
	int8_t code;
	bool embedded;		 /* owned by a thread (its UNBLOCK pulse), a
				    timer or an interrupt: never freed */
	long value;
	int scoid;
	struct connection *conn; /* the sender's, for its count; NULL: the kernel */
	struct channel *chan;	 /* the channel it is queued on */
	uint32_t count;		 /* times it is to be received (an embedded
				    pulse delivered again while queued
				    coalesces); 0: not queued */
};

struct channel {
	struct list receivers; /* RECEIVE-blocked threads, in arrival order
				  (first: the fast path tests and links
				  them with no offset) */
	int chid;
	unsigned flags; /* _NTO_CHF_* */
	struct process *owner;
	struct list send_queue; /* SEND-blocked threads and pulses, by priority */
	unsigned connections;	/* connections naming it */
	unsigned user_pulses;	/* user pulses queued */
	unsigned kernel_pulses; /* kernel pulses queued */
	struct list conns;	/* those connections, by chan_link */
	bool dead;		/* destroyed; freed when the last connection goes */
};

struct connection {
	int coid;
	struct process *owner; /* the client */
	struct channel *chan;  /* never NULL: a channel destroyed stays, dead,
				  while connections to it remain (channel_put) */
	int scoid;	       /* the server's id for this client process */
	struct list chan_link; /* in chan->conns */
	unsigned pulses;       /* pulses sent through it, still queued */
	unsigned flags;        /* _NTO_COF_* it was made with */
};

/* A message stream in some process: an iov_t array of parts (> 0), or
 * one buffer of len bytes (parts UIO_ONE: 0, the fast path's store of
 * it a zero register's), or a part count that is none (< 0: EINVAL).
 * proc NULL: a buffer in the kernel. */
struct uio {
	struct process *proc;
	uintptr_t addr;
	long parts;
	size_t len; /* total bytes */
};
#define UIO_ONE 0L

/* A byte count of the one-buffer calls that the kernel's signed lengths
 * cannot carry (past LONG_MAX: EOVERFLOW). Of two, in one test:
 * uio_too_big(a | b). */
static inline bool uio_too_big(uint64_t len)
{
	return (int64_t)len < 0;
}

/* One buffer of len bytes at addr in p. */
static inline struct uio uio_one(struct process *p, uintptr_t addr, size_t len)
{
	return (struct uio){p, addr, UIO_ONE, len};
}

/* What a thread blocked in IPC keeps (struct thread has one). */
struct ipc_wait {
	struct _pulse pulse;	 /* RECEIVE: a pulse handed over (the wait
				    ends with 0: msgpath.h's pulse_to); near
				    the thread's start, where paired stores
				    reach it */
	struct channel *chan;	 /* SEND/REPLY: the server's; RECEIVE: ours */
	struct channel *served;	 /* the channel it last received on (boosting) */
	struct connection *conn; /* SEND/REPLY: the one used */
	unsigned server;	 /* REPLY: the thread that received us (its id),
				    running at our priority */
	int unblock_err;	 /* REPLY on an _NTO_CHF_UNBLOCK channel: the
				    error of our unblock request (ETIMEDOUT,
				    EINTR), its pulse sent; 0 none */
	struct pulse unblock;	 /* that pulse, ours so a timeout in the
				    timer interrupt never allocates */
	struct uio smsg, rmsg;	 /* SEND/REPLY: message and reply room;
				    RECEIVE: rmsg is the receive buffer */
	uintptr_t uinfo;	 /* RECEIVE: where struct _msg_info goes */
	bool pulse_only;	 /* RECEIVE: MsgReceivePulse (false in any
				    other wait: msg.c's receive_block) */
	long msglen;		 /* REPLY: bytes the receiver got */
	struct thread *sender;	 /* RECEIVE: a client handed over by a direct
				    switch, its message still to be copied in */
	size_t reply_len;	 /* REPLY: the bytes of a reply staged in buf
				    (0: none, or one copied straight) */
	uint8_t buf[IPC_SHORT]; /* a message of up to IPC_SHORT bytes, then a
				   short reply */
};

/* Per-process tables (struct process has one). */
struct ipc_tables {
	struct channel *chan[CHANNELS_MAX];
	struct connection *conn[CONNECTIONS_MAX];
	struct connection *side[SIDE_CONNECTIONS_MAX];
	/* Server side: the scoids of its clients (channel.c; there while it
	 * has a channel or holds a scoid), how many, where the next is looked
	 * for, and how many channels it has. */
	struct scoids *scoids;
	unsigned scoids_held, scoid_next, channels;
	struct channel *thread_death; /* the _NTO_CHF_THREAD_DEATH channel */
	struct channel *coid_death;   /* the _NTO_CHF_COID_DISCONNECT channel */
};
/* A process's tables until it has a channel or connection (all empty,
 * never written: channel.c allocates its own first), so that a lookup
 * needs no test for none. */
extern const struct ipc_tables ipc_none;
#define IPC_NONE ((struct ipc_tables *)&ipc_none)

/* channel.c */
int channel_create(struct process *p, unsigned flags);
int channel_destroy(struct process *p, int chid);
int connect_attach(struct process *p, int pid, int chid, unsigned index, int flags);
int connect_detach(struct process *p, int coid);
/* p's connection coid, or the next higher one, described in *si: its
 * coid, or -EINVAL when there is none. */
int connect_server_info(struct process *p, int coid, struct _server_info *si);
/* Connection coid's flags in mask become bits': the old flags or -EBADF. */
int connect_flags(struct process *p, int coid, unsigned mask, unsigned bits);
/* A process ends: its channels and connections go, blocked peers are
 * readied with the QNX errors. */
void ipc_process_exit(struct process *p);

/* msg.c */
long msg_send(struct thread *t, struct connection *c, const struct uio *s, const struct uio *r);
long msg_receive(struct thread *t, struct channel *ch, const struct uio *r, uintptr_t uinfo,
		 bool pulse_only);
int msg_reply(struct thread *t, int rcvid, long status, const struct uio *r, bool error);
long msg_read(struct thread *t, int rcvid, const struct uio *dst, size_t offset);
long msg_write(struct thread *t, int rcvid, const struct uio *src, size_t offset);
int msg_info(struct thread *t, int rcvid, uintptr_t uinfo);
int msg_send_pulse(struct thread *t, struct connection *c, int prio, int code, long value);
/* Queue (or hand to a waiting receiver) a kernel pulse on ch (priority
 * -1: the default); dropped past the channel's allowance (false). */
bool msg_kernel_pulse(struct channel *ch, int prio, int code, long value, int scoid);
/* An event's pulse through connection c (of the process the event is
 * for): handed to a waiting receiver or queued. pre: a pulse the event's
 * source owns (a timer, an interrupt), which coalesces while queued;
 * NULL: a new one, within c's limits. 0, -EBADF (channel gone), -EAGAIN. */
int msg_event_pulse(struct connection *c, int prio, int code, long value, struct pulse *pre);
/* An owned pulse's owner goes: off its queue if it is on one. */
void msg_pulse_withdraw(struct pulse *p);
/* Connection c goes: pulses it queued on its channel stop counting it. */
void msg_connection_gone(struct connection *c);
/* Kernel calls the fast path took, since boot (KerInfo). */
uint64_t ipc_fast_count(void);
/* Pulses dropped at the kernel's allowance, since boot (KerInfo). */
uint64_t msg_pulses_dropped(void);
/* Objects that exist now, for the counts tests check (KerInfo). */
uint64_t msg_pulse_count(void);
uint64_t channel_count(void);
uint64_t connection_count(void);
/* A thread of p ended while p goes on: THREADDEATH pulse, if asked for. */
void ipc_thread_death(struct process *p, int tid);
/* The _NTO_COF_* flags of client's connections to server's channels,
 * together (what events server may deliver to client). */
unsigned ipc_connection_flags(struct process *client, struct process *server);
/* The thread a rcvid names, whatever it is doing now, or NULL when it
 * is gone (MsgDeliverEvent: a rcvid outlives its reply). */
struct thread *msg_rcvid_thread(int rcvid);
/* The pid of the client process scoid names for server, 0 when server
 * holds no such scoid (ConnectClientInfo). */
int ipc_scoid_pid(const struct process *server, int scoid);
/* Does server hold a scoid of process pid (MsgDeliverEvent's rcvids)? */
bool ipc_knows_client(const struct process *server, int pid);
/* Ready everything blocked on ch with err (channel destroyed). */
void msg_channel_gone(struct channel *ch, int err);

#endif
