#!/bin/sh
# scripts/run.sh: what `make run` starts — the whole suite on one machine.
#
# confab runs on a data directory of its own (RUN_DIR, default .run/).  When
# its config names no server of its own choosing, a loopback confabd is
# started beside it on RUN_DIR/server (port RUN_PORT, default 8740) and the
# config is pointed at it, so on the first start the TUI offers to create
# the company and its first admin.  The server stops when confab exits.
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

"$b/confab" -D "$run" -C "$conf"
rc=$?
if [ -n "$pid" ]; then
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
fi
exit $rc
