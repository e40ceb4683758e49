#!/bin/sh
# tests/cli/test_books.sh: `confab books` as a user runs it.
#
# Each check runs confab on a fresh data directory and compares what it
# prints (stdout, stderr, exit status) with what the user should see.
# Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.

CONFAB=${CONFAB:-build/asan/confab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-books.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# run ARGS...: confab on the test data dir; sets $status, $tmp/out, $tmp/err
run() {
	"$CONFAB" -D "$tmp/data" -C "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	failed=$((failed + 1))
	sed 's/^/#   stdout: /' "$tmp/out"
	sed 's/^/#   stderr: /' "$tmp/err"
	echo "#   status: $status"
}

# expect DESC STATUS STDOUT: exact stdout (given as printf format) and status
expect() {
	printf "$3" >"$tmp/want"
	if [ "$status" -eq "$2" ] && cmp -s "$tmp/want" "$tmp/out"; then
		pass "$1"
	else
		sed 's/^/#   want:   /' "$tmp/want"
		fail "$1"
	fi
}

# expect_err DESC STATUS MESSAGE: exit status and one exact stderr line
expect_err() {
	if [ "$status" -eq "$2" ] && grep -qxF "$3" "$tmp/err"; then
		pass "$1"
	else
		echo "#   want stderr: $3"
		fail "$1"
	fi
}

run books list
expect "a new data directory has the Personal book" 0 'Personal\t0\n'

run books
expect "books alone lists the books" 0 'Personal\t0\n'

run books add Work
expect "books add reports the new book" 0 "added address book 'Work'\n"

run books list
expect "books list shows both books by name" 0 'Personal\t0\nWork\t0\n'

run books add Work
expect_err "adding an existing name fails" 1 \
	"confab: an address book named 'Work' already exists"

run books add work
expect_err "book names compare case-insensitively" 1 \
	"confab: an address book named 'work' already exists"

run books add ""
if [ "$status" -eq 1 ] &&
   grep -q "^confab: '' is not a usable book name" "$tmp/err"; then
	pass "an empty book name is refused"
else
	fail "an empty book name is refused"
fi

run books add " Padded"
if [ "$status" -eq 1 ] &&
   grep -q "^confab: ' Padded' is not a usable book name" "$tmp/err"; then
	pass "a name with a leading space is refused"
else
	fail "a name with a leading space is refused"
fi

run books rename Work Office
expect "books rename reports the change" 0 \
	"renamed address book 'Work' to 'Office'\n"

run books list
expect "the renamed book is listed under its new name" 0 \
	'Office\t0\nPersonal\t0\n'

run books rename Nope Other
expect_err "renaming a missing book fails" 1 \
	"confab: no address book 'Nope' (see: confab books list)"

run books rename Office Personal
expect_err "renaming onto an existing name fails" 1 \
	"confab: an address book named 'Personal' already exists"

run books rename Office
if [ "$status" -eq 2 ] && grep -q "^confab: usage: confab books rename OLD NEW" "$tmp/err"; then
	pass "rename with one name is a usage error (exit 2)"
else
	fail "rename with one name is a usage error (exit 2)"
fi

run books frobnicate
if [ "$status" -eq 2 ] && grep -q "unknown books command 'frobnicate'" "$tmp/err"; then
	pass "an unknown books command is a usage error (exit 2)"
else
	fail "an unknown books command is a usage error (exit 2)"
fi

run books list --bogus
if [ "$status" -eq 2 ] && grep -qxF "confab: unknown option '--bogus'" "$tmp/err"; then
	pass "an unknown option is a usage error (exit 2)"
else
	fail "an unknown option is a usage error (exit 2)"
fi

run contacts add --name "Ada Lovelace" --book Office
run contacts add --name "Grace Hopper" --book office
run contacts add --name "Alan Turing"
run books list
expect "books list counts each book's contacts" 0 'Office\t2\nPersonal\t1\n'

run books list --json
if [ "$status" -eq 0 ] && python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert v == [{"name": "Office", "contacts": 2},
             {"name": "Personal", "contacts": 1}], v
' "$tmp/out"; then
	pass "books list --json is an array of {name, contacts}"
else
	fail "books list --json is an array of {name, contacts}"
fi

run books remove Office
expect_err "removing a book with contacts needs --yes" 1 \
	"confab: address book 'Office' holds 2 contacts; add --yes to remove it and them"

run books list
expect "a refused remove leaves the book and its contacts" 0 \
	'Office\t2\nPersonal\t1\n'

run books remove Office --yes
expect "books remove --yes removes a book with contacts" 0 \
	"removed address book 'Office' and its 2 contacts\n"

run contacts list
if [ "$status" -eq 0 ] && [ "$(cut -f2 "$tmp/out")" = "Alan Turing" ]; then
	pass "the removed book's contacts are gone, others stay"
else
	fail "the removed book's contacts are gone, others stay"
fi

run books remove Nope
expect_err "removing a missing book fails" 1 \
	"confab: no address book 'Nope' (see: confab books list)"

run books add Empty
run books remove Empty
expect "an empty book is removed without --yes" 0 \
	"removed address book 'Empty'\n"

run books remove Personal --yes
expect "the last book can be removed" 0 \
	"removed address book 'Personal' and its 1 contact\n"

run books list
expect "with every book removed the list is empty" 0 ''

run contacts add --name "Edsger Dijkstra"
run books list
expect "adding a contact then recreates Personal" 0 'Personal\t1\n'

run help books
if [ "$status" -eq 0 ] && grep -q "^usage: confab books" "$tmp/out" &&
   grep -q "rename OLD NEW" "$tmp/out"; then
	pass "confab help books prints the usage"
else
	fail "confab help books prints the usage"
fi

if [ "$failed" -gt 0 ]; then
	echo "# $failed check(s) failed"
	exit 1
fi
exit 0
