/*
 * proc's information requests (<sys/procmsg.h>): what pidin shows that
 * the kernel does not keep. _PROC_ARGS: the arguments each process proc
 * spawned was given, a copy of at most _PROC_ARGS_MAX bytes kept from
 * its spawn (procs.c) to its end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>

#include "proc.h"

static struct {
	char *strings; /* NULL: none kept (not spawned by proc, or no memory) */
	uint16_t len;
} args[PROC_PIDS];

void info_keep_args(int pid, char *const argv[])
{
	char buf[_PROC_ARGS_MAX];
	size_t len = 0;

	for (int i = 0; argv[i] && len < sizeof(buf); i++) {
		size_t n = strlen(argv[i]) + 1;
		if (n > sizeof(buf) - len) { /* cut, still ending in 0 */
			n = sizeof(buf) - len;
			memcpy(buf + len, argv[i], n - 1);
			buf[len + n - 1] = 0;
		} else {
			memcpy(buf + len, argv[i], n);
		}
		len += n;
	}
	info_forget(pid);
	if (len && (args[pid].strings = malloc(len))) {
		memcpy(args[pid].strings, buf, len);
		args[pid].len = (uint16_t)len;
	}
}

void info_forget(int pid)
{
	free(args[pid].strings);
	args[pid].strings = NULL;
	args[pid].len = 0;
}

int info_args(int rcvid, const union proc_msg *m, const struct _msg_info *info)
{
	int pid = m->args.pid ? m->args.pid : info->pid;

	if (pid < 0)
		return -EINVAL;
	/* Is there such a process? (Signal 0 tells, as kill(pid, 0).) */
	if (pid >= PROC_PIDS || SignalKill_r(0, pid, 0, 0, 0, 0) < 0)
		return -ESRCH;
	MsgReply(rcvid, args[pid].len, args[pid].strings, args[pid].len);
	return PROC_REPLIED;
}
