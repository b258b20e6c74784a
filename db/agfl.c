/*
 * db/agfl.c: the AG free list (AGFL, sector 3 of each AG) -- its field
 * table, type and the `agfl` command.  On V5 filesystems a header comes
 * first and the block slots fill the rest of the sector; on V4 the sector
 * is all slots.
 */
#include "db/command.h"
#include "db/field.h"
#include "db/io.h"
#include "db/type.h"

#define AGFL(m)	FBIT(struct xfs_agfl, agfl_##m)

/* Slots in the sector after `bit` (the header on V5, nothing on V4). */
static int agfl_bno_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	unsigned int hdr = db_has_crc(ctx) ? sizeof(struct xfs_agfl) : 0;

	return (int)((db_sb(ctx)->sb_sectsize - hdr) / sizeof(uint32_t));
}

static const struct db_field agfl_crc_fields[] = {
	{ "magicnum", &ft_hex32, AGFL(magicnum) },
	{ "seqno", &ft_agnumber, AGFL(seqno) },
	{ "uuid", &ft_uuid, AGFL(uuid) },
	{ "lsn", &ft_lsn, AGFL(lsn) },
	{ "crc", &ft_crc, AGFL(crc) },
	{ "bno", &ft_agblock, (int)(sizeof(struct xfs_agfl) * 8),
	  .count_fn = agfl_bno_count, .flags = DBF_ARRAY, .next = TYP_DATA },
	{ NULL }
};

static const struct db_field agfl_v4_fields[] = {
	{ "bno", &ft_agblock, 0,
	  .count_fn = agfl_bno_count, .flags = DBF_ARRAY, .next = TYP_DATA },
	{ NULL }
};

static const struct db_field *agfl_fields(const struct db_ctx *ctx)
{
	return db_has_crc(ctx) ? agfl_crc_fields : agfl_v4_fields;
}

const struct db_type agfl_type = {
	.id = TYP_AGFL,
	.name = "agfl",
	.fields_fn = agfl_fields,
	.size = db_size_sector,
	.ops = &xfs_agfl_buf_ops,
};

static int agfl_f(struct db_ctx *ctx, int argc, char **argv)
{
	return db_goto_ag_header(ctx, argc, argv, &agfl_type,
				 XFS_AGFL_SECTOR);
}

const struct db_command agfl_cmd = {
	.name = "agfl",
	.func = agfl_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[agno]",
	.oneline = "go to the free list of an allocation group",
	.help =
"\n"
" Makes the AGFL of AG agno (default: the current AG) the current\n"
" object: the blocks set aside to refill the free space btrees.  The\n"
" AGF's flfirst, fllast and flcount say which slots are in use.\n"
"\n",
};
