/*
 * Channels and connections: creation, the per-process id tables (O(1)
 * lookup: chid and coid index arrays), ConnectDetach, ChannelDestroy, and
 * the IPC side of a process's end. Entry points in ipc.h.
 *
 * scoids (QNX's server connection ids): a connection's scoid names its
 * client process to the server. All of a client's connections to one
 * server carry the same scoid while it has any; when its last one goes,
 * the scoid goes with it, unless a DISCONNECT pulse told the server of it
 * (the client's last connection to a _NTO_CHF_DISCONNECT channel went):
 * then it stays until the server ConnectDetach()es it, and a client that
 * connects again meanwhile gets a new one (QNX ChannelCreate: "Failure to
 * do so leaves an invalid server connection ID that can't be reused";
 * without the flag "the kernel removes the server connection ID
 * automatically").
 */
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <kernel/wait.h>
#include <sys/ktypes.h>

#define KNOWN_FLAGS                                                                                \
	(_NTO_CHF_FIXED_PRIORITY | _NTO_CHF_UNBLOCK | _NTO_CHF_THREAD_DEATH | _NTO_CHF_DISCONNECT |   \
	 _NTO_CHF_SENDER_LEN | _NTO_CHF_COID_DISCONNECT | _NTO_CHF_REPLY_LEN | _NTO_CHF_PRIVATE)
#define TABLE_ORDER 1	   /* struct ipc_tables fits in two pages */
#define SCOID_ORDER 2	   /* struct scoids fits in four */
#define SCOID_TOLD  0x8000 /* in a slot: a DISCONNECT pulse named it */

/* A server's scoids, SCOID_BASE + slot index (scoids_done says how long
 * the table stays). */
struct scoids {
	uint16_t slot[SCOIDS_MAX];  /* the client's pid (| SCOID_TOLD); 0: free */
	uint16_t links[SCOIDS_MAX]; /* the client's connections carrying it */
	uint16_t live[PID_MAX];	    /* pid's scoid while it is connected: index + 1 */
};

static SLAB_CACHE(channel_cache, struct channel);
static SLAB_CACHE(connection_cache, struct connection);

_Static_assert(sizeof(struct scoids) <= (PAGE_SIZE << SCOID_ORDER), "scoid table");
_Static_assert(sizeof(struct ipc_tables) <= (PAGE_SIZE << TABLE_ORDER), "ipc tables");
_Static_assert(PID_MAX <= SCOID_TOLD, "a slot holds a pid and SCOID_TOLD");

const struct ipc_tables ipc_none;

static struct ipc_tables *tables(struct process *p)
{
	if (p->ipc == IPC_NONE) {
		if (process_charge(p, 1u << TABLE_ORDER))
			return NULL;
		uint64_t pa = pmm_alloc(TABLE_ORDER);
		if (!pa) {
			process_uncharge(p, 1u << TABLE_ORDER);
			return NULL;
		}
		process_set_ipc(p, phys_to_virt(pa));
		memset(p->ipc, 0, PAGE_SIZE << TABLE_ORDER);
	}
	return p->ipc;
}

/* The scoid for a new connection of client to server (which has its
 * tables): the one client's connections carry, else a new one, looked
 * for from where the last was taken so that a scoid just let go is not
 * the next one given. -EAGAIN when none is free. */
static int scoid_link(struct process *server, struct process *client)
{
	struct ipc_tables *tb = server->ipc;
	struct scoids *s = tb->scoids;
	unsigned pid = (unsigned)client->pid;

	if (!s) {
		uint64_t pa;
		if (process_charge(server, 1u << SCOID_ORDER))
			return -EAGAIN;
		if (!(pa = pmm_alloc(SCOID_ORDER))) {
			process_uncharge(server, 1u << SCOID_ORDER);
			return -EAGAIN;
		}
		s = tb->scoids = phys_to_virt(pa);
		memset(s, 0, sizeof(*s));
	}
	unsigned i = s->live[pid];
	if (i) {
		s->links[i - 1]++;
		return SCOID_BASE + (int)i - 1;
	}
	for (unsigned n = 0; n < SCOIDS_MAX; n++) {
		i = (tb->scoid_next + n) % SCOIDS_MAX;
		if (s->slot[i])
			continue;
		s->slot[i] = (uint16_t)pid;
		s->links[i] = 1;
		s->live[pid] = (uint16_t)(i + 1);
		tb->scoids_held++;
		tb->scoid_next = i + 1;
		return SCOID_BASE + (int)i;
	}
	return -EAGAIN;
}

