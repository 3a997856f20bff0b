/* proc, the process manager: shared declarations (its loader, its
 * request handlers, the server loop). */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include <muon/ifs.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/types.h>

/* A request as proc receives it: its type first. */
union proc_msg {
	uint16_t type;
	struct _mem_request mem;
};

/* A handler's result: 0 or -errno for proc to reply with (MsgReply 0 /
 * MsgError), or PROC_REPLIED when the handler replied itself. */
#define PROC_REPLIED 1
typedef int (*proc_handler)(int rcvid, const union proc_msg *m, const struct _msg_info *info);

/* server.c: serve requests on chid, for ever (a thread of its own). */
void *proc_serve(void *chid);

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
/* The same, the process holding abilities (_NTO_ABILITY_*, among ours)
 * from its first instruction. */
pid_t proc_spawn_abilities(const struct ifs *fs, const char *name, char *const argv[],
			   char *const envp[], int prio, int policy, unsigned abilities);

/* The boot image the kernel lent us (auxiliary vector), opened; exits
 * with a message if it is missing or corrupt. */
void proc_open_image(struct ifs *fs);

#endif
