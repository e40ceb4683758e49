#!/bin/sh
# tests/it/test_sync.sh: address books, contacts and the call log the same
# on two machines of one user, through a real confabd: a second machine
# gets everything at its first sync; edits go both ways; edits made on
# both machines while the server is down are all kept and converge once
# it is back, each sent once; a record changed on both machines is a
# conflict with both versions kept, resolved by the user (mine, theirs,
# both); a change's key makes a retry harmless; bad changes are refused
# with a reason and lose nothing.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-sync
IT_SHOW="out err" IT_SHOW_LINES=8 IT_LOG_LINES=5
. "$(dirname "$0")/lib.sh"

acme
start

A() { client a "$@"; }
B() { client b "$@"; }
# names DIR: the sorted contacts of a machine (name, email, phone, book)
names() {
	"$CONFAB" -D "$tmp/$1" -C "$tmp/none.conf" contacts list |
		cut -f2- | sort
}
same() { [ "$(names a)" = "$(names b)" ]; }

# ---- machine A has data before it ever signs in ---------------------------------
A contacts add --name "Ada Lovelace" --email ada@example.org --phone "020 7946 0958" \
	--org "Analytical Engines" --note "Met at the RS" --tag vip
A books add Suppliers
A contacts add --name "Charles Babbage" --email cb@example.org --book Suppliers
A calls add --peer bob --direction out --kind pc --outcome answered --duration 95
A login --server "$url" --user alice --password-file "$tmp/alice"
A sync
check "machine A's first sync sends its books, contacts and calls" \
	sh -c '[ "$1" = 0 ] && grep -q "^sent 5," "$2"' sh "$status" "$tmp/out"

# ---- a second machine gets everything ----------------------------------------------
B login --server "$url" --user alice --password-file "$tmp/alice"
B sync
check "machine B's first sync brings it all" same
B books list
check "with the address book Suppliers" sh -c 'grep -q "^Suppliers	1" "$1"' sh "$tmp/out"
B contacts search ada
id_b=$(cut -f1 "$tmp/out")
B contacts show "$id_b"
check "every field came along (org, note, tag, phone)" \
	sh -c 'grep -q "Analytical Engines" "$1" && grep -q "Met at the RS" "$1" && grep -q "vip" "$1" && grep -q "020 7946 0958" "$1"' \
	sh "$tmp/out"
B calls list
check "and the call log" sh -c 'grep -q "	out	pc	answered	95	.*bob" "$1"' sh "$tmp/out"
uid_ada=$(sed -n 's/^UID: *//p' "$tmp/out" 2>/dev/null)

# ---- edits go both ways --------------------------------------------------------------
B contacts edit "$id_b" --title "Countess"
B sync
A sync
A contacts search ada
A contacts show "$(cut -f1 "$tmp/out")"
check "an edit on B reaches A" sh -c 'grep -q "Countess" "$1"' sh "$tmp/out"
A contacts search babbage
A contacts delete "$(cut -f1 "$tmp/out")" >/dev/null 2>&1 ||
	client a contacts delete "$(cut -f1 "$tmp/out")"
A sync
B sync
B contacts search babbage
check "a delete on A reaches B" test ! -s "$tmp/out"

# ---- offline on both machines ------------------------------------------------------------
stop KILL
A contacts add --name "Offline Anna" --email anna@example.org
A books add Partners
A contacts add --name "Partner Paul" --email paul@example.org --book Partners
B contacts add --name "Offline Bert" --phone "+1 202 555 0100"
B calls add --peer carol --direction in --kind pc --outcome missed
A sync
check "with the server down, sync keeps the changes (exit 75, says why)" \
	sh -c '[ "$1" = 75 ] && grep -q "waiting in the outbox, not sent: cannot reach" "$2"' \
	sh "$status" "$tmp/err"
A sync
check "a second try while down is harmless (still 75)" test "$status" = 75
start "$port"
A sync
B sync
A sync
check "once the server is back, both machines hold the same contacts" same
B books list
check "B has A's new book" sh -c 'grep -q "^Partners	1" "$1"' sh "$tmp/out"
A calls list
check "A has B's missed call" sh -c 'grep -q "in	pc	missed.*carol" "$1"' sh "$tmp/out"
A contacts list
check "nothing twice after the retries" \
	sh -c '[ "$(grep -c "Offline Anna" "$1")" = 1 ] && [ "$(grep -c "Partner Paul" "$1")" = 1 ]' \
	sh "$tmp/out"

# ---- conflicts ----------------------------------------------------------------------------
A contacts search ada
A contacts edit "$(cut -f1 "$tmp/out")" --title "Mathematician"
B contacts search ada
B contacts edit "$(cut -f1 "$tmp/out")" --title "Poet"
A sync
B sync
check "B's sync reports the conflict" \
	sh -c 'grep -q "changed here and on another machine" "$1"' sh "$tmp/err"
