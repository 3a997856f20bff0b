/*
 * Waiting for children (POSIX; QNX's values and status layout): wait,
 * waitpid and waitid (libc/spawn.c) ask proc (_PROC_WAIT) for a child
 * that ended, stopped or continued.
 */
#ifndef _SYS_WAIT_H_INCLUDED
#define _SYS_WAIT_H_INCLUDED

#include <sys/siginfo.h>
#include <sys/types.h>

#define WEXITED	   0x0001 /* waitid: children that ended */
#define WUNTRACED  0x0004 /* waitpid: children that stopped */
#define WSTOPPED   WUNTRACED
#define WCONTINUED 0x0008 /* children a SIGCONT continued */
#define WNOHANG	   0x0040 /* nothing to report: return at once */
#define WNOWAIT	   0x0080 /* waitid: leave the child waitable */

/* waitid's idtype. There are no process groups: P_PGID is EINVAL. */
typedef enum { P_ALL, P_PID, P_PGID } idtype_t;

/* A status: the exit code in bits 8..15; or the signal that ended it in
 * bits 0..6 (0x80: a core was dumped, which Muon never does); or 0x7f
 * with the signal that stopped it in bits 8..15; or 0xffff, continued. */
#define WIFEXITED(s)	(((s) & 0xff) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0xff) != 0 && ((s) & 0xff00) == 0)
#define WTERMSIG(s)	((s) & 0x7f)
#define WCOREDUMP(s)	((s) & 0x80)
#define WIFSTOPPED(s)	(((s) & 0xff) == 0x7f && ((s) & 0xff00) != 0)
#define WSTOPSIG(s)	(((s) >> 8) & 0xff)
#define WIFCONTINUED(s) (((s) & 0xffff) == 0xffff)

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options);

#endif
