/*
 * db/dir3.c: directory blocks (type dir3) and the dabtree pieces that
 * attribute blocks (attr3.c) share.
 *
 * One type covers every kind of directory block; which fields a block
 * has follows its magic number:
 *   XDB3 block format     bhdr, bu[] (entries and unused regions),
 *                         bleaf[] (hash/address pairs), btail
 *   XDD3 data block       dhdr, du[]
 *   LEAF1 / LEAFN         lhdr, lbests[] (LEAF1), lents[], ltail (LEAF1)
 *   DA3 node              nhdr, nbtree[]
 *   XDF3 free index       fhdr, fbests[]
 * A block with none of these magics prints the reference's
 * " = Unrecognized metadata or type mismatch"; reading one as dir3 says
 * "Unknown directory buffer type!".
 *
 * The entries of data blocks are variable-sized: an element of bu[]/du[]
 * is either an entry (inumber, namelen, name, filetype, tag) or an unused
 * region (freetag, length, filetype, tag); the walk over them stops at
 * the end of the data area and never reads outside the block.
 */
#include "db/inode.h"
#include "db/io.h"

#define BLKHDR(m)	FBIT(struct xfs_dir3_blk_hdr, m)
#define DATAHDR(m)	FBIT(struct xfs_dir3_data_hdr, m)
#define DA3INFO(m)	FBIT(struct xfs_da3_blkinfo, m)
#define DAINFO(m)	FBIT(struct xfs_da_blkinfo, m)
#define DATA_START	((unsigned int)sizeof(struct xfs_dir3_data_hdr))

static uint64_t get(const struct db_ctx *ctx, const void *obj, size_t off,
		    int n)
{
	return db_objget(ctx, obj, off, n);
}

/* ---- pointers ---- */

/*
 * `addr` on a dabtree pointer (sibling, node child) of the current dir3 or
 * attr3 block: that logical block of the current inode's fork.
 */
static int addr_dablock(struct db_ctx *ctx, const void *obj, int bit,
			enum db_typid next)
{
	const struct db_loc *loc = db_cur_const(ctx);
	uint32_t bno = (uint32_t)db_getbits(obj, bit, 32, false);
	bool attr = loc && loc->type == &attr3_type;
	const struct db_type *t = attr ? &attr3_type : &dir3_type;
	unsigned int blocks = attr ? 1 : 1U << db_sb(ctx)->sb_dirblklog;
	uint64_t fsbno;

	if (bno == 0) {
		printf("null %s block number, cannot set new addr\n",
		       attr ? "attribute" : "directory");
		return -EINVAL;
	}
	if (!loc || db_fork_map(ctx, loc->ino, attr ? XFS_ATTR_FORK :
					       XFS_DATA_FORK, bno, &fsbno)) {
		printf("%s block is unmapped\n",
		       attr ? "attribute" : "directory");
		return -ENOENT;
	}
	return db_set_cur_block(ctx, t, db_fsbno_to_daddr(ctx, fsbno),
				blocks << db_blkbb_log(ctx), DB_RING_ADD);
}

/* Logical block numbers of the fork (siblings, children). */
static const struct db_ftype ft_dablock = {
	.name = "dablock",
	.bitsize = 32,
	.print = db_fprint_num,
	.addr = addr_dablock,
};

/* ---- which kind of block ---- */

enum dkind { DK_NONE, DK_BLOCK, DK_DATA, DK_LEAF1, DK_LEAFN, DK_NODE,
	     DK_FREE };

static enum dkind dir_kind(const struct db_ctx *ctx, const void *obj)
{
	uint32_t magic = (uint32_t)get(ctx, obj, 0, 4);
	uint16_t magic16 = (uint16_t)get(ctx, obj, DAINFO(magic) / 8, 2);

	switch (magic) {
	case XFS_DIR3_BLOCK_MAGIC:
		return DK_BLOCK;
	case XFS_DIR3_DATA_MAGIC:
		return DK_DATA;
	case XFS_DIR3_FREE_MAGIC:
		return DK_FREE;
	}
	switch (magic16) {
	case XFS_DIR3_LEAF1_MAGIC:
		return DK_LEAF1;
	case XFS_DIR3_LEAFN_MAGIC:
		return DK_LEAFN;
	case XFS_DA3_NODE_MAGIC:
		return DK_NODE;
	}
	return DK_NONE;
}

