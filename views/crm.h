/* views/crm: what the CRM views' files share (crm.c: the list tab;
 * crm_record.c: the record layer and notes; crm_form.c: the edit form). */
#ifndef CONFAB_VIEWS_CRM_H
#define CONFAB_VIEWS_CRM_H

#include <stdint.h>

struct shell;
struct view;

/* Ask, then delete a record (and close `layer` when not NULL). */
void crm_record_delete(struct shell *sh, int64_t id, struct view *layer);
/* Open a record's contact as a card. */
void crm_record_contact(struct shell *sh, int64_t record_id);
/* Prompt for a note on a record. */
void crm_record_note(struct shell *sh, int64_t record_id);

#endif
