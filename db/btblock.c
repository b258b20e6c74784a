/*
 * db/btblock.c: blocks of the per-AG btrees -- free space by block
 * (bnobt) and by size (cntbt), inodes (inobt) and free inodes (finobt),
 * reverse mappings (rmapbt) and reference counts (refcntbt).
 *
 * Every block has the same V5 short-form header; leaves (level 0) then
 * hold records, nodes hold keys followed, after room for the most keys a
 * block can take, by the child pointers.  A tree is described by its
 * record and key structures; the header, the counts and the pointer
 * offsets are shared.  `addr ptrs[i]` goes down to a child of the same
 * type.
 */
#include "db/command.h"
#include "db/field.h"
#include "db/type.h"

#define HDR(m)	FBIT(struct xfs_btree_block, m)
#define SHDR(m)	(FBIT(struct xfs_btree_block, bb_u) + \
		 FBIT(struct xfs_btree_sfields, bb_##m))
#define HDRLEN	((unsigned int)XFS_BTREE_SBLOCK_CRC_LEN)
#define PTRLEN	4U

/* ---- element types only btree records use ---- */

#define BTNUM(var, tname, bits, tfmt, targ)				\
	static const struct db_ftype var = {				\
		.name = tname,						\
		.bitsize = bits,					\
		.print = db_fprint_num,					\
		.fmt = tfmt,						\
		.arg = targ,						\
	}

BTNUM(ft_bit, "uint1", 1, DB_FMT_DEC, 0);
BTNUM(ft_int64, "int64", 64, DB_FMT_SDEC, 0);
BTNUM(ft_rmap_offset, "rmapoff", 54, DB_FMT_DEC, 0);
BTNUM(ft_refc_start, "agblock31", 31, DB_FMT_DEC, FTA_DONULL);

/* ---- header and counts ---- */

static unsigned int bt_level(const void *obj, int bit)
{
	return (unsigned int)db_getbits(obj, bit + HDR(bb_level), 16, false);
}

static int bt_numrecs(const void *obj, int bit)
{
	return (int)db_getbits(obj, bit + HDR(bb_numrecs), 16, false);
}

/* Record and key sizes of one kind of btree block. */
struct bt_geom {
	uint32_t	magic;
	enum db_typid	type;
	unsigned int	reclen;
	unsigned int	keylen;
};

static const struct bt_geom *bt_geom_of(const struct db_ctx *ctx,
					const void *obj, int bit);

/*
 * Entries of a block: numrecs, as recorded.  A damaged count larger than
 * a block can hold is shown as it is; the printer stops at the end of the
 * buffer.
 */
static int bt_rec_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return bt_level(obj, bit) == 0 ? bt_numrecs(obj, bit) : 0;
}

static int bt_key_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return bt_level(obj, bit) > 0 ? bt_numrecs(obj, bit) : 0;
}

static int bt_rec_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	const struct bt_geom *g = bt_geom_of(ctx, obj, bit);

	return (int)((HDRLEN + (idx - 1) * (g ? g->reclen : 0)) * 8);
}

static int bt_key_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	const struct bt_geom *g = bt_geom_of(ctx, obj, bit);

	return (int)((HDRLEN + (idx - 1) * (g ? g->keylen : 0)) * 8);
}

/* Pointers start after room for every key a node of this tree can hold. */
static int bt_ptr_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	const struct bt_geom *g = bt_geom_of(ctx, obj, bit);
	unsigned int keylen = g ? g->keylen : 0;
	unsigned int maxkeys = keylen ?
		xfs_btree_maxkeys(db_sb(ctx)->sb_blocksize, HDRLEN, keylen,
				  PTRLEN) : 0;

	return (int)((HDRLEN + maxkeys * keylen + (idx - 1) * PTRLEN) * 8);
}

#define BT_HEADER(self)							\
	{ "magic", &ft_hex32, HDR(bb_magic) },				\
	{ "level", &ft_uint16, HDR(bb_level) },				\
	{ "numrecs", &ft_uint16, HDR(bb_numrecs) },			\
	{ "leftsib", &ft_agblock, SHDR(leftsib), .next = self },	\
	{ "rightsib", &ft_agblock, SHDR(rightsib), .next = self },	\
	{ "bno", &ft_dfsbno, SHDR(blkno) },				\
	{ "lsn", &ft_lsn, SHDR(lsn) },					\
	{ "uuid", &ft_uuid, SHDR(uuid) },				\
	{ "owner", &ft_agnumber, SHDR(owner) },				\
	{ "crc", &ft_crc, SHDR(crc) }

