/*
 * errno for the host build of libc's pure pieces (tests/host/host.mk,
 * HOST_TEST), which has no TLS set-up: one global named errno (renamed
 * muon_errno there) behind __get_errno_ptr(). In Muon programs errno is
 * thread-local and this file is empty (libc/tls.c).
 */
#include <errno.h>

#ifdef HOST_TEST
#undef errno
int errno;

int *__get_errno_ptr(void)
{
	return &errno;
}
#endif
