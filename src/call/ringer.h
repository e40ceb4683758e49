/* call/ringer: the sound of an incoming call on the ring device.
 *
 * A thread of its own plays a ring cadence (a 400 + 450 Hz double ring:
 * 0.4 s on, 0.2 s off, 0.4 s on, 2 s off) on the device the user chose
 * for ringing (audio_ring in confab.conf, else the output) until it is
 * stopped.  Opening the device may fail (no sound card): the caller then
 * relies on the terminal bell.
 */
#ifndef CONFAB_CALL_RINGER_H
#define CONFAB_CALL_RINGER_H

struct ringer;

/* Start ringing on `device` (a call/audio device string; NULL: the
 * default output).  0, or < 0 with *err set. */
int ringer_start(struct ringer **rp, const char *device, char **err);
/* Stop and free (NULL: nothing). */
void ringer_stop(struct ringer *r);

#endif