/*
 * The fields of one tree: header, records, keys, pointers to children of
 * type `self`.
 */
#define BT_FIELDS(rec_ft, key_ft, self)					\
	BT_HEADER(self),						\
	{ "recs", &rec_ft, .count_fn = bt_rec_count,			\
	  .offset_fn = bt_rec_offset, .flags = DBF_ARRAY | DBF_ABASE1 },	\
	{ "keys", &key_ft, .count_fn = bt_key_count,			\
	  .offset_fn = bt_key_offset, .flags = DBF_ARRAY | DBF_ABASE1 },	\
	{ "ptrs", &ft_agblock, .count_fn = bt_key_count,		\
	  .offset_fn = bt_ptr_offset, .flags = DBF_ARRAY | DBF_ABASE1,	\
	  .next = self },						\
	{ NULL }

#define RECTYPE(var, tname, size, members)				\
	static const struct db_ftype var = {				\
		.name = tname,						\
		.bitsize = (int)((size) * 8),				\
		.print = db_fprint_records,				\
		.sub = members,						\
	}

/* ---- free space: bnobt and cntbt ---- */

#define AR(m)	FBIT(struct xfs_alloc_rec, ar_##m)

static const struct db_field alloc_rec_fields[] = {
	{ "startblock", &ft_agblock, AR(startblock) },
	{ "blockcount", &ft_uint32, AR(blockcount) },
	{ NULL }
};
RECTYPE(ft_alloc_rec, "allocrec", sizeof(struct xfs_alloc_rec),
	alloc_rec_fields);

/* By-size keys name the length first: it is what they sort on. */
static const struct db_field cnt_key_fields[] = {
	{ "blockcount", &ft_uint32, AR(blockcount) },
	{ "startblock", &ft_agblock, AR(startblock) },
	{ NULL }
};
RECTYPE(ft_cnt_key, "cntkey", sizeof(struct xfs_alloc_rec), cnt_key_fields);

static const struct db_field bnobt_fields[] = {
	BT_FIELDS(ft_alloc_rec, ft_alloc_rec, TYP_BNOBT)
};

static const struct db_field cntbt_fields[] = {
	BT_FIELDS(ft_alloc_rec, ft_cnt_key, TYP_CNTBT)
};

const struct db_type bnobt_type = {
	.id = TYP_BNOBT,
	.name = "bnobt",
	.fields = bnobt_fields,
	.size = db_size_block,
	.ops = &xfs_bnobt_buf_ops,
};

const struct db_type cntbt_type = {
	.id = TYP_CNTBT,
	.name = "cntbt",
	.v4name = "",
	.fields = cntbt_fields,
	.size = db_size_block,
	.ops = &xfs_cntbt_buf_ops,
};

/* ---- inodes: inobt and finobt ---- */

#define IR(m)	FBIT(struct xfs_inobt_rec, ir_##m)
#define IRSP(m)	(FBIT(struct xfs_inobt_rec, ir_u) + \
		 (int)(offsetof(struct xfs_inobt_rec, ir_u.sp.ir_##m) - \
		       offsetof(struct xfs_inobt_rec, ir_u)) * 8)

/* With sparse inode chunks the free count shares its word. */
static const struct db_field inobt_sparse_rec_fields[] = {
	{ "startino", &ft_agino, IR(startino), .next = TYP_INODE },
	{ "holemask", &ft_hex16, IRSP(holemask) },
	{ "count", &ft_uint8, IRSP(count) },
	{ "freecount", &ft_uint8, IRSP(freecount) },
	{ "free", &ft_hex64, IR(free) },
	{ NULL }
};
RECTYPE(ft_inobt_sparse_rec, "inobtrec", sizeof(struct xfs_inobt_rec),
	inobt_sparse_rec_fields);

static const struct db_field inobt_full_rec_fields[] = {
	{ "startino", &ft_agino, IR(startino), .next = TYP_INODE },
	{ "freecount", &ft_uint32, FBIT(struct xfs_inobt_rec, ir_u) },
	{ "free", &ft_hex64, IR(free) },
	{ NULL }
};
RECTYPE(ft_inobt_full_rec, "inobtrec", sizeof(struct xfs_inobt_rec),
	inobt_full_rec_fields);

