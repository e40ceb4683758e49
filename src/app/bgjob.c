/* app/bgjob: blocking work on a thread, finished on the loop (bgjob.h). */
#include "app/bgjob.h"
#include "app/loop.h"
#include "common/str.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct bgjob {
	struct loop *l;
	bgjob_fn work, done;
	void *arg;
	pthread_t thread;
	int fds[2];
};

static void *job_main(void *p)
{
	struct bgjob *j = p;
	char one = 1;

	j->work(j->arg);
	if (write(j->fds[1], &one, 1) < 0) {
		/* the loop will not hear of it; nothing else to do */
	}
	return NULL;
}

static void job_finished(void *p, int fd, short revents)
{
	struct bgjob *j = p;

	(void)fd, (void)revents;
	loop_remove_fd(j->l, j->fds[0]);
	pthread_join(j->thread, NULL);
	close(j->fds[0]);
	close(j->fds[1]);
	j->done(j->arg);
	free(j);
}

int bgjob_run(struct loop *l, bgjob_fn work, bgjob_fn done, void *arg)
{
	struct bgjob *j = xcalloc(1, sizeof *j);

	j->l = l;
	j->work = work;
	j->done = done;
	j->arg = arg;
	if (pipe2(j->fds, O_CLOEXEC) < 0) {
		free(j);
		return -1;
	}
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		close(j->fds[0]);
		close(j->fds[1]);
		free(j);
		return -1;
	}
	loop_add_fd(l, j->fds[0], POLLIN, job_finished, j);
	return 0;
}
