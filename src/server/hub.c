/* src/server/hub: long-polls waiting for events.
 *
 * A GET /v1/events with nothing new suspends its connection (libmicrohttpd
 * suspend/resume: a waiting client costs memory, not a thread) and is
 * listed here by user.  Whoever appends an event for a user calls
 * hub_notify(), which resumes that user's waiters; a thread resumes those
 * whose time is up.  Both sides hold the database lock while they check
 * or append events, so no wakeup falls between a check and a wait.
 *
 * Waiters are kept in a hash table by user, so waking one user's clients
 * costs the same with ten or ten thousand others waiting; the expiry
 * thread sleeps until the earliest deadline (at least EXPIRY_TICK_MS
 * apart) and then sweeps the table.
 */
#include "server/server.h"
#include "common/str.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPIRY_TICK_MS 50		/* deadlines are met this closely */
#define EXPIRY_IDLE_MS 60000		/* the sweep's sleep with nobody due */

struct waiter {
	struct MHD_Connection *c;
	int64_t user, deadline_ms;
	struct waiter *next, **pprev;	/* in its bucket */
};

struct hub {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* the expiry thread sleeps on it */
	struct waiter **bucket;		/* by user id */
	size_t nbuckets;		/* a power of two */
	size_t n;
	int64_t next_sweep_ms;		/* when the expiry thread wakes */
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

static size_t slot(const struct hub *h, int64_t user)
{
	uint64_t x = (uint64_t)user * 0x9e3779b97f4a7c15ULL;	/* Fibonacci */

	return (size_t)(x >> 32) & (h->nbuckets - 1);
}

static void link_waiter(struct hub *h, struct waiter *w)
{
	struct waiter **head = &h->bucket[slot(h, w->user)];

	w->next = *head;
	if (w->next)
		w->next->pprev = &w->next;
	w->pprev = head;
	*head = w;
}

/* Twice the buckets when there are more waiters than buckets (hub
 * locked). */
static void grow(struct hub *h)
{
	struct waiter **old = h->bucket;
	size_t n = h->nbuckets;

	h->nbuckets = n ? n * 2 : 1024;
	h->bucket = xcalloc(h->nbuckets, sizeof *h->bucket);
	for (size_t i = 0; i < n; i++)
		for (struct waiter *w = old[i], *next; w; w = next) {
			next = w->next;
			link_waiter(h, w);
		}
	free(old);
}

/* Resume w's connection and forget w (hub locked). */
static void resume(struct hub *h, struct waiter *w)
{
	MHD_resume_connection(w->c);
	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	h->n--;
	free(w);
}

/* Resume everyone due by t; the earliest deadline left (hub locked). */
static int64_t sweep(struct hub *h, int64_t t)
{
	int64_t next = t + EXPIRY_IDLE_MS;

	for (size_t i = 0; i < h->nbuckets && h->n; i++)
		for (struct waiter *w = h->bucket[i], *nx; w; w = nx) {
			nx = w->next;
			if (w->deadline_ms <= t)
				resume(h, w);
			else if (w->deadline_ms < next)
				next = w->deadline_ms;
		}
	return next;
}

static void *expiry(void *arg)
{
	struct hub *h = arg;

	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		int64_t t = now_ms(), next = sweep(h, t);
		if (next < t + EXPIRY_TICK_MS)
			next = t + EXPIRY_TICK_MS;
		h->next_sweep_ms = next;
		struct timespec ts = { (time_t)(next / 1000),
				       (long)(next % 1000) * 1000000 };
		while (!h->stop && now_ms() < h->next_sweep_ms &&
		       pthread_cond_timedwait(&h->wake, &h->lock, &ts) == 0)
			ts = (struct timespec){ (time_t)(h->next_sweep_ms / 1000),
				(long)(h->next_sweep_ms % 1000) * 1000000 };
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int hub_start(struct srv *s)
{
	struct hub *h = xcalloc(1, sizeof *h);
	pthread_condattr_t ca;

	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &ca);
	pthread_condattr_destroy(&ca);
	grow(h);
	h->next_sweep_ms = INT64_MAX;
	if (pthread_create(&h->thread, NULL, expiry, h) != 0) {
		pthread_cond_destroy(&h->wake);
		pthread_mutex_destroy(&h->lock);
		free(h->bucket);
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
		struct waiter *w = xmalloc(sizeof *w);
		*w = (struct waiter){ .c = conn, .user = user,
				      .deadline_ms = deadline_ms };
		if (h->n >= h->nbuckets)
			grow(h);
		link_waiter(h, w);
		h->n++;
		if (deadline_ms < h->next_sweep_ms) {	/* wake it sooner */
			h->next_sweep_ms = deadline_ms;
			pthread_cond_signal(&h->wake);
		}
	}
	pthread_mutex_unlock(&h->lock);
}

void hub_notify(struct srv *s, int64_t user)
{
	struct hub *h = s->hub;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	for (struct waiter *w = h->bucket[slot(h, user)], *nx; w; w = nx) {
		nx = w->next;
		if (w->user == user)
			resume(h, w);
	}
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
	for (size_t i = 0; i < h->nbuckets; i++)
		while (h->bucket[i])
			resume(h, h->bucket[i]);
	pthread_cond_signal(&h->wake);
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
	free(s->hub->bucket);
	pthread_cond_destroy(&s->hub->wake);
	pthread_mutex_destroy(&s->hub->lock);
	free(s->hub);
	s->hub = NULL;
}