static const struct db_field inobt_key_fields[] = {
	{ "startino", &ft_agino, 0, .next = TYP_INODE },
	{ NULL }
};
RECTYPE(ft_inobt_key, "inobtkey", sizeof(struct xfs_inobt_key),
	inobt_key_fields);

static const struct db_field inobt_sparse_fields[] = {
	BT_FIELDS(ft_inobt_sparse_rec, ft_inobt_key, TYP_INOBT)
};
static const struct db_field inobt_full_fields[] = {
	BT_FIELDS(ft_inobt_full_rec, ft_inobt_key, TYP_INOBT)
};
static const struct db_field finobt_sparse_fields[] = {
	BT_FIELDS(ft_inobt_sparse_rec, ft_inobt_key, TYP_FINOBT)
};
static const struct db_field finobt_full_fields[] = {
	BT_FIELDS(ft_inobt_full_rec, ft_inobt_key, TYP_FINOBT)
};

static const struct db_field *inobt_fields(const struct db_ctx *ctx)
{
	return xfs_has_sparseinodes(ctx->mp) ? inobt_sparse_fields :
					       inobt_full_fields;
}

static const struct db_field *finobt_fields(const struct db_ctx *ctx)
{
	return xfs_has_sparseinodes(ctx->mp) ? finobt_sparse_fields :
					       finobt_full_fields;
}

const struct db_type inobt_type = {
	.id = TYP_INOBT,
	.name = "inobt",
	.fields_fn = inobt_fields,
	.size = db_size_block,
	.ops = &xfs_inobt_buf_ops,
};

const struct db_type finobt_type = {
	.id = TYP_FINOBT,
	.name = "finobt",
	.fields_fn = finobt_fields,
	.size = db_size_block,
	.ops = &xfs_finobt_buf_ops,
};

/* ---- reverse mappings: rmapbt ---- */

/*
 * rm_offset packs three flags above a 54-bit file offset: attr fork (top
 * bit), bmbt block, unwritten extent.
 */
#define RM(m)		FBIT(struct xfs_rmap_rec, rm_##m)
#define RMOFF(base, b)	((base) + (b))
#define RMOFF_VALUE(base) ((base) + 64 - XFS_RMAP_OFF_BITS)

static const struct db_field rmap_rec_fields[] = {
	{ "startblock", &ft_agblock, RM(startblock) },
	{ "blockcount", &ft_uint32, RM(blockcount) },
	{ "owner", &ft_int64, RM(owner) },
	{ "offset", &ft_rmap_offset, RMOFF_VALUE(RM(offset)) },
	{ "extentflag", &ft_bit, RMOFF(RM(offset), 2) },
	{ "attrfork", &ft_bit, RMOFF(RM(offset), 0) },
	{ "bmbtblock", &ft_bit, RMOFF(RM(offset), 1) },
	{ NULL }
};
RECTYPE(ft_rmap_rec, "rmaprec", sizeof(struct xfs_rmap_rec),
	rmap_rec_fields);

/* A node entry is a low key and a high key. */
#define RK(m)	FBIT(struct xfs_rmap_key, rm_##m)
#define RKHI(m)	(RK(m) + (int)sizeof(struct xfs_rmap_key) * 8)

static const struct db_field rmap_key_fields[] = {
	{ "startblock", &ft_agblock, RK(startblock) },
	{ "owner", &ft_int64, RK(owner) },
	{ "offset", &ft_rmap_offset, RMOFF_VALUE(RK(offset)) },
	{ "attrfork", &ft_bit, RMOFF(RK(offset), 0) },
	{ "bmbtblock", &ft_bit, RMOFF(RK(offset), 1) },
	{ "startblock_hi", &ft_agblock, RKHI(startblock) },
	{ "owner_hi", &ft_int64, RKHI(owner) },
	{ "offset_hi", &ft_rmap_offset, RMOFF_VALUE(RKHI(offset)) },
	{ "attrfork_hi", &ft_bit, RMOFF(RKHI(offset), 0) },
	{ "bmbtblock_hi", &ft_bit, RMOFF(RKHI(offset), 1) },
	{ NULL }
};
RECTYPE(ft_rmap_key, "rmapkey", 2 * sizeof(struct xfs_rmap_key),
	rmap_key_fields);

