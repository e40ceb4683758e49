/* tests/bench/bench_server.h: a small HTTP/1.1 client for bench_server.c
 * (header-only, like bench_common.h: the Makefile builds each
 * tests/bench/bench_*.c on its own).
 *
 * Raw sockets to 127.0.0.1, keep-alive, replies with Content-Length (what
 * confabd sends).  hc_call() is the blocking form for set-up; the pool
 * drives thousands of connections at once with epoll, stamping the moment
 * each reply is complete.
 */
#ifndef CONFAB_BENCH_SERVER_H
#define CONFAB_BENCH_SERVER_H

#include "bench_common.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* One client connection and the reply it is reading. */
struct hc {
	int fd, port;
	char *in;		/* bytes read, not yet consumed */
	size_t inlen, incap;
	/* the reply parsed by hc_parse() */
	int status;
	const char *body;
	size_t body_len, resp_len;
	/* for the pool */
	bool busy;		/* a request is out, its reply not yet in */
	double t_done;		/* when its reply was complete */
	size_t id;		/* the caller's index */
};

static inline int hc_connect(struct hc *c, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tv = { 5, 0 };
	int one = 1;

	c->port = port;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	/* blocking: on loopback it returns once the handshake is done, or
	 * after 5 s when the server's accept queue stays full */
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return 0;
}

static inline void hc_close(struct hc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->in);
	c->in = NULL;
	c->inlen = c->incap = 0;
}

/* "METHOD PATH" with an optional bearer token and JSON body, into buf
 * (malloc'd, *len set). */
static inline char *hc_format(const char *method, const char *path,
			      const char *token, const char *body, size_t *len)
{
	size_t blen = body ? strlen(body) : 0;
	size_t n = strlen(method) + strlen(path) + (token ? strlen(token) : 0) +
		   blen + 200;
	char *buf = malloc(n);
	int k;

	if (!buf)
		abort();
	k = snprintf(buf, n, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", method,
		     path);
	if (token)
		k += snprintf(buf + k, n - (size_t)k, "Authorization: Bearer "
			      "%s\r\n", token);
	if (body)
		k += snprintf(buf + k, n - (size_t)k, "Content-Type: "
			      "application/json\r\nContent-Length: %zu\r\n",
			      blen);
	k += snprintf(buf + k, n - (size_t)k, "\r\n%s", body ? body : "");
	*len = (size_t)k;
	return buf;
}

static inline int hc_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Drop the reply hc_parse() found. */
static inline void hc_consume(struct hc *c)
{
	memmove(c->in, c->in + c->resp_len, c->inlen - c->resp_len);
	c->inlen -= c->resp_len;
	c->resp_len = 0;
}

/* 1 when a whole reply is in c->in (status, body set), 0 when more is
 * needed, -1 when it is not HTTP we understand. */
static inline int hc_parse(struct hc *c)
{
	const char *end, *p;
	size_t hlen, clen = 0;
	bool have_len = false;

	if (c->inlen < 12)
		return 0;
	if (memcmp(c->in, "HTTP/1.", 7) != 0)
		return -1;
	end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
	if (!end)
		return 0;
	hlen = (size_t)(end - c->in) + 4;
	c->status = atoi(c->in + 9);
	for (p = c->in; p < end;) {
		const char *nl = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!nl)
			nl = end;
		p = nl + 2;
		if (p < end && strncasecmp(p, "Content-Length:", 15) == 0) {
			clen = strtoul(p + 15, NULL, 10);
			have_len = true;
		}
	}
	if (!have_len)
		return -1;
	if (c->inlen < hlen + clen)
		return 0;
	c->body = c->in + hlen;
	c->body_len = clen;
	c->resp_len = hlen + clen;
	return 1;
}

/* Read what the socket has (non-blocking or not); 0 on EOF, -1 on error,
 * else the count. */
