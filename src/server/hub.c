/* src/server/hub: long-polls waiting for events.
 *
 * A GET /v1/events with nothing new suspends its connection (libmicrohttpd
 * suspend/resume: a waiting client costs memory, not a thread) and is
 * listed here by user.  Whoever appends an event for a user calls
 * hub_notify(), which resumes that user's waiters; a thread resumes those
 * whose time is up.  Both sides hold the database lock while they check
 * or append events, so no wakeup falls between a check and a wait.
 */
#include "server/server.h"
#include "common/str.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct waiter {
	struct MHD_Connection *c;
	int64_t user;
	int64_t deadline_ms;
};

struct hub {
	pthread_mutex_t lock;
	struct waiter *w;
	size_t n, cap;
	pthread_t thread;
	bool stop, joined;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t hub_now_ms(void)
{
	return now_ms();
}

/* Resume and forget waiter i (hub locked). */
static void resume_at(struct hub *h, size_t i)
{
	MHD_resume_connection(h->w[i].c);
	h->w[i] = h->w[--h->n];
}

static void *expiry(void *arg)
{
	struct hub *h = arg;

	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		int64_t t = now_ms();
		for (size_t i = 0; i < h->n;)
			if (h->w[i].deadline_ms <= t)
				resume_at(h, i);
			else
				i++;
		pthread_mutex_unlock(&h->lock);
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int hub_start(struct srv *s)
{
	struct hub *h = xcalloc(1, sizeof *h);

	pthread_mutex_init(&h->lock, NULL);
	if (pthread_create(&h->thread, NULL, expiry, h) != 0) {
		free(h);
		return -1;
	}
	s->hub = h;
	return 0;
}

void hub_wait(struct srv *s, void *conn, int64_t user, int64_t deadline_ms)
{
	struct hub *h = s->hub;

	MHD_suspend_connection(conn);
	pthread_mutex_lock(&h->lock);
	if (h->stop) {		/* shutting down: answer now */
		MHD_resume_connection(conn);
	} else {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 64;
			h->w = xrealloc(h->w, h->cap * sizeof *h->w);
		}
		h->w[h->n++] = (struct waiter){ conn, user, deadline_ms };
	}
	pthread_mutex_unlock(&h->lock);
}

void hub_notify(struct srv *s, int64_t user)
{
	struct hub *h = s->hub;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->n;)
		if (h->w[i].user == user)
			resume_at(h, i);
		else
			i++;
	pthread_mutex_unlock(&h->lock);
}

size_t hub_waiting(struct srv *s)
{
	size_t n;

	if (!s->hub)
		return 0;
	pthread_mutex_lock(&s->hub->lock);
	n = s->hub->n;
	pthread_mutex_unlock(&s->hub->lock);
	return n;
}

bool hub_stopping(struct srv *s)
{
	bool st;

	if (!s->hub)
		return false;
	pthread_mutex_lock(&s->hub->lock);
	st = s->hub->stop;
	pthread_mutex_unlock(&s->hub->lock);
	return st;
}

/* Every waiter is answered (with what it has), then the thread ends. */
void hub_drain(struct srv *s)
{
	struct hub *h = s->hub;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	while (h->n)
		resume_at(h, 0);
	bool join = !h->joined;
	h->joined = true;
	pthread_mutex_unlock(&h->lock);
	if (join)
		pthread_join(h->thread, NULL);
}

void hub_free(struct srv *s)
{
	if (!s->hub)
		return;
	free(s->hub->w);
	pthread_mutex_destroy(&s->hub->lock);
	free(s->hub);
	s->hub = NULL;
}
