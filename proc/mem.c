/*
 * proc's memory requests (<sys/procmsg.h>): mmap, munmap and mprotect of
 * anonymous private memory for the process that asks, applied with the
 * kernel's memory calls (KerMemMap, KerMemUnmap, KerMemProtect). proc
 * holds the policy: what may be asked (POSIX's rules), never write and
 * execute together.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>

#include "proc.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

static int check_prot(int prot)
{
	if (prot & ~PROT_ALL)
		return -EINVAL;
	if ((prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
		return -ENOTSUP;
	return 0;
}

int mem_map(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	const struct _mem_request *r = &m->mem;
	int err;

	if ((err = check_prot(r->prot)))
		return err;
	/* Private anonymous memory only (no fds yet: that comes with the
	 * name server); MAP_ANON is implied. */
	if ((r->flags & ~(MAP_PRIVATE | MAP_ANON | MAP_FIXED)) || !(r->flags & MAP_PRIVATE) ||
	    r->fd != -1 || r->offset || !r->len)
		return -EINVAL;
	long va = KerMemMap_r(info->pid, r->addr, r->len, r->prot, r->flags & MAP_FIXED);
	if (va < 0)
		return (int)va;
	uint64_t addr = (uint64_t)va;
	MsgReply(rcvid, 0, &addr, sizeof(addr));
	return PROC_REPLIED;
}

int mem_unmap(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	(void)rcvid;
	return KerMemUnmap_r(info->pid, m->mem.addr, m->mem.len);
}

int mem_protect(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	int err = check_prot(m->mem.prot);

	(void)rcvid;
	return err ? err : KerMemProtect_r(info->pid, m->mem.addr, m->mem.len, m->mem.prot);
}
