#!/bin/sh
# tests/it/test_directory.sh: the company directory, profiles, user admin
# and presence, against a real confabd with two companies on it: nobody
# sees the other company's users, only user admins add and change users,
# only admins hand out admin, a disabled user's sessions end, presence set
# by one client is seen by another, and sign-out makes a user offline.
# Both curl (the API) and confab (the CLI) are used.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-dir
IT_SHOW="body out err" IT_SHOW_LINES=4
. "$(dirname "$0")/lib.sh"

acme --perm phone
echo 'eve pass 333' >"$tmp/eve"
dq admin init --company "Other Co" --admin eve --email eve@other.test \
	--password-file "$tmp/eve"
start

alice=$(login alice "$tmp/alice")
eve=$(login eve "$tmp/eve")

# ---- the directory stays inside the company --------------------------------------
api "$alice" GET /v1/users
check "alice's directory lists Acme's users" \
	sh -c '[ "$1" = 200 ] && grep -q "\"username\":\"bob\"" "$2" && ! grep -q eve "$2"' \
	sh "$code" "$tmp/body"
api "$eve" GET "/v1/users?q=bo"
check "eve's search does not find Acme's bob" \
	sh -c '[ "$1" = 200 ] && ! grep -q bob "$2"' sh "$code" "$tmp/body"
api "$eve" GET /v1/users/alice
check "another company's user is not found (404)" test "$code" = 404
api "$alice" GET "/v1/users?q=BAK"
check "search matches names, any case" \
	sh -c 'grep -q "\"username\":\"bob\"" "$1" && ! grep -q "\"username\":\"alice\"" "$1"' \
	sh "$tmp/body"

# ---- the CLI, signed in as bob ---------------------------------------------------------
c() { client bobc "$@"; }
c login --server "$url" --user bob --password-file "$tmp/bob"
c presence set busy "in a meeting"
check "confab presence set answers with the state" \
	sh -c '[ "$1" = 0 ] && grep -qx "busy: in a meeting" "$2"' sh "$status" "$tmp/out"
c presence set sleeping
check "an unknown state is refused with the server's words" \
	sh -c '[ "$1" = 1 ] && grep -q "online, away, busy, dnd or offline" "$2"' sh "$status" "$tmp/err"
api "$alice" GET /v1/users/bob
check "alice sees bob busy with his note" \
	sh -c 'grep -q "\"state\":\"busy\",\"note\":\"in a meeting\"" "$1"' sh "$tmp/body"
c directory search alice
check "confab directory search shows alice online" \
	sh -c '[ "$1" = 0 ] && grep -q "^alice	Alice Archer	alice@acme.test	.*online" "$2"' sh "$status" "$tmp/out"
c directory search --json
check "directory --json is an array with presence" \
	sh -c 'python3 -c "import json,sys; v=json.load(open(sys.argv[1])); assert {u[\"username\"] for u in v} == {\"alice\",\"bob\"}; assert all(\"presence\" in u for u in v)" "$1"' \
	sh "$tmp/out"
c profile show alice
check "confab profile show USER" \
	sh -c '[ "$1" = 0 ] && grep -q "^Name: *Alice Archer" "$2" && grep -q "^Company: *Acme Ltd" "$2"' sh "$status" "$tmp/out"
c profile show eve
check "a user of another company: not found" \
	sh -c '[ "$1" = 1 ] && grep -q "no user .eve." "$2"' sh "$status" "$tmp/err"

# ---- user admin: permissions enforced ------------------------------------------------------
bob=$(login bob "$tmp/bob")
api "$bob" POST /v1/users '{"username":"carol","email":"carol@acme.test","password":"carol pass 1"}'
check "bob (no user-admin) cannot add users (403)" test "$code" = 403
api "$alice" POST /v1/users '{"username":"carol","email":"carol@acme.test","password":"carol pass 1","perms":["crm-view","user-admin"],"name":"Carol C"}'
check "alice adds carol (201)" \
	sh -c '[ "$1" = 201 ] && grep -q "\"perms\":\[\"user-admin\",\"crm-view\"\]" "$2"' sh "$code" "$tmp/body"
