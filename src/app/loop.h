/* app/loop: the client's event loop.
 *
 * Waits in poll(2) on the registered file descriptors and a wakeup
 * eventfd until input, the next timer or a wakeup arrives; never polls on a
 * schedule, so an idle client uses no CPU.  Single-threaded: callbacks run
 * on the loop's thread; other threads only call loop_wakeup().
 */
#ifndef CONFAB_APP_LOOP_H
#define CONFAB_APP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
typedef void (*loop_fd_cb)(void *arg, int fd, short revents);
typedef void (*loop_timer_cb)(void *arg);

int loop_new(struct loop **out);
void loop_free(struct loop *l);
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb,
		void *arg);
void loop_remove_fd(struct loop *l, int fd);
/* One-shot timer at an absolute monotonic time (ms); returns its id. */
int loop_timer_at(struct loop *l, int64_t when_ms, loop_timer_cb cb,
		  void *arg);
int loop_timer_in(struct loop *l, int64_t delay_ms, loop_timer_cb cb,
		  void *arg);
void loop_timer_cancel(struct loop *l, int id);
/* Called from any thread: makes loop_run_once() return. */
void loop_wakeup(struct loop *l);
/* Wait for and dispatch one round of events. -errno on failure. */
int loop_run_once(struct loop *l);
void loop_stop(struct loop *l);
bool loop_stopped(const struct loop *l);
int64_t loop_now_ms(void);

#endif
