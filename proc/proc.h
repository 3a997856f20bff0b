/* proc, the process manager: shared declarations. */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include <muon/ifs.h>
#include <sys/types.h>

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
