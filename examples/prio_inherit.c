/*
 * prio_inherit: a server runs at its client's priority. The server thread
 * is created at priority 10; a client at 30 sends to it, then one at 20.
 * While the server handles each message it runs at the sender's priority
 * (so a thread at 20 cannot hold up the work of a client at 30), and it
 * drops back to its own 10 when it waits for the next message. The
 * priorities are the kernel's (KerInfo, what pidin shows); while handling
 * the first message, the server also runs pidin on this process.
 *
 * Run: prio_inherit
 */
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/kinfo.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <unistd.h>

static int chid;

/* Thread tid's entry in the kernel's thread table (NULL: none). */
static const struct ker_thread_info *thread_info(pthread_t tid)
{
	static struct ker_thread_info t[64];
	long n = KerInfo(KER_INFO_THREADS, t, sizeof(t));

	for (long i = 0; i < n && i < 64; i++)
		if (t[i].pid == getpid() && t[i].tid == (int)tid)
			return &t[i];
	return NULL;
}

static void pidin(void)
{
	char spid[16];
	snprintf(spid, sizeof(spid), "%d", getpid());
	char *argv[] = {"pidin", "-p", spid, NULL};
	pid_t pid;
	if (posix_spawn(&pid, "pidin", NULL, NULL, argv, NULL) == 0)
		waitpid(pid, NULL, 0);
}

static void *server(void *arg)
{
	(void)arg;
	for (int n = 0;; n++) {
		struct _msg_info info;
		int rcvid = MsgReceive(chid, NULL, 0, &info);
		const struct ker_thread_info *me = thread_info(pthread_self());

		printf("server: a priority %d client's message: running at %d (its own %d)\n",
		       info.priority, me->priority, me->base_priority);
		if (n == 0) /* the server's line shows 30r, the client's too */
			pidin();
		MsgReply(rcvid, 0, NULL, 0);
	}
	return NULL; /* not reached: the process ends when main returns */
}

static void *client(void *arg)
{
	int coid = ConnectAttach(ND_LOCAL_NODE, 0, chid, _NTO_SIDE_CHANNEL, 0);
	long r = MsgSend(coid, NULL, 0, NULL, 0);

	printf("client at %d: got the reply\n", (int)(long)arg);
	ConnectDetach(coid);
	return (void *)r;
}

/* A thread running fn at priority (round-robin). */
static pthread_t start(void *(*fn)(void *), int priority)
{
	pthread_attr_t a;
	struct sched_param p = {.sched_priority = priority};
	pthread_t t;

	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_RR);
	pthread_attr_setschedparam(&a, &p);
	pthread_create(&t, &a, fn, (void *)(long)priority);
	return t;
}

int main(void)
{
	/* Priorities decide who runs on a CPU; on several CPUs a thread at
	 * 10 runs beside one at 30. So this thread and those it makes run
	 * on CPU 0 alone (runmask and inherit mask). */
	struct _thread_runmask cpu0 = {1, {1}, {1}};
	ThreadCtl(_NTO_TCTL_RUNMASK_GET_AND_SET_INHERIT, &cpu0);

	chid = ChannelCreate(_NTO_CHF_PRIVATE);
	pthread_t s = start(server, 10);
	int failed = 0;

	for (int prio = 30; prio >= 20; prio -= 10) {
		void *r;
		pthread_join(start(client, prio), &r);
		failed += r != NULL;
	}
	/* The server is back in MsgReceive: at its own priority again. */
	const struct ker_thread_info *t = thread_info(s);
	printf("main: the server waits at priority %d (its own %d)\n", t->priority,
	       t->base_priority);
	return failed != 0 || t->priority != 10;
}
