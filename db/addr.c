/*
 * db/addr.c: the `addr` command -- follow the value of a field to the
 * object it points at -- and the db_ftype.addr functions that say how a
 * value of each address type becomes a location.
 */
#include "db/command.h"
#include "db/field.h"
#include "db/inode.h"
#include "db/io.h"
#include "db/type.h"

/* Go to one filesystem block at daddr as type `next`. */
static int goto_block(struct db_ctx *ctx, uint64_t daddr, enum db_typid next)
{
	const struct db_type *t = db_type_by_id(next);

	return db_set_cur_block(ctx, t, daddr, 1U << db_blkbb_log(ctx),
				DB_RING_ADD);
}

int db_addr_agblock(struct db_ctx *ctx, const void *obj, int bit,
		    enum db_typid next)
{
	uint32_t agbno = (uint32_t)db_getbits(obj, bit, 32, false);
	const struct xfs_sb *sb = db_sb(ctx);

	if (agbno == NULLAGBLOCK) {
		printf("null block number, cannot set new addr\n");
		return -EINVAL;
	}
	if (ctx->cur_agno == NULLAGNUMBER) {
		printf("no current allocation group, cannot set new addr\n");
		return -EINVAL;
	}
	return goto_block(ctx, ((uint64_t)ctx->cur_agno * sb->sb_agblocks +
				agbno) << db_blkbb_log(ctx), next);
}

int db_addr_fsblock(struct db_ctx *ctx, const void *obj, int bit,
		    enum db_typid next)
{
	uint64_t fsbno = (uint64_t)db_getbits(obj, bit, 64, false);

	if (fsbno == NULLFSBLOCK) {
		printf("null block number, cannot set new addr\n");
		return -EINVAL;
	}
	return goto_block(ctx, db_fsbno_to_daddr(ctx, fsbno), next);
}

static int goto_inode(struct db_ctx *ctx, uint64_t ino)
{
	return db_set_cur_inode(ctx, ino);
}

int db_addr_ino(struct db_ctx *ctx, const void *obj, int bit,
		enum db_typid next)
{
	uint64_t ino = (uint64_t)db_getbits(obj, bit, 64, false);

	if (ino == NULLFSINO) {
		printf("null inode number, cannot set new addr\n");
		return -EINVAL;
	}
	return goto_inode(ctx, ino);
}

int db_addr_agino(struct db_ctx *ctx, const void *obj, int bit,
		  enum db_typid next)
{
	uint32_t agino = (uint32_t)db_getbits(obj, bit, 32, false);
	const struct xfs_sb *sb = db_sb(ctx);

	if (agino == NULLAGINO) {
		printf("null inode number, cannot set new addr\n");
		return -EINVAL;
	}
	if (ctx->cur_agno == NULLAGNUMBER) {
		printf("no current allocation group, cannot set new addr\n");
		return -EINVAL;
	}
	return goto_inode(ctx, ((uint64_t)ctx->cur_agno <<
				(sb->sb_agblklog + sb->sb_inopblog)) | agino);
}

static int addr_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const struct db_field *fields;
	const struct db_fsel *last;
	const struct db_field *fld;
	struct db_fsel *sel;
	int bit;
	struct db_loc empty = { .ino = -1, .dirino = -1 };
	int error;

	if (argc == 1) {
		db_print_loc(ctx, "current", loc ? loc : &empty);
		return 0;
	}
	if (!loc || !loc->type) {
		printf("no current type\n");
		return -EINVAL;
	}
	fields = db_type_fields(ctx, loc->type);
	if (!fields) {
		printf("no fields for type %s\n",
		       db_type_name(ctx, loc->type));
		return -EINVAL;
	}
	sel = db_fsel_parse(ctx, fields, db_cur_data(ctx), argv[1]);
	if (!sel) {
		return -EINVAL;
	}
	for (last = sel; last->child; last = last->child) {
		;
	}
	fld = last->fld;
	bit = last->bit;
	/*
	 * A structure stands for its first member present, as in the
	 * reference ("addr du[0]" follows du[0].inumber).
	 */
	while (!fld->ftype->print && fld->ftype->sub) {
		const struct db_field *m;
		const void *obj = db_cur_data(ctx);

		for (m = fld->ftype->sub; m->name; m++) {
			if (db_field_count(ctx, m, obj, bit) > 0) {
				break;
			}
		}
		if (!m->name) {
			break;
		}
		bit = db_field_elem_bit(ctx, m, obj, bit, db_field_base(m));
		fld = m;
	}
	if (!fld->next || !fld->ftype->addr) {
		printf("no next type for field %s\n", fld->name);
		db_fsel_free(sel);
		return -EINVAL;
	}
	error = fld->ftype->addr(ctx, db_cur_data(ctx), bit, fld->next);
	db_fsel_free(sel);
	return error;
}

const struct db_command addr_cmd = {
	.name = "addr",
	.alias = { "a" },
	.func = addr_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[field-expression]",
	.oneline = "go to the object a field points at",
	.help =
"\n"
" 'addr FIELD' reads the block or inode number held in FIELD of the\n"
" current object and makes what it points at the current object, with\n"
" the type that field leads to.  Without an argument, shows the current\n"
" location.\n"
"\n"
" Examples: 'agf 0' then 'addr bnoroot'; 'agfl 1' then 'addr bno[2]'.\n"
"\n",
};
