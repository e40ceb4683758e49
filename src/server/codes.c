/* src/server/codes: single-use codes that set a password, and their mails.
 *
 * A reset code (valid RESET_TTL) answers "I forgot my password"; an invite
 * code (valid INVITE_TTL) lets a new user choose their first password.
 * Both are redeemed the same way, POST /v1/password/reset/confirm with the
 * code and the new password, and stored only as hashes (auth.c).
 *
 * A reset request's whole work, finding the account, storing the code and
 * mailing it, runs on the mail worker (mail.c), so the answer to the
 * request is the same, and as quick, whether the account exists or not.
 * At most MAIL_BURST reset mails go to one account until MAIL_WINDOW has
 * passed since the last, so the reset form cannot flood a mailbox.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAIL_BURST 3
#define MAIL_WINDOW (10 * 60)	/* seconds */

/* "ABCDEFGHJK" as "ABCDE-FGHJK": easier to read out and type (the dash
 * is ignored when the code is entered). */
static void code_show(const char *code, char out[12])
{
	snprintf(out, 12, "%.5s-%.5s", code, code + 5);
}

static void utc_time(int64_t t, char out[64])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 64, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* Whether `uid` had MAIL_BURST reset mails lately; counts this one when
 * not (lock held).  The login throttle's table keeps the count. */
static bool mail_throttled(struct srv *s, int64_t uid, int64_t now)
{
	char key[40];
	int n;
	int64_t last;

	snprintf(key, sizeof key, "mail:%lld", (long long)uid);
	srv_throttle_get(s->db, key, &n, &last);
	if (n && now - last >= MAIL_WINDOW) {
		srv_throttle_clear(s->db, key);
		n = 0;
	}
	if (n >= MAIL_BURST)
		return true;
	srv_throttle_fail(s->db, key, now);
	return false;
}

static char *reset_text(const struct srv_user *u, const char *company,
			const char *code, int64_t expires)
{
	char shown[12], until[64];

	code_show(code, shown);
	utc_time(expires, until);
	return xasprintf(
		"Hello %s,\n\n"
		"someone asked to reset the password of your confab\n"
		"account \"%s\"%s%s.  If it was you, enter this code in\n"
		"confab together with the new password you want:\n\n"
		"    %s\n\n"
		"The code works once and expires on %s (in %d hours).\n"
		"If you did not ask, ignore this mail: your password stays as\n"
		"it is.\n\n"
		"-- \nconfabd\n",
		u->name ? u->name : u->username, u->username,
		company ? " at " : "", company ? company : "", shown, until,
		RESET_TTL / 3600);
}

/* What was asked for, fit for a log line (it is the client's text). */
static const char *loggable(const char *who)
{
	for (const unsigned char *p = (const unsigned char *)who; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return "(a name with control characters)";
	return who;
}

/* The mail worker's part of a reset request (mail_make_fn). */
static int reset_make(struct srv *s, const char *who, struct mail_msg *m)
{
	struct srv_user u = { 0 };
	int64_t now = (int64_t)time(NULL), exp = now + RESET_TTL;
	char *code = NULL, *company = NULL;
	uint8_t h[32];
	int rc = 1;

	pthread_mutex_lock(&s->lock);
	if (srv_user_find(s->db, who, &u) < 0 || u.disabled) {
		log_info("codes", "password reset asked for '%s': no such "
			 "active account, no mail", loggable(who));
	} else if (!s->conf.smtp_url) {
		log_warn("codes", "password reset asked for '%s', but no "
			 "smtp_url is set: give them a code with `confabd "
			 "admin reset-code %s`", u.username, u.username);
	} else if (mail_throttled(s, u.id, now)) {
		log_warn("codes", "password reset asked for '%s': %d mails in "
			 "the last %d minutes already, no more for now",
			 u.username, MAIL_BURST, MAIL_WINDOW / 60);
	} else {
		code = auth_new_code(h);
		if (srv_reset_add(s->db, u.id, h, exp) == 0) {
			srv_audit(s->db, u.company_id, 0, "password.reset-mail",
				  u.username, u.email);
			company = srv_company_name(s->db, u.company_id);
			rc = 0;
		} else {
			log_err("codes", "cannot store a reset code for '%s'",
				u.username);
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (rc == 0) {		/* the mail is made outside the lock */
		m->to = xstrdup(u.email);
		m->subject = xstrdup("Your confab password reset code");
		m->body = reset_text(&u, company, code, exp);
	}
	if (code)
		memset(code, 0, strlen(code));
	free(code);
	free(company);
	srv_user_clear(&u);
	return rc;
}

void codes_reset_request(struct srv *s, const char *who)
{
	mail_defer(s, reset_make, who);
}

char *codes_invite_new(struct srv *s, const struct srv_user *u,
		       int64_t *expires)
{
	uint8_t h[32];
	char *code = auth_new_code(h);

	*expires = (int64_t)time(NULL) + INVITE_TTL;
	if (srv_reset_add(s->db, u->id, h, *expires) < 0) {
		free(code);
		return NULL;
	}
	return code;
}

int codes_invite_mail(struct srv *s, const struct srv_user *u,
		      const char *code, int64_t expires, const char *by)
{
	struct mail_msg m = { 0 };
	char shown[12], until[64];
	char *company;

	pthread_mutex_lock(&s->lock);
	company = srv_company_name(s->db, u->company_id);
	pthread_mutex_unlock(&s->lock);
	code_show(code, shown);
	utc_time(expires, until);
	m.to = xstrdup(u->email);
	m.subject = xstrdup("Your confab account");
	m.body = xasprintf(
		"Hello %s,\n\n"
		"%s has made you a confab account%s%s.\n"
		"Your username is: %s\n\n"
		"To choose your password, enter this invite code in confab\n"
		"together with the password you want:\n\n"
		"    %s\n\n"
		"The code works once and expires on %s (in %d days).\n\n"
		"-- \nconfabd\n",
		u->name ? u->name : u->username, by ? by : "Your administrator",
		company ? " at " : "", company ? company : "", u->username,
		shown, until, INVITE_TTL / 86400);
	free(company);
	return mail_queue(s, &m);
}
