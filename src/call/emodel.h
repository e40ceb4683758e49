/* call/emodel: a call's quality as a MOS estimate (1 to 4.5), from the
 * E-model of ITU-T G.107, simplified as G.107 Annex and common practice
 * do for VoIP: R = 93.2 - Id - Ie,eff, where Id comes from the one-way
 * delay and Ie,eff from the packet loss.  For Opus we take the codec
 * impairment Ie = 0 and a packet-loss robustness Bpl = 20 (with PLC and
 * FEC, close to what G.113 gives wideband codecs with concealment);
 * losses are taken as random (BurstR = 1).
 */
#ifndef CONFAB_CALL_EMODEL_H
#define CONFAB_CALL_EMODEL_H

/* The R factor for a one-way mouth-to-ear delay (ms) and packet loss
 * (0..1). */
double emodel_r(double delay_ms, double loss);
/* MOS (1..4.5) from R. */
double emodel_mos_from_r(double r);
/* Both in one: what the call log and the stats screen show. */
double emodel_mos(double delay_ms, double loss);

#endif