#define KIND_COUNT(fn, test)						\
	static int fn(const struct db_ctx *ctx, const void *obj, int bit) \
	{								\
		enum dkind k = dir_kind(ctx, obj);			\
									\
		return (test) ? 1 : 0;					\
	}

KIND_COUNT(is_block, k == DK_BLOCK)
KIND_COUNT(is_data, k == DK_DATA)
KIND_COUNT(is_leaf, k == DK_LEAF1 || k == DK_LEAFN)
KIND_COUNT(is_leaf1, k == DK_LEAF1)
KIND_COUNT(is_node, k == DK_NODE)
KIND_COUNT(is_free, k == DK_FREE)
KIND_COUNT(is_none, k == DK_NONE)

/* ---- shared header pieces ---- */

static const struct db_ftype ft_u64 = {
	.name = "uint64",
	.bitsize = 64,
	.print = db_fprint_num,
};

/* The V5 header of data, block and free blocks. */
static const struct db_field blk_hdr_fields[] = {
	{ "magic", &ft_hex32, BLKHDR(magic) },
	{ "crc", &ft_crc, BLKHDR(crc) },
	{ "bno", &ft_dfsbno, BLKHDR(blkno), .next = TYP_BMAPBTD },
	{ "lsn", &ft_lsn, BLKHDR(lsn) },
	{ "uuid", &ft_uuid, BLKHDR(uuid) },
	{ "owner", &ft_u64, BLKHDR(owner) },
	{ NULL }
};

static const struct db_ftype ft_blk_hdr = {
	.name = "dir3_blk_hdr",
	.sub = blk_hdr_fields,
};

static const struct db_field da_blkinfo_fields[] = {
	{ "forw", &ft_dablock, DAINFO(forw), .next = TYP_DIR2 },
	{ "back", &ft_dablock, DAINFO(back), .next = TYP_DIR2 },
	{ "magic", &ft_hex16, DAINFO(magic) },
	{ "pad", &ft_uint16, DAINFO(pad), .flags = DBF_SKIPALL },
	{ NULL }
};

static const struct db_ftype ft_da_blkinfo = {
	.name = "da_blkinfo",
	.sub = da_blkinfo_fields,
};

static const struct db_field da3_blkinfo_fields[] = {
	{ "hdr", &ft_da_blkinfo, DA3INFO(hdr) },
	{ "crc", &ft_crc, DA3INFO(crc) },
	{ "bno", &ft_dfsbno, DA3INFO(blkno), .next = TYP_BMAPBTD },
	{ "lsn", &ft_lsn, DA3INFO(lsn) },
	{ "uuid", &ft_uuid, DA3INFO(uuid) },
	{ "owner", &ft_u64, DA3INFO(owner) },
	{ NULL }
};

const struct db_ftype ft_da3_blkinfo = {
	.name = "da3_blkinfo",
	.sub = da3_blkinfo_fields,
};

/* ---- dabtree nodes (also attr3 nodes) ---- */

#define NODEHDR(m)	FBIT(struct xfs_da3_node_hdr, m)
#define NODEENT(m)	FBIT(struct xfs_da_node_entry, m)

static const struct db_field da3_node_hdr_fields[] = {
	{ "info", &ft_da3_blkinfo, NODEHDR(info) },
	{ "count", &ft_uint16, NODEHDR(count) },
	{ "level", &ft_uint16, NODEHDR(level) },
	{ "pad", &ft_uint32, NODEHDR(pad32), .flags = DBF_SKIPALL },
	{ NULL }
};

const struct db_ftype ft_da3_node_hdr = {
	.name = "da3_node_hdr",
	.sub = da3_node_hdr_fields,
};

static const struct db_field da_node_ent_fields[] = {
	{ "hashval", &ft_hex32, NODEENT(hashval) },
	{ "before", &ft_dablock, NODEENT(before), .next = TYP_DIR2 },
	{ NULL }
};

const struct db_ftype ft_da_node_ent = {
	.name = "da_node_entry",
	.bitsize = (int)sizeof(struct xfs_da_node_entry) * 8,
	.print = db_fprint_records,
	.sub = da_node_ent_fields,
};

