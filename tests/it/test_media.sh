#!/bin/sh
# tests/it/test_media.sh: profile photos, the company profile and its
# logo, against a real confabd with two companies on it.  Pictures made
# here (a PNG written by python3) and tests/data/photo.jpg (made by
# tests/data/gen_jpeg.py) go up through the CLI and the API and come back
# byte for byte; bad ones are refused with a 400 naming the problem (not
# an image, cut short, too many bytes, too many pixels, the wrong type),
# bodies past the route's limit with 413; other companies see nothing
# (404), users without the permission change nothing (403); `confab
# profile photo --show` prints character art of the expected size; admin
# actions reach the audit log.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-media
IT_SHOW="body out err" IT_SHOW_LINES=4
. "$(dirname "$0")/lib.sh"

# ---- pictures ------------------------------------------------------------------------------
# png FILE WIDTH HEIGHT [CUT]: a gradient PNG; CUT keeps only that many bytes
png() {
	python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
rows = b''
if w * h <= 1 << 20:	# else a header claiming the size, and no pixels
    rows = b''.join(b'\0' + bytes(v for x in range(w) for v in
                    (x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), 128))
                    for y in range(h))
data = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
if len(sys.argv) > 4:
    data = data[:int(sys.argv[4])]
open(path, 'wb').write(data)
EOF
}
# body FILE TYPE [PADTO]: {"type":TYPE,"data":base64(FILE)} on stdout;
# PADTO pads the file with zero bytes to that size first
body() {
	python3 - "$@" <<'EOF'
import base64, json, sys
data = open(sys.argv[1], 'rb').read()
if len(sys.argv) > 3:
    data += b'\0' * (int(sys.argv[3]) - len(data))
print(json.dumps({"type": sys.argv[2], "data": base64.b64encode(data).decode()}))
EOF
}
# same FILE: the picture in $tmp/body has FILE's bytes and checksum
same() {
	python3 - "$tmp/body" "$1" <<'EOF'
import base64, hashlib, json, sys
r = json.load(open(sys.argv[1]))
want = open(sys.argv[2], 'rb').read()
got = base64.b64decode(r["data"])
assert got == want, "bytes differ"
assert r["sha256"] == hashlib.sha256(want).hexdigest(), "checksum"
EOF
}
# art FILE LINES COLUMNS: FILE holds LINES lines of COLUMNS characters
art() {
	python3 - "$@" <<'EOF'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
assert lines[-1] == '', "no newline at the end"
lines = lines[:-1]
assert len(lines) == int(sys.argv[2]), "%d lines" % len(lines)
assert all(len(l) == int(sys.argv[3]) for l in lines), [len(l) for l in lines]
EOF
}
png "$tmp/p.png" 64 32
png "$tmp/cut.png" 64 32 60
png "$tmp/huge.png" 100000 100000
jpg=$top/tests/data/photo.jpg
printf 'hello, this is not a picture\n' >"$tmp/text.txt"

# ---- a server with two companies ---------------------------------------------------------------
acme --perm phone
echo 'carol pass 3' >"$tmp/carol"
echo 'eve pass 333' >"$tmp/eve"
dq admin add-user carol --company "Acme Ltd" --email carol@acme.test \
	--perm user-admin --password-file "$tmp/carol"
dq admin init --company "Other Co" --admin eve --email eve@other.test \
	--password-file "$tmp/eve"
start

alice=$(login alice "$tmp/alice")
bob=$(login bob "$tmp/bob")
carol=$(login carol "$tmp/carol")
eve=$(login eve "$tmp/eve")
# c USER ARGS...: confab signed in as USER
c() {
	_u=$1
	shift
	client "c-$_u" "$@"
}
for u in alice bob carol eve; do
	c $u login --server "$url" --user $u --password-file "$tmp/$u"
done

# ---- uploading and reading photos ---------------------------------------------------------------
c bob profile photo "$tmp/p.png"
check "confab profile photo FILE uploads a PNG" \
	sh -c '[ "$1" = 0 ] && grep -q "^photo set: image/png, 64x32 pixels" "$2"' sh "$status" "$tmp/out"