static void scoids_free(struct process *server)
{
	pmm_free(virt_to_phys(server->ipc->scoids), SCOID_ORDER);
	process_uncharge(server, 1u << SCOID_ORDER);
	server->ipc->scoids = NULL;
}

/* The table goes when the server serves no more: no scoid, no channel
 * (not with every last client, which would make and free it over and
 * over for a server with one client at a time). */
static void scoids_done(struct process *server)
{
	struct ipc_tables *tb = server->ipc;

	if (tb->scoids && !tb->scoids_held && !tb->channels)
		scoids_free(server);
}

static void scoid_free(struct process *server, unsigned i)
{
	server->ipc->scoids->slot[i] = 0;
	server->ipc->scoids_held--;
	scoids_done(server);
}

/* One of the connections carrying scoid is gone (told: a DISCONNECT
 * pulse named it); the last one ends the scoid's client's tenure, and
 * frees it unless the server was told of it. */
static void scoid_unlink(struct process *server, int scoid, bool told)
{
	struct scoids *s = server->ipc->scoids;
	unsigned i = (unsigned)scoid - SCOID_BASE;

	if (told)
		s->slot[i] |= SCOID_TOLD;
	if (--s->links[i])
		return;
	s->live[s->slot[i] & ~SCOID_TOLD] = 0;
	if (!(s->slot[i] & SCOID_TOLD))
		scoid_free(server, i);
}

/* The server lets scoid go (ConnectDetach): at once when its client has
 * no connection left, else when the last goes. false: no such scoid. */
static bool scoid_detach(struct process *server, int scoid)
{
	if (!ipc_scoid_pid(server, scoid))
		return false;
	struct scoids *s = server->ipc->scoids;
	unsigned i = (unsigned)scoid - SCOID_BASE;

	s->slot[i] &= (uint16_t)~SCOID_TOLD;
	if (!s->links[i])
		scoid_free(server, i);
	return true;
}

int ipc_scoid_pid(const struct process *server, int scoid)
{
	const struct scoids *s = server->ipc->scoids;
	unsigned i = (unsigned)scoid - SCOID_BASE;

	return s && i < SCOIDS_MAX ? s->slot[i] & ~SCOID_TOLD : 0;
}

bool ipc_knows_client(const struct process *server, int pid)
{
	const struct scoids *s = server->ipc->scoids;

	if (!s || pid <= 0 || pid >= PID_MAX)
		return false;
	if (s->live[pid])
		return true;
	for (unsigned i = 0; i < SCOIDS_MAX; i++) /* rare: a client gone, not let go */
		if (s->slot[i] == (pid | SCOID_TOLD))
			return true;
	return false;
}

int channel_create(struct process *p, unsigned flags)
{
	struct ipc_tables *tb;
	struct channel *ch;

	if (flags & ~KNOWN_FLAGS)
		return -EINVAL;
	/* Other processes may connect only to a public channel. */
	if (!(flags & _NTO_CHF_PRIVATE) && !process_may(p, PROCMGR_AID_PUBLIC_CHANNEL))
		return -EPERM;
	if (!(tb = tables(p)))
		return -EAGAIN;
	/* One channel a process for each kind of death notice. */
	if (((flags & _NTO_CHF_THREAD_DEATH) && tb->thread_death) ||
	    ((flags & _NTO_CHF_COID_DISCONNECT) && tb->coid_death))
		return -EBUSY;
	int chid = 1;
	while (chid < CHANNELS_MAX && tb->chan[chid])
		chid++;
	if (chid == CHANNELS_MAX || !(ch = slab_alloc(&channel_cache)))
		return -EAGAIN;
	ch->chid = chid;
	ch->flags = flags;
	ch->owner = p;
	list_init(&ch->send_queue);
	list_init(&ch->receivers);
	list_init(&ch->conns);
	tb->chan[chid] = ch;
	tb->channels++;
	if (flags & _NTO_CHF_THREAD_DEATH)
		tb->thread_death = ch;
	if (flags & _NTO_CHF_COID_DISCONNECT)
		tb->coid_death = ch;
	return chid;
}

