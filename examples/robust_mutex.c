/*
 * robust_mutex: recovering a mutex whose owner died. The parent puts a
 * robust, process-shared mutex and a counter in shared memory. The child
 * (this program again) takes the mutex, starts an update of the counter
 * and exits half-way, still holding it. The parent's next lock does not
 * hang: it gets EOWNERDEAD and the mutex, repairs the data, marks the
 * mutex consistent, and goes on as usual.
 *
 * Run: robust_mutex
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAME "/example_robust"

struct shared {
	pthread_mutex_t lock;
	int count;    /* protected by lock */
	int updating; /* set while count is being changed */
};

static struct shared *map(int flags)
{
	int fd = shm_open(NAME, flags, 0600);
	if (fd < 0 || ((flags & O_CREAT) && ftruncate(fd, sizeof(struct shared)) != 0))
		return MAP_FAILED;
	void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd); /* the mapping keeps the object */
	return p;
}

static int child(void)
{
	struct shared *s = map(O_RDWR);
	if (s == MAP_FAILED || pthread_mutex_lock(&s->lock) != 0)
		return 1;
	s->updating = 1;
	s->count = -1; /* half-way: nonsense until updating is cleared */
	printf("child: holding the mutex, exiting without unlocking\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "child"))
		return child();

	struct shared *s = map(O_RDWR | O_CREAT | O_EXCL);
	if (s == MAP_FAILED) {
		perror("parent: " NAME);
		return 1;
	}
	/* Process-shared: it lives in memory several processes map. Robust:
	 * its owner's death is reported to the next locker. */
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&s->lock, &a);
	s->count = 5;

	char *cargv[] = {argv[0], "child", NULL};
	pid_t pid;
	int status;
	if (posix_spawn(&pid, argv[0], NULL, NULL, cargv, NULL) != 0 ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("parent: the child failed\n");
		return 1;
	}

	int r = pthread_mutex_lock(&s->lock);
	printf("parent: lock says %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	if (r != EOWNERDEAD)
		return 1;
	/* We hold it; the data may be half-changed: repair, then tell the
	 * mutex it is usable again (without this, it would be unusable for
	 * good once unlocked: ENOTRECOVERABLE). */
	if (s->updating) {
		s->count = 5;
		s->updating = 0;
		printf("parent: repaired the count (back to %d)\n", s->count);
	}
	pthread_mutex_consistent(&s->lock);
	s->count++;
	pthread_mutex_unlock(&s->lock);

	r = pthread_mutex_lock(&s->lock);
	printf("parent: locked again (%s), count %d\n", r == 0 ? "ok" : strerror(r), s->count);
	pthread_mutex_unlock(&s->lock);
	shm_unlink(NAME);
	return r != 0;
}
