/*
 * shm_share: shared memory three ways. The creator makes a named object
 * (/dev/shmem/example_shm), writes into it, and runs two readers (this
 * program again) one after the other: each opens the object by name and
 * maps it read-only. Then it makes an anonymous object, which nobody can
 * open by name, and gives a third child a handle: a one-use permission
 * for that child's pid alone, sent in a reply to the child's request.
 *
 * Run: shm_share
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAME	"/example_shm"
#define SIZE	4096
#define GIVE_ME 0x1000 /* the handle child's request */

static int reader(int n)
{
	int fd = shm_open(NAME, O_RDONLY, 0);
	const char *p = fd < 0 ? MAP_FAILED : mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		perror("reader: shm_open/mmap");
		return 1;
	}
	printf("reader %d: \"%s\"\n", n, p);
	munmap((void *)p, SIZE);
	close(fd);
	return 0;
}

static int handle_child(pid_t creator, int chid)
{
	int coid = ConnectAttach(ND_LOCAL_NODE, creator, chid, _NTO_SIDE_CHANNEL, 0);
	uint16_t type = GIVE_ME;
	shm_handle_t h;

	if (coid < 0 || MsgSend(coid, &type, sizeof(type), &h, sizeof(h)) != 0) {
		perror("handle child: request");
		return 1;
	}
	int fd = shm_open_handle(h, O_RDONLY);
	const char *p = fd < 0 ? MAP_FAILED : mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("handle child: shm_open_handle/mmap");
		return 1;
	}
	printf("handle child: \"%s\"\n", p);
	/* A handle opens once. */
	printf("handle child: opening the handle again %s\n",
	       shm_open_handle(h, O_RDONLY) < 0 ? "fails" : "works");
	return 0;
}

/* A child in ROLE; its exit status. */
static int run(const char *self, char *role, char *arg1, char *arg2)
{
	char *argv[] = {(char *)self, role, arg1, arg2, NULL};
	pid_t pid;
	int status;

	if (posix_spawn(&pid, self, NULL, NULL, argv, NULL) != 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Maps a fresh SIZE-byte object open on fd, read-write. */
static char *map_new(int fd)
{
	if (fd < 0 || ftruncate(fd, SIZE) != 0)
		return MAP_FAILED;
	return mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "reader"))
		return reader(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "handle"))
		return handle_child(atoi(argv[2]), atoi(argv[3]));

	/* By name: anyone allowed may open it until it is unlinked. */
	int fd = shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0644);
	char *p = map_new(fd);
	if (p == MAP_FAILED) {
		perror("creator: " NAME);
		return 1;
	}
	strcpy(p, "written by the creator");
	printf("creator: wrote " NAME "\n");
	int failed = run(argv[0], "reader", "1", NULL) != 0;
	failed += run(argv[0], "reader", "2", NULL) != 0;
	shm_unlink(NAME); /* the name goes; our mapping stays */

	/* Anonymous: reachable only through a handle we make for one pid. */
	int anon = shm_open(SHM_ANON, O_RDWR | O_CREAT, 0600);
	char *q = map_new(anon);
	int chid = ChannelCreate(_NTO_CHF_DISCONNECT);
	if (q == MAP_FAILED || chid < 0) {
		perror("creator: anonymous object");
		return 1;
	}
	strcpy(q, "passed by handle");
	char spid[16], schid[16];
	snprintf(spid, sizeof(spid), "%d", getpid());
	snprintf(schid, sizeof(schid), "%d", chid);
	char *cargv[] = {argv[0], "handle", spid, schid, NULL};
	pid_t pid;
	if (posix_spawn(&pid, argv[0], NULL, NULL, cargv, NULL) != 0)
		return 1;
	for (;;) {
		union {
			struct _pulse pulse;
			uint16_t type;
		} msg;
		struct _msg_info info;
		int rcvid = MsgReceive(chid, &msg, sizeof(msg), &info);
		if (rcvid == 0 && msg.pulse.code == _PULSE_CODE_DISCONNECT) {
			ConnectDetach(msg.pulse.scoid); /* the child is done */
			break;
		}
		if (rcvid > 0 && msg.type == GIVE_ME) {
			/* info.pid: the handle is good for the sender alone. */
			shm_handle_t h;
			if (shm_create_handle(anon, info.pid, O_RDONLY, &h, 0) == 0)
				MsgReply(rcvid, 0, &h, sizeof(h));
			else
				MsgError(rcvid, errno);
		}
	}
	int status;
	waitpid(pid, &status, 0);
	failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	printf("creator: %d children failed\n", failed);
	return failed != 0;
}
