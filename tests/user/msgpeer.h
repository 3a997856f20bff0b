/*
 * What tests/user/msgpeer.c and the tests that start it agree on: the
 * layouts and byte patterns of the messages they exchange.
 */
#ifndef TESTS_USER_MSGPEER_H
#define TESTS_USER_MSGPEER_H

#include <stddef.h>
#include <stdint.h>

/* bigsend: header + two bodies out, two reply parts back. */
#define BIG_MAGIC  0x42494721u
#define BIG_A	   40000
#define BIG_B	   30000
#define BIG_R1	   20000
#define BIG_R2	   50000
#define BIG_STATUS 1234

struct big_hdr {
	uint32_t magic;
	uint32_t len; /* bytes after the header */
};

/* Byte i of the bodies (as one stream) and of the reply area. */
static inline unsigned char big_send_byte(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 8) + 3);
}

static inline unsigned char big_reply_byte(size_t i)
{
	return (unsigned char)(i * 13 + (i >> 9) + 1);
}

#endif
