/*
 * proc's ability requests (_PROC_ABILITY, libc's procmgr_ability()): a
 * process drops abilities, locks them, and says which its children
 * inherit. The kernel keeps the set each process holds (ProcAbilities);
 * proc keeps what only it needs, the locks and the not-inherited ones.
 */
#include <errno.h>
#include <sys/procmgr.h>

#include "proc.h"

#define OPS                                                                                        \
	(PROCMGR_AOP_DENY | PROCMGR_AOP_ALLOW | PROCMGR_AOP_LOCK | PROCMGR_AOP_INHERIT_YES |       \
	 PROCMGR_AOP_INHERIT_NO)
#define DOMAINS (PROCMGR_ADN_ROOT | PROCMGR_ADN_NONROOT)

/* Per pid: abilities no request may change any more, and those its
 * children do not inherit. */
static struct {
	uint64_t locked, noinherit;
} state[PROC_PIDS];

void ability_reset(int pid)
{
	state[pid].locked = state[pid].noinherit = 0;
}

uint64_t ability_inherited(int pid, uint64_t mine)
{
	return mine & ~state[pid].noinherit & ~_NTO_ABILITY_PROCMGR;
}

/* Apply entry e's operations to the abilities in bits: 0 or -errno. */
static int apply(unsigned e, uint64_t bits, uint64_t *have, uint64_t *locked, uint64_t *noinherit)
{
	if (!(e & DOMAINS))
		return 0; /* names no domain: changes nothing */
	if ((e & PROCMGR_AOP_DENY) && (e & PROCMGR_AOP_ALLOW))
		return -EINVAL;
	if ((e & PROCMGR_AOP_INHERIT_YES) && (e & PROCMGR_AOP_INHERIT_NO))
		return -EINVAL;
	if ((e & PROCMGR_AOP_ALLOW) && (bits & ~*have))
		return -EPERM; /* abilities are dropped, never gained */
	if (e & PROCMGR_AOP_DENY)
		*have &= ~bits;
	if (e & PROCMGR_AOP_INHERIT_NO)
		*noinherit |= bits;
	if (e & PROCMGR_AOP_INHERIT_YES)
		*noinherit &= ~bits;
	if (e & PROCMGR_AOP_LOCK)
		*locked |= bits;
	return 0;
}

int ability_change(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	const uint32_t *entry = m->ability.entry;
	uint32_t n = m->ability.h.count;
	int pid = m->ability.h.pid ? m->ability.h.pid : info->pid;
	uint64_t have, named = 0;

	(void)rcvid;
	if (n == 0 || n > _PROC_ABILITY_MAX ||
	    info->msglen < (long)(sizeof(m->ability.h) + n * sizeof(entry[0])) ||
	    (entry[n - 1] & PROCMGR_AID_MASK) != PROCMGR_AID_EOL)
		return -EINVAL;
	if (pid <= 0 || pid >= PROC_PIDS)
		return -ESRCH;
	if (pid != info->pid && !procs_child_of(pid, info->pid))
		return ProcAbilities_r(pid, NULL, NULL) == -ESRCH ? -ESRCH : -EPERM;
	if (ProcAbilities_r(pid, NULL, &have) < 0)
		return -ESRCH;
	uint64_t locked = state[pid].locked, noinherit = state[pid].noinherit;
	/* All or nothing: work on copies, then set them. */
	for (uint32_t i = 0; i < n; i++) {
		unsigned e = entry[i], aid = e & PROCMGR_AID_MASK;
		if (e & ~(OPS | DOMAINS | PROCMGR_AID_MASK))
			return -EINVAL;
		if (aid != PROCMGR_AID_EOL && aid >= 64)
			return -EINVAL; /* no such ability */
		/* EOL: every unlocked one not named (ALLOW: that we hold). */
		uint64_t bits = aid != PROCMGR_AID_EOL	? _NTO_ABILITY(aid)
				: e & PROCMGR_AOP_ALLOW ? ~named & ~locked & have
							: ~named & ~locked;
		if ((bits & locked) && (e & OPS))
			return -EPERM;
		named |= bits;
		int err = apply(e, bits, &have, &locked, &noinherit);
		if (err)
			return err;
	}
	/* The kernel only takes abilities from a running process, so one it
	 * dropped itself meanwhile stays dropped. */
	int err = ProcAbilities_r(pid == SYSMGR_PID ? 0 : pid, &have, NULL);
	if (err < 0)
		return err;
	state[pid].locked = locked;
	state[pid].noinherit = noinherit;
	return EOK;
}