api "$alice" POST /v1/users '{"username":"carol2","email":"CAROL@acme.test","password":"carol pass 1"}'
check "a taken email is a conflict (409)" test "$code" = 409
api "$alice" POST /v1/users '{"username":"x y","email":"x@acme.test","password":"whatever 1"}'
check "a bad username is named (400)" \
	sh -c '[ "$1" = 400 ] && grep -q "field .username." "$2"' sh "$code" "$tmp/body"
api "$alice" POST /v1/users '{"username":"dan","email":"dan@acme.test","password":"whatever 1","perms":["wizard"]}'
check "an unknown permission is named (400)" \
	sh -c '[ "$1" = 400 ] && grep -q "field .perms." "$2"' sh "$code" "$tmp/body"
echo 'carol pass 1' >"$tmp/carol"
carol=$(login carol "$tmp/carol")
api "$carol" PATCH /v1/users/bob '{"perms":["phone","admin"]}'
check "a user admin cannot hand out admin (403)" test "$code" = 403
api "$carol" PATCH /v1/users/bob '{"title":"Sales","perms":["phone","crm-edit"]}'
check "a user admin changes bob's title and permissions" \
	sh -c '[ "$1" = 200 ] && grep -q "\"title\":\"Sales\"" "$2"' sh "$code" "$tmp/body"
api "$carol" PATCH /v1/users/alice '{"title":"Boss"}'
check "a user admin cannot change an admin (403)" test "$code" = 403
api "$eve" PATCH /v1/users/bob '{"disabled":true}'
check "another company's admin cannot touch bob (404)" test "$code" = 404
api "$alice" PATCH /v1/users/alice '{"disabled":true}'
check "nobody disables themselves (400)" test "$code" = 400
api "$alice" PATCH /v1/users/bob '{"disabled":"yes"}'
check "a non-boolean 'disabled' is named (400)" \
	sh -c '[ "$1" = 400 ] && grep -q "field .disabled." "$2"' sh "$code" "$tmp/body"

# ---- disabling ends bob's sessions; he is offline and out of the directory --------------------------
api "$alice" PATCH /v1/users/bob '{"disabled":true}'
check "alice disables bob" test "$code" = 200
api "$bob" GET /v1/me
check "bob's token stops working" test "$code" = 401
c whoami
check "bob's confab is told his session ended" test "$status" = 1
api "$alice" GET /v1/users
check "a disabled user leaves the directory" \
	sh -c '! grep -q "\"username\":\"bob\"" "$1"' sh "$tmp/body"
api "$alice" GET "/v1/users?all=1"
check "user admins still see him, marked disabled" \
	sh -c 'grep -q "\"username\":\"bob\".*\"disabled\":true" "$1"' sh "$tmp/body"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	--data-binary "{\"username\":\"bob\",\"password\":\"$(cat "$tmp/bob")\"}" "$url/v1/login")
check "a disabled user cannot sign in" test "$code" = 401

# ---- your own profile: phones and preferences ----------------------------------------------------
api "$alice" POST /v1/users '{"username":"dave","email":"dave@acme.test","password":"dave pass 1"}'
echo 'dave pass 1' >"$tmp/dave"
dave=$(login dave "$tmp/dave")
api "$dave" PATCH /v1/users/dave '{"title":"Buyer","phones":[{"label":"mobile","number":"07700 900123"}],"prefs":{"auto_away":5,"timezone":"Europe/London","country":"GB","notifications":false}}'
check "a user edits their own profile without user-admin" test "$code" = 200
check "phones are kept as typed with their E.164 form" \
	grep -q '"number":"07700 900123","e164":"+447700900123"' "$tmp/body"
api "$dave" PATCH /v1/users/dave '{"perms":["admin"]}'
check "but cannot give themselves permissions" test "$code" = 403
api "$dave" PATCH /v1/users/dave '{"disabled":false}'
check "or change their disabled flag" test "$code" = 403
api "$dave" PATCH /v1/users/alice '{"title":"x"}'
check "or someone else's profile" test "$code" = 403
api "$dave" PATCH /v1/users/dave '{"prefs":{"timezone":"Mars/Base"}}'
check "an unknown time zone is refused, naming the field" \
	sh -c 'test "$1" = 400 && grep -q "prefs.timezone" "$2"' sh "$code" "$tmp/body"
