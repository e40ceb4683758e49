/* fuzz_image: the picture decoding confabd runs on every photo and logo
 * upload (image_check) and the client runs before drawing one
 * (image_decode, RGBA), on arbitrary bytes.  Crashes, sanitizer reports,
 * leaks, allocations past the budget and disagreements between the two
 * are the failures looked for.
 *
 *   make build/fuzz/fuzz_image
 *   build/fuzz/fuzz_image -max_total_time=120 tests/fuzz/corpus/image
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum image_type type;
	struct image img;
	char *err = NULL;
	int w = 0, h = 0;

	int rc = image_check(data, size, &type, &w, &h, &err);
	if ((rc < 0) != (err != NULL))
		abort();	/* a refusal always says why */
	free(err);
	err = NULL;
	int rc2 = image_decode(data, size, &img, &err);
	if ((rc2 < 0) != (err != NULL))
		abort();
	if (rc == 0 && rc2 == 0) {
		if (img.width != w || img.height != h || w > IMAGE_MAX_SIDE ||
		    h > IMAGE_MAX_SIDE || !img.rgba)
			abort();
		/* touch every pixel: ASan checks the buffer's size */
		volatile unsigned sum = 0;
		for (size_t i = 0; i < (size_t)w * (size_t)h * 4; i += 61)
			sum += img.rgba[i];
		sum += img.rgba[(size_t)w * (size_t)h * 4 - 1];
		(void)sum;
	}
	free(err);
	image_clear(&img);
	return 0;
}