B sync conflicts
cid=$(cut -f1 "$tmp/out" | head -1)
check "sync conflicts lists it (contact, both changed)" \
	sh -c 'grep -q "	contact	.*mine: changed, theirs: changed" "$1"' sh "$tmp/out"
B contacts search ada
B contacts show "$(cut -f1 "$tmp/out")"
check "until resolved, B keeps its own version" sh -c 'grep -q "Poet" "$1"' sh "$tmp/out"
B sync resolve "$cid" both
B contacts search ada
check "resolve both: B has both versions as two contacts" \
	test "$(wc -l <"$tmp/out")" = 2
B contacts list --json
check "one titled Mathematician (theirs), one Poet (mine)" \
	sh -c 'python3 -c "import json,sys; t=sorted(c.get(\"title\") or \"\" for c in json.load(open(sys.argv[1])) if \"Ada\" in c[\"name\"]); sys.exit(t != [\"Mathematician\", \"Poet\"])" "$1"' \
	sh "$tmp/out"
A sync
check "after A syncs, both machines agree again" same
B sync conflicts
check "and no conflict is left" test ! -s "$tmp/out"

# mine: this machine's version wins on the server
A contacts search anna
A contacts edit "$(cut -f1 "$tmp/out")" --org "A Org"
B contacts search anna
B contacts edit "$(cut -f1 "$tmp/out")" --org "B Org"
A sync
B sync
B sync conflicts
B sync resolve "$(cut -f1 "$tmp/out" | head -1)" mine
A sync
A contacts search anna
A contacts show "$(cut -f1 "$tmp/out")"
check "resolve mine: B's version reaches A" sh -c 'grep -q "B Org" "$1"' sh "$tmp/out"

# theirs, after a delete on one side and an edit on the other
A contacts search bert
A contacts delete "$(cut -f1 "$tmp/out")"
B contacts search bert
B contacts edit "$(cut -f1 "$tmp/out")" --org "Kept Org"
A sync
B sync
B sync conflicts
check "deleted there, changed here: a conflict that says so" \
	sh -c 'grep -q "mine: changed, theirs: deleted" "$1"' sh "$tmp/out"
B sync resolve "$(cut -f1 "$tmp/out" | head -1)" theirs
B contacts search bert
check "resolve theirs: the delete wins on B" test ! -s "$tmp/out"
A sync
check "and both agree" same

# ---- the server's side of it --------------------------------------------------------------
ta=$(session_token "$tmp/a/session.json")
body='{"changes":[{"key":"retry-1","kind":"call","uid":"c-1","base_rev":0,"data":"{\"kind\":\"pc\",\"direction\":\"out\",\"peer\":\"bob\",\"started\":1,\"duration\":2,\"outcome\":\"answered\"}"}]}'
api "$ta" POST /v1/sync "$body"
r1=$(cat "$tmp/body")
api "$ta" POST /v1/sync "$body"
check "the same change key twice gets the same answer" \
	test "$r1" = "$(cat "$tmp/body")"
api "$ta" POST /v1/sync '{"changes":[{"key":"x","kind":"spaceship","uid":"u","base_rev":0,"data":"{}"},{"key":"y","kind":"contact","uid":"u","base_rev":-1,"data":"{}"},{"kind":"contact"}]}'
check "bad changes are refused one by one with reasons" \
	sh -c '[ "$1" = 200 ] && [ "$(grep -o "\"status\":\"error\"" "$2" | wc -l)" = 3 ] && grep -q "unknown kind" "$2"' \
	sh "$code" "$tmp/body"
api "$ta" POST /v1/sync '{"changes":[{"key":"z","kind":"crm","uid":"r1","base_rev":0,"data":"{}"}]}'
check "CRM records need crm-edit (alice is admin: allowed)" \
	sh -c 'grep -q "\"status\":\"ok\"" "$1"' sh "$tmp/body"
tb=$(login bob "$tmp/bob")
api "$tb" POST /v1/sync '{"changes":[{"key":"z","kind":"crm","uid":"r2","base_rev":0,"data":"{}"}]}'
check "bob without crm-edit is refused" \
	sh -c 'grep -q "crm-edit permission" "$1"' sh "$tmp/body"
api "$tb" GET "/v1/sync?since=0"
check "bob sees none of alice's records" \
	sh -c 'python3 -c "import json,sys; sys.exit(len(json.load(open(sys.argv[1]))[\"changes\"]) != 0)" "$1"' \
	sh "$tmp/body"
A sync
check "a sync after all that still works" test "$status" = 0
