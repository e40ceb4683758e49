/* src/server/admin: `confabd admin init|add-user|reset-code`, working on
 * the data directory's database directly (confabd may be running: SQLite
 * serialises the writes). */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RESET_TTL (24 * 3600)

static const char admin_usage[] =
	"usage: confabd [--data-dir DIR] [--config FILE] admin COMMAND ...\n"
	"\n"
	"  init --company NAME --admin USER --email E [--name N]\n"
	"       [--password-file F]\n"
	"      Create the company and its first administrator (every\n"
	"      permission).\n"
	"      A server may hold several companies, each with its own users.\n"
	"  add-user USER --email E [--name N] [--password-file F | --invite]\n"
	"       [--perm P]... [--company NAME]\n"
	"      --invite: no password; a single-use invite code (valid 7\n"
	"      days) is mailed to E (printed when no smtp_url is set), for\n"
	"      the user to choose their password with.\n"
	"      P: admin, user-admin, phone, intl-phone, announcements,\n"
	"      crm-view, crm-edit, video, recording.\n"
	"  reset-code USER\n"
	"      Print a single-use password reset code (valid 24 hours) for\n"
	"      the user to enter in confab; for servers without SMTP.\n"
	"\n"
	"Without --password-file a random password is made and printed once.\n"
	"--password-file - reads it from standard input (first line).\n";

/* The first line of `path` ("-": stdin), or a new random password. */
static char *read_password(const char *path, bool *generated, char **err)
{
	*generated = false;
	if (!path) {
		static const char chars[] = "abcdefghijkmnopqrstuvwxyz"
					    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
		char pw[17];
		for (int i = 0; i < 16; i++)
			pw[i] = chars[randombytes_uniform(sizeof chars - 1)];
		pw[16] = '\0';
		*generated = true;
		return xstrdup(pw);
	}
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char line[1100];
	if (!f) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	bool got = fgets(line, sizeof line, f) != NULL;
	if (f != stdin)
		fclose(f);
	if (!got) {
		*err = xasprintf("%s: no password in it", path);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
}

struct opts {
	const char *company, *admin, *email, *name, *pwfile;
	bool invite;
	int perms;
	char **pos;
	int npos;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "company", required_argument, NULL, 'c' },
		{ "admin", required_argument, NULL, 'a' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "perm", required_argument, NULL, 'P' },
		{ "invite", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o->company = optarg; break;
		case 'a': o->admin = optarg; break;
		case 'e': o->email = optarg; break;
		case 'n': o->name = optarg; break;
		case 'p': o->pwfile = optarg; break;
		case 'i': o->invite = true; break;
		case 'P': {
			int b = srv_perm_parse(optarg);
			if (!b) {
				fprintf(stderr, "confabd: unknown permission "
					"'%s'\n%s", optarg, admin_usage);
				return 2;
			}
			o->perms |= b;
			break;
		}
		case ':':
			fprintf(stderr, "confabd: %s needs a value\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "confabd: unknown option '%s'\n%s",
				argv[optind - 1], admin_usage);
			return 2;
		}
	}
	o->pos = argv + optind;
	o->npos = argc - optind;
	return 0;
}

/* --invite: a code for choosing the password, mailed or printed. */
static int invite(struct srv *s, const struct srv_user *u)
{
	int64_t exp;
	char *code = codes_invite_new(s, u, &exp);

	if (!code) {
		fprintf(stderr, "confabd: cannot store the invite code\n");
		return -EIO;
	}
	if (s->conf.smtp_url &&
	    codes_invite_mail(s, u, code, exp, NULL) == 0) {
		printf("invite code mailed to %s (valid %d days)\n", u->email,
		       INVITE_TTL / 86400);
	} else {
		if (s->conf.smtp_url)
			fprintf(stderr, "confabd: the invite mail was not sent"
				" (see above): hand the code over yourself\n");
		printf("invite code: %s (valid %d days; the user enters it in "
		       "confab with the password they choose)\n", code,
		       INVITE_TTL / 86400);
	}
	sodium_memzero(code, strlen(code));
	free(code);
	return 0;	/* a mail that failed still left a usable code */
}