static void channel_put(struct channel *ch)
{
	if (ch->dead && !ch->connections)
		slab_free(&channel_cache, ch);
}

int channel_destroy(struct process *p, int chid)
{
	struct channel *ch = channel_lookup(p, chid);

	if (!ch)
		return -EINVAL;
	p->ipc->chan[chid] = NULL;
	if (p->ipc->thread_death == ch)
		p->ipc->thread_death = NULL;
	if (p->ipc->coid_death == ch)
		p->ipc->coid_death = NULL;
	ch->dead = true;
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->ipc.served == ch)
			t->ipc.served = NULL;
	}
	msg_channel_gone(ch, ESRCH);
	/* Clients that asked to hear of it get COIDDEATH (value: their coid;
	 * scoid 0, like THREADDEATH's: no connection of theirs is named);
	 * their connections to it no longer carry a scoid of ours. */
	list_for_each(it, &ch->conns)
	{
		struct connection *c = list_entry(it, struct connection, chan_link);
		struct channel *cd = c->owner->ipc->coid_death;
		scoid_unlink(p, c->scoid, false);
		if (cd && cd != ch)
			msg_kernel_pulse(cd, -1, _PULSE_CODE_COIDDEATH, c->coid, 0);
	}
	p->ipc->channels--;
	scoids_done(p);
	channel_put(ch);
	return 0;
}

int connect_server_info(struct process *p, int coid, struct _server_info *si)
{
	struct connection *c = NULL;

	if (coid < 0)
		coid = 0;
	if (coid < CONNECTIONS_MAX)
		for (int i = coid; i < CONNECTIONS_MAX && !c; i++)
			c = p->ipc->conn[i];
	if (coid < COID_SIDE + SIDE_CONNECTIONS_MAX)
		for (int i = coid > COID_SIDE ? coid - COID_SIDE : 0;
		     i < SIDE_CONNECTIONS_MAX && !c; i++)
			c = p->ipc->side[i];
	if (!c)
		return -EINVAL;
	/* A dead channel's owner may be gone: nothing to say of it. */
	bool live = !c->chan->dead;
	si->pid = live ? c->chan->owner->pid : 0;
	si->chid = live ? c->chan->chid : -1;
	si->scoid = c->scoid;
	si->coid = c->coid;
	si->flags = (int16_t)c->flags;
	return c->coid;
}

int connect_flags(struct process *p, int coid, unsigned mask, unsigned bits)
{
	struct connection *c = connect_lookup(p, coid);

	if (!c)
		return -EBADF;
	unsigned old = c->flags;
	c->flags = (old & ~mask) | (bits & mask);
	return (int)old;
}

int connect_attach(struct process *p, int pid, int chid, unsigned index, int flags)
{
	struct process *server = pid == 0 ? p : process_find(pid);
	struct ipc_tables *tb;
	struct connection *c;
	struct channel *ch;

	if (flags & ~(_NTO_COF_CLOEXEC | _NTO_COF_NOEVENT | _NTO_COF_REG_EVENTS))
		return -EINVAL;
	/* index: with _NTO_SIDE_CHANNEL the lowest free side coid (other
	 * bits ignored); else the lowest free fd-range coid >= index. */
	bool side = index & _NTO_SIDE_CHANNEL;
	if (!side && index >= CONNECTIONS_MAX)
		return -EINVAL;
	if (!server || server->zombie)
		return -ESRCH;
	if (server->exiting)
		return -ENXIO;
	if (!(ch = channel_lookup(server, chid)))
		return -ESRCH;
	if ((ch->flags & _NTO_CHF_PRIVATE) && server != p)
		return -ESRCH; /* private channels take no connections from outside */
	if (!(tb = tables(p)))
		return -EAGAIN;
	struct connection **arr = side ? tb->side : tb->conn;
	int max = side ? SIDE_CONNECTIONS_MAX : CONNECTIONS_MAX, i = side ? 0 : (int)index;
	while (i < max && arr[i])
		i++;
	if (i == max)
		return -EMFILE;
	if (!(c = slab_alloc(&connection_cache)))
		return -EAGAIN;
	int scoid = scoid_link(server, p);
	if (scoid < 0) {
		slab_free(&connection_cache, c);
		return scoid;
	}
	c->coid = side ? COID_SIDE + i : i;
	c->owner = p;
	c->chan = ch;
	c->scoid = scoid;
	c->flags = (unsigned)flags;
	ch->connections++;
	list_add_tail(&ch->conns, &c->chan_link);
	arr[i] = c;
	return c->coid;
}

