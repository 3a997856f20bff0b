/* proc, the process manager: shared declarations (its loader, its
 * request handlers, the server loop). */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include <limits.h>
#include <stdbool.h>
#include <muon/ifs.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/types.h>

#define PROC_PIDS 4096 /* pids are below this (the kernel's PID_MAX) */

/* A request as proc receives it: its type first. */
union proc_msg {
	uint16_t type;
	struct _mem_request mem;
	struct _proc_spawn spawn;
	struct _proc_wait wait;
	struct _proc_spawn_start start;
	struct {
		struct _proc_ability h;
		uint32_t entry[_PROC_ABILITY_MAX];
	} ability;
	struct _proc_args args;
	struct _proc_namesrv namesrv;
	struct _proc_pgrp pgrp;
	struct _pulse pulse;
};

/* A handler's result: the status (>= 0) or -errno for proc to reply with
 * (MsgReply / MsgError), or PROC_REPLIED when the handler replied itself
 * (or holds the reply for later). */
#define PROC_REPLIED INT_MIN
typedef int (*proc_handler)(int rcvid, const union proc_msg *m, const struct _msg_info *info);

/* server.c: serve requests on chid, for ever (a thread of its own). */
void *proc_serve(void *chid);

/* procs.c: spawn, wait, getppid, and the children's ends. */
void procs_init(const struct ifs *fs);
int procs_spawn(int rcvid, const union proc_msg *m, const struct _msg_info *info);
int procs_wait(int rcvid, const union proc_msg *m, const struct _msg_info *info);
int procs_getppid(int rcvid, const union proc_msg *m, const struct _msg_info *info);
int procs_spawn_start(int rcvid, const union proc_msg *m, const struct _msg_info *info);
/* A _PULSE_CODE_PROCDEATH pulse came: collect what has ended. */
void procs_died(void);
/* A _PULSE_CODE_UNBLOCK for rcvid: a held wait ends with EINTR. */
void procs_unblock(int rcvid);
/* _PULSE_CODE_PROCSTOP and _PULSE_CODE_PROCCONT: child pid stopped (by
 * signal signo) or was continued. */
void procs_stopped(int pid, int signo);
void procs_continued(int pid);

/* Whether pid is a child proc spawned for parent (proc: an orphan). */
bool procs_child_of(int pid, int parent);

/* pgrp.c: process groups and sessions (setpgid, getpgid, setsid,
 * killpg); procs.c tells it of each spawn and end. */
int pgrp_request(int rcvid, const union proc_msg *m, const struct _msg_info *info);
void pgrp_spawned(int pid, int parent);
void pgrp_forget(int pid);

/* ability.c: procmgr_ability, and what a spawned child inherits. */
int ability_change(int rcvid, const union proc_msg *m, const struct _msg_info *info);
/* The abilities a child of pid (holding mine) inherits. */
uint64_t ability_inherited(int pid, uint64_t mine);
/* pid is a new process: no locks, everything inheritable. */
void ability_reset(int pid);

/* info.c: what pidin asks of proc (the arguments of the processes it
 * spawned); procs.c keeps them from spawn to end. */
int info_args(int rcvid, const union proc_msg *m, const struct _msg_info *info);
void info_keep_args(int pid, char *const argv[]);
void info_forget(int pid);

/* namesrv.c: proc starts the name server, takes its channel, connects
 * each process it spawns to it, and hears of its end. */
void namesrv_start(const struct ifs *fs);
int namesrv_register(int rcvid, const union proc_msg *m, const struct _msg_info *info);
void namesrv_ended(int pid);
/* For the boot script's waitfor (main thread): whether namesrv knows
 * who serves path now. */
bool namesrv_resolves(const char *path);

/* mem.c: mmap, munmap, mprotect. */
int mem_map(int rcvid, const union proc_msg *m, const struct _msg_info *info);
int mem_unmap(int rcvid, const union proc_msg *m, const struct _msg_info *info);
int mem_protect(int rcvid, const union proc_msg *m, const struct _msg_info *info);

/* Load program name from the boot image into a new process and start it
 * with argv and envp at priority prio (1..255) and policy (SCHED_*).
 * Returns its pid, or -errno: ENOENT (not in the image), ENOEXEC (not a
 * valid static executable for this machine), E2BIG (arguments), or what
 * the kernel calls returned. */
pid_t proc_spawn(const struct ifs *fs, const char *name, char *const argv[], char *const envp[],
		 int prio, int policy);
/* Called (when set) with each process the loader made, before its first
 * thread: the coid of the child's connection to namesrv it made (its
 * AT_MUON_NAMESRV_COID), 0 for none, or -errno to give it up with. */
extern int (*proc_spawn_hook)(pid_t pid);
/* The same, the process holding abilities (_NTO_ABILITY_*, among ours)
 * from its first instruction. */
pid_t proc_spawn_abilities(const struct ifs *fs, const char *name, char *const argv[],
			   char *const envp[], int prio, int policy, uint64_t abilities);
/* fds a spawned child inherits: fd[i] (its number, the parent's coid)
 * reaches server srv[i]; parent grants their OCBs. */
struct spawn_fds {
	pid_t parent;
	struct _proc_spawn_fd *fd;
	const struct _server_info *srv;
	unsigned n;
};
/* And with runmask (0: ours) as the first thread's inherit mask (a mask
 * naming no CPU: -EINVAL, now or at proc_start_held), and with fds (NULL:
 * none): the child is held (its first thread not made) until
 * proc_start_held, its connections to their servers made at their
 * numbers (those whose server has gone get fd -1). */
pid_t proc_spawn_fds(const struct ifs *fs, const char *name, char *const argv[], char *const envp[],
		     int prio, int policy, uint64_t abilities, uint32_t runmask,
		     struct spawn_fds *fds);
/* Held child pid starts (start) or is destroyed: 0, -ESRCH (not held),
 * or ThreadCreate's error (it is destroyed then). */
int proc_start_held(pid_t pid, bool start);

/* The boot image the kernel lent us (auxiliary vector), opened; exits
 * with a message if it is missing or corrupt. */
void proc_open_image(struct ifs *fs);

#endif
