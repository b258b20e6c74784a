/*
 * db/bmbt.c: blocks of the block map btree below an inode fork's root --
 * bmapbtd for the data fork, bmapbta for the attribute fork.
 *
 * The V5 long-form header (64-bit siblings, owner inode) is followed in a
 * leaf by extent records, in a node by keys and then, after room for the
 * most keys a block can hold, the child pointers.  The records lead
 * (`addr recs[i].startblock`) to the blocks of the file or of its
 * attribute fork; pointers and siblings lead to blocks of the same type.
 */
#include "db/inode.h"

#define HDR(m)	FBIT(struct xfs_btree_block, bb_##m)
#define LHDR(m)	(FBIT(struct xfs_btree_block, bb_u) + \
		 FBIT(struct xfs_btree_lfields, bb_##m))
#define HDRLEN	((unsigned int)XFS_BTREE_LBLOCK_CRC_LEN)
#define RECLEN	((unsigned int)sizeof(struct xfs_bmbt_rec))
#define KEYLEN	((unsigned int)sizeof(struct xfs_bmbt_key))
#define PTRLEN	((unsigned int)sizeof(xfs_bmbt_ptr_t))

/* Header words, read only inside the current object. */
static unsigned int hdr16(const struct db_ctx *ctx, const void *obj, int bit,
			  int fbit)
{
	if ((unsigned int)(bit + fbit) / 8 + 2 > db_obj_len(ctx)) {
		return 0;
	}
	return (unsigned int)db_getbits(obj, bit + fbit, 16, false);
}

static int rec_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return hdr16(ctx, obj, bit, HDR(level)) == 0 ?
	       (int)hdr16(ctx, obj, bit, HDR(numrecs)) : 0;
}

static int key_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return hdr16(ctx, obj, bit, HDR(level)) > 0 ?
	       (int)hdr16(ctx, obj, bit, HDR(numrecs)) : 0;
}

static int rec_offset(const struct db_ctx *ctx, const void *obj, int bit,
		      int idx)
{
	return (int)((HDRLEN + (unsigned int)(idx - 1) * RECLEN) * 8);
}

static int key_offset(const struct db_ctx *ctx, const void *obj, int bit,
		      int idx)
{
	return (int)((HDRLEN + (unsigned int)(idx - 1) * KEYLEN) * 8);
}

static int ptr_offset(const struct db_ctx *ctx, const void *obj, int bit,
		      int idx)
{
	unsigned int maxkeys = xfs_btree_maxkeys(db_sb(ctx)->sb_blocksize,
						 HDRLEN, KEYLEN, PTRLEN);

	return (int)((HDRLEN + maxkeys * KEYLEN +
		      (unsigned int)(idx - 1) * PTRLEN) * 8);
}

static const struct db_ftype ft_owner = {
	.name = "ino",
	.bitsize = 64,
	.print = db_fprint_num,
	.fmt = DB_FMT_DEC,
	.arg = FTA_DONULL,
};

#define BMBT_FIELDS(rec_ft, self)					\
	{ "magic", &ft_hex32, HDR(magic) },				\
	{ "level", &ft_uint16, HDR(level) },				\
	{ "numrecs", &ft_uint16, HDR(numrecs) },			\
	{ "leftsib", &ft_dfsbno, LHDR(leftsib), .next = self },		\
	{ "rightsib", &ft_dfsbno, LHDR(rightsib), .next = self },	\
	{ "bno", &ft_dfsbno, LHDR(blkno), .next = TYP_BMAPBTD },	\
	{ "lsn", &ft_lsn, LHDR(lsn) },					\
	{ "uuid", &ft_uuid, LHDR(uuid) },				\
	{ "owner", &ft_owner, LHDR(owner) },				\
	{ "crc", &ft_crc, LHDR(crc) },					\
	{ "recs", &rec_ft, .count_fn = rec_count,			\
	  .offset_fn = rec_offset, .flags = DBF_ARRAY | DBF_ABASE1 },	\
	{ "keys", &ft_bmbt_key, .count_fn = key_count,			\
	  .offset_fn = key_offset, .flags = DBF_ARRAY | DBF_ABASE1 },	\
	{ "ptrs", &ft_dfsbno, .count_fn = key_count,			\
	  .offset_fn = ptr_offset, .flags = DBF_ARRAY | DBF_ABASE1,	\
	  .next = self },						\
	{ NULL }

static const struct db_field bmapbtd_fields[] = {
	BMBT_FIELDS(ft_bmbt_rec, TYP_BMAPBTD)
};

static const struct db_field bmapbta_fields[] = {
	BMBT_FIELDS(ft_bmbt_rec_a, TYP_BMAPBTA)
};

const struct db_type bmapbtd_type = {
	.id = TYP_BMAPBTD,
	.name = "bmapbtd",
	.fields = bmapbtd_fields,
	.size = db_size_block,
	.ops = &xfs_bmbt_buf_ops,
};

const struct db_type bmapbta_type = {
	.id = TYP_BMAPBTA,
	.name = "bmapbta",
	.fields = bmapbta_fields,
	.size = db_size_block,
	.ops = &xfs_bmbt_buf_ops,
};
