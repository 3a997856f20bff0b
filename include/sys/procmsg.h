/*
 * Requests to proc, the process manager (SYSMGR_PID, channel SYSMGR_CHID),
 * which every process sends through its SYSMGR_COID connection. Message
 * types 0x0000-0x00FF are proc's (DESIGN.md §4); memory requests take
 * 0x0040.. as QNX's memory manager does. Each starts with its 16-bit type.
 * proc/ serves them; libc (mman.c) sends them.
 */
#ifndef _SYS_PROCMSG_H_INCLUDED
#define _SYS_PROCMSG_H_INCLUDED

#include <stdint.h>

#define _PROC_BASE 0x0000
#define _PROC_MAX 0x00ff

/* Processes. _PROC_SPAWN: the header, then len bytes of strings, each
 * ending in 0: the program's name, nargv arguments, nenv environment
 * entries; reply status: the new pid. The program is looked up in the
 * boot image (a leading directory is ignored: no file system yet). It
 * runs at prio and policy (0: the caller's). The caller needs
 * _NTO_ABILITY_SPAWN (EPERM). The child inherits the caller's abilities
 * (but those marked PROCMGR_AOP_INHERIT_NO, and never
 * _NTO_ABILITY_PROCMGR), or with _PROC_SPAWN_SETABILITIES gets those
 * named, which must be among the caller's (EPERM). _PROC_WAIT: waitid's
 * request (idtype P_PID or P_ALL, P_PGID EINVAL: waits by group to come;
 * options WEXITED, WSTOPPED, WCONTINUED, at least one of these, WNOHANG,
 * WNOWAIT): a child of the caller that has ended, stopped or continued;
 * the reply's data is struct _proc_waited (pid 0 with WNOHANG when none
 * has news yet); ECHILD when the caller has no such child.
 * _PROC_GETPPID: reply status the caller's parent (1 once its parent has
 * ended). */
#define _PROC_SPAWN 0x0001
#define _PROC_WAIT 0x0002
#define _PROC_GETPPID 0x0003

#define _PROC_SPAWN_MAX 4096 /* bytes of strings at most: E2BIG */

#define _PROC_SPAWN_SETABILITIES 0x1 /* _proc_spawn.flags */
/* With nfds fds to pass on (struct _proc_spawn_fd, after the strings):
 * proc makes the child's connections to their servers at their numbers
 * and replies with its pid but holds its first thread until the caller
 * sends _PROC_SPAWN_START; the caller meanwhile grants each fd's OCB to
 * the child (_IO_DUP, <sys/iomsg.h>), and the child's libc takes them
 * at start-up. EBADF: a src that is no connection of the caller's; an
 * fd whose server has gone is left out. A caller that ends before
 * _PROC_SPAWN_START takes its held child with it. */
#define _PROC_SPAWN_FDS_MAX 64 /* E2BIG */

struct _proc_spawn_fd {
	int32_t fd;	/* the child's fd */
	int32_t src;	/* the caller's coid whose open it shares */
	uint32_t flags; /* the open's flags (the child's F_GETFL) */
};

/* _PROC_SPAWN_START: the held child pid (the caller's) starts. ESRCH:
 * no such child held for the caller. */
#define _PROC_SPAWN_START 0x0004

struct _proc_spawn_start {
	uint16_t type; /* _PROC_SPAWN_START */
	uint16_t zero;
	int32_t pid;
};

struct _proc_spawn {
	uint16_t type; /* _PROC_SPAWN */
	uint16_t zero;
	int32_t prio;
	int32_t policy;
	uint32_t flags;	    /* _PROC_SPAWN_* */
	uint64_t abilities; /* _PROC_SPAWN_SETABILITIES: the child's */
	uint32_t nargv;
	uint32_t nenv;
	uint32_t len;	  /* bytes of strings after the header */
	uint32_t runmask; /* the CPUs the child may run on (bit n: CPU n; 0: any) */
	uint32_t nfds;	  /* struct _proc_spawn_fd after the strings */
	uint32_t zero2;
};

struct _proc_wait {
	uint16_t type; /* _PROC_WAIT */
	uint16_t zero;
	int32_t idtype;	 /* P_PID, P_ALL (<sys/wait.h>) */
	int32_t id;	 /* P_PID's pid */
	int32_t options; /* WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT */
};

