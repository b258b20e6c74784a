/*
 * db/type.c: the type table and the `type` command.
 *
 * Types that are not described yet are stubs: they exist so that `type`
 * lists and accepts the same names as the reference, and print as a hex
 * dump until their field tables are written.
 */
#include <string.h>

#include "db/command.h"
#include "db/data.h"
#include "db/inode.h"
#include "db/io.h"
#include "db/type.h"

unsigned int db_size_sector(const struct db_ctx *ctx)
{
	return db_sb(ctx)->sb_sectsize;
}

unsigned int db_size_block(const struct db_ctx *ctx)
{
	return db_sb(ctx)->sb_blocksize;
}

unsigned int db_size_bb(const struct db_ctx *ctx)
{
	return BBSIZE;
}

#define STUB(tid, tname, tv4name, tsize)				\
	static const struct db_type stub_##tid = {			\
		.id = tid,						\
		.name = tname,						\
		.v4name = tv4name,					\
		.print_raw = db_print_hexdump,				\
		.size = tsize,						\
		.stub = true,						\
	}

STUB(TYP_DQBLK, "dqblk", NULL, db_size_bb);
STUB(TYP_LOG, "log", NULL, db_size_bb);
STUB(TYP_RTBITMAP, "rtbitmap", NULL, db_size_bb);
STUB(TYP_RTSUMMARY, "rtsummary", NULL, db_size_bb);

/* Listing order of the reference. */
static const struct db_type *const db_types[] = {
	&agf_type,
	&agfl_type,
	&agi_type,
	&attr3_type,
	&bmapbta_type,
	&bmapbtd_type,
	&bnobt_type,
	&cntbt_type,
	&rmapbt_type,
	&refcntbt_type,
	&data_type,
	&dir3_type,
	&stub_TYP_DQBLK,
	&inobt_type,
	&inodata_type,
	&inode_type,
	&stub_TYP_LOG,
	&stub_TYP_RTBITMAP,
	&stub_TYP_RTSUMMARY,
	&sb_type,
	&symlink_type,
	&text_type,
	&finobt_type,
};

#define NR_TYPES	(sizeof(db_types) / sizeof(db_types[0]))

const struct db_type *db_type_by_id(enum db_typid id)
{
	size_t i;

	for (i = 0; i < NR_TYPES; i++) {
		if (db_types[i]->id == id) {
			return db_types[i];
		}
	}
	return NULL;
}

/* Listed name on this filesystem, NULL if not offered here. */
static const char *listed_name(const struct db_ctx *ctx,
			       const struct db_type *t)
{
	if (ctx->mp && !db_has_crc(ctx) && t->v4name) {
		return t->v4name[0] ? t->v4name : NULL;
	}
	return t->name;
}

const char *db_type_name(const struct db_ctx *ctx, const struct db_type *t)
{
	const char *name;

	if (!t) {
		return "none";
	}
	name = listed_name(ctx, t);
	return name ? name : t->name;
}

const struct db_type *db_type_by_name(const struct db_ctx *ctx,
				      const char *name)
{
	size_t i;

	for (i = 0; i < NR_TYPES; i++) {
		const char *n = listed_name(ctx, db_types[i]);

		if (n && !strcmp(n, name)) {
			return db_types[i];
		}
	}
	return NULL;
}

const struct db_field *db_type_fields(const struct db_ctx *ctx,
				      const struct db_type *t)
{
	if (!t) {
		return NULL;
	}
	if (t->fields_fn) {
		return t->fields_fn(ctx);
	}
	return t->fields;
}

int db_set_type(struct db_ctx *ctx, const struct db_type *t)
{
	struct db_pos pos;
	unsigned int size;

	db_get_pos(ctx, &pos);
	if (pos.type == t) {
		return 0;
	}
	if (t->set_type) {
		return t->set_type(ctx);
	}
	size = t->size ? t->size(ctx) : 0;
	pos.type = t;
	if (size) {
		pos.bblen = (unsigned int)BTOBB(size);
		pos.len = 0;
		pos.boff = 0;
	}
	return db_set_cur(ctx, &pos, 0);
}

static void list_types(const struct db_ctx *ctx)
{
	size_t i;
	int n = 0;

	printf("\n supported types are:\n ");
	for (i = 0; i < NR_TYPES; i++) {
		const char *name = listed_name(ctx, db_types[i]);

		if (!name) {
			continue;
		}
		if (n) {
			printf(", ");
			if (n % 8 == 0) {
				printf("\n ");
			}
		}
		printf("%s", name);
		n++;
	}
	printf("\n");
}

static int type_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const struct db_type *t;

	if (argc == 1) {
		if (loc && loc->type) {
			printf("current type is \"%s\"\n",
			       db_type_name(ctx, loc->type));
		} else {
			printf("no current type\n");
		}
		list_types(ctx);
		return 0;
	}
	t = db_type_by_name(ctx, argv[1]);
	if (!t) {
		printf("no such type %s\n", argv[1]);
		return -EINVAL;
	}
	if (!loc || !loc->bp) {
		printf("no current object\n");
		return -EINVAL;
	}
	return db_set_type(ctx, t);
}

const struct db_command type_cmd = {
	.name = "type",
	.func = type_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[newtype]",
	.oneline = "show the type of the current object, or change it",
	.help =
"\n"
" Without an argument, names the current type and lists the known ones.\n"
" With a type name, reinterprets the current location as that type,\n"
" reading it again with that type's size and verifier.\n"
"\n",
};
