/* call/emodel: MOS estimate from delay and loss (see call/emodel.h). */
#include "call/emodel.h"

#define R0 93.2		/* basic signal-to-noise, default G.107 values */
#define IE 0.0		/* Opus's own impairment */
#define BPL 20.0	/* robustness to loss, with concealment */

double emodel_r(double d, double loss)
{
	double id, ppl, ie_eff;

	if (d < 0)
		d = 0;
	if (loss < 0)
		loss = 0;
	if (loss > 1)
		loss = 1;
	/* delay impairment: 0.024 per ms, and 0.11 per ms beyond 177.3 */
	id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
	ppl = loss * 100.0;
	ie_eff = IE + (95.0 - IE) * ppl / (ppl + BPL);
	return R0 - id - ie_eff;
}

double emodel_mos_from_r(double r)
{
	if (r <= 0)
		return 1.0;
	if (r >= 100)
		return 4.5;
	return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

double emodel_mos(double delay_ms, double loss)
{
	return emodel_mos_from_r(emodel_r(delay_ms, loss));
}
