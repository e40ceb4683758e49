#!/bin/sh
# scripts/run.sh: what `make run` starts — the whole suite on one machine.
#
# confab runs on a data directory of its own (RUN_DIR, default .run/).  When
# its config names no server of its own choosing, a loopback confabd is
# started beside it on RUN_DIR/server (port RUN_PORT, default 8740) and the
# config is pointed at it, so on the first start the TUI offers to create
# the company and its first admin.  The server stops when confab exits.
#
# Beside the demo server runs the sound-test contact: once the company
# exists, a user "soundtest" (Sound test) is added to it and a headless
# `confab agent --auto-answer --echo` signs in as it, so a new user can
# call it (directory: D in the Online monitor, then c) and hear their own
# voice come back: microphone, speaker and network checked in one go.
#
#   RUN_DIR=DIR     where confab's data, config and the demo server live
#   RUN_PORT=N      the demo server's port
#   B=DIR           the build directory (default build)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
b=${B:-build}
case $b in /*) ;; *) b=$top/$b ;; esac
run=${RUN_DIR:-$top/.run}
port=${RUN_PORT:-8740}
conf=$run/confab.conf
mkdir -p "$run/server"

server=$(sed -n 's/^[[:space:]]*set[[:space:]][[:space:]]*server[[:space:]]*=*[[:space:]]*//p' \
	"$conf" 2>/dev/null | tail -n 1)
pid=
if [ -z "$server" ] || [ "$server" = "http://127.0.0.1:$port" ]; then
	if [ -z "$server" ]; then
		printf '# make run: the loopback confabd beside this profile\nset server = http://127.0.0.1:%s\n' \
			"$port" >>"$conf"
	fi
	[ -f "$run/server/confabd.conf" ] ||
		printf '# the demo server of make run (see confabd(8))\nlisten = 127.0.0.1:%s\ndata_dir = %s\n' \
			"$port" "$run/server" >"$run/server/confabd.conf"
	"$b/confabd" --config "$run/server/confabd.conf" \
		--listen "127.0.0.1:$port" --data-dir "$run/server" \
		2>>"$run/server/confabd.log" &
	pid=$!
	i=0
	while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null &&
	      ! grep -q "listening on 127.0.0.1:$port" "$run/server/confabd.log"; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "make run: the demo confabd did not start (see" \
		     "$run/server/confabd.log); confab runs without it" >&2
		tail -n 2 "$run/server/confabd.log" >&2
		pid=
		sleep 2
	fi
fi

# the sound-test contact, as soon as there is a company to add it to
soundtest() {
	st=$run/soundtest
	mkdir -p "$st"
	[ -f "$st/password" ] ||
		head -c 18 /dev/urandom | base64 >"$st/password"
	chmod 600 "$st/password"
	until "$b/confabd" --config "$run/server/confabd.conf" \
		--data-dir "$run/server" admin add-user soundtest \
		--name "Sound test" --email soundtest@localhost.invalid \
		--password-file "$st/password" >>"$st/setup.log" 2>&1 ||
	      grep -q "is taken" "$st/setup.log"; do
		sleep 2
	done
	"$b/confab" -D "$st" -C /dev/null login --server "http://127.0.0.1:$port" \
		--user soundtest --password-file "$st/password" \
		>>"$st/setup.log" 2>&1 || return
	exec "$b/confab" -D "$st" -C /dev/null agent --auto-answer --echo \
		>>"$st/agent.log" 2>&1 </dev/null
}
spid=
if [ -n "$pid" ]; then
	soundtest &
	spid=$!
fi

"$b/confab" -D "$run" -C "$conf"
rc=$?
if [ -n "$spid" ]; then
	kill -TERM "$spid" 2>/dev/null
	pkill -TERM -P "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
fi
if [ -n "$pid" ]; then
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
fi
exit $rc
