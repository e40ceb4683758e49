/* app/bgjob: blocking work (an upload, a download) on a thread of its
 * own, finished on the client's loop.
 *
 * work(arg) runs on a new thread; when it returns, done(arg) runs on the
 * loop's thread (a pipe wakes the loop), so the interface never waits.
 * arg belongs to the caller; done is always called exactly once (also
 * when the loop is freed first: then never, so free such jobs' args with
 * the owner).
 */
#ifndef CONFAB_APP_BGJOB_H
#define CONFAB_APP_BGJOB_H

struct loop;

typedef void (*bgjob_fn)(void *arg);

/* 0, or -1 when no thread could be started (done is not called). */
int bgjob_run(struct loop *l, bgjob_fn work, bgjob_fn done, void *arg);

#endif
