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

#endif
