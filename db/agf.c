/*
 * db/agf.c: the AG free space header (AGF, sector 1 of each AG) -- its
 * field table, type and the `agf` command.  The rmap and refcount roots
 * show no value when zero (their feature is off).
 */
#include "db/command.h"
#include "db/field.h"
#include "db/io.h"
#include "db/type.h"

#define AGF(m)	FBIT(struct xfs_agf, agf_##m)

static const struct db_field agf_fields[] = {
	{ "magicnum", &ft_hex32, AGF(magicnum) },
	{ "versionnum", &ft_uint32, AGF(versionnum) },
	{ "seqno", &ft_agnumber, AGF(seqno) },
	{ "length", &ft_agblock, AGF(length) },
	{ "bnoroot", &ft_agblock, AGF(roots[XFS_AGF_BNO]),
	  .next = TYP_BNOBT },
	{ "cntroot", &ft_agblock, AGF(roots[XFS_AGF_CNT]),
	  .next = TYP_CNTBT },
	{ "rmaproot", &ft_agblock_nz, AGF(roots[XFS_AGF_RMAP]),
	  .next = TYP_RMAPBT },
	{ "refcntroot", &ft_agblock_nz, AGF(refcount_root),
	  .next = TYP_REFCBT },
	{ "bnolevel", &ft_uint32, AGF(levels[XFS_AGF_BNO]) },
	{ "cntlevel", &ft_uint32, AGF(levels[XFS_AGF_CNT]) },
	{ "rmaplevel", &ft_uint32, AGF(levels[XFS_AGF_RMAP]) },
	{ "refcntlevel", &ft_uint32, AGF(refcount_level) },
	{ "rmapblocks", &ft_uint32, AGF(rmap_blocks) },
	{ "refcntblocks", &ft_uint32, AGF(refcount_blocks) },
	{ "flfirst", &ft_uint32, AGF(flfirst) },
	{ "fllast", &ft_uint32, AGF(fllast) },
	{ "flcount", &ft_uint32, AGF(flcount) },
	{ "freeblks", &ft_uint32, AGF(freeblks) },
	{ "longest", &ft_uint32, AGF(longest) },
	{ "btreeblks", &ft_uint32, AGF(btreeblks) },
	{ "uuid", &ft_uuid, AGF(uuid) },
	{ "lsn", &ft_lsn, AGF(lsn) },
	{ "crc", &ft_crc, AGF(crc) },
	{ NULL }
};

const struct db_type agf_type = {
	.id = TYP_AGF,
	.name = "agf",
	.fields = agf_fields,
	.size = db_size_sector,
	.ops = &xfs_agf_buf_ops,
};

static int agf_f(struct db_ctx *ctx, int argc, char **argv)
{
	return db_goto_ag_header(ctx, argc, argv, &agf_type, XFS_AGF_SECTOR);
}

const struct db_command agf_cmd = {
	.name = "agf",
	.func = agf_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[agno]",
	.oneline = "go to the free space header of an allocation group",
	.help =
"\n"
" Makes the AGF of AG agno (default: the current AG) the current object.\n"
" It holds the roots and heights of the free space btrees (by block and\n"
" by size; reverse-mapping and refcount when enabled), the free list\n"
" window and the AG's free block counts.\n"
"\n",
};
