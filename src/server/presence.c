/* src/server/presence: which sessions are still there.
 *
 * Signing out of the last session makes a user offline (api_users.c), but
 * a client that just goes away (laptop closed, network gone, process
 * killed) never signs out.  So each session's last request is kept here:
 * a session counts as there while it holds a long-poll open, or made a
 * request in the last presence_timeout seconds.  Every few seconds a sweep
 * thread shows users with no such session offline; the database keeps
 * what they had chosen aside (srv_presence_lapse) and the next request of
 * any of their sessions brings it back (srv_presence_resume).  Watchers
 * hear of both as presence events.
 *
 * The times are kept in memory, not in the sessions table: they change
 * on every request, and a row write per long-poll buys nothing, because
 * after a restart every session gets a fresh grace period anyway (the
 * sweep waits presence_timeout after start before it judges anyone).
 *
 * The table, sorted by session id, lives under the database lock: every
 * caller holds that lock already, and the sweep needs both at once.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a goodbye is remembered: longer than any poll lasts. */
#define BYE_KEEP_MS (120 * 1000)

struct seen {
	int64_t session, user;
	int64_t last_ms;	/* last request, or end of the last poll */
	int64_t poll_until_ms;	/* latest deadline of the polls open */
	int polls;		/* long-polls open now */
	uint64_t gone_inst;	/* the process that said goodbye */
	int64_t gone_ms;	/* and when */
};

struct presence {
	struct seen *v;		/* sorted by session */
	size_t n, cap;
	int64_t grace_ms, started_ms;
	pthread_t thread;
	pthread_mutex_t lock;	/* `stop` and the sweep's sleep only */
	pthread_cond_t wake;
	bool stop;
};

/* Where `session` is, or would go, in the table. */
static size_t find(const struct presence *p, int64_t session, bool *found)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->v[mid].session < session)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < p->n && p->v[lo].session == session;
	return lo;
}

static struct seen *get(struct presence *p, int64_t session, int64_t user)
{
	bool found;
	size_t i = find(p, session, &found);

	if (!found) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			p->v = xrealloc(p->v, p->cap * sizeof *p->v);
		}
		memmove(p->v + i + 1, p->v + i, (p->n - i) * sizeof *p->v);
		p->v[i] = (struct seen){ .session = session, .user = user };
		p->n++;
	}
	return &p->v[i];
}

/* A poll whose end never came (its connection vanished while suspended)
 * stops counting at its deadline. */
static bool there(const struct seen *e, int64_t now, int64_t grace)
{
	if (e->polls > 0 && now < e->poll_until_ms + grace)
		return true;
	return e->last_ms && now < e->last_ms + grace;
}

/* A session that was not there is back: so is its user's choice. */
static void back(struct srv *s, int64_t user)
{
	if (srv_presence_resume(s->db, user) > 0)
		event_presence(s, user);
}

/* The session's record, marked seen now; *was: it counted before. */
static struct seen *touch(struct srv *s, int64_t session, int64_t user,
			  uint64_t inst, bool *was)
{
	struct presence *p = s->presence;
	int64_t now = hub_now_ms();

	if (!p || !session)
		return NULL;
	struct seen *e = get(p, session, user);
	/* the polls of a process that said goodbye do not bring it back */
	if (inst && e->gone_inst == inst)
		return NULL;
	*was = there(e, now, p->grace_ms);
	e->last_ms = now;
	return e;
}

void presence_seen(struct srv *s, int64_t session, int64_t user)
{
	struct seen *e;
	bool was;

	if ((e = touch(s, session, user, 0, &was)) && !was)
		back(s, user);
}

uint64_t presence_inst(const char *text)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	if (!text || !*text)
		return 0;
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 1099511628211ULL;
	return h ? h : 1;
}

bool presence_gone(struct srv *s, int64_t session, uint64_t inst)
{
	struct presence *p = s->presence;
	bool found;
	size_t i;

	if (!p || !inst)
		return false;
	i = find(p, session, &found);
	return found && p->v[i].gone_inst == inst;
}

void presence_poll_begin(struct srv *s, int64_t session, int64_t user,
			 uint64_t inst, int64_t until_ms)
{
	struct seen *e;
	bool was;

	if (!(e = touch(s, session, user, inst, &was)))
		return;
	e->polls++;
	if (until_ms > e->poll_until_ms)
		e->poll_until_ms = until_ms;
	if (!was)
		back(s, user);
}