struct _proc_waited {
	int32_t pid;
	int32_t status; /* as waitpid's: exit, signal, stop or continue */
};

/* Process groups and sessions (POSIX's, kept by proc for the
 * processes it spawns; a child starts in its parent's group and
 * session, a process proc knows nothing of leads its own). One message,
 * its type saying which; pid 0 means the caller, pgid 0 the pid:
 * _PROC_SETPGID (pid the caller or a child of it: ESRCH; a session
 * leader, a child in another session, or a pgid no process of the
 * session has: EPERM; pgid < 0: EINVAL); _PROC_GETPGID (reply status
 * the pgid; ESRCH); _PROC_SETSID (reply status the new session's id;
 * EPERM for a group leader); _PROC_KILLPG: signal signo (0: only check)
 * to every process of group pgid (0: the caller's) that the caller may
 * signal (itself, its children, or any with _NTO_ABILITY_SIGNAL);
 * ESRCH when the group has no process, EPERM when it may signal none. */
#define _PROC_SETPGID 0x0005
#define _PROC_GETPGID 0x0006
#define _PROC_SETSID 0x0007
#define _PROC_KILLPG 0x0008

struct _proc_pgrp {
	uint16_t type; /* _PROC_SETPGID, _GETPGID, _SETSID, _KILLPG */
	uint16_t zero;
	int32_t pid;
	int32_t pgid;
	int32_t signo; /* _PROC_KILLPG */
};

/* Process information (pidin). _PROC_ARGS: the arguments of process pid
 * (0: the caller) as proc spawned it (argv[0] first), each ending in 0,
 * as the reply's data; reply status their length, which may be more
 * than the reply buffer took. A copy of at most _PROC_ARGS_MAX bytes is
 * kept (a longer one is cut, its last string ending at the bound); a
 * process proc did not spawn (proc itself, one made by ProcCreate
 * directly) has none: status 0. ESRCH when no process has that pid,
 * EINVAL for a pid below 0. */
#define _PROC_ARGS 0x0011

#define _PROC_ARGS_MAX 256

struct _proc_args {
	uint16_t type; /* _PROC_ARGS */
	uint16_t zero;
	int32_t pid;
};

/* The name server tells proc its channel (servers/namesrv). proc takes
 * it only from the process it started as namesrv, once (EPERM), and
 * connects every process it spawns from then on to that channel at
 * NAMESRV_COID (<sys/ktypes.h>). EINVAL for a chid that is not one. */
#define _PROC_NAMESRV 0x0020

struct _proc_namesrv {
	uint16_t type; /* _PROC_NAMESRV */
	uint16_t zero;
	int32_t chid;
};

/* Anonymous private memory (mmap, munmap, mprotect): one message, its
 * type saying which. Replies: _MEM_MAP the address (MsgReply status 0,
 * the address as the reply's data), the others status 0; errors as
 * POSIX (EINVAL, ENOMEM, ENOTSUP). */
#define _MEM_MAP 0x0040
#define _MEM_UNMAP 0x0041
#define _MEM_PROTECT 0x0042

struct _mem_request {
	uint16_t type;	 /* _MEM_* */
	uint16_t zero;
	int32_t prot;	 /* PROT_*: _MEM_MAP, _MEM_PROTECT */
	int32_t flags;	 /* MAP_*: _MEM_MAP */
	int32_t fd;	 /* -1: anonymous memory is all there is */
	uint64_t addr;	 /* MAP_FIXED's address, or the range's start */
	uint64_t len;
	int64_t offset; /* 0 */
};

/* Abilities (procmgr_ability(), <sys/procmgr.h>): count entries follow
 * the header, each PROCMGR_AID_* | PROCMGR_AOP_* | PROCMGR_ADN_*, the
 * last one PROCMGR_AID_EOL (its operations apply to every unlocked id
 * the list does not name). pid 0 is the caller; another pid must be a
 * child of the caller. All or nothing: reply status 0, or EINVAL (a bad
 * entry, a missing EOL), EPERM (allowing an ability the process lacks,
 * changing a locked one, a pid not the caller's child), ESRCH, E2BIG. */
#define _PROC_ABILITY 0x0010
#define _PROC_ABILITY_MAX 64 /* entries at most */

struct _proc_ability {
	uint16_t type; /* _PROC_ABILITY */
	uint16_t zero;
	int32_t pid;
	uint32_t count;
	uint32_t zero2;
};

#endif
