/*
 * QNX's process-manager interface: procmgr_ability(), which changes what
 * a process may do by a message to proc (_PROC_ABILITY, libc/procmgr.c).
 * The ability ids Muon checks (PROCMGR_AID_*) and the sets they make
 * (_NTO_ABILITY_*) are in <sys/ktypes.h>, since the kernel checks them.
 *
 * Muon has no user ids, so there is one domain: PROCMGR_ADN_ROOT and
 * PROCMGR_ADN_NONROOT both name it, and an entry naming neither changes
 * nothing. A process can drop abilities but never gain one: ALLOW of an
 * ability it lacks is EPERM. Subranges (PROCMGR_AOP_SUBRANGE) are not
 * kept: EINVAL.
 */
#ifndef _SYS_PROCMGR_H_INCLUDED
#define _SYS_PROCMGR_H_INCLUDED

#include <sys/ktypes.h>
#include <sys/types.h>

#define PROCMGR_AID_MASK 0xffffu
#define PROCMGR_AID_EOL	 PROCMGR_AID_MASK /* ends the list */

#define PROCMGR_AOP_DENY	0x00010000u /* take the ability away */
#define PROCMGR_AOP_ALLOW	0x00020000u /* keep it (it must be held) */
#define PROCMGR_AOP_SUBRANGE	0x00040000u /* not kept by Muon: EINVAL */
#define PROCMGR_AOP_LOCK	0x00080000u /* no further change to it */
#define PROCMGR_AOP_INHERIT_YES 0x00400000u /* children inherit it (the default) */
#define PROCMGR_AOP_INHERIT_NO	0x00800000u /* children do not */

#define PROCMGR_ADN_ROOT    0x10000000u
#define PROCMGR_ADN_NONROOT 0x20000000u

/* Change process pid's abilities (0: the caller's; another must be the
 * caller's child) by a list of entries ending in PROCMGR_AID_EOL, all or
 * nothing. Returns EOK or an errno value (EINVAL, EPERM, ESRCH, E2BIG). */
int procmgr_ability(pid_t pid, unsigned ability, ...);

#endif
