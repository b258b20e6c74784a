/*
 * db/agi.c: the AG inode header (AGI, sector 2 of each AG) -- its field
 * table, type and the `agi` command.
 */
#include "db/command.h"
#include "db/field.h"
#include "db/io.h"
#include "db/type.h"

#define AGI(m)	FBIT(struct xfs_agi, agi_##m)

static const struct db_field agi_fields[] = {
	{ "magicnum", &ft_hex32, AGI(magicnum) },
	{ "versionnum", &ft_uint32, AGI(versionnum) },
	{ "seqno", &ft_agnumber, AGI(seqno) },
	{ "length", &ft_agblock, AGI(length) },
	{ "count", &ft_agino, AGI(count) },
	{ "root", &ft_agblock, AGI(root), .next = TYP_INOBT },
	{ "level", &ft_uint32, AGI(level) },
	{ "freecount", &ft_agino, AGI(freecount) },
	{ "newino", &ft_agino, AGI(newino), .next = TYP_INODE },
	{ "dirino", &ft_agino, AGI(dirino), .next = TYP_INODE },
	{ "unlinked", &ft_agino_nn, AGI(unlinked),
	  .count = XFS_AGI_UNLINKED_BUCKETS, .flags = DBF_ARRAY },
	{ "uuid", &ft_uuid, AGI(uuid) },
	{ "crc", &ft_crc, AGI(crc) },
	{ "lsn", &ft_lsn, AGI(lsn) },
	{ "free_root", &ft_agblock, AGI(free_root), .next = TYP_FINOBT },
	{ "free_level", &ft_uint32, AGI(free_level) },
	{ "ino_blocks", &ft_uint32, AGI(iblocks) },
	{ "fino_blocks", &ft_uint32, AGI(fblocks) },
	{ NULL }
};

const struct db_type agi_type = {
	.id = TYP_AGI,
	.name = "agi",
	.fields = agi_fields,
	.size = db_size_sector,
	.ops = &xfs_agi_buf_ops,
};

static int agi_f(struct db_ctx *ctx, int argc, char **argv)
{
	return db_goto_ag_header(ctx, argc, argv, &agi_type, XFS_AGI_SECTOR);
}

const struct db_command agi_cmd = {
	.name = "agi",
	.func = agi_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[agno]",
	.oneline = "go to the inode header of an allocation group",
	.help =
"\n"
" Makes the AGI of AG agno (default: the current AG) the current object.\n"
" It holds the inode btree roots, the AG's inode counts and the heads of\n"
" the unlinked-inode lists.\n"
"\n",
};
