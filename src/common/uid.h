/* common/uid: random identifiers (RFC 4122 version 4 UUIDs). */
#ifndef CONFAB_COMMON_UID_H
#define CONFAB_COMMON_UID_H

#include <stddef.h>

/* Fill buf with n random bytes from the kernel. 0 or -errno. */
int uid_random(void *buf, size_t n);
/* New lower-case UUID string, e.g. "1b4e28ba-2fa1-41d2-883f-0016d3cca427". */
char *uid_new(void);

#endif