api "$alice" GET /v1/users/bob/photo
check "a colleague gets the same bytes back, with their SHA-256" \
	sh -c '[ "$1" = 200 ] && grep -q "\"type\":\"image/png\"" "$2"' sh "$code" "$tmp/body"
check "the PNG comes back byte for byte" same "$tmp/p.png"
api "$alice" GET /v1/users/bob
check "bob's profile says he has a photo" \
	sh -c '[ "$1" = 200 ] && grep -q "\"photo\":true" "$2"' sh "$code" "$tmp/body"
c carol profile photo "$jpg"
check "a JPEG is told apart by its bytes and uploaded" \
	sh -c '[ "$1" = 0 ] && grep -q "^photo set: image/jpeg, 48x32 pixels" "$2"' sh "$status" "$tmp/out"
api "$bob" GET /v1/users/carol/photo
check "the JPEG comes back byte for byte" \
	sh -c '[ "$1" = 200 ] && grep -q "\"type\":\"image/jpeg\"" "$2"' sh "$code" "$tmp/body"
check "the JPEG's bytes and checksum match" same "$jpg"
api "$bob" GET /v1/users/alice
check "a profile without a photo says so" grep -q '"photo":false' "$tmp/body"
api "$bob" GET /v1/users/alice/photo
check "no photo: 404" test "$code" = 404

# ---- what the server refuses ---------------------------------------------------------------
put() {	# FILE TYPE [PADTO]: PUT it as bob's photo
	body "$@" >"$tmp/req.json"
	api "$bob" PUT /v1/users/bob/photo "@$tmp/req.json"
}
refused() {	# MESSAGE-PATTERN: a 400 whose message matches
	[ "$code" = 400 ] && grep -q "$1" "$tmp/body"
}
put "$tmp/text.txt" image/png
check "not an image: 400 naming it" refused "not a PNG or JPEG image"
put "$tmp/cut.png" image/png
check "a truncated PNG: 400, cannot be decoded" refused "PNG image cannot be decoded"
put "$tmp/p.png" image/png 524388
check "more than 512 KiB: 400 naming the size" refused "larger than 524288 bytes"
put "$tmp/huge.png" image/png
check "a PNG claiming 100000x100000 pixels: 400 naming the size" \
	refused "100000x100000 pixels; at most 4096x4096"
for f in jpeg-huffman-overfull jpeg-huffman-undefined jpeg-bitreader-shift; do
	put "$top/tests/fuzz/corpus/image/$f.jpg" image/jpeg
	check "a malformed JPEG the fuzzer found ($f): 400" refused "JPEG image cannot be decoded"
done
put "$jpg" image/png
check "data that is not the type it says: 400 naming 'type'" refused "field 'type'"
put "$tmp/p.png" image/gif
check "a type other than PNG or JPEG: 400" refused "field 'type' must be image/png or image/jpeg"
api "$bob" PUT /v1/users/bob/photo '{"type":"image/png","data":"iVBORw0KGgo%%%"}'
check "data that is not base64: 400" refused "field 'data' is not base64"
python3 -c 'print("{\"type\":\"image/png\",\"data\":\"" + "A" * 800000 + "\"}")' >"$tmp/big.json"
api "$bob" PUT /v1/users/bob/photo "@$tmp/big.json"
check "a body past the photo route's limit: 413" test "$code" = 413
python3 -c 'print("{\"state\":\"online\",\"note\":\"" + "x" * 100000 + "\"}")' >"$tmp/big2.json"
api "$bob" POST /v1/presence "@$tmp/big2.json"
check "other routes keep the default limit (413 at 100 KB)" test "$code" = 413
api "$alice" GET /v1/users/bob/photo
check "bob's photo is unchanged by the refused uploads" same "$tmp/p.png"

# ---- who may see and change photos ---------------------------------------------------------------
api "$eve" GET /v1/users/bob/photo
check "another company's user's photo: 404" test "$code" = 404
body "$tmp/p.png" image/png >"$tmp/req.json"
api "$eve" PUT /v1/users/bob/photo "@$tmp/req.json"
check "another company's admin cannot set it: 404" test "$code" = 404
api "$bob" PUT /v1/users/carol/photo "@$tmp/req.json"
check "bob cannot set a colleague's photo: 403" \
	sh -c '[ "$1" = 403 ] && grep -q "user-admin permission" "$2"' sh "$code" "$tmp/body"
