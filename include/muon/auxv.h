/*
 * Muon's own auxiliary-vector entries (types beyond the System V ones of
 * <sys/auxv.h>), put on a new process's initial stack by both loaders:
 * the kernel's for the first process (kernel/bootimage.c) and proc's
 * (proc/loader.c). AT_MUON_IFS and AT_MUON_IFS_SIZE (0x1000, 0x1001, for
 * proc only) are in <muon/ifs.h>.
 */
#ifndef MUON_AUXV_H
#define MUON_AUXV_H

#define AT_MUON_PID 0x1002 /* the process's pid: what getpid() returns */
/* Its connection to namesrv (NAMESRV_COID), made by proc before it
 * started; 0 or absent: none (libc's name_* calls are ENOSYS then, and
 * a side connection of its own at that coid is never taken for it). */
#define AT_MUON_NAMESRV_COID 0x1003
/* The fds a spawned process inherits (proc made their connections at
 * their numbers): AT_MUON_FDS the address of AT_MUON_NFDS struct
 * _proc_spawn_fd (<sys/procmsg.h>) on its stack, AT_MUON_FDS_PID the
 * parent that granted their OCBs; libc's start-up takes each with
 * _IO_DUP. */
#define AT_MUON_FDS	0x1004
#define AT_MUON_NFDS	0x1005
#define AT_MUON_FDS_PID 0x1006

#endif
