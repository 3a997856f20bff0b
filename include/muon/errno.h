/*
 * Error numbers: QNX Neutrino's whole list with QNX's values (System V
 * numbering, then the socket, NFS and QNX-specific ranges), as QNX 7's
 * <errno.h> defines them. Shared by the kernel and libc; kernel calls
 * return -E... on failure. libc/strerror.c has a text for each.
 */
#ifndef MUON_ERRNO_H
#define MUON_ERRNO_H

#define EOK		0
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define ENOTBLK		15
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ETXTBSY		26
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define ENOMSG		35
#define EIDRM		36
#define ECHRNG		37
#define EL2NSYNC	38
#define EL3HLT		39
#define EL3RST		40
#define ELNRNG		41
#define EUNATCH		42
#define ENOCSI		43
#define EL2HLT		44
#define EDEADLK		45
#define ENOLCK		46
#define ECANCELED	47
#define ENOTSUP		48
#define EDQUOT		49
#define EBADE		50
#define EBADR		51
#define EXFULL		52
#define ENOANO		53
#define EBADRQC		54
#define EBADSLT		55
#define EDEADLOCK	56 /* not EDEADLK: QNX keeps them apart */
#define EBFONT		57
#define EOWNERDEAD	58
#define ENOSTR		60
#define ENODATA		61
#define ETIME		62
#define ENOSR		63
#define ENONET		64
#define ENOPKG		65
#define EREMOTE		66
#define ENOLINK		67
#define EADV		68
#define ESRMNT		69
#define ECOMM		70
#define EPROTO		71
#define EMULTIHOP	74
#define EBADMSG		77
#define ENAMETOOLONG	78
#define EOVERFLOW	79
#define ENOTUNIQ	80
#define EBADFD		81
#define EREMCHG		82
#define ELIBACC		83
#define ELIBBAD		84
#define ELIBSCN		85
#define ELIBMAX		86
#define ELIBEXEC	87
#define EILSEQ		88
#define ENOSYS		89
#define ELOOP		90
#define ERESTART	91
#define ESTRPIPE	92
#define ENOTEMPTY	93
#define EUSERS		94
#define ENOTRECOVERABLE 95
#define EOPNOTSUPP	103 /* not ENOTSUP (48) */
#define EFPOS		110
#define ESTALE		122

/* Sockets. EALREADY is QNX 7's 237 (QNX 6 had EBUSY for it). */
#define EWOULDBLOCK	EAGAIN
#define EINPROGRESS	236
#define EALREADY	237
#define ENOTSOCK	238
#define EDESTADDRREQ	239
#define EMSGSIZE	240
#define EPROTOTYPE	241
#define ENOPROTOOPT	242
#define EPROTONOSUPPORT 243
#define ESOCKTNOSUPPORT 244
#define EPFNOSUPPORT	246
#define EAFNOSUPPORT	247
#define EADDRINUSE	248
#define EADDRNOTAVAIL	249
#define ENETDOWN	250
#define ENETUNREACH	251
#define ENETRESET	252
#define ECONNABORTED	253
#define ECONNRESET	254
#define ENOBUFS		255
#define EISCONN		256
#define ENOTCONN	257
#define ESHUTDOWN	258
#define ETOOMANYREFS	259
#define ETIMEDOUT	260
#define ECONNREFUSED	261
#define EHOSTDOWN	264
#define EHOSTUNREACH	265

/* NFS / RPC */
#define EBADRPC	      272
#define ERPCMISMATCH  273
#define EPROGUNAVAIL  274
#define EPROGMISMATCH 275
#define EPROCUNAVAIL  276

/* QNX's own */
#define ENOREMOTE     300
#define ENONDP	      301
#define EBADFSYS      302
#define EMORE	      309
#define ECTRLTERM     310
#define ENOLIC	      311
#define ESRVRFAULT    312
#define EENDIAN	      313
#define ESECTYPEINVAL 314

#endif
