/*
 * What namesrv's parts share: the handlers of each group (names.c: local
 * names; paths.c: the pathname space) and main.c's helpers for the
 * checks and replies every request of the range has in common.
 */
#ifndef SERVERS_NAMESRV_H
#define SERVERS_NAMESRV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/dispatch.h>

int names_request(message_context_t *ctp, int code, unsigned flags, void *handle);
void names_forget(int scoid);
int paths_request(message_context_t *ctp, int code, unsigned flags, void *handle);
void paths_forget(int scoid);
/* dirs.c: the directories the pathname space implies (the I/O range on
 * our channel). */
int dirs_request(message_context_t *ctp, int code, unsigned flags, void *handle);
void dirs_forget(int scoid);
bool dirs_is_dir(const char *path);
/* Table slot i's name or prefix: "" for a free slot, NULL past the end
 * (for listing directories). */
const char *names_nth(int i);
const char *paths_nth(int i);
/* Our channel (main.c), which paths.c names for dirs.c's directories. */
extern int namesrv_chid;

/* A request of the range is exactly its structure (want bytes, 0 for an
 * unknown type), as the client sent it: 0, or -ENOSYS, -EINVAL (short),
 * -EMSGSIZE (long). It then fits in the receive buffer. */
int request_fits(const message_context_t *ctp, size_t want);
/* Reply with status r, or MsgError when r is -errno. */
void answer(message_context_t *ctp, int r);
/* A new attachment's id: positive, never 0 (a free slot's). */
int new_id(void);

#endif
