#!/bin/sh
# tests/ui/test_admin.sh: user admin and profiles through the real screen
# (tmux), against a real confabd on 127.0.0.1: an admin adds a user with a
# masked password (who can then sign in with `confab login`) and another
# with an invite code (redeemed over the API), sets permissions with the
# checklist, edits, disables (sign-in then fails), enables and sets a new
# password; while a request hangs the layer says "Loading…" and ignores
# change keys.  Then the admin's own profile: edit the title (confirmed by
# `confab profile show --json`) and change the password (the TUI keeps
# its session, the new password signs in, the old one does not).  A user
# without the permission is refused user admin.
# See tests/ui/lib.sh.  Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

. "$(dirname "$0")/lib.sh"
UI_TIMEOUT_WAS=$UI_TIMEOUT

. "$(dirname "$0")/server.sh"

# ---- a server with a company: alice (admin) and dave (no permissions) ----------
echo 'alice pass 1' >"$tmp/alice"
echo 'dave pass 44' >"$tmp/dave"
srv_d admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file "$tmp/alice" &&
	srv_d admin add-user dave --email dave@acme.test --name "Dave Dunn" \
		--password-file "$tmp/dave" || {
	not_ok "confabd admin init/add-user"
	sed 's/^/#   /' "$tmp/d.out"
	exit 1
}
srv_start

# cli DIR ARGS...: confab's CLI with data dir DIR; output in $tmp/out, $tmp/err
cli() {
	_dir=$1
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan-cli" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/asan-cli-ubsan" \
		"$CONFAB" -D "$_dir" -C "$UI_CONF" "$@" >"$tmp/out" 2>"$tmp/err"
}
# signs_in USER PASSWORD: `confab login` in a fresh data dir works
signs_in() {
	printf '%s\n' "$2" >"$tmp/pw"
	rm -rf "$tmp/cli"
	cli "$tmp/cli" login --server "$url" --user "$1" --password-file "$tmp/pw"
}

cli "$UI_DATA" login --server "$url" --user alice --password-file "$tmp/alice"
check "alice signs in (CLI) for the TUI" grep -q 'as alice' "$tmp/out"
# dave too, for the end (before failed sign-ins from this address slow
# further ones down)
cli "$tmp/dave-data" login --server "$url" --user dave --password-file "$tmp/dave"
check "dave signs in (CLI)" grep -q 'as dave' "$tmp/out"

ui_start 120 30
ui_wait_for 'alice @ 127\.0\.0\.1:[0-9]+ . online'

# ---- user admin: the list ------------------------------------------------------------
# the hint bar shows once "Connected to …" has gone
ui_wait_gone 'Connected to' 10
ui_keys 2 U
ui_assert_screen 'User admin . Acme Ltd' "U in the Online monitor opens user admin"
ui_assert_screen "^$B . alice +Alice Archer +alice@acme\.test +all " \
	"the list shows alice with all permissions"
ui_assert_screen "^$B . dave +Dave Dunn +dave@acme\.test +- " \
	"and dave, with none"
ui_assert_screen "^$B 2 users " "the count is at the bottom"
ui_assert_screen '^a:Add  e:Edit  p:Perms  d:Disable  r:Reset' \
	"the hint bar shows the user admin keys"

# ---- add a user with a password --------------------------------------------------------
ui_keys a
ui_wait_for 'Add a user'
ui_type carol
ui_keys Tab
ui_type 'Carol Cole'
ui_keys Tab
ui_type carol@acme.test
ui_keys Tab
ui_type Engineer
ui_keys Tab
ui_type 'R&D'
ui_keys Tab
ui_type 'carol pass 3'
ui_keys Tab
ui_type 'carol pass 4'
ui_assert_screen "^$B Password +\*{12} " "the password shows as one * per character"
ui_assert_not_screen 'carol pass' "the password itself is not on screen"
ui_keys C-s
ui_assert_screen 'the two passwords differ' "a mistyped second password is caught"
ui_keys C-u
ui_type 'carol pass 3'
ui_keys C-s
ui_assert_screen 'Added carol; press p to give permissions' "C-s adds the user"
ui_assert_screen "^$B . carol +Carol Cole +carol@acme\.test +- " \
	"the list is read again and shows carol"