static int add(struct srv *s, int64_t company, const char *user,
	       const struct opts *o, int perms, const char *action)
{
	char *err = NULL;
	bool gen = false;
	char *pw = NULL;

	if (!auth_username_ok(user)) {
		fprintf(stderr, "confabd: '%s' is not a username (2 to 64 "
			"letters, digits, '.', '-' or '_')\n", user);
		return 2;
	}
	if (!o->email || !strchr(o->email, '@')) {
		fprintf(stderr, "confabd: give the user's --email\n");
		return 2;
	}
	if (o->invite && o->pwfile) {
		fprintf(stderr, "confabd: --invite or --password-file, not "
			"both\n");
		return 2;
	}
	if (!o->invite && !(pw = read_password(o->pwfile, &gen, &err))) {
		fprintf(stderr, "confabd: %s\n", err);
		free(err);
		return 1;
	}
	const char *why = pw ? auth_password_problem(pw) : NULL;
	if (why) {
		fprintf(stderr, "confabd: %s\n", why);
		free(pw);
		return 1;
	}
	struct srv_user u = { .company_id = company, .perms = perms };
	u.username = xstrdup(user);
	u.email = xstrdup(o->email);
	u.name = xstrdup(o->name);
	u.pw_hash = pw ? auth_hash_password(s, pw) : NULL;
	int rc = !pw || u.pw_hash ? srv_user_add(s->db, &u, &err) : -ENOMEM;
	if (rc == 0) {
		char *ps = srv_perms_str(perms);
		srv_audit(s->db, company, 0, action, user, ps);
		printf("user %s added (id %lld%s%s)\n", user, (long long)u.id,
		       *ps ? ", " : "", ps);
		if (gen)
			printf("password: %s\n", pw);
		if (o->invite)
			rc = invite(s, &u);
		free(ps);
	} else {
		fprintf(stderr, "confabd: %s\n", err ? err : "cannot add the "
			"user");
	}
	if (pw)
		sodium_memzero(pw, strlen(pw));
	free(pw);
	free(err);
	srv_user_clear(&u);
	return rc == 0 ? 0 : 1;
}

int admin_run(struct srv *s, int argc, char **argv)
{
	struct opts o = { 0 };
	int rc;

	if (argc < 2 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(admin_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	if ((rc = parse(argc - 1, argv + 1, &o)) != 0)
		return rc;
	int64_t company = o.company ? srv_company_find(s->db, o.company) :
				      srv_company_first(s->db);
	if (strcmp(cmd, "init") == 0) {
		if (!o.company || !*o.company || !o.admin) {
			fprintf(stderr, "confabd: init needs --company and "
				"--admin\n");
			return 2;
		}
		if (o.invite) {	/* no mail inside init's transaction */
			fprintf(stderr, "confabd: init takes a password, not "
				"--invite\n");
			return 2;
		}
		if (company) {
			fprintf(stderr, "confabd: this server already has a "
				"company named %s\n", o.company);
			return 1;
		}
		if (db_begin(s->db) < 0 ||
		    srv_company_create(s->db, o.company, &company) < 0) {
			fprintf(stderr, "confabd: cannot create the company\n");
			db_rollback(s->db);
			return 1;
		}
		rc = add(s, company, o.admin, &o, PERM_ALL, "admin.init");
		if (rc == 0 && db_commit(s->db) == 0) {
			printf("company %s created\n", o.company);
			return 0;
		}
		db_rollback(s->db);
		return rc ? rc : 1;
	}
	if (!company) {
		if (o.company)
			fprintf(stderr, "confabd: no company named %s\n",
				o.company);
		else
			fprintf(stderr, "confabd: no company yet: run "
				"`confabd admin init` first\n");
		return 1;
	}
	if (!o.company && srv_company_count(s->db) > 1 &&
	    strcmp(cmd, "add-user") == 0) {
		fprintf(stderr, "confabd: this server has several companies: "
			"say which with --company\n");
		return 2;
	}
	if (strcmp(cmd, "add-user") == 0) {
		if (o.npos != 1) {
			fprintf(stderr, "confabd: add-user takes one "
				"username\n");
			return 2;
		}
		return add(s, company, o.pos[0], &o, o.perms, "admin.add-user");
	}
	if (strcmp(cmd, "reset-code") == 0) {
		struct srv_user u;
		uint8_t h[32];
		if (o.npos != 1) {
			fprintf(stderr, "confabd: reset-code takes one user\n");
			return 2;
		}
		if (srv_user_find(s->db, o.pos[0], &u) < 0) {
			fprintf(stderr, "confabd: no user '%s'\n", o.pos[0]);
			return 1;
		}
		char *code = auth_new_code(h);
		rc = srv_reset_add(s->db, u.id, h, (int64_t)time(NULL) +
				   RESET_TTL);
		if (rc == 0) {
			srv_audit(s->db, u.company_id, 0, "admin.reset-code",
				  u.username, NULL);
			printf("%s\n", code);
		}
		free(code);
		srv_user_clear(&u);
		return rc == 0 ? 0 : 1;
	}
	fprintf(stderr, "confabd: unknown admin command '%s'\n%s", cmd,
		admin_usage);
	return 2;
}
