/*
 * Starting programs (POSIX posix_spawn; QNX's spawnv & co. with a mode):
 * requests to proc (_PROC_SPAWN, libc/spawn.c), which loads the program
 * from the boot image (a leading directory in the path is ignored until
 * there is a file system). The child is the caller's: wait for it with
 * waitpid; SIGCHLD comes when it ends. The child inherits the caller's
 * fds that are not FD_CLOEXEC at the same numbers, sharing their opens
 * (offsets), after the file actions (addopen, addclose, adddup2) are
 * applied in order, as POSIX says; libc applies them for the child (an
 * addopen's open is made by the caller), so a failing action fails the
 * spawn with its errno.
 */
#ifndef _SPAWN_H_INCLUDED
#define _SPAWN_H_INCLUDED

#include <sched.h>
#include <stdint.h>
#include <sys/types.h>

#define POSIX_SPAWN_SETPGROUP 0x0002 /* the pgroup attribute counts */
#define POSIX_SPAWN_SETSCHEDPARAM 0x0004
#define POSIX_SPAWN_SETSCHEDULER 0x0008
/* QNX's extended flags (posix_spawnattr_setxflags); the value is Muon's. */
#define POSIX_SPAWN_EXPLICIT_CPU 0x00000800 /* the runmask attribute counts */

typedef struct {
	uint32_t flags;	  /* POSIX_SPAWN_SET* (low 16 bits) and the extended ones */
	uint32_t runmask; /* POSIX_SPAWN_EXPLICIT_CPU: the CPUs the child may run on */
	int policy;
	pid_t pgroup; /* POSIX_SPAWN_SETPGROUP: the child's group (0: its own) */
	struct sched_param param;
	int set_abilities;  /* Muon: posix_spawnattr_setabilities was called */
	uint64_t abilities; /* Muon: then the child's (_NTO_ABILITY_*, among ours) */
} posix_spawnattr_t;
typedef struct {
	int n;			     /* actions recorded */
	struct __spawn_action *acts; /* in order (libc/spawn.c) */
} posix_spawn_file_actions_t;

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int posix_spawnattr_init(posix_spawnattr_t *attr);
int posix_spawnattr_destroy(posix_spawnattr_t *attr);
int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags);
int posix_spawnattr_getflags(const posix_spawnattr_t *attr, short *flags);
int posix_spawnattr_setxflags(posix_spawnattr_t *attr, uint32_t flags);
int posix_spawnattr_getxflags(const posix_spawnattr_t *attr, uint32_t *flags);
/* QNX: the CPUs the child's threads may run on (bit n: CPU n), used with
 * POSIX_SPAWN_EXPLICIT_CPU; without it the child runs where the calling
 * thread's inherit mask says (ThreadCtl _NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT). */
int posix_spawnattr_setrunmask(posix_spawnattr_t *attr, uint32_t runmask);
int posix_spawnattr_getrunmask(const posix_spawnattr_t *attr, uint32_t *runmask);
/* The child's process group with POSIX_SPAWN_SETPGROUP (0: a new one,
 * its own). A child given fds is put there before it runs; one without
 * fds (which proc starts at once) just after. */
int posix_spawnattr_setpgroup(posix_spawnattr_t *attr, pid_t pgroup);
int posix_spawnattr_getpgroup(const posix_spawnattr_t *attr, pid_t *pgroup);
int posix_spawnattr_setschedparam(posix_spawnattr_t *attr, const struct sched_param *param);
int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attr, int policy);
/* Muon: the child's abilities, among the caller's own (EPERM otherwise);
 * without this it inherits the caller's (all but those procmgr_ability
 * marked PROCMGR_AOP_INHERIT_NO). */
int posix_spawnattr_setabilities(posix_spawnattr_t *attr, uint64_t abilities);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *actions);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions);
/* The child's fd is path opened with oflag and mode (as open()); fd is
 * closed in the child; fd is dup2'ed to newfd in the child (newfd loses
 * FD_CLOEXEC, even when fd == newfd). EBADF for an fd out of range,
 * ENOMEM. */
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *actions, int fd, const char *path,
				     int oflag, mode_t mode);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *actions, int fd);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *actions, int fd, int newfd);

/* QNX's spawn family: mode P_WAIT (run it to its end: its status is
 * returned) or P_NOWAIT (its pid). -1 with errno on failure. */
#define P_WAIT 0
#define P_NOWAIT 1
int spawnv(int mode, const char *path, char *const argv[]);
int spawnve(int mode, const char *path, char *const argv[], char *const envp[]);
int spawnl(int mode, const char *path, const char *arg0, ...);

#endif
