/*
 * libc against QNX (issue 10, defect 15): getpid() in <unistd.h> says
 * what the kernel says (the pid KerInfo shows for the running thread, the
 * pid MsgInfo gives a server for our own message, and in a spawned child
 * the pid its parent got); <errno.h> has QNX's whole list with QNX's
 * values; strerror has a text for every one of them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <unistd.h>

#include "../../proc/proc.h"
#include "tap.h"

#define EXITED(code) ((code) << 8)
#define ST_RUNNING   1

/* QNX's values, written out here so that a wrong one in the header
 * shows (QNX 7's <errno.h>; docs/ARCHITECTURE.md says how they were
 * checked). */
/* clang-format off */
#define E(name, v) {#name, name, v}
static const struct {
	const char *name;
	int value, want;
} qnx[] = {
    E(EOK, 0), E(EPERM, 1), E(ENOENT, 2), E(ESRCH, 3), E(EINTR, 4), E(EIO, 5), E(ENXIO, 6),
    E(E2BIG, 7), E(ENOEXEC, 8), E(EBADF, 9), E(ECHILD, 10), E(EAGAIN, 11), E(ENOMEM, 12),
    E(EACCES, 13), E(EFAULT, 14), E(ENOTBLK, 15), E(EBUSY, 16), E(EEXIST, 17), E(EXDEV, 18),
    E(ENODEV, 19), E(ENOTDIR, 20), E(EISDIR, 21), E(EINVAL, 22), E(ENFILE, 23), E(EMFILE, 24),
    E(ENOTTY, 25), E(ETXTBSY, 26), E(EFBIG, 27), E(ENOSPC, 28), E(ESPIPE, 29), E(EROFS, 30),
    E(EMLINK, 31), E(EPIPE, 32), E(EDOM, 33), E(ERANGE, 34), E(ENOMSG, 35), E(EIDRM, 36),
    E(ECHRNG, 37), E(EL2NSYNC, 38), E(EL3HLT, 39), E(EL3RST, 40), E(ELNRNG, 41), E(EUNATCH, 42),
    E(ENOCSI, 43), E(EL2HLT, 44), E(EDEADLK, 45), E(ENOLCK, 46), E(ECANCELED, 47),
    E(ENOTSUP, 48), E(EDQUOT, 49), E(EBADE, 50), E(EBADR, 51), E(EXFULL, 52), E(ENOANO, 53),
    E(EBADRQC, 54), E(EBADSLT, 55), E(EDEADLOCK, 56), E(EBFONT, 57), E(EOWNERDEAD, 58),
    E(ENOSTR, 60), E(ENODATA, 61), E(ETIME, 62), E(ENOSR, 63), E(ENONET, 64), E(ENOPKG, 65),
    E(EREMOTE, 66), E(ENOLINK, 67), E(EADV, 68), E(ESRMNT, 69), E(ECOMM, 70), E(EPROTO, 71),
    E(EMULTIHOP, 74), E(EBADMSG, 77), E(ENAMETOOLONG, 78), E(EOVERFLOW, 79), E(ENOTUNIQ, 80),
    E(EBADFD, 81), E(EREMCHG, 82), E(ELIBACC, 83), E(ELIBBAD, 84), E(ELIBSCN, 85),
    E(ELIBMAX, 86), E(ELIBEXEC, 87), E(EILSEQ, 88), E(ENOSYS, 89), E(ELOOP, 90),
    E(ERESTART, 91), E(ESTRPIPE, 92), E(ENOTEMPTY, 93), E(EUSERS, 94), E(ENOTRECOVERABLE, 95),
    E(EOPNOTSUPP, 103), E(EFPOS, 110), E(ESTALE, 122), E(EINPROGRESS, 236), E(EALREADY, 237),
    E(ENOTSOCK, 238), E(EDESTADDRREQ, 239), E(EMSGSIZE, 240), E(EPROTOTYPE, 241),
    E(ENOPROTOOPT, 242), E(EPROTONOSUPPORT, 243), E(ESOCKTNOSUPPORT, 244), E(EPFNOSUPPORT, 246),
    E(EAFNOSUPPORT, 247), E(EADDRINUSE, 248), E(EADDRNOTAVAIL, 249), E(ENETDOWN, 250),
    E(ENETUNREACH, 251), E(ENETRESET, 252), E(ECONNABORTED, 253), E(ECONNRESET, 254),
    E(ENOBUFS, 255), E(EISCONN, 256), E(ENOTCONN, 257), E(ESHUTDOWN, 258), E(ETOOMANYREFS, 259),
    E(ETIMEDOUT, 260), E(ECONNREFUSED, 261), E(EHOSTDOWN, 264), E(EHOSTUNREACH, 265),
    E(EBADRPC, 272), E(ERPCMISMATCH, 273), E(EPROGUNAVAIL, 274), E(EPROGMISMATCH, 275),
    E(EPROCUNAVAIL, 276), E(ENOREMOTE, 300), E(ENONDP, 301), E(EBADFSYS, 302), E(EMORE, 309),
    E(ECTRLTERM, 310), E(ENOLIC, 311), E(ESRVRFAULT, 312), E(EENDIAN, 313),
    E(ESECTYPEINVAL, 314),
};
/* clang-format on */
#undef E
#define NQNX (int)(sizeof(qnx) / sizeof(qnx[0]))