static inline ssize_t hc_read(struct hc *c)
{
	if (c->incap - c->inlen < 4096) {
		c->incap = c->incap ? c->incap * 2 : 8192;
		c->in = realloc(c->in, c->incap + 1);
		if (!c->in)
			abort();
	}
	ssize_t r;
	do
		r = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		c->inlen += (size_t)r;
		c->in[c->inlen] = '\0';
	}
	return r;
}

/* A blocking request: status (or -1), and a copy of the body in *out
 * when out is not NULL.  Reconnects once when the server had closed the
 * keep-alive connection. */
static inline int hc_call(struct hc *c, const char *method, const char *path,
			  const char *token, const char *body, char **out)
{
	size_t len;
	char *req = hc_format(method, path, token, body, &len);
	int st = -1;

	if (out)
		*out = NULL;
	for (int attempt = 0; attempt < 2 && st < 0; attempt++) {
		if (c->fd < 0 && hc_connect(c, c->port) < 0)
			break;
		if (hc_write_all(c->fd, req, len) < 0) {
			hc_close(c);
			continue;
		}
		int pr;
		while ((pr = hc_parse(c)) == 0)
			if (hc_read(c) <= 0)
				break;
		if (pr != 1) {
			hc_close(c);
			continue;
		}
		st = c->status;
		if (out) {
			*out = malloc(c->body_len + 1);
			if (!*out)
				abort();
			memcpy(*out, c->body, c->body_len);
			(*out)[c->body_len] = '\0';
		}
		hc_consume(c);
	}
	free(req);
	return st;
}

/* ---- many connections at once --------------------------------------------------- */

struct hpool {
	int ep;
	size_t outstanding;	/* requests whose reply is not yet in */
	size_t errors;
};

static inline int hpool_init(struct hpool *p)
{
	memset(p, 0, sizeof *p);
	p->ep = epoll_create1(EPOLL_CLOEXEC);
	return p->ep < 0 ? -1 : 0;
}

/* Connect c and watch it (non-blocking from now on). */
static inline int hpool_add(struct hpool *p, struct hc *c, int port)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (hc_connect(c, port) < 0)
		return -1;
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	return epoll_ctl(p->ep, EPOLL_CTL_ADD, c->fd, &ev);
}

/* Send a request on c; its reply is awaited by hpool_run(). */
static inline int hpool_send(struct hpool *p, struct hc *c, const char *req,
			     size_t len)
{
	/* requests are far smaller than the socket buffer */
	if (send(c->fd, req, len, MSG_NOSIGNAL) != (ssize_t)len)
		return -1;
	c->busy = true;
	p->outstanding++;
	return 0;
}

/* Read replies until none is outstanding or `timeout` seconds pass; each
 * complete one is stamped and handed to fn (which may consume it; it is
 * consumed after fn returns otherwise).  Returns how many are still
 * outstanding. */
static inline size_t hpool_run(struct hpool *p, double timeout,
			       void (*fn)(struct hc *c, void *arg), void *arg)
{
	struct epoll_event evs[256];
	double end = bench_now() + timeout;

	while (p->outstanding) {
		int ms = (int)((end - bench_now()) * 1000);
		if (ms <= 0)
			break;
		int n = epoll_wait(p->ep, evs, 256, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (int i = 0; i < n; i++) {
			struct hc *c = evs[i].data.ptr;
			ssize_t r = hc_read(c);
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				continue;
			if (r <= 0) {	/* closed: an error if awaited */
				epoll_ctl(p->ep, EPOLL_CTL_DEL, c->fd, NULL);
				if (c->busy) {
					c->busy = false;
					p->outstanding--;
					p->errors++;
				}
				close(c->fd);
				c->fd = -1;
				continue;
			}
			int pr;
			while (c->busy && (pr = hc_parse(c)) != 0) {
				c->busy = false;
				p->outstanding--;
				if (pr < 0) {
					p->errors++;
					c->inlen = 0;
					break;
				}
				c->t_done = bench_now();
				if (fn)
					fn(c, arg);
				if (c->resp_len)
					hc_consume(c);
			}
		}
	}
	return p->outstanding;
}

#endif
