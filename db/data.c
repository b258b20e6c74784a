/*
 * db/data.c: the `data` and `text` types, which have no fields and print
 * the current object as a dump.  Lines start with the byte offset in hex,
 * as wide as the offset of the last byte needs.
 */
#include <ctype.h>

#include "db/data.h"
#include "db/type.h"

static int offset_width(unsigned int len)
{
	unsigned int last = len ? len - 1 : 0;
	int w = 1;

	while (last >>= 4) {
		w++;
	}
	return w;
}

void db_print_hexdump(struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const uint8_t *p = db_cur_data(ctx);
	unsigned int len, off, i;
	int w;

	if (!loc || !p) {
		return;
	}
	len = loc->len;
	w = offset_width(len);
	for (off = 0; off < len; off += 32) {
		printf("%0*x:", w, off);
		for (i = off; i < off + 32 && i < len; i += 4) {
			printf(" ");
			if (i + 4 <= len) {
				printf("%02x%02x%02x%02x", p[i], p[i + 1],
				       p[i + 2], p[i + 3]);
			} else {
				unsigned int j;

				for (j = i; j < len; j++) {
					printf("%02x", p[j]);
				}
			}
		}
		printf("\n");
	}
}

void db_print_textdump(struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const uint8_t *p = db_cur_data(ctx);
	unsigned int len, off, i;
	int w;

	if (!loc || !p) {
		return;
	}
	len = loc->len;
	w = offset_width(len);
	for (off = 0; off < len; off += 16) {
		printf("%0*x: ", w, off);
		for (i = off; i < off + 16; i++) {
			if (i < len) {
				printf(" %02x", p[i]);
			} else {
				printf("   ");
			}
		}
		printf("  ");
		for (i = off; i < off + 16 && i < len; i++) {
			printf("%c", isalnum(p[i]) ? p[i] : '.');
		}
		printf("\n");
	}
}

/* Switching to data or text looks at one basic block, as the reference. */
const struct db_type data_type = {
	.id = TYP_DATA,
	.name = "data",
	.print_raw = db_print_hexdump,
	.size = db_size_bb,
};

const struct db_type text_type = {
	.id = TYP_TEXT,
	.name = "text",
	.print_raw = db_print_textdump,
	.size = db_size_bb,
};
