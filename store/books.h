/* store/books: address books (several per user). */
#ifndef CONFAB_STORE_BOOKS_H
#define CONFAB_STORE_BOOKS_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct book {
	int64_t id;
	char *name;
	int64_t ncontacts;
};

#define BOOKS_DEFAULT_NAME "Personal"

/* All books by name. */
int books_list(struct db *db, struct book **out, size_t *n);
void books_free(struct book *b, size_t n);
/* -EEXIST when the name is taken, -EINVAL when empty. */
int books_add(struct db *db, const char *name, int64_t *id);
/* -ENOENT, -EEXIST, -EINVAL */
int books_rename(struct db *db, const char *from, const char *to);
/* Removes the book and its contacts.  -ENOENT */
int books_remove(struct db *db, const char *name);
/* -ENOENT when no such book (names compare case-insensitively). */
int books_find(struct db *db, const char *name, int64_t *id);
/* The default book, created on first use. */
int books_default(struct db *db, int64_t *id);
/* Name of a book by id (new string), NULL when unknown. */
char *books_name(struct db *db, int64_t id);

#endif
