/*
 * shmmgr, the shared-memory manager: POSIX shared memory objects on
 * /dev/shmem (shm_open is open("/dev/shmem/NAME")), each a kernel memory
 * object of ours (KerMemObj*) that _IO_MMAP maps into the client that
 * asks; handles (shm_create_handle, shm_open_handle: <sys/shmmsg.h>)
 * let one process open another's object once. The handlers are in
 * objects.c and handles.c.
 *
 * It holds only the abilities to have a public channel and to map
 * memory objects into other processes (MEM_PEER), locked: none of
 * proc's other powers. One thread: every request is short and never
 * waits on a client. A client that ends loses its connections; the
 * resource-manager layer then closes its opens (close_ocb), and the
 * pages it had mapped are the kernel's to let go (each is reference
 * counted), so an object goes with its last name, open and handle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dispatch.h>
#include <sys/procmgr.h>
#include <sys/shmmsg.h>

#include "shmmgr.h"

int shm_link_id;

static void drop_abilities(void)
{
	const unsigned dom = PROCMGR_ADN_ROOT | PROCMGR_ADN_NONROOT;
	int err = procmgr_ability(0, dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_PUBLIC_CHANNEL,
				  dom | PROCMGR_AOP_ALLOW | PROCMGR_AID_MEM_PEER,
				  dom | PROCMGR_AOP_DENY | PROCMGR_AOP_LOCK | PROCMGR_AID_EOL);

	if (err) {
		printf("shmmgr: cannot drop abilities: %s\n", strerror(err));
		exit(1);
	}
}

int main(void)
{
	dispatch_t *dpp;
	dispatch_context_t *ctp;

	drop_abilities();
	if (!(dpp = dispatch_create()) ||
	    (shm_link_id = resmgr_attach(dpp, NULL, "/dev/shmem", _FTYPE_ANY, 0, &shm_connect_funcs,
					 &shm_io_funcs, NULL)) < 0 ||
	    message_attach(dpp, NULL, _SHM_BASE, _SHM_MAX_TYPE, shm_open_handle_request, NULL) <
		0 ||
	    !(ctp = dispatch_context_alloc(dpp))) {
		printf("shmmgr: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	for (;;)
		if (dispatch_block(ctp))
			dispatch_handler(ctp);
}
