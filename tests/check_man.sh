#!/bin/sh
# confab(1)'s key list must be exactly what the key table generates, and
# every man page must render without warnings.
set -eu
cd "$(dirname "$0")/.."
CONFAB=${CONFAB:-build/confab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$CONFAB" keys --roff >"$tmp/keys.roff"
sed -n '/^\.\\" KEYS-BEGIN/,/^\.\\" KEYS-END/p' man/confab.1 |
	sed '1d;$d' >"$tmp/man.roff"
if ! diff -u "$tmp/man.roff" "$tmp/keys.roff"; then
	echo "man/confab.1 key list differs from the key table:"
	echo "run 'make man-keys' to regenerate it"
	exit 1
fi
for m in man/*.[0-9]; do
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$m" 2>&1 >/dev/null) || true
	if [ -n "$out" ]; then
		echo "$m: $out"
		exit 1
	fi
	LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$m" >/dev/null
done
echo "ok - man pages"