ui_assert_screen "^$B 3 users " "three users now"
signs_in carol 'carol pass 3'
check "carol signs in with the password the admin gave (confab login)" \
	grep -q 'as carol' "$tmp/out"

# ---- permissions ---------------------------------------------------------------------------
ui_keys p
ui_assert_screen 'Permissions of carol' "p opens the permissions checklist"
ui_assert_screen '\[ \] phone +call phone numbers' "it lists each permission"
ui_keys j j Space j j j Space
ui_assert_screen '\[x\] phone ' "Space turns a permission on"
ui_keys Enter
ui_assert_screen 'Permissions of carol: phone crm-view' "Enter saves them"
ui_assert_screen "^$B . carol +Carol Cole +carol@acme\.test +phone crm-view " \
	"the list shows the new permissions"
cli "$tmp/cli" profile show
check "the server has them (confab profile show as carol)" \
	grep -q '^Permissions: phone crm-view$' "$tmp/out"

# ---- edit -------------------------------------------------------------------------------------
ui_keys e
ui_assert_screen 'Edit carol' "e edits the selected user"
ui_keys Tab Tab C-u
ui_type 'Lead Engineer'
ui_keys C-s
ui_assert_screen 'Saved carol' "C-s saves"
ui_keys Enter
ui_assert_screen "^$B  Title +Lead Engineer" "Enter shows carol's profile, with the new title"
ui_assert_screen "^$B  Permissions +phone, crm-view" "and her permissions"
ui_assert_not_screen 'e:Edit  w:Password' "someone else's profile offers no edit keys"
ui_keys q
ui_wait_for 'User admin . Acme Ltd'

# ---- disable, enable -----------------------------------------------------------------------
ui_keys d
ui_assert_screen 'Disable carol\? They are signed out everywhere' "d asks first"
ui_keys y
ui_assert_screen 'Disabled carol' "y disables"
ui_assert_screen "^$B   carol .* disabled " "the list marks carol disabled"
ui_assert_screen "^$B 3 users, 1 disabled " "and counts her"
signs_in carol 'carol pass 3'
check "a disabled user cannot sign in (confab login fails)" \
	sh -c '! grep -q "as carol" "$1" && grep -q "wrong username or password" "$2"' \
	sh "$tmp/out" "$tmp/err"
ui_keys d
ui_assert_screen 'Enable carol again\?' "d on a disabled user offers to enable"
ui_keys y
ui_assert_screen 'Enabled carol' "y enables"
ui_wait_gone 'disabled '

# ---- a new password ---------------------------------------------------------------------------
ui_keys r
ui_assert_screen 'New password for carol' "r sets a new password"
ui_type 'carol new 33'
ui_keys Tab
ui_type 'carol new 33'
ui_keys Enter
ui_assert_screen 'New password set for carol' "Enter saves it"
signs_in carol 'carol new 33'
check "carol signs in with the new password" grep -q 'as carol' "$tmp/out"
signs_in carol 'carol pass 3'
check "and no longer with the old one" \
	sh -c '! grep -q "as carol" "$1" && grep -q "wrong username or password" "$2"' \
	sh "$tmp/out" "$tmp/err"

# ---- add with an invite code --------------------------------------------------------------------
ui_keys a
ui_wait_for 'Add a user'
ui_type erin
ui_keys Tab
ui_type 'Erin Evans'
ui_keys Tab
ui_type erin@acme.test
ui_keys C-s
ui_assert_screen 'Invite code for erin' "an empty password gives an invite code"
ui_screen >"$tmp/invite"
code=$(sed -n 's/.*Invite code: *\([A-Z0-9]\{5\}-[A-Z0-9]\{5\}\).*/\1/p' "$tmp/invite")
check "the code is shown ($code)" test -n "$code"
python3 - "$url" "$code" >"$tmp/redeem" 2>&1 <<'EOF'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/v1/password/reset/confirm",
    data=json.dumps({"code": sys.argv[2],
                     "new_password": "erin pass 5"}).encode(),
    headers={"Content-Type": "application/json"}, method="POST")
print(urllib.request.urlopen(req).status)
EOF
check "the invite code sets erin's password" grep -q '^200$' "$tmp/redeem"
signs_in erin 'erin pass 5'
check "erin signs in with it" grep -q 'as erin' "$tmp/out"
ui_keys q
ui_assert_screen "^$B . erin +Erin Evans +erin@acme\.test " "erin is in the list"

