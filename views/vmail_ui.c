/* views/vmail_ui: voice mail on screen.
 *
 * Recording: a layer with the recipient, the time recorded and a level
 * meter; Enter sends (the upload runs on a thread, app/bgjob, then the
 * message goes through the outbox), Esc throws it away.  It opens after a
 * call nobody answered (callui.c) and from the Messages tab ("new voice
 * mail").  Playing: the message reader shows a progress bar for a voice
 * mail; p plays and pauses, Left and Right seek 5 s; the recording is
 * downloaded once (checksum checked) into the data directory.
 */
#include "views/vmail_ui.h"
#include "views/shell.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/bgjob.h"
#include "app/loop.h"
#include "app/online.h"
#include "call/vmail.h"
#include "common/log.h"
#include "common/str.h"
#include "net/api.h"
#include "store/messages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 250
#define SEEK_S 5
#define BAR_W 30

/* What a thread needs to talk to the server on its own. */
struct bg_api {
	char *base, *token, *proxy;
	char *path, *file, *err;
	json_t *reply;
	long status;
	int rc;
};

static struct bg_api *bg_api_new(struct shell *sh)
{
	struct online *o = shell_online(sh);
	struct api a = online_api(o);
	struct bg_api *b = xcalloc(1, sizeof *b);

	b->base = xstrdup(a.base);
	b->token = xstrdup(a.token);
	b->proxy = xstrdup(a.proxy);
	return b;
}

static void bg_api_free(struct bg_api *b)
{
	free(b->base);
	free(b->token);
	free(b->proxy);
	free(b->path);
	free(b->file);
	free(b->err);
	json_decref(b->reply);
	free(b);
}

static struct api bg_api_of(const struct bg_api *b)
{
	return (struct api){ .base = b->base, .token = b->token,
			     .proxy = b->proxy, .timeout_ms = 120000 };
}


/* ---- sending ------------------------------------------------------------------------- */

struct vm_send {
	struct shell *sh;
	struct bg_api *b;
	char *to, *name;
	double secs;
};

static void upload_work(void *arg)
{
	struct vm_send *s = arg;
	struct api a = bg_api_of(s->b);

	s->b->rc = api_upload(&a, s->b->file, "voicemail.opus", &s->b->status,
			      &s->b->reply, &s->b->err);
}

static void upload_done(void *arg)
{
	struct vm_send *s = arg;
	json_t *id = json_object_get(s->b->reply, "id");
	char body[64];

	unlink(s->b->file);
	if (s->b->rc < 0 || s->b->status >= 400 || !json_is_integer(id)) {
		shell_error(s->sh, "The voice mail for %s was not sent: %s",
			    s->name, s->b->err ? s->b->err :
			    api_error_message(s->b->reply, s->b->status));
	} else {
		snprintf(body, sizeof body, "Voice mail (%d:%02d)",
			 (int)s->secs / 60, (int)s->secs % 60);
		json_t *m = json_pack("{s:s,s:s,s:s,s:[O]}", "to", s->to,
				      "body", body, "kind", "voicemail",
				      "attachments", id);
		if (online_msg_send(shell_online(s->sh), "message", m) < 0)
			shell_error(s->sh, "Cannot write the outbox");
		else
			shell_message(s->sh, "Voice mail sent to %s (%d:%02d)",
				      s->name, (int)s->secs / 60,
				      (int)s->secs % 60);
		json_decref(m);
	}
	bg_api_free(s->b);
	free(s->to);
	free(s->name);
	free(s);
}

/* ---- the recording layer ------------------------------------------------------------------- */

struct recorder {
	struct view v;
	struct vmail_rec *rec;
	char *to, *name, *path;
	int tick;
};

static void rec_finish(struct recorder *r, bool send)
{
	struct shell *sh = r->v.sh;
	char *err = NULL;
	double secs = vmail_rec_stop(r->rec, &err);

	r->rec = NULL;
	if (secs < 0) {
		shell_error(sh, "%s", err);
		free(err);
		unlink(r->path);
	} else if (!send) {
		shell_message(sh, "Voice mail thrown away");
		unlink(r->path);
	} else if (secs < 0.5) {
		shell_message(sh, "Nothing recorded: no voice mail sent");
		unlink(r->path);
	} else {
		struct vm_send *s = xcalloc(1, sizeof *s);
		s->sh = sh;
		s->b = bg_api_new(sh);
		s->b->file = xstrdup(r->path);
		s->to = xstrdup(r->to);
		s->name = xstrdup(r->name);
		s->secs = secs;
		shell_message(sh, "Sending the voice mail for %s...", r->name);
		if (bgjob_run(shell_loop(sh), upload_work, upload_done, s) < 0) {
			shell_error(sh, "Cannot start sending the voice mail");
			unlink(s->b->file);
			bg_api_free(s->b);
			free(s->to);
			free(s->name);
			free(s);
		}
	}
	shell_pop(sh, &r->v);
}