static const struct db_field rmapbt_fields[] = {
	BT_FIELDS(ft_rmap_rec, ft_rmap_key, TYP_RMAPBT)
};

const struct db_type rmapbt_type = {
	.id = TYP_RMAPBT,
	.name = "rmapbt",
	.v4name = "",
	.fields = rmapbt_fields,
	.size = db_size_block,
	.ops = &xfs_rmapbt_buf_ops,
};

/* ---- reference counts: refcntbt ---- */

/* rc_startblock's top bit marks copy-on-write staging extents. */
#define RC(m)	FBIT(struct xfs_refcount_rec, rc_##m)

static const struct db_field refc_rec_fields[] = {
	{ "startblock", &ft_refc_start, RC(startblock) + 1 },
	{ "blockcount", &ft_uint32, RC(blockcount) },
	{ "refcount", &ft_uint32, RC(refcount) },
	{ "cowflag", &ft_bit, RC(startblock) },
	{ NULL }
};
RECTYPE(ft_refc_rec, "refcntrec", sizeof(struct xfs_refcount_rec),
	refc_rec_fields);

static const struct db_field refc_key_fields[] = {
	{ "startblock", &ft_refc_start, 1 },
	{ "cowflag", &ft_bit, 0 },
	{ NULL }
};
RECTYPE(ft_refc_key, "refcntkey", sizeof(struct xfs_refcount_key),
	refc_key_fields);

static const struct db_field refcntbt_fields[] = {
	BT_FIELDS(ft_refc_rec, ft_refc_key, TYP_REFCBT)
};

const struct db_type refcntbt_type = {
	.id = TYP_REFCBT,
	.name = "refcntbt",
	.v4name = "",
	.fields = refcntbt_fields,
	.size = db_size_block,
	.ops = &xfs_refcountbt_buf_ops,
};

/* ---- record and key sizes, by magic number ---- */

static const struct bt_geom bt_geoms[] = {
	{ XFS_ABTB_CRC_MAGIC, TYP_BNOBT, sizeof(struct xfs_alloc_rec),
	  sizeof(struct xfs_alloc_rec) },
	{ XFS_ABTC_CRC_MAGIC, TYP_CNTBT, sizeof(struct xfs_alloc_rec),
	  sizeof(struct xfs_alloc_rec) },
	{ XFS_IBT_CRC_MAGIC, TYP_INOBT, sizeof(struct xfs_inobt_rec),
	  sizeof(struct xfs_inobt_key) },
	{ XFS_FIBT_CRC_MAGIC, TYP_FINOBT, sizeof(struct xfs_inobt_rec),
	  sizeof(struct xfs_inobt_key) },
	{ XFS_RMAP_CRC_MAGIC, TYP_RMAPBT, sizeof(struct xfs_rmap_rec),
	  2 * sizeof(struct xfs_rmap_key) },
	{ XFS_REFC_CRC_MAGIC, TYP_REFCBT, sizeof(struct xfs_refcount_rec),
	  sizeof(struct xfs_refcount_key) },
};

#define NR_GEOMS	(sizeof(bt_geoms) / sizeof(bt_geoms[0]))

/*
 * Where entries sit depends on the kind of block the magic number says
 * this is, whatever the current type.  With a magic no btree has, the
 * reference says so (on stdout, each time) and uses the current type.
 */
static const struct bt_geom *bt_geom_of(const struct db_ctx *ctx,
					const void *obj, int bit)
{
	const struct db_loc *loc = db_cur_const(ctx);
	uint32_t magic = (uint32_t)db_getbits(obj, bit + HDR(bb_magic), 32,
					      false);
	size_t i;

	for (i = 0; i < NR_GEOMS; i++) {
		if (bt_geoms[i].magic == magic) {
			return &bt_geoms[i];
		}
	}
	if (!loc || !loc->type) {
		return NULL;
	}
	printf("Bad btree magic 0x%x; coercing to %s.\n", magic,
	       db_type_name(ctx, loc->type));
	for (i = 0; i < NR_GEOMS; i++) {
		if (bt_geoms[i].type == loc->type->id) {
			return &bt_geoms[i];
		}
	}
	return NULL;
}
