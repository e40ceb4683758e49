/* src/server/deliver: reminders arrive when their time comes.
 *
 * A reminder is stored at once with delivered = 0 (api_messages.c); this
 * thread sleeps until the earliest one is due, then gives each recipient
 * an inbox entry and a "message" event.  Because events are kept, a
 * recipient who is offline then gets it when they next poll.  At start it
 * delivers whatever fell due while confabd was down.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct deliver {
	pthread_t thread;
	pthread_mutex_t lock;	/* stop, poke and the sleep */
	pthread_cond_t wake;
	bool stop, poke;
};

/* Deliver what is due (lock held); when the next one is due, 0: none. */
static int64_t deliver_due(struct srv *s)
{
	int64_t *ids, *users;
	size_t n, nu;

	if (srv_msg_due(s->db, time(NULL), &ids, &n) < 0) {
		log_err("deliver", "cannot read the messages due");
		return time(NULL) + 60;
	}
	for (size_t i = 0; i < n; i++) {
		if (srv_msg_deliver(s->db, ids[i], &users, &nu) < 0) {
			log_err("deliver", "cannot deliver message %lld",
				(long long)ids[i]);
			continue;
		}
		for (size_t k = 0; k < nu; k++)
			msg_notify(s, users[k], srv_msg_entry(s->db, users[k],
							      ids[i], false));
		log_info("deliver", "message %lld delivered to %zu",
			 (long long)ids[i], nu);
		free(users);
	}
	free(ids);
	return srv_msg_next_due(s->db);
}

static void *run(void *arg)
{
	struct srv *s = arg;
	struct deliver *d = s->deliver;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		d->poke = false;
		pthread_mutex_unlock(&d->lock);
		pthread_mutex_lock(&s->lock);
		int64_t next = deliver_due(s);
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_lock(&d->lock);
		/* sleep until then (an hour at most: clocks get set) */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		int64_t wait = next ? next - until.tv_sec : 3600;
		if (wait > 3600)
			wait = 3600;
		if (wait < 0)
			wait = 0;
		until.tv_sec += wait;
		while (!d->stop && !d->poke && wait > 0)
			if (pthread_cond_timedwait(&d->wake, &d->lock,
						   &until) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int deliver_start(struct srv *s)
{
	struct deliver *d = calloc(1, sizeof *d);

	if (!d)
		return -1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	s->deliver = d;
	if (pthread_create(&d->thread, NULL, run, s) != 0) {
		log_err("deliver", "cannot start the delivery thread");
		s->deliver = NULL;
		free(d);
		return -1;
	}
	return 0;
}

void deliver_wake(struct srv *s)
{
	struct deliver *d = s->deliver;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->poke = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
}

void deliver_stop(struct srv *s)
{
	struct deliver *d = s->deliver;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
	s->deliver = NULL;
}
