/*
 * Message-passing kernel calls: argument checking, then channel.c and
 * msg.c do the work. Part counts: n >= 0 is an iov_t array of n parts,
 * n < 0 one buffer of -n bytes (syscalls.def).
 */
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/ipc.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <sys/ktypes.h>

#define KER_MSG_PULSE_ONLY 1

static struct uio uio_of(uint64_t addr, uint64_t parts)
{
	return (struct uio){current_thread()->proc, (uintptr_t)addr, (long)parts, 0};
}

long sys_ChannelCreate(const uint64_t a[6])
{
	return channel_create(current_thread()->proc, (unsigned)a[0]);
}

long sys_ChannelDestroy(const uint64_t a[6])
{
	return channel_destroy(current_thread()->proc, (int)a[0]);
}

long sys_ConnectAttach(const uint64_t a[6])
{
	if ((uint32_t)a[0] != ND_LOCAL_NODE)
		return -ESRCH; /* no network manager yet: only the local node */
	return connect_attach(current_thread()->proc, (int)a[1], (int)a[2], (unsigned)a[3], (int)a[4]);
}

long sys_ConnectDetach(const uint64_t a[6])
{
	return connect_detach(current_thread()->proc, (int)a[0]);
}

long sys_ConnectClientInfo(const uint64_t a[6])
{
	struct process *client = process_find((int)a[0]); /* scoids are client pids */
	struct _client_info ci = {0};

	if (!client || client->zombie)
		return -ESRCH;
	ci.pid = client->pid;
	if (a[1] && copy_to_user((void *)(uintptr_t)a[1], &ci, sizeof(ci)))
		return -EFAULT;
	return 0;
}

long sys_KerMsgSend(const uint64_t a[6])
{
	struct thread *t = current_thread();
	struct connection *c = connect_lookup(t->proc, (int)a[0]);
	struct uio s = uio_of(a[1], a[2]), r = uio_of(a[3], a[4]);

	if (!c)
		return -EBADF;
	return msg_send(t, c, &s, &r);
}

long sys_KerMsgReceive(const uint64_t a[6])
{
	struct thread *t = current_thread();
	struct channel *ch = channel_lookup(t->proc, (int)a[0]);
	struct uio r = uio_of(a[1], a[2]);

	if (!ch)
		return -ESRCH;
	if (a[4] & ~(uint64_t)KER_MSG_PULSE_ONLY)
		return -EINVAL;
	return msg_receive(t, ch, &r, (uintptr_t)a[3], a[4] & KER_MSG_PULSE_ONLY);
}

long sys_KerMsgReply(const uint64_t a[6])
{
	struct uio r = uio_of(a[2], a[3]);

	return msg_reply(current_thread(), (int)a[0], (long)a[1], &r, false);
}

long sys_MsgError(const uint64_t a[6])
{
	struct uio none = uio_of(0, 0);

	return msg_reply(current_thread(), (int)a[0], (int)a[1], &none, true);
}

long sys_KerMsgRead(const uint64_t a[6])
{
	struct uio d = uio_of(a[1], a[2]);

	return msg_read(current_thread(), (int)a[0], &d, (size_t)a[3]);
}

long sys_KerMsgWrite(const uint64_t a[6])
{
	struct uio s = uio_of(a[1], a[2]);

	return msg_write(current_thread(), (int)a[0], &s, (size_t)a[3]);
}

long sys_MsgInfo(const uint64_t a[6])
{
	return msg_info(current_thread(), (int)a[0], (uintptr_t)a[1]);
}

long sys_KerMsgSendPulse(const uint64_t a[6])
{
	struct thread *t = current_thread();
	struct connection *c = connect_lookup(t->proc, (int)a[0]);
	int prio = (int)a[1], code = (int)a[2];

	if (!c)
		return -EBADF;
	if (code < _PULSE_CODE_MINAVAIL || code > _PULSE_CODE_MAXAVAIL)
		return -EINVAL; /* negative codes are the kernel's */
	if (prio != -1 && (prio < 0 || prio > PRIO_MAX))
		return -EINVAL;
	return msg_send_pulse(t, c, prio, code, (long)a[3]);
}
