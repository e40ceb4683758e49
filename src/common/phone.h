/* common/phone: phone numbers to E.164.
 *
 * The text a user typed is kept for display; the E.164 form is what search,
 * duplicate detection and (later) dialling use.  The region is the user's
 * default country, given as an ISO 3166 alpha-2 code ("GB", "US", "DE").
 */
#ifndef CONFAB_COMMON_PHONE_H
#define CONFAB_COMMON_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/* Calling code for an ISO country ("GB" -> "44"), NULL when unknown. */
const char *phone_country_code(const char *region);
bool phone_region_known(const char *region);

/* Normalise `text` to E.164 ("+441632960123") using `region` for numbers
 * written in national form.  Accepts spaces, dots, dashes, parentheses,
 * a leading '+', international prefixes (00, 011 for NANP) and the national
 * trunk prefix (0 in most countries, 1 in NANP, 8 in RU/KZ).  Extensions
 * ("x123", "ext. 123") are dropped from the E.164 form.
 * Returns a new string, or NULL when the text is not a phone number
 * (letters, too few or too many digits). */
char *phone_e164(const char *text, const char *region);

/* Number of digits in the calling code of an E.164 number ("+44…" -> 2),
 * 0 when it is not one. */
size_t phone_cc_digits(const char *e164);

/* Readable grouping of an E.164 number: "+441632960123" becomes
 * "+44 1632 960123", "+14155552671" "+1 415 555 2671"; other countries get
 * a generic grouping (country code, then groups of 2-4 digits).  Returns a
 * new string, or NULL when `e164` is not '+' and 7-15 digits starting with a
 * known calling code. */
char *phone_format(const char *e164);

/* Whether `text` looks like a phone number whatever the region: digits
 * with the usual punctuation, an optional leading '+' and extension, no
 * letters, 6-19 digits (7-15 after a '+'), not a date ("2024-01-15").
 * Meant for deciding whether a search query or an imported field is a
 * number; phone_e164() is the one that says what number it is. */
bool phone_looks_like(const char *text);

#endif