void presence_poll_end(struct srv *s, int64_t session, int64_t user,
		       uint64_t inst)
{
	struct seen *e;
	bool was;

	if (!(e = touch(s, session, user, inst, &was)))
		return;
	if (e->polls > 0)
		e->polls--;
	if (!was)
		back(s, user);
}

void presence_forget(struct srv *s, int64_t session)
{
	struct presence *p = s->presence;
	bool found;

	if (!p)
		return;
	size_t i = find(p, session, &found);
	if (found) {
		memmove(p->v + i, p->v + i + 1, (p->n - i - 1) * sizeof *p->v);
		p->n--;
	}
}

void presence_leave(struct srv *s, int64_t session, int64_t user,
		    uint64_t inst)
{
	struct presence *p = s->presence;
	struct seen *e;

	if (!p || !session)
		return;
	e = get(p, session, user);
	e->last_ms = e->poll_until_ms = 0;
	e->polls = 0;
	e->gone_inst = inst;
	e->gone_ms = hub_now_ms();
}

bool presence_user_there(struct srv *s, int64_t user)
{
	struct presence *p = s->presence;
	int64_t now = hub_now_ms();

	if (!p)
		return false;
	for (size_t i = 0; i < p->n; i++)	/* sign-outs only: rare */
		if (p->v[i].user == user && there(&p->v[i], now, p->grace_ms))
			return true;
	return false;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The users with a session there, sorted; sessions not there are
 * dropped from the table (one coming back is simply new again). */
static int64_t *users_there(struct presence *p, int64_t now, size_t *n)
{
	int64_t *ids = xmalloc((p->n ? p->n : 1) * sizeof *ids);
	size_t w = 0;

	*n = 0;
	for (size_t i = 0; i < p->n; i++)
		if (there(&p->v[i], now, p->grace_ms)) {
			p->v[w++] = p->v[i];
			ids[(*n)++] = p->v[i].user;
		} else if (p->v[i].gone_inst &&
			   now - p->v[i].gone_ms < BYE_KEEP_MS) {
			p->v[w++] = p->v[i];
		}
	p->n = w;
	qsort(ids, *n, sizeof *ids, cmp_id);
	return ids;
}

static void lapse(struct srv *s, int64_t user)
{
	struct srv_user u;

	if (srv_presence_lapse(s->db, user) <= 0)
		return;
	if (srv_user_get(s->db, user, &u) == 0) {
		log_info("presence", "%s: no session heard from for %d s, "
			 "shown offline", u.username,
			 s->conf.presence_timeout);
		srv_user_clear(&u);
	}
	event_presence(s, user);
}

/* Lock held. */
static void sweep(struct srv *s)
{
	struct presence *p = s->presence;
	int64_t now = hub_now_ms(), *shown, *here;
	size_t nshown, nhere;

	/* after a start, clients get the grace period to come back */
	if (now < p->started_ms + p->grace_ms)
		return;
	here = users_there(p, now, &nhere);
	if (srv_presence_shown(s->db, &shown, &nshown) == 0) {
		for (size_t i = 0; i < nshown; i++)
			if (!bsearch(&shown[i], here, nhere, sizeof *here,
				     cmp_id))
				lapse(s, shown[i]);
		free(shown);
	}
	free(here);
}

static void *sweeper(void *arg)
{
	struct srv *s = arg;
	struct presence *p = s->presence;
	/* a third of the grace period: offline within 4/3 of it */
	int64_t every = p->grace_ms / 3;

	if (every < 1000)
		every = 1000;
	if (every > 5000)
		every = 5000;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t ns = ts.tv_nsec + every % 1000 * 1000000;
		ts.tv_sec += every / 1000 + ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
		pthread_cond_timedwait(&p->wake, &p->lock, &ts);
		if (p->stop)
			break;
		pthread_mutex_unlock(&p->lock);
		pthread_mutex_lock(&s->lock);	/* never under p->lock */
		sweep(s);
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int presence_start(struct srv *s)
{
	struct presence *p = xcalloc(1, sizeof *p);
	pthread_condattr_t ca;

	p->grace_ms = (int64_t)s->conf.presence_timeout * 1000;
	p->started_ms = hub_now_ms();
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	s->presence = p;
	if (pthread_create(&p->thread, NULL, sweeper, s) != 0) {
		s->presence = NULL;
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return -1;
	}
	return 0;
}

/* After the HTTP server stopped: nobody else touches the table. */
void presence_stop(struct srv *s)
{
	struct presence *p = s->presence;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p->v);
	free(p);
	s->presence = NULL;
}