api "$dave" PATCH /v1/users/dave '{"prefs":{"colour":"red"}}'
check "an unknown preference is refused" \
	sh -c 'test "$1" = 400 && grep -q "unknown preference" "$2"' sh "$code" "$tmp/body"
api "$dave" PATCH /v1/users/dave '{"phones":["not a number"]}'
check "a bad phone number is refused" test "$code" = 400
api "$dave" PATCH /v1/users/dave '{"prefs":{"markets":["Mars"]}}'
check "markets followed must be the company's" test "$code" = 400
api "$dave" GET /v1/users/dave
check "the stored profile is unchanged by the refused edits" \
	sh -c 'grep -q "\"title\":\"Buyer\"" "$1" && grep -q "\"timezone\":\"Europe/London\"" "$1"' sh "$tmp/body"
api "$alice" GET /v1/users/dave
check "others see dave's phones" grep -q '"e164":"+447700900123"' "$tmp/body"
check "but not his preferences" sh -c '! grep -q "prefs" "$1"' sh "$tmp/body"
api "$alice" PATCH /v1/users/dave '{"prefs":{"auto_away":1}}'
check "preferences are their owner's, even for an admin" test "$code" = 403

# ---- confab users: user admin on the command line --------------------------------------------------
echo 'alice pass 1' >"$tmp/alicepw"
ca() { client alicec "$@"; }
ca login --server "$url" --user alice --password-file "$tmp/alicepw"
check "alice signs in on the command line" test "$status" = 0
echo 'erin pass 11' >"$tmp/erinpw"
ca users add erin --email erin@acme.test --name "Erin E" --perm crm-view \
	--password-file "$tmp/erinpw"
check "confab users add adds a user" \
	sh -c '[ "$1" = 0 ] && grep -q "user erin added" "$2"' sh "$status" "$tmp/out"
ca users add erin --email erin2@acme.test --password-file "$tmp/erinpw"
check "a taken username is refused with the server's reason" \
	sh -c '[ "$1" = 1 ] && [ -s "$2" ]' sh "$status" "$tmp/err"
ca users add frank --email frank@acme.test --invite
check "an invite without mail prints the code" \
	sh -c '[ "$1" = 0 ] && grep -q "invite code: " "$2"' sh "$status" "$tmp/out"
ca users perms erin crm-view,crm-edit,phone
ca users list
check "confab users list shows the new permissions" \
	grep -q "^erin	Erin E	erin@acme.test	phone,crm-view,crm-edit$" "$tmp/out"
ca users edit erin --title Buyer
api "$alice" GET /v1/users/erin
check "confab users edit changes the title" grep -q '"title":"Buyer"' "$tmp/body"
ca users disable erin
ca users list --all
check "confab users disable: listed as disabled" grep -q "^erin	.*	disabled$" "$tmp/out"
ca users enable erin
echo 'erin pass 22' >"$tmp/erinpw2"
ca users password erin --password-file "$tmp/erinpw2"
check "confab users password sets a new one" test -n "$(login erin "$tmp/erinpw2")"
client erinc login --server "$url" --user erin --password-file "$tmp/erinpw2"
client erinc users add gina --email g@acme.test --invite
check "a user without user-admin is refused" \
	sh -c '[ "$1" = 1 ] && grep -q "user-admin" "$2"' sh "$status" "$tmp/err"

# ---- sign-out of the last session: offline ------------------------------------------------------
api "$alice" GET /v1/users/carol
check "carol is online while signed in" grep -q '"state":"online"' "$tmp/body"
api "$carol" POST /v1/logout
api "$alice" GET /v1/users/carol
check "carol is offline after signing out" grep -q '"state":"offline"' "$tmp/body"

# ---- the audit log -----------------------------------------------------------------------------------
stop
n=$(sqlite3 "$tmp/data/confabd.db" "SELECT count(*) FROM audit WHERE action LIKE 'user.%'")
check "admin actions are in the audit log ($n)" test "$n" -ge 3
exit $((failed > 0))
