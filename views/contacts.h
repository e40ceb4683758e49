/* views/contacts: the address book tab's pieces shared between its files
 * (contacts.c: the list; contacts_io.c: import and export dialogs). */
#ifndef CONFAB_VIEWS_CONTACTS_H
#define CONFAB_VIEWS_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

struct shell;
struct view;

void contacts_import_start(struct shell *sh, int64_t book_id);
void contacts_export_start(struct shell *sh, const int64_t *ids, size_t n);

#endif
