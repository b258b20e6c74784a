/*
 * db/data.h: the field-less types -- `data` (hex words) and `text` (hex
 * bytes with their characters) -- whose printers other stub types reuse.
 */
#ifndef DB_DATA_H_
#define DB_DATA_H_

#include "db/db.h"

/* Hex dump of the current object, 32 bytes a line in 4-byte words. */
void db_print_hexdump(struct db_ctx *ctx);

/* Dump of the current object, 16 bytes a line with their characters. */
void db_print_textdump(struct db_ctx *ctx);

#endif /* DB_DATA_H_ */