api "$bob" DELETE /v1/users/carol/photo
check "nor remove it: 403" test "$code" = 403
api "$carol" PUT /v1/users/alice/photo "@$tmp/req.json"
check "a user admin cannot change an admin's photo: 403" test "$code" = 403
body "$jpg" image/jpeg >"$tmp/req.json"
api "$carol" PUT /v1/users/bob/photo "@$tmp/req.json"
check "a user admin sets bob's photo" \
	sh -c '[ "$1" = 200 ] && grep -q "\"type\":\"image/jpeg\"" "$2"' sh "$code" "$tmp/body"
api "$carol" PATCH /v1/users/bob/photo '{}'
check "an unknown method on a photo: 405" test "$code" = 405

# ---- confab profile photo --show / --remove ---------------------------------------------------------
c alice profile photo --show carol --width 40 --ascii
check "--show --ascii: printable ASCII only" \
	sh -c '[ "$1" = 0 ] && ! LC_ALL=C grep -q "[^ -~]" "$2"' sh "$status" "$tmp/out"
check "--show --width 40: 13 lines of 40 for a 48x32 photo" art "$tmp/out" 13 40
c bob profile photo "$tmp/p.png"
c bob profile photo --show
check "--show without USER: your own, 60 columns by default (15 lines)" \
	art "$tmp/out" 15 60
c bob profile photo --show --width 30 --height 4
check "--height bounds the art, keeping the aspect (4 lines of 16)" \
	art "$tmp/out" 4 16
c bob profile photo --show --color --width 20
check "--color: ANSI colours from libcaca's export" \
	sh -c '[ "$1" = 0 ] && grep -q "$(printf "\033")\[" "$2"' sh "$status" "$tmp/out"
c bob profile photo --show eve
check "--show of another company's user: not found" \
	sh -c '[ "$1" = 1 ] && grep -q "no user .eve." "$2"' sh "$status" "$tmp/err"
c bob profile photo "$tmp/text.txt"
check "a file that is not a picture is refused before upload" \
	sh -c '[ "$1" = 1 ] && grep -q "not a PNG or JPEG image" "$2"' sh "$status" "$tmp/err"
c bob profile photo "$tmp/cut.png"
check "the server's reason reaches the CLI user" \
	sh -c '[ "$1" = 1 ] && grep -q "cannot be decoded" "$2"' sh "$status" "$tmp/err"
c bob profile photo
check "no FILE, --remove or --show: usage (2)" test "$status" = 2
c bob profile photo --remove
check "--remove" sh -c '[ "$1" = 0 ] && grep -qx "photo removed" "$2"' sh "$status" "$tmp/out"
api "$alice" GET /v1/users/bob/photo
check "a removed photo is gone (404)" test "$code" = 404
c bob profile photo --remove
check "removing it again fails" test "$status" = 1

# ---- the company profile -------------------------------------------------------------------------
c bob company show
check "confab company show" \
	sh -c '[ "$1" = 0 ] && grep -q "^Name: *Acme Ltd" "$2" && grep -q "^Logo: *no" "$2"' sh "$status" "$tmp/out"
api "$bob" PATCH /v1/company '{"name":"Bob Inc"}'
check "a non-admin cannot change the company: 403" \
	sh -c '[ "$1" = 403 ] && grep -q "admin permission" "$2"' sh "$code" "$tmp/body"
api "$carol" PATCH /v1/company '{"regions":["EMEA"]}'
check "nor can a user admin: 403" test "$code" = 403
c bob company set --name "Bob Inc"
check "confab company set as a non-admin fails with the reason" \
	sh -c '[ "$1" = 1 ] && grep -q "admin permission" "$2"' sh "$status" "$tmp/err"
c alice company set --name "Acme Group" --address "1 Road
Townsville" --region EMEA --region APAC --region EMEA --market Retail --market Banking
check "an admin sets name, address, regions and markets" \
	sh -c '[ "$1" = 0 ] && grep -q "^Name: *Acme Group" "$2" && grep -q "^Regions: *EMEA, APAC$" "$2" && grep -q "^ *Townsville$" "$2"' \
	sh "$status" "$tmp/out"