# ---- search -------------------------------------------------------------------------------------
ui_keys /
ui_type car
ui_assert_screen "^$B 4 users  \|  /car" "/ searches"
ui_assert_not_screen "^$B . dave " "only matching users are listed"
ui_assert_screen "^$B . carol " "carol matches"
ui_keys Escape
ui_assert_screen "^$B . dave " "Esc clears the search"

# ---- a request under way: "Loading…", change keys ignored ----------------------------------------
kill -STOP "$dpid"
ui_keys C-l
ui_assert_screen "^$B Loading… " "C-l reads the list again, saying Loading…"
ui_keys e
sleep 0.3
ui_assert_not_screen 'Edit (alice|carol|dave|erin)' "change keys wait for the answer"
kill -CONT "$dpid"
ui_assert_screen "^$B 4 users " "the answer arrives"

# ---- own profile ----------------------------------------------------------------------------------
ui_keys q
ui_wait_gone 'User admin'
ui_keys P
ui_assert_screen 'Your profile' "P shows your own profile"
ui_assert_screen "^$B  Alice Archer" "with your name"
ui_assert_screen "^$B  Username +alice" "username"
ui_assert_screen "^$B  Company +Acme Ltd" "company"
ui_assert_screen "^$B  Presence +. online" "presence with its icon"
ui_assert_screen "^$B  Permissions +admin, user-admin, phone" "and permissions"
UI_TIMEOUT=10	# the hint bar shows once the last message has gone
ui_assert_screen '^e:Edit  w:Password' "the hint bar offers edit and password"
UI_TIMEOUT=${UI_TIMEOUT_WAS:-5}
ui_keys e
ui_assert_screen 'Edit your profile' "e edits your profile"
ui_keys Tab
ui_type 'Managing Director'
ui_keys C-s
ui_assert_screen "^$B  Title +Managing Director" "the new title shows"
cli "$UI_DATA" profile show --json
check "the server has it (confab profile show --json)" \
	grep -q '"title": "Managing Director"' "$tmp/out"

# ---- own password -------------------------------------------------------------------------------------
cp "$UI_DATA/session.json" "$tmp/session.before"
ui_keys w
ui_assert_screen 'Change your password' "w changes your password"
ui_type 'not my password'
ui_keys Tab
ui_type 'alice new pass'
ui_keys Tab
ui_type 'alice new pass'
ui_keys Enter
ui_assert_screen 'is not your password' "a wrong current password is refused"
ui_assert_screen 'Change your password' "and the form opens again"
ui_type 'alice pass 1'
ui_keys Tab
ui_type 'alice new pass'
ui_keys Tab
ui_type 'alice new pasS'
ui_keys Enter
ui_assert_screen 'the new passwords differ' "a mistyped new password is caught"
ui_keys C-u
ui_type 'alice new pass'
ui_keys Enter
ui_assert_screen 'Password changed; your other sessions have ended' \
	"Enter changes the password"
check "the new session is saved" \
	sh -c '! cmp -s "$1" "$2"' sh "$tmp/session.before" "$UI_DATA/session.json"
ui_assert_screen 'alice @ 127\.0\.0\.1:[0-9]+ . online' "the TUI stays signed in"
cli "$UI_DATA" whoami
check "the saved session works (confab whoami)" grep -q alice "$tmp/out"
signs_in alice 'alice new pass'
check "the new password signs in (confab login)" grep -q 'as alice' "$tmp/out"
signs_in alice 'alice pass 1'
check "the old one does not" \
	sh -c '! grep -q "as alice" "$1" && grep -q "wrong username or password" "$2"' \
	sh "$tmp/out" "$tmp/err"
ui_quit

# ---- someone without the permission ------------------------------------------------------------------
UI_DATA=$tmp/dave-data
ui_start 120 30
ui_wait_for 'dave @ 127\.0\.0\.1:[0-9]+ . online'
ui_keys 2 U
ui_assert_screen 'user admin needs the admin or user-admin permission' \
	"a user without the permission is refused"
ui_assert_not_screen 'User admin . Acme' "and no user admin opens"
ui_keys Escape :
ui_type user-admin
ui_keys Enter
ui_assert_screen 'user admin needs the admin or user-admin permission' \
	":user-admin says the same"
ui_quit
