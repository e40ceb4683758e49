/* common/uid: UUIDs from getrandom(2). */
#include "common/uid.h"
#include "common/str.h"

#include <errno.h>
#include <sys/random.h>

int uid_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n) {
		ssize_t k = getrandom(p, n, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

char *uid_new(void)
{
	/* random bytes come from the kernel in batches: one syscall per 256
	 * UUIDs keeps bulk imports fast */
	static __thread unsigned char pool[4096];
	static __thread size_t left;
	static const char hex[] = "0123456789abcdef";
	unsigned char *b;
	char *s = xmalloc(37), *p = s;

	if (left < 16) {
		uid_random(pool, sizeof pool);
		left = sizeof pool;
	}
	b = pool + sizeof pool - left;
	left -= 16;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p = '\0';
	return s;
}
