/*
 * procmgr_ability (<sys/procmgr.h>): the entries of the variable list go
 * to proc in one _PROC_ABILITY request (<sys/procmsg.h>), which applies
 * them all or none.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/neutrino.h>
#include <sys/procmgr.h>
#include <sys/procmsg.h>

int procmgr_ability(pid_t pid, unsigned ability, ...)
{
	struct {
		struct _proc_ability h;
		uint32_t entry[_PROC_ABILITY_MAX];
	} m = {.h = {.type = _PROC_ABILITY, .pid = pid}};
	va_list ap;

	va_start(ap, ability);
	for (unsigned e = ability;; e = va_arg(ap, unsigned)) {
		if (m.h.count == _PROC_ABILITY_MAX || (e & PROCMGR_AOP_SUBRANGE)) {
			va_end(ap);
			return m.h.count == _PROC_ABILITY_MAX ? E2BIG : EINVAL;
		}
		m.entry[m.h.count++] = e;
		if ((e & PROCMGR_AID_MASK) == PROCMGR_AID_EOL)
			break;
	}
	va_end(ap);
	long r = MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + m.h.count * sizeof(m.entry[0]), NULL, 0);
	return r < 0 ? (int)-r : EOK;
}
