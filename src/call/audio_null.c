/* call/audio_null: the "null" device, silence in and nothing out.
 *
 * For calls with no sound card (tests, a listen-only side) and as the
 * clock of a paced call that has no real input: audio.c paces its reads.
 */
#include "call/audio_int.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static int null_read(struct audio_ep *ep, int16_t *frame, size_t n)
{
	memset(frame, 0, n * sizeof *frame);
	return 0;
}

static int null_write(struct audio_ep *ep, const int16_t *frame, size_t n)
{
	return 0;
}

static void null_close(struct audio_ep *ep)
{
	free(ep);
}

static const struct audio_ep_ops null_ops = {
	.read = null_read,
	.write = null_write,
	.close = null_close,
};

int audio_null_open(struct audio_ep **out, const struct audio_ep_params *p)
{
	struct audio_ep *ep = xcalloc(1, sizeof *ep);

	ep->ops = &null_ops;
	*out = ep;
	return 0;
}