int db_da_node_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return (int)get(ctx, obj, NODEHDR(count) / 8, 2);
}

/* ---- data and block-format blocks ---- */

static const struct db_field data_free_fields[] = {
	{ "offset", &ft_hex16, FBIT(struct xfs_dir2_data_free, offset) },
	{ "length", &ft_hex16, FBIT(struct xfs_dir2_data_free, length) },
	{ NULL }
};

static const struct db_ftype ft_data_free = {
	.name = "dir2_data_free",
	.bitsize = (int)sizeof(struct xfs_dir2_data_free) * 8,
	.sub = data_free_fields,
};

static const struct db_field data_hdr_fields[] = {
	{ "hdr", &ft_blk_hdr, DATAHDR(hdr) },
	{ "bestfree", &ft_data_free, DATAHDR(best_free),
	  .count = XFS_DIR2_DATA_FD_COUNT, .flags = DBF_ARRAY },
	{ "pad", &ft_uint32, DATAHDR(pad), .flags = DBF_SKIPALL },
	{ NULL }
};

static const struct db_ftype ft_data_hdr = {
	.name = "dir3_data_hdr",
	.sub = data_hdr_fields,
};

static unsigned int blksize(const struct db_ctx *ctx)
{
	return db_obj_len(ctx);
}

/* Leaf entries of a block-format block start after the data area. */
static unsigned int block_leaf_start(const struct db_ctx *ctx,
				     const void *obj)
{
	unsigned int bs = blksize(ctx);
	uint64_t count;

	if (bs < DATA_START + sizeof(struct xfs_dir2_block_tail)) {
		return DATA_START;
	}
	count = get(ctx, obj, bs - sizeof(struct xfs_dir2_block_tail), 4);
	if (count > (bs - DATA_START - sizeof(struct xfs_dir2_block_tail)) /
		    sizeof(struct xfs_dir2_leaf_entry)) {
		return DATA_START;
	}
	return bs - (unsigned int)sizeof(struct xfs_dir2_block_tail) -
	       (unsigned int)count * (unsigned int)
	       sizeof(struct xfs_dir2_leaf_entry);
}

static unsigned int data_end(const struct db_ctx *ctx, const void *obj)
{
	return dir_kind(ctx, obj) == DK_BLOCK ? block_leaf_start(ctx, obj) :
						blksize(ctx);
}

static bool is_unused(const struct db_ctx *ctx, const void *obj, size_t off)
{
	return get(ctx, obj, off, 2) == XFS_DIR2_DATA_FREE_TAG;
}

/* Size of the entry or unused region at off (0 for a damaged one). */
static unsigned int dent_size(const struct db_ctx *ctx, const void *obj,
			      size_t off)
{
	if (is_unused(ctx, obj, off)) {
		return (unsigned int)get(ctx, obj, off + 2, 2);
	}
	return xfs_dir2_data_entsize(db_has_ftype(ctx),
				     (unsigned int)get(ctx, obj, off + 8, 1));
}

/*
 * Walk the data area: the byte offset of element idx, or with idx < 0
 * the number of elements.  A zero-sized region ends the walk after it.
 */
static unsigned int dent_walk(const struct db_ctx *ctx, const void *obj,
			      int idx)
{
	unsigned int end = data_end(ctx, obj), off = DATA_START, size;
	int n = 0;

	while (off < end && (idx < 0 || n < idx)) {
		size = dent_size(ctx, obj, off);
		n++;
		if (size == 0) {
			off = end;
			break;
		}
		off += size;
	}
	return idx < 0 ? (unsigned int)n : off;
}

static int dent_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return (int)dent_walk(ctx, obj, -1);
}

static int bu_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return dir_kind(ctx, obj) == DK_BLOCK ? dent_count(ctx, obj, bit) : 0;
}

static int du_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return dir_kind(ctx, obj) == DK_DATA ? dent_count(ctx, obj, bit) : 0;
}

static int dent_offset(const struct db_ctx *ctx, const void *obj, int bit,
		       int idx)
{
	return (int)(dent_walk(ctx, obj, idx) * 8);
}

/* Members of one element; bit is the element's start. */
static int de_used(const struct db_ctx *ctx, const void *obj, int bit)
{
	return !is_unused(ctx, obj, (size_t)(bit >> 3));
}

