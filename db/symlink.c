/*
 * db/symlink.c: the blocks of remote symlink targets (type symlink) and
 * the inodata type, which the reference lists but cannot print.
 *
 * A symlink block is a self-describing header (offset and byte count of
 * the piece of the target it holds) followed by that piece.  A damaged
 * byte count prints as much of the block as there is.
 */
#include "db/inode.h"

#define SL(m)	FBIT(struct xfs_dsymlink_hdr, sl_##m)

static int cnt_sl_data(const struct db_ctx *ctx, const void *obj, int bit)
{
	uint32_t bytes;

	if (db_obj_len(ctx) < sizeof(struct xfs_dsymlink_hdr)) {
		return 0;
	}
	bytes = (uint32_t)db_getbits(obj, bit + SL(bytes), 32, false);
	/* What lies beyond the block is not printed anyway. */
	if (bytes > db_obj_len(ctx)) {
		bytes = db_obj_len(ctx);
	}
	return (int)bytes;
}

static const struct db_ftype ft_sl_owner = {
	.name = "ino",
	.bitsize = 64,
	.print = db_fprint_num,
	.arg = FTA_DONULL,
};

static const struct db_field symlink_fields[] = {
	{ "magic", &ft_hex32, SL(magic) },
	{ "offset", &ft_uint32, SL(offset) },
	{ "bytes", &ft_uint32, SL(bytes) },
	{ "crc", &ft_crc, SL(crc) },
	{ "uuid", &ft_uuid, SL(uuid) },
	{ "owner", &ft_sl_owner, SL(owner) },
	{ "bno", &ft_dfsbno, SL(blkno), .next = TYP_BMAPBTD },
	{ "lsn", &ft_lsn, SL(lsn) },
	{ "data", &ft_cstr, (int)sizeof(struct xfs_dsymlink_hdr) * 8,
	  .count_fn = cnt_sl_data },
	{ NULL }
};

const struct db_type symlink_type = {
	.id = TYP_SYMLINK,
	.name = "symlink",
	.fields = symlink_fields,
	.size = db_size_block,
	.ops = &xfs_symlink_buf_ops,
};

static void inodata_print(struct db_ctx *ctx)
{
	printf("no print function for type inodata\n");
}

const struct db_type inodata_type = {
	.id = TYP_INODATA,
	.name = "inodata",
	.print_raw = inodata_print,
	.size = db_size_bb,
};
