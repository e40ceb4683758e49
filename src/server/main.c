/* src/server/main: confabd's entry point.
 *
 *   confabd [--config FILE] [--listen ADDR:PORT] [--data-dir DIR] [-v]
 *   confabd [--data-dir DIR] admin COMMAND ...
 *
 * Runs in the foreground and logs to stderr.  SIGTERM or SIGINT stop it
 * cleanly: no new connections, the ones in flight finish, the database is
 * closed.  The port actually bound is logged ("listening on ..."), so
 * `--listen 127.0.0.1:0` picks a free one (tests use this).
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DEFAULT_CONFIG "/etc/confab/confabd.conf"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: confabd [OPTIONS]\n"
		"       confabd [OPTIONS] admin COMMAND ...\n"
		"\n"
		"The confab service: accounts, directory, presence, messages\n"
		"and call signalling, over HTTP/JSON.\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE     read FILE (default " DEFAULT_CONFIG
		"; a\n"
		"                        missing default is not an error)\n"
		"  -l, --listen ADDR:PORT  listen there (default 127.0.0.1:8740)\n"
		"  -d, --data-dir DIR    keep the database in DIR\n"
		"                        (default /var/lib/confabd)\n"
		"  -v, --verbose         log every request\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n"
		"\n"
		"`confabd admin help` lists the admin commands.  See confabd(8).\n");
}

static int open_store(struct srv *s, char **err)
{
	if (mkdir(s->conf.data_dir, 0700) < 0 && errno != EEXIST) {
		*err = xasprintf("%s: %s", s->conf.data_dir, strerror(errno));
		return -1;
	}
	char *path = paths_join(s->conf.data_dir, "confabd.db");
	int rc = db_open(&s->db, path, db_server_migrations,
			 db_server_nmigrations, err);
	free(path);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *listen = NULL, *data_dir = NULL;
	bool verbose = false;
	struct srv s = { 0 };
	char *err = NULL;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "+c:l:d:vhV", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'l': listen = optarg; break;
		case 'd': data_dir = optarg; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("confabd %s\n", CONFABD_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	log_open(NULL, verbose ? LOG_DEBUG : LOG_INFO);
	srv_conf_defaults(&s.conf);
	if (srv_conf_load(&s.conf, config ? config : DEFAULT_CONFIG,
			  config != NULL, &err) < 0) {
		fprintf(stderr, "confabd: %s\n", err);
		status = 2;
		goto out;
	}
	if (listen)
		str_set(&s.conf.listen, listen);
	if (data_dir)
		str_set(&s.conf.data_dir, data_dir);
	if (argc > 0 && strcmp(argv[0], "admin") != 0) {
		fprintf(stderr, "confabd: unknown command '%s' (see confabd "
			"--help)\n", argv[0]);
		status = 2;
		goto out;
	}
	if (auth_init(&s, &err) < 0 || open_store(&s, &err) < 0) {
		fprintf(stderr, "confabd: %s\n", err);
		status = 1;
		goto out;
	}
	pthread_mutex_init(&s.lock, NULL);
	s.started = (int64_t)time(NULL);
	if (argc > 0) {
		status = admin_run(&s, argc, argv);
		goto out;
	}

	/* The pool's threads inherit this mask: only main waits for them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (hub_start(&s) < 0 || mail_start(&s) < 0 ||
	    presence_start(&s) < 0 || deliver_start(&s) < 0 ||
	    calls_start(&s) < 0) {
		log_err("confabd", "cannot start the event hub, the mail "
			"queue, the presence sweep or the ring timeout");
		status = 1;
		goto out;
	}
	struct MHD_Daemon *d = http_start(&s, &err);
	if (!d) {
		log_err("confabd", "%s", err);
		status = 1;
		goto out;
	}
	log_info("confabd", "confabd %s listening on %s (port %d), data in "
		 "%s%s", CONFABD_VERSION, s.conf.listen, http_port(d),
		 s.conf.data_dir, s.conf.tls_cert ? ", TLS" : "");
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("confabd", "%s: stopping", sig == SIGTERM ? "SIGTERM" :
		 "SIGINT");
	http_stop(&s, d);
	log_info("confabd", "stopped");
out:
	/* their threads use the database: stopped before it closes */
	calls_stop(&s);
	deliver_stop(&s);
	presence_stop(&s);
	mail_stop(&s);
	if (s.hub) {
		hub_drain(&s);
		hub_free(&s);
	}
	if (s.db)
		db_close(s.db);
	free(err);
	srv_conf_clear(&s.conf);
	log_close();
	return status;
}