c bob company show --json
check "company show --json: what the admin set, duplicates dropped" \
	sh -c 'python3 -c "import json,sys; c=json.load(open(sys.argv[1])); assert c[\"name\"]==\"Acme Group\"; assert c[\"address\"]==\"1 Road\nTownsville\"; assert c[\"regions\"]==[\"EMEA\",\"APAC\"]; assert c[\"markets\"]==[\"Retail\",\"Banking\"]; assert c[\"logo\"] is False" "$1"' \
	sh "$tmp/out"
c alice company set --region ""
api "$alice" GET /v1/company
check "--region \"\" empties the list and leaves the rest" \
	sh -c 'grep -q "\"regions\":\[\]" "$1" && grep -q "\"markets\":\[\"Retail\",\"Banking\"\]" "$1"' sh "$tmp/body"
api "$alice" PATCH /v1/company '{"regions":"EMEA"}'
check "regions not an array: 400 naming it" refused "field 'regions'"
api "$alice" PATCH /v1/company '{"markets":["Retail",""]}'
check "an empty market: 400 naming the item" refused "field 'markets': item 2"
api "$alice" PATCH /v1/company '{"name":"  "}'
check "an empty name: 400" refused "field 'name'"
api "$alice" PATCH /v1/company '{"colour":"red"}'
check "an unknown field: 400 naming it" refused "field 'colour'"
api "$alice" PATCH /v1/company '{"name":"other co"}'
check "another company's name: 409" test "$code" = 409
api "$eve" GET /v1/company
check "each company sees its own profile" \
	sh -c '[ "$1" = 200 ] && grep -q "\"name\":\"Other Co\"" "$2"' sh "$code" "$tmp/body"

# ---- the company logo --------------------------------------------------------------------------
c bob company logo "$tmp/p.png"
check "a non-admin cannot set the logo" \
	sh -c '[ "$1" = 1 ] && grep -q "admin permission" "$2"' sh "$status" "$tmp/err"
c alice company logo "$tmp/p.png"
check "an admin sets the logo" \
	sh -c '[ "$1" = 0 ] && grep -q "^logo set: image/png, 64x32" "$2"' sh "$status" "$tmp/out"
api "$bob" GET /v1/company/logo
check "members get the logo back byte for byte" same "$tmp/p.png"
c bob company show
check "company show says there is a logo" grep -q "^Logo: *yes" "$tmp/out"
c bob company logo --show --width 20 --ascii
check "company logo --show prints it (5 lines of 20)" art "$tmp/out" 5 20
put "$tmp/huge.png" image/png
api "$alice" PUT /v1/company/logo "@$tmp/req.json"
check "the logo passes the photo checks (100000x100000: 400)" refused "100000x100000 pixels"
api "$eve" GET /v1/company/logo
check "another company has no logo of Acme's (404)" test "$code" = 404
c bob company logo --remove
check "a non-admin cannot remove it" test "$status" = 1
c alice company logo --remove
check "an admin removes it" sh -c '[ "$1" = 0 ] && grep -qx "logo removed" "$2"' sh "$status" "$tmp/out"

# ---- the audit log ------------------------------------------------------------------------------
stop
check "confabd stopped with no sanitizer report" \
	sh -c '! grep -q "Sanitizer\|runtime error" "$1"' sh "$tmp/log"
q() { sqlite3 "$tmp/data/confabd.db" "$1"; }
check "company changes are in the audit log" \
	test "$(q "SELECT count(*) FROM audit WHERE action = 'company.edit'")" -ge 2
check "logo changes are in the audit log" \
	test "$(q "SELECT count(*) FROM audit WHERE action = 'company.logo'")" -ge 2
check "a user admin's change to bob's photo is in the audit log" \
	test "$(q "SELECT count(*) FROM audit WHERE action = 'user.photo' AND target = 'bob'")" -ge 1
check "photos are stored with their type and checksum" \
	test "$(q "SELECT type || ' ' || length(data) || ' ' || length(sha256) FROM user_photos u JOIN users s ON s.id = u.user_id WHERE s.username = 'carol'")" = "image/jpeg $(wc -c <"$jpg" | tr -d ' ') 64"
exit $((failed > 0))