static void rec_tick(void *arg)
{
	struct recorder *r = arg;

	r->tick = 0;
	if (!r->rec)
		return;
	if (vmail_rec_done(r->rec)) {	/* the maximum length */
		rec_finish(r, true);
		return;
	}
	r->v.dirty = true;
	shell_dirty(r->v.sh);
	r->tick = loop_timer_in(shell_loop(r->v.sh), TICK_MS, rec_tick, r);
}

static void rec_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct recorder *r = (struct recorder *)v;
	struct shell *sh = v->sh;
	int bw = cols < 60 ? cols : 60, bh = 8;
	int y = h > bh ? (h - bh) / 2 : 0, x = (cols - bw) / 2;
	char line[200], bar[100];
	double s = r->rec ? vmail_rec_seconds(r->rec) : 0;

	ui_box(sh, w, y, x, bh, bw, "New voice mail");
	snprintf(line, sizeof line, "For %s", r->name);
	ui_text(w, y + 2, x + 2, bw - 4, line, ui_attr(sh, UI_TITLE));
	ui_bar(sh, ui_level_cells(r->rec ? vmail_rec_level(r->rec) : -100, 20),
	       20, bar, sizeof bar);
	snprintf(line, sizeof line, "Recording %d:%02d of %d:00  [%s]",
		 (int)s / 60, (int)s % 60, VMAIL_MAX_S / 60, bar);
	ui_text(w, y + 3, x + 2, bw - 4, line, ui_attr(sh, UI_NORMAL));
	ui_text(w, y + 5, x + 2, bw - 4, "Enter: send   Esc: throw away",
		ui_attr(sh, UI_HINT));
}

static bool rec_key(struct view *v, const struct ui_key *k)
{
	struct recorder *r = (struct recorder *)v;

	if (!r->rec)
		return false;
	if (k->action == A_OPEN || k->action == A_FORM_SAVE ||
	    k->code == '\n' || k->code == '\r') {
		rec_finish(r, true);
		return true;
	}
	if (k->action == A_CANCEL || k->action == A_CLOSE) {
		rec_finish(r, false);
		return true;
	}
	return true;	/* modal: nothing else while recording */
}

static void rec_free(struct view *v)
{
	struct recorder *r = (struct recorder *)v;
	char *err = NULL;

	if (r->tick)
		loop_timer_cancel(shell_loop(v->sh), r->tick);
	if (r->rec) {		/* closed some other way: throw away */
		vmail_rec_stop(r->rec, &err);
		free(err);
		unlink(r->path);
	}
	free(r->to);
	free(r->name);
	free(r->path);
	free(r);
}

static const enum action rec_hints[] = { A_CLOSE, A_NONE };
static const struct view_ops rec_ops = {
	.name = "voicemail",
	.ctx = CTX_FORM,
	.draw = rec_draw,
	.key = rec_key,
	.free = rec_free,
	.hints = rec_hints,
};

