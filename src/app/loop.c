/* app/loop: poll(2)-based loop with one-shot timers and an eventfd wakeup. */
#include "app/loop.h"
#include "common/str.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct loop_fd {
	int fd;
	short events;
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	int id;
	int64_t when;
	loop_timer_cb cb;
	void *arg;
};

struct loop {
	struct loop_fd *fds;
	size_t nfds;
	struct loop_timer *timers;
	size_t ntimers;
	int next_id;
	int wake_fd;
	bool stop;
};

int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_new(struct loop **out)
{
	struct loop *l = xcalloc(1, sizeof *l);

	l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->wake_fd < 0) {
		int e = -errno;
		free(l);
		return e;
	}
	*out = l;
	return 0;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->wake_fd);
	free(l->fds);
	free(l->timers);
	free(l);
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb,
		void *arg)
{
	l->fds = xrealloc(l->fds, (l->nfds + 1) * sizeof *l->fds);
	l->fds[l->nfds++] = (struct loop_fd){ fd, events, cb, arg };
	return 0;
}

void loop_remove_fd(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->nfds; i++) {
		if (l->fds[i].fd == fd) {
			memmove(&l->fds[i], &l->fds[i + 1],
				(l->nfds - i - 1) * sizeof *l->fds);
			l->nfds--;
			return;
		}
	}
}

int loop_timer_at(struct loop *l, int64_t when_ms, loop_timer_cb cb,
		  void *arg)
{
	l->timers = xrealloc(l->timers, (l->ntimers + 1) * sizeof *l->timers);
	int id = ++l->next_id;
	l->timers[l->ntimers++] = (struct loop_timer){ id, when_ms, cb, arg };
	return id;
}

int loop_timer_in(struct loop *l, int64_t delay_ms, loop_timer_cb cb,
		  void *arg)
{
	return loop_timer_at(l, loop_now_ms() + delay_ms, cb, arg);
}

void loop_timer_cancel(struct loop *l, int id)
{
	for (size_t i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->ntimers];
			return;
		}
	}
}

void loop_wakeup(struct loop *l)
{
	uint64_t one = 1;
	ssize_t r = write(l->wake_fd, &one, sizeof one);
	(void)r;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
	loop_wakeup(l);
}

bool loop_stopped(const struct loop *l)
{
	return l->stop;
}

static void run_due_timers(struct loop *l)
{
	int64_t now = loop_now_ms();

	for (size_t i = 0; i < l->ntimers;) {
		if (l->timers[i].when <= now) {
			struct loop_timer t = l->timers[i];
			l->timers[i] = l->timers[--l->ntimers];
			t.cb(t.arg);	/* may add or cancel timers */
			i = 0;
			continue;
		}
		i++;
	}
}

int loop_run_once(struct loop *l)
{
	size_t n = l->nfds;
	struct pollfd *p = xcalloc(n + 1, sizeof *p);
	int timeout = -1;

	for (size_t i = 0; i < n; i++) {
		p[i].fd = l->fds[i].fd;
		p[i].events = l->fds[i].events;
	}
	p[n].fd = l->wake_fd;
	p[n].events = POLLIN;
	if (l->ntimers) {
		int64_t first = l->timers[0].when;
		for (size_t i = 1; i < l->ntimers; i++)
			if (l->timers[i].when < first)
				first = l->timers[i].when;
		int64_t d = first - loop_now_ms();
		timeout = d < 0 ? 0 : d > 3600000 ? 3600000 : (int)d;
	}
	int r = poll(p, n + 1, timeout);
	if (r < 0 && errno != EINTR) {
		int e = -errno;
		free(p);
		return e;
	}
	if (r > 0 && (p[n].revents & POLLIN)) {
		uint64_t v;
		ssize_t k = read(l->wake_fd, &v, sizeof v);
		(void)k;
	}
	for (size_t i = 0; r > 0 && i < n; i++) {
		if (!p[i].revents)
			continue;
		/* the callback may remove fds: find it again by number */
		for (size_t j = 0; j < l->nfds; j++) {
			if (l->fds[j].fd == p[i].fd) {
				l->fds[j].cb(l->fds[j].arg, p[i].fd,
					     p[i].revents);
				break;
			}
		}
	}
	free(p);
	run_due_timers(l);
	return 0;	/* EINTR too: a signal is an event, not an error */
}
