/*
 * The auxiliary vector on a new process's stack, after envp's NULL
 * (System V numbering, which QNX uses too). crt0 records where it is.
 */
#ifndef _SYS_AUXV_H_INCLUDED
#define _SYS_AUXV_H_INCLUDED

#include <muon/auxv.h> /* AT_MUON_*: Muon's own */
#include <stdint.h>

#define AT_NULL	  0 /* end of the vector */
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR	  3 /* program headers in memory */
#define AT_PHENT  4 /* size of one program header */
#define AT_PHNUM  5 /* number of program headers */
#define AT_PAGESZ 6 /* page size */
#define AT_BASE	  7 /* interpreter base (none: static programs) */
#define AT_FLAGS  8
#define AT_ENTRY  9 /* program entry point */
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_RANDOM 25 /* 16 random bytes */

typedef struct {
	long a_type; /* AT_* */
	union {
		long a_val;
		void *a_ptr;
		void (*a_fcn)(void);
	} a_un;
} auxv_t;

/* The process's auxiliary vector (AT_NULL-terminated), set by crt0. */
extern auxv_t *_auxv;

/* The value of entry type, or 0 when absent. */
unsigned long getauxval(unsigned long type);

#endif