void vmail_record_open(struct shell *sh, const char *username,
		       const char *name)
{
	struct app *a = shell_app(sh);
	struct recorder *r;
	char *err = NULL;

	if (!online_signed_in(shell_online(sh))) {
		shell_error(sh, "Sign in to a confab server to send voice mail");
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->v.ops = &rec_ops;
	r->v.sh = sh;
	r->v.title = "voice mail";
	r->v.modal = true;
	r->to = xstrdup(username);
	r->name = xstrdup(name && *name ? name : username);
	r->path = xasprintf("%s/voicemail-out-%ld.opus", a->data_dir,
			    (long)time(NULL));
	if (vmail_rec_start(&r->rec, a->cfg.audio_input, r->path, 0,
			    &err) < 0) {
		shell_error(sh, "Cannot record: %s", err);
		free(err);
		r->rec = NULL;
		rec_free(&r->v);
		return;
	}
	shell_push(sh, &r->v);
	r->tick = loop_timer_in(shell_loop(sh), TICK_MS, rec_tick, r);
}

/* ---- playing in the reader --------------------------------------------------------------------- */

struct vm_player {
	struct shell *sh;
	int64_t att;
	char *path;
	struct vmail_play *play;
	bool fetching, want_play;
	int tick;
	struct view *owner;
	struct vm_fetch *fetch;
};

struct vm_fetch {
	struct vm_player *p;	/* NULL once the player is gone */
	struct bg_api *b;
};

static void player_tick(void *arg)
{
	struct vm_player *p = arg;

	p->tick = 0;
	if (!p->play)
		return;
	p->owner->dirty = true;
	shell_dirty(p->sh);
	if (!vmail_play_ended(p->play) && !vmail_play_paused(p->play))
		p->tick = loop_timer_in(shell_loop(p->sh), TICK_MS,
					player_tick, p);
}

static void player_go(struct vm_player *p)
{
	struct app *a = shell_app(p->sh);
	char *err = NULL;

	if (!p->play && vmail_play_start(&p->play, p->path,
					 a->cfg.audio_output, &err) < 0) {
		shell_error(p->sh, "Cannot play the voice mail: %s", err);
		free(err);
		p->play = NULL;
		return;
	}
	if (vmail_play_ended(p->play))
		vmail_play_seek(p->play, 0);
	vmail_play_pause(p->play, false);
	if (!p->tick)
		p->tick = loop_timer_in(shell_loop(p->sh), TICK_MS,
					player_tick, p);
}

static void fetch_work(void *arg)
{
	struct vm_fetch *f = arg;
	struct api a = bg_api_of(f->b);

	f->b->rc = api_download(&a, f->b->path, f->b->file, &f->b->err);
}

static void fetch_done(void *arg)
{
	struct vm_fetch *f = arg;
	struct vm_player *p = f->p;

	if (p) {
		p->fetching = false;
		p->fetch = NULL;
		if (f->b->rc < 0)
			shell_error(p->sh, "Cannot fetch the voice mail: %s",
				    f->b->err ? f->b->err : "error");
		else if (p->want_play)
			player_go(p);
		p->owner->dirty = true;
		shell_dirty(p->sh);
	}
	bg_api_free(f->b);
	free(f);
}

struct vm_player *vm_player_new(struct shell *sh, struct view *owner,
				const char *kind, const char *attachments)
{
	json_t *a = attachments ? json_loads(attachments, 0, NULL) : NULL, *v;
	struct vm_player *p = NULL;
	int64_t att = 0;
	size_t i;

	json_array_foreach(a, i, v) {
		const char *type = json_string_value(json_object_get(v,
								     "type"));
		if (!att && type && strstr(type, "ogg"))
			att = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(a);
	(void)kind;	/* any message with Ogg sound plays, voice mail or not */
	if (!att)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->sh = sh;
	p->owner = owner;
	p->att = att;
	p->path = xasprintf("%s/voicemail-%lld.opus", shell_app(sh)->data_dir,
			    (long long)att);
	return p;
}

void vm_player_free(struct vm_player *p)
{
	if (!p)
		return;
	if (p->tick)
		loop_timer_cancel(shell_loop(p->sh), p->tick);
	if (p->fetch)
		p->fetch->p = NULL;
	vmail_play_stop(p->play);
	free(p->path);
	free(p);
}

bool vm_player_key(struct vm_player *p, enum action a)
{
	if (!p)
		return false;
	switch (a) {
	case A_VM_PLAY:
		if (p->play && !vmail_play_paused(p->play) &&
		    !vmail_play_ended(p->play)) {
			vmail_play_pause(p->play, true);
		} else if (access(p->path, R_OK) == 0) {
			player_go(p);
		} else if (!p->fetching) {
			struct vm_fetch *f = xcalloc(1, sizeof *f);
			f->p = p;
			f->b = bg_api_new(p->sh);
			f->b->path = xasprintf("/v1/attachments/%lld",
					       (long long)p->att);
			f->b->file = xstrdup(p->path);
			p->fetching = p->want_play = true;
			p->fetch = f;
			if (bgjob_run(shell_loop(p->sh), fetch_work,
				      fetch_done, f) < 0) {
				p->fetching = false;
				p->fetch = NULL;
				bg_api_free(f->b);
				free(f);
				shell_error(p->sh, "Cannot fetch the voice mail");
			}
		}
		break;
	case A_VM_BACK:
	case A_VM_FWD:
		if (!p->play)
			return true;
		vmail_play_seek(p->play, vmail_play_position(p->play) +
			      (a == A_VM_FWD ? SEEK_S : -SEEK_S));
		break;
	default:
		return false;
	}
	p->owner->dirty = true;
	return true;
}

void vm_player_draw(struct vm_player *p, WINDOW *w, int y, int x, int width)
{
	struct shell *sh = p->sh;
	double pos = p->play ? vmail_play_position(p->play) : 0;
	double len = p->play ? vmail_play_length(p->play) : 0;
	char bar[BAR_W * 3 + 1], line[256];
	int fill = len > 0 ? (int)(pos / len * BAR_W + 0.5) : 0;
	const char *st;

	ui_bar(sh, fill, BAR_W, bar, sizeof bar);
	st = p->fetching ? "fetching..." : !p->play ? "p: play" :
	     vmail_play_ended(p->play) ? "played  p: again" :
	     vmail_play_paused(p->play) ? "paused  p: go on" : "playing  p: pause";
	snprintf(line, sizeof line, "Voice mail %d:%02d [%s] %d:%02d  %s  "
		 "Left/Right: 5 s", (int)pos / 60, (int)pos % 60, bar,
		 (int)len / 60, (int)len % 60, st);
	ui_text(w, y, x, width, line, ui_attr(sh, UI_TITLE));
}