/* Does p still have a connection to ch? */
static bool still_connected(struct process *p, struct channel *ch)
{
	for (int i = 0; i < CONNECTIONS_MAX; i++)
		if ((p->ipc->conn[i] && p->ipc->conn[i]->chan == ch) ||
		    (i < SIDE_CONNECTIONS_MAX && p->ipc->side[i] && p->ipc->side[i]->chan == ch))
			return true;
	return false;
}

static void release_connection(struct process *p, struct connection *c)
{
	struct channel *ch = c->chan;

	*connect_slot(p, c->coid) = NULL;
	/* Threads of ours blocked through it give up with EBADF. */
	msg_connection_gone(c);
	list_remove(&c->chan_link);
	ch->connections--;
	if (!ch->dead) { /* (a dead one let go of its scoids) */
		/* (a pulse dropped tells nobody: the scoid goes) */
		bool told = (ch->flags & _NTO_CHF_DISCONNECT) && !still_connected(p, ch) &&
			    msg_kernel_pulse(ch, -1, _PULSE_CODE_DISCONNECT, 0, c->scoid);
		scoid_unlink(ch->owner, c->scoid, told);
	}
	channel_put(ch);
	slab_free(&connection_cache, c);
}

unsigned ipc_connection_flags(struct process *client, struct process *server)
{
	unsigned flags = 0;

	for (int i = 0; i < CONNECTIONS_MAX; i++) {
		struct connection *c = client->ipc->conn[i];
		if (c && c->chan->owner == server)
			flags |= c->flags;
		c = i < SIDE_CONNECTIONS_MAX ? client->ipc->side[i] : NULL;
		if (c && c->chan->owner == server)
			flags |= c->flags;
	}
	return flags;
}

int connect_detach(struct process *p, int coid)
{
	struct connection *c = connect_lookup(p, coid);

	if (!c) /* or a server lets a client go */
		return scoid_detach(p, coid) ? 0 : -EINVAL;
	/* Our threads SEND- or REPLY-blocked through it give up with EBADF. */
	list_for_each(it, &p->threads)
	{
		struct thread *t = list_entry(it, struct thread, proc_link);
		if (t->ipc.conn == c && (t->state == STATE_SEND || t->state == STATE_REPLY))
			thread_object_gone(t, EBADF);
	}
	release_connection(p, c);
	return 0;
}

void ipc_process_exit(struct process *p)
{
	if (p->ipc == IPC_NONE)
		return;
	for (int i = 0; i < CONNECTIONS_MAX; i++)
		if (p->ipc->conn[i])
			release_connection(p, p->ipc->conn[i]);
	for (int i = 0; i < SIDE_CONNECTIONS_MAX; i++)
		if (p->ipc->side[i])
			release_connection(p, p->ipc->side[i]);
	for (int chid = 1; chid < CHANNELS_MAX; chid++)
		if (p->ipc->chan[chid])
			channel_destroy(p, chid);
	if (p->ipc->scoids) /* those a DISCONNECT pulse named */
		scoids_free(p);
	pmm_free(virt_to_phys(p->ipc), TABLE_ORDER);
	process_uncharge(p, 1u << TABLE_ORDER);
	process_set_ipc(p, IPC_NONE);
}

void ipc_thread_death(struct process *p, int tid)
{
	if (p->ipc->thread_death)
		msg_kernel_pulse(p->ipc->thread_death, -1, _PULSE_CODE_THREADDEATH, tid, 0);
}

uint64_t channel_count(void)
{
	return channel_cache.in_use;
}

uint64_t connection_count(void)
{
	return connection_cache.in_use;
}
