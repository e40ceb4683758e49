#!/bin/sh
# tests/it/test_audio_alsa.sh: the call engine's PortAudio path, for real,
# with no sound card: ALSA's default device is the `file` plugin.
#
# An ALSA configuration of its own (ALSA_CONFIG_PATH; the real ~/.asoundrc
# and /etc are not read) makes the default device write playback to a
# FIFO and read capture from a raw file, and adds a capture device
# "tone44" reading 1 kHz at 44.1 kHz.  tests/unit/call/test_audio_pa.c
# (built with the unit tests) then plays a tone through PortAudio and
# checks what reaches the FIFO, reads the capture files back, and lists
# the devices; `confab audio devices` must list them too.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

CONFAB=${CONFAB:-build/asan/confab}
case $CONFAB in /*) ;; *) CONFAB=$PWD/$CONFAB ;; esac
# the unit tests sit beside the binary: BUILD/asan/tests/call/
TESTBIN=${TESTBIN:-$(dirname "$CONFAB")/tests/call/test_audio_pa}

failed=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	failed=$((failed + 1))
	[ -s "$tmp/out" ] && sed 's/^/#   /' "$tmp/out" | tail -25
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-alsa.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

if [ ! -x "$TESTBIN" ]; then
	echo "not ok - $TESTBIN is missing (make asan builds it)"
	exit 1
fi

# ---- the sound files and the ALSA configuration ----------------------------------------
python3 - "$tmp" <<'EOF'
import math, struct, sys
d = sys.argv[1]
# 4 s of a ramp at 48 kHz: sample i is i mod 65536, as a signed 16-bit
with open(d + "/in.raw", "wb") as f:
    f.write(struct.pack("<192000H", *[i & 0xffff for i in range(192000)]))
# 4 s of 1 kHz at 44.1 kHz
with open(d + "/tone44.raw", "wb") as f:
    f.write(struct.pack("<176400h", *[round(12000 * math.sin(
        2 * math.pi * 1000 * i / 44100)) for i in range(176400)]))
EOF
mkfifo "$tmp/out.fifo"

# Only this file is read: no cards, no ~/.asoundrc.  `null` is the slave
# the file plugin needs; it has no clock (see test_audio_pa.c).
cat >"$tmp/asoundrc" <<EOF
pcm.!default {
	type asym
	playback.pcm {
		type file
		slave.pcm { type null }
		file "$tmp/out.fifo"
		format "raw"
	}
	capture.pcm {
		type file
		slave.pcm { type null }
		file "/dev/null"
		infile "$tmp/in.raw"
		format "raw"
	}
}
pcm.tone44 {
	type file
	slave.pcm { type null }
	file "/dev/null"
	infile "$tmp/tone44.raw"
	format "raw"
}
EOF
export ALSA_CONFIG_PATH="$tmp/asoundrc"
export CONFAB_TEST_AUDIO_DIR="$tmp"

# ---- PortAudio through ALSA -------------------------------------------------------------
if "$TESTBIN" >"$tmp/out" 2>&1; then
	ok "PortAudio plays a tone into ALSA's file device and reads its input"
	grep -E '^(played|[0-9]+ samples|1 kHz)' "$tmp/out" | sed 's/^/# /'
else
	not_ok "PortAudio through ALSA's file device (test_audio_pa)"
fi
if grep -q 'SKIPPED' "$tmp/out"; then
	not_ok "test_audio_pa skipped tests although the device is set up"
fi

# ---- confab audio devices -----------------------------------------------------------------
if "$CONFAB" help audio 2>/dev/null | grep -q 'audio devices'; then
	if "$CONFAB" -D "$tmp/data" audio devices >"$tmp/out" 2>"$tmp/err" &&
	   grep -q "$(printf '^[0-9]*\tdefault\tALSA\t[0-9]*\t[0-9]*\t[0-9]*\tdefault-in,default-out$')" "$tmp/out" &&
	   grep -q "$(printf '\ttone44\tALSA\t')" "$tmp/out" &&
	   [ ! -s "$tmp/err" ]; then
		ok "confab audio devices lists the ALSA devices, quietly"
	else
		cat "$tmp/err" >>"$tmp/out"
		not_ok "confab audio devices"
	fi
else
	ok "confab audio devices # SKIP not registered in src/app/commands.c yet"
fi

[ "$failed" -eq 0 ]