static struct ifs fs;
static struct ker_thread_info ti[128];

/* The pid KerInfo shows for the running user thread: on one CPU, the
 * caller (pid 0's kernel threads may show RUNNING too: the idle one). */
static int running_pid(void)
{
	long n = KerInfo(KER_INFO_THREADS, ti, sizeof(ti));

	for (long i = 0; i < n && i < (long)(sizeof(ti) / sizeof(ti[0])); i++)
		if (ti[i].state == ST_RUNNING && ti[i].pid > 0)
			return ti[i].pid;
	return -1;
}

static int coid;

/* Sends one message to our own channel: MsgInfo names its sender. */
static void *sender(void *arg)
{
	(void)arg;
	MsgSend(coid, "x", 1, NULL, 0);
	return NULL;
}

int main(void)
{
	tap_plan(11);
	proc_open_image(&fs);

	/* getpid: booted as pid 1, and what the kernel says. */
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(running_pid(), getpid());

	int chid = ChannelCreate(0);
	coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	int t = ThreadCreate(0, sender, NULL, NULL);
	struct _msg_info info = {0};
	char buf[4];
	int rcvid = MsgReceive(chid, buf, sizeof(buf), &info);
	CHECK(rcvid > 0 && info.pid == getpid() && info.tid == t);
	MsgReply(rcvid, 0, NULL, 0);
	ThreadJoin(t, NULL);
	ConnectDetach(coid);
	ChannelDestroy(chid);

	/* A child: its getpid is what KerInfo says inside it (its exit
	 * status, low 7 bits) and what proc_spawn gave us. */
	char *argv[] = {"child", "getpid", NULL};
	int status = -1;
	pid_t pid = proc_spawn(&fs, "child", argv, NULL, 10, SCHED_RR);
	CHECK(pid > 1 && ProcWait(pid, &status) == pid);
	if (!CHECK_EQ(status, EXITED(pid & 0x7f)))
		printf("#   child pid %d\n", pid);

	/* errno: every QNX value, and a few that must stay apart. */
	int wrong = 0;
	for (int i = 0; i < NQNX; i++)
		if (qnx[i].value != qnx[i].want) {
			printf("#   %s is %d, QNX has %d\n", qnx[i].name, qnx[i].value,
			       qnx[i].want);
			wrong++;
		}
	CHECK_EQ(wrong, 0);
	CHECK(EWOULDBLOCK == EAGAIN && EDEADLOCK != EDEADLK && EOPNOTSUPP != ENOTSUP);

	/* strerror: a text of its own for each, none "Unknown error". */
	int unknown = 0, same = 0;
	for (int i = 0; i < NQNX; i++) {
		const char *m = strerror(qnx[i].value);
		if (!m || !*m || !strcmp(m, "Unknown error")) {
			printf("#   strerror(%s) = \"%s\"\n", qnx[i].name, m ? m : "(null)");
			unknown++;
		}
		for (int j = 0; j < i; j++)
			if (m && !strcmp(m, strerror(qnx[j].value))) {
				printf("#   %s and %s share \"%s\"\n", qnx[i].name, qnx[j].name, m);
				same++;
			}
	}
	CHECK_EQ(unknown, 0);
	CHECK_EQ(same, 0);
	CHECK(!strcmp(strerror(EISDIR), "Is a directory") &&
	      !strcmp(strerror(ETIMEDOUT), "Connection timed out"));
	CHECK(!strcmp(strerror(315), "Unknown error") && !strcmp(strerror(-1), "Unknown error"));
	return tap_done();
}
