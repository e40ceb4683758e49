/* app/online_away: auto-away.  After the idle time (the profile's
 * auto_away minutes, else the local setting) with no key pressed, a user
 * shown online is set away; the next key sets them back.  One timer, no
 * polling. */
#include "app/online.h"
#include "app/online_int.h"
#include "app/app.h"
#include "app/loop.h"
#include "common/log.h"
#include "common/str.h"

#include <string.h>

#define MINUTE_MS 60000

static void on_idle(void *arg);

/* Idle time before "away", in ms: the profile's preference (minutes)
 * wins over the local setting. */
static int64_t idle_ms(const struct online *o)
{
	json_t *v = json_object_get(json_object_get(o->me, "prefs"),
				    "auto_away");

	if (json_is_integer(v))
		return json_integer_value(v) * MINUTE_MS;
	return (int64_t)o->app->cfg.auto_away * 1000;
}

static void presence_done(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;

	if (err) {
		log_warn("online", "presence: %s", err);
		return;
	}
	str_set(&o->state, online_jval(reply, "state"));
	str_set(&o->note, online_jval(reply, "note"));
	online_say(o, false, NULL);
}

void online_put_presence(struct online *o, const char *state,
			 const char *note, online_got got, void *arg)
{
	json_t *b = json_pack("{s:s,s:s?}", "state", state, "note", note);

	online_call(o, "POST", "/v1/presence", b, got, arg);
	json_decref(b);
}

static void on_idle(void *arg)
{
	struct online *o = arg;
	int64_t idle = idle_ms(o);

	o->idle_timer = 0;
	if (idle <= 0 || o->link == LINK_SIGNED_OUT)
		return;
	if (o->link != LINK_UP) {	/* look again once connected */
		o->idle_timer = loop_timer_in(o->loop, 5000, on_idle, o);
		return;
	}
	if (loop_now_ms() - o->last_input < idle) {
		online_arm_idle(o);
		return;
	}
	if (o->state && strcmp(o->state, "online") == 0) {
		o->auto_away = true;
		online_put_presence(o, "away", o->note, presence_done, o);
	}
}

void online_arm_idle(struct online *o)
{
	int64_t idle = idle_ms(o);

	if (o->headless || o->idle_timer || idle <= 0)
		return;
	o->idle_timer = loop_timer_at(o->loop, o->last_input + idle, on_idle,
				      o);
}

void online_input(struct online *o)
{
	o->last_input = loop_now_ms();
	if (o->auto_away && o->link == LINK_UP) {
		o->auto_away = false;
		if (o->state && strcmp(o->state, "away") == 0)
			online_put_presence(o, "online", o->note, presence_done, o);
	}
	online_arm_idle(o);
}