static int de_free(const struct db_ctx *ctx, const void *obj, int bit)
{
	return is_unused(ctx, obj, (size_t)(bit >> 3));
}

static int de_namelen(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!de_used(ctx, obj, bit)) {
		return 0;
	}
	return (int)get(ctx, obj, (size_t)(bit >> 3) + 8, 1);
}

static int de_ftype_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return db_has_ftype(ctx) ? 1 : 0;
}

/* The tag ends the element (of an unused region: its length says where). */
static int de_tag_off(const struct db_ctx *ctx, const void *obj, int bit,
		      int idx)
{
	unsigned int size = dent_size(ctx, obj, (size_t)(bit >> 3));

	return size >= 2 ? (int)(size - 2) * 8 : 0;
}

/*
 * The file type of an entry follows its name; the reference shows one
 * for an unused region too, read where its tag starts.
 */
static int de_ftype_off(const struct db_ctx *ctx, const void *obj, int bit,
			int idx)
{
	if (de_free(ctx, obj, bit)) {
		return de_tag_off(ctx, obj, bit, idx);
	}
	return (int)(9 + get(ctx, obj, (size_t)(bit >> 3) + 8, 1)) * 8;
}

static const struct db_field data_union_fields[] = {
	{ "freetag", &ft_hex16, 0, .count_fn = de_free },
	{ "length", &ft_hex16, 16, .count_fn = de_free },
	{ "inumber", &ft_ino, 0, .count_fn = de_used, .next = TYP_INODE },
	{ "namelen", &ft_uint8, 64, .count_fn = de_used },
	{ "name", &ft_cstr, 72, .count_fn = de_namelen },
	{ "filetype", &ft_uint8, .count_fn = de_ftype_count,
	  .offset_fn = de_ftype_off },
	{ "tag", &ft_hex16, .offset_fn = de_tag_off },
	{ NULL }
};

static const struct db_ftype ft_data_union = {
	.name = "dir2_data_union",
	.sub = data_union_fields,
};

/* ---- block-format leaf and tail ---- */

static const struct db_field leaf_ent_fields[] = {
	{ "hashval", &ft_hex32, FBIT(struct xfs_dir2_leaf_entry, hashval) },
	{ "address", &ft_hex32, FBIT(struct xfs_dir2_leaf_entry, address) },
	{ NULL }
};

static const struct db_ftype ft_leaf_ent = {
	.name = "dir2_leaf_entry",
	.bitsize = (int)sizeof(struct xfs_dir2_leaf_entry) * 8,
	.sub = leaf_ent_fields,
};

static int bleaf_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (dir_kind(ctx, obj) != DK_BLOCK) {
		return 0;
	}
	return (int)((blksize(ctx) - sizeof(struct xfs_dir2_block_tail) -
		      block_leaf_start(ctx, obj)) /
		     sizeof(struct xfs_dir2_leaf_entry));
}

static int bleaf_offset(const struct db_ctx *ctx, const void *obj, int bit,
			int idx)
{
	return (int)(block_leaf_start(ctx, obj) +
		     (unsigned int)idx * sizeof(struct xfs_dir2_leaf_entry)) *
	       8;
}

static const struct db_field block_tail_fields[] = {
	{ "count", &ft_uint32, FBIT(struct xfs_dir2_block_tail, count) },
	{ "stale", &ft_uint32, FBIT(struct xfs_dir2_block_tail, stale) },
	{ NULL }
};

static const struct db_ftype ft_block_tail = {
	.name = "dir2_block_tail",
	.sub = block_tail_fields,
};

static int tail_offset(const struct db_ctx *ctx, const void *obj, int bit,
		       int idx)
{
	unsigned int bs = blksize(ctx);

	return bs >= sizeof(struct xfs_dir2_block_tail) ?
	       (int)(bs - sizeof(struct xfs_dir2_block_tail)) * 8 : 0;
}

/* ---- leaf blocks ---- */

#define LEAFHDR(m)	FBIT(struct xfs_dir3_leaf_hdr, m)

