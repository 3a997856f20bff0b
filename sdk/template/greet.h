/*
 * The greet protocol, shared by server.c and client.c: one message type,
 * GREET_UPPER, whose reply is the text in capitals. Private message types
 * go above _IO_MAX (the I/O messages of <sys/iomsg.h> are below).
 */
#ifndef GREET_H
#define GREET_H

#include <stdint.h>
#include <sys/iomsg.h>

#define GREET_NAME  "greet"	    /* the server's name: /dev/name/local/greet */
#define GREET_UPPER (_IO_MAX + 1) /* a request: make the text upper case */
#define GREET_MAX   128		    /* the longest text, its NUL included */

struct greet_msg {
	uint16_t type; /* GREET_UPPER */
	uint16_t len;  /* bytes of text, without a NUL */
	char text[GREET_MAX];
};

#endif
