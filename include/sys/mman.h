/* Memory protection values, QNX's (sys/mman.h). */
#ifndef _SYS_MMAN_H_INCLUDED
#define _SYS_MMAN_H_INCLUDED

#define PROT_NONE 0x000
#define PROT_READ 0x100
#define PROT_WRITE 0x200
#define PROT_EXEC 0x400

#endif