static const struct db_field leaf_hdr_fields[] = {
	{ "info", &ft_da3_blkinfo, LEAFHDR(info) },
	{ "count", &ft_uint16, LEAFHDR(count) },
	{ "stale", &ft_uint16, LEAFHDR(stale) },
	{ "pad", &ft_uint32, LEAFHDR(pad), .flags = DBF_SKIPALL },
	{ NULL }
};

static const struct db_ftype ft_leaf_hdr = {
	.name = "dir3_leaf_hdr",
	.sub = leaf_hdr_fields,
};

static int lents_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!is_leaf(ctx, obj, bit)) {
		return 0;
	}
	return (int)get(ctx, obj, LEAFHDR(count) / 8, 2);
}

static int lents_offset(const struct db_ctx *ctx, const void *obj, int bit,
			int idx)
{
	return (int)(sizeof(struct xfs_dir3_leaf_hdr) +
		     (size_t)idx * sizeof(struct xfs_dir2_leaf_entry)) * 8;
}

static uint64_t leaf_bestcount(const struct db_ctx *ctx, const void *obj)
{
	unsigned int bs = blksize(ctx);

	if (bs < sizeof(struct xfs_dir2_leaf_tail)) {
		return 0;
	}
	return get(ctx, obj, bs - sizeof(struct xfs_dir2_leaf_tail), 4);
}

static int lbests_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	uint64_t n;

	if (dir_kind(ctx, obj) != DK_LEAF1) {
		return 0;
	}
	n = leaf_bestcount(ctx, obj);
	/* More bests than the block holds: as many as fit. */
	if (n > (blksize(ctx) - sizeof(struct xfs_dir2_leaf_tail)) / 2) {
		n = (blksize(ctx) - sizeof(struct xfs_dir2_leaf_tail)) / 2;
	}
	return (int)n;
}

static int lbests_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	unsigned int n = (unsigned int)lbests_count(ctx, obj, bit);

	return (int)(blksize(ctx) - sizeof(struct xfs_dir2_leaf_tail) -
		     (size_t)(n - (unsigned int)idx) * 2) * 8;
}

static const struct db_field leaf_tail_fields[] = {
	{ "bestcount", &ft_uint32, 0 },
	{ NULL }
};

static const struct db_ftype ft_leaf_tail = {
	.name = "dir2_leaf_tail",
	.sub = leaf_tail_fields,
};

static int ltail_offset(const struct db_ctx *ctx, const void *obj, int bit,
			int idx)
{
	unsigned int bs = blksize(ctx);

	return bs >= 4 ? (int)(bs - 4) * 8 : 0;
}

/* Best free lengths of a free index block: 0 is not shown. */
static const struct db_ftype ft_bests = {
	.name = "dir2_data_off",
	.bitsize = 16,
	.print = db_fprint_num,
	.fmt = DB_FMT_HEX,
	.arg = FTA_SKIPZERO,
};

/* ---- node and free blocks ---- */

static int nbtree_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return is_node(ctx, obj, bit) ? db_da_node_count(ctx, obj, bit) : 0;
}

static int node_ent_offset(const struct db_ctx *ctx, const void *obj,
			   int bit, int idx)
{
	return (int)(sizeof(struct xfs_da3_node_hdr) +
		     (size_t)idx * sizeof(struct xfs_da_node_entry)) * 8;
}

#define FREEHDR(m)	FBIT(struct xfs_dir3_free_hdr, m)

static const struct db_field free_hdr_fields[] = {
	{ "hdr", &ft_blk_hdr, FREEHDR(hdr) },
	{ "firstdb", &ft_uint32, FREEHDR(firstdb) },
	{ "nvalid", &ft_uint32, FREEHDR(nvalid) },
	{ "nused", &ft_uint32, FREEHDR(nused) },
	{ "pad", &ft_uint32, FREEHDR(pad), .flags = DBF_SKIPALL },
	{ NULL }
};

static const struct db_ftype ft_free_hdr = {
	.name = "dir3_free_hdr",
	.sub = free_hdr_fields,
};

static int fbests_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	uint64_t n;

	if (!is_free(ctx, obj, bit)) {
		return 0;
	}
	n = get(ctx, obj, FREEHDR(nvalid) / 8, 4);
	return n > blksize(ctx) ? (int)blksize(ctx) : (int)n;
}

static int fbests_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	return (int)(sizeof(struct xfs_dir3_free_hdr) + (size_t)idx * 2) * 8;
}

/* ---- unrecognised blocks ---- */

static void fp_unknown(const struct db_pelem *pe)
{
	printf("Unrecognized metadata or type mismatch");
}

const struct db_ftype ft_unknown_block = {
	.name = "unknown",
	.bitsize = 0,
	.print = fp_unknown,
};

/* ---- the type ---- */

static const struct db_field dir3_fields[] = {
	{ "bhdr", &ft_data_hdr, 0, .count_fn = is_block },
	{ "bu", &ft_data_union, .count_fn = bu_count,
	  .offset_fn = dent_offset, .flags = DBF_ARRAY },
	{ "bleaf", &ft_leaf_ent, .count_fn = bleaf_count,
	  .offset_fn = bleaf_offset, .flags = DBF_ARRAY },
	{ "btail", &ft_block_tail, .count_fn = is_block,
	  .offset_fn = tail_offset },
	{ "dhdr", &ft_data_hdr, 0, .count_fn = is_data },
	{ "du", &ft_data_union, .count_fn = du_count,
	  .offset_fn = dent_offset, .flags = DBF_ARRAY },
	{ "lhdr", &ft_leaf_hdr, 0, .count_fn = is_leaf },
	{ "lbests", &ft_hex16, .count_fn = lbests_count,
	  .offset_fn = lbests_offset, .flags = DBF_ARRAY },
	{ "lents", &ft_leaf_ent, .count_fn = lents_count,
	  .offset_fn = lents_offset, .flags = DBF_ARRAY },
	{ "ltail", &ft_leaf_tail, .count_fn = is_leaf1,
	  .offset_fn = ltail_offset },
	{ "nhdr", &ft_da3_node_hdr, 0, .count_fn = is_node },
	{ "nbtree", &ft_da_node_ent, .count_fn = nbtree_count,
	  .offset_fn = node_ent_offset, .flags = DBF_ARRAY },
	{ "fhdr", &ft_free_hdr, 0, .count_fn = is_free },
	{ "fbests", &ft_bests, .count_fn = fbests_count,
	  .offset_fn = fbests_offset, .flags = DBF_ARRAY },
	{ "", &ft_unknown_block, 0, .count_fn = is_none },
	{ NULL }
};

/* The verifier of the kind of block the magic says this is. */
static int dir3_any_verify(struct xfs_buf *bp)
{
	const struct xfs_buf_ops *ops = NULL;
	size_t len = BBTOB(bp->b_length);
	const uint8_t *p = bp->b_addr;
	if (len >= sizeof(struct xfs_da3_blkinfo)) {
		switch (get_unaligned_be32(p)) {
		case XFS_DIR3_BLOCK_MAGIC:
			ops = &xfs_dir3_block_buf_ops;
			break;
		case XFS_DIR3_DATA_MAGIC:
			ops = &xfs_dir3_data_buf_ops;
			break;
		case XFS_DIR3_FREE_MAGIC:
			ops = &xfs_dir3_free_buf_ops;
			break;
		}
		switch (get_unaligned_be16(p + DAINFO(magic) / 8)) {
		case XFS_DIR3_LEAF1_MAGIC:
			ops = &xfs_dir3_leaf1_buf_ops;
			break;
		case XFS_DIR3_LEAFN_MAGIC:
			ops = &xfs_dir3_leafn_buf_ops;
			break;
		case XFS_DA3_NODE_MAGIC:
			ops = &xfs_da3_node_buf_ops;
			break;
		}
	}
	if (!ops) {
		printf("Unknown directory buffer type!\n");
		return 0;
	}
	/* The typed verifier checks the magic against its own ops. */
	bp->b_ops = ops;
	return ops->verify_read(bp);
}

static const struct xfs_buf_ops dir3_any_ops = {
	.name = "dir3",
	.verify_read = dir3_any_verify,
};

static unsigned int dir3_size(const struct db_ctx *ctx)
{
	return db_dirblksize(ctx);
}

const struct db_type dir3_type = {
	.id = TYP_DIR2,
	.name = "dir3",
	.v4name = "dir2",
	.fields = dir3_fields,
	.size = dir3_size,
	.ops = &dir3_any_ops,
};
