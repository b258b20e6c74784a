/*
 * db/attr3.c: blocks of the attribute fork (type attr3), by magic:
 *   ATTR3 leaf     hdr (with freemap), entries[] (hash, name offset,
 *                  flags), nvlist[] -- the name/value entry each leaf
 *                  entry points at: local (value inline) or remote
 *                  (value in XARM blocks at valueblk)
 *   DA3 node       hdr, btree[] (hashval, before)
 *   XARM remote    hdr, data (this block's piece of a value)
 * A block with none of these magics prints the reference's
 * " = Unrecognized metadata or type mismatch"; reading one as attr3 says
 * "Unknown attribute buffer type!".
 */
#include "db/inode.h"

#define LHDR(m)		FBIT(struct xfs_attr3_leaf_hdr, m)
#define LENT(m)		FBIT(struct xfs_attr_leaf_entry, m)
#define RMT(m)		FBIT(struct xfs_attr3_rmt_hdr, rm_##m)
#define LEAFHDR_LEN	((unsigned int)sizeof(struct xfs_attr3_leaf_hdr))
#define ENTLEN		((unsigned int)sizeof(struct xfs_attr_leaf_entry))

static uint64_t get(const struct db_ctx *ctx, const void *obj, size_t off,
		    int n)
{
	return db_objget(ctx, obj, off, n);
}

enum akind { AK_NONE, AK_LEAF, AK_NODE, AK_RMT };

static enum akind attr_kind(const struct db_ctx *ctx, const void *obj)
{
	size_t moff = FBIT(struct xfs_da_blkinfo, magic) / 8;

	if (get(ctx, obj, 0, 4) == XFS_ATTR3_RMT_MAGIC) {
		return AK_RMT;
	}
	switch (get(ctx, obj, moff, 2)) {
	case XFS_ATTR3_LEAF_MAGIC:
		return AK_LEAF;
	case XFS_DA3_NODE_MAGIC:
		return AK_NODE;
	}
	return AK_NONE;
}

static int is_leaf(const struct db_ctx *ctx, const void *obj, int bit)
{
	return attr_kind(ctx, obj) == AK_LEAF;
}

static int is_node(const struct db_ctx *ctx, const void *obj, int bit)
{
	return attr_kind(ctx, obj) == AK_NODE;
}

static int is_rmt(const struct db_ctx *ctx, const void *obj, int bit)
{
	return attr_kind(ctx, obj) == AK_RMT;
}

static int is_none(const struct db_ctx *ctx, const void *obj, int bit)
{
	return attr_kind(ctx, obj) == AK_NONE;
}

static const struct db_ftype ft_u64 = {
	.name = "uint64",
	.bitsize = 64,
	.print = db_fprint_num,
};

static const struct db_ftype ft_bit = {
	.name = "uint1",
	.bitsize = 1,
	.print = db_fprint_num,
};

/* ---- leaf header ---- */

static const struct db_field freemap_fields[] = {
	{ "base", &ft_uint16, FBIT(struct xfs_attr_leaf_map, base) },
	{ "size", &ft_uint16, FBIT(struct xfs_attr_leaf_map, size) },
	{ NULL }
};

static const struct db_ftype ft_freemap = {
	.name = "attr_leaf_map",
	.bitsize = (int)sizeof(struct xfs_attr_leaf_map) * 8,
	.print = db_fprint_records,
	.sub = freemap_fields,
};

static const struct db_field leaf_hdr_fields[] = {
	{ "info", &ft_da3_blkinfo, LHDR(info) },
	{ "count", &ft_uint16, LHDR(count) },
	{ "usedbytes", &ft_uint16, LHDR(usedbytes) },
	{ "firstused", &ft_uint16, LHDR(firstused) },
	{ "holes", &ft_uint8, LHDR(holes) },
	{ "pad1", &ft_uint8, LHDR(pad1), .flags = DBF_SKIPALL },
	{ "freemap", &ft_freemap, LHDR(freemap),
	  .count = XFS_ATTR_LEAF_MAPSIZE, .flags = DBF_ARRAY },
	{ "pad2", &ft_uint32, LHDR(pad2), .flags = DBF_SKIPALL },
	{ NULL }
};

static const struct db_ftype ft_leaf_hdr = {
	.name = "attr3_leaf_hdr",
	.sub = leaf_hdr_fields,
};

/* ---- leaf entries ---- */

/* flags bits counted from the LSB of the byte at LENT(flags). */
#define LFLAG(k)	(LENT(flags) + 7 - (k))

static const struct db_field leaf_ent_fields[] = {
	{ "hashval", &ft_hex32, LENT(hashval) },
	{ "nameidx", &ft_uint16, LENT(nameidx) },
	{ "incomplete", &ft_bit, LFLAG(7) },
	{ "root", &ft_bit, LFLAG(1) },
	{ "secure", &ft_bit, LFLAG(2) },
	{ "local", &ft_bit, LFLAG(0) },
	{ NULL }
};

static const struct db_ftype ft_leaf_ent = {
	.name = "attr_leaf_entry",
	.bitsize = (int)ENTLEN * 8,
	.print = db_fprint_records,
	.sub = leaf_ent_fields,
};

static int leaf_count(const struct db_ctx *ctx, const void *obj)
{
	uint64_t n = get(ctx, obj, LHDR(count) / 8, 2);
	unsigned int len = db_obj_len(ctx);
	unsigned int room = len > LEAFHDR_LEN ? (len - LEAFHDR_LEN) / ENTLEN :
						0;

	/* A damaged count: no more entries than the block holds. */
	return n > room ? (int)room : (int)n;
}

static int entries_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return is_leaf(ctx, obj, bit) ? (int)get(ctx, obj, LHDR(count) / 8, 2) :
					0;
}

static int entries_offset(const struct db_ctx *ctx, const void *obj, int bit,
			  int idx)
{
	return (int)(LEAFHDR_LEN + (unsigned int)idx * ENTLEN) * 8;
}

/* ---- name/value entries ---- */

static unsigned int ent_nameidx(const struct db_ctx *ctx, const void *obj,
				int idx)
{
	return (unsigned int)get(ctx, obj, LEAFHDR_LEN +
				 (size_t)idx * ENTLEN + LENT(nameidx) / 8, 2);
}

/* Is the name/value entry at byte off a local one (by its leaf entry)? */
static bool nv_local(const struct db_ctx *ctx, const void *obj,
		     unsigned int off)
{
	int i, n = leaf_count(ctx, obj);

	for (i = 0; i < n; i++) {
		if (ent_nameidx(ctx, obj, i) == off) {
			return get(ctx, obj, LEAFHDR_LEN + (size_t)i * ENTLEN +
				   LENT(flags) / 8, 1) & XFS_ATTR_LOCAL;
		}
	}
	return false;
}

static int nvlist_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return is_leaf(ctx, obj, bit) ? leaf_count(ctx, obj) : 0;
}

static int nvlist_offset(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	return (int)ent_nameidx(ctx, obj, idx) * 8;
}

static int nv_is_local(const struct db_ctx *ctx, const void *obj, int bit)
{
	return nv_local(ctx, obj, (unsigned int)(bit >> 3));
}

static int nv_is_remote(const struct db_ctx *ctx, const void *obj, int bit)
{
	return !nv_local(ctx, obj, (unsigned int)(bit >> 3));
}

#define NVL(m)	FBIT(struct xfs_attr_leaf_name_local, m)
#define NVR(m)	FBIT(struct xfs_attr_leaf_name_remote, m)

static int nvl_namelen(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!nv_is_local(ctx, obj, bit)) {
		return 0;
	}
	return (int)get(ctx, obj, (size_t)(bit + NVL(namelen)) / 8, 1);
}

static int nvl_valuelen(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!nv_is_local(ctx, obj, bit)) {
		return 0;
	}
	return (int)get(ctx, obj, (size_t)(bit + NVL(valuelen)) / 8, 2);
}

static int nvl_value_off(const struct db_ctx *ctx, const void *obj, int bit,
			 int idx)
{
	return NVL(nameval) +
	       (int)get(ctx, obj, (size_t)(bit + NVL(namelen)) / 8, 1) * 8;
}

static int nvr_namelen(const struct db_ctx *ctx, const void *obj, int bit)
{
	if (!nv_is_remote(ctx, obj, bit)) {
		return 0;
	}
	return (int)get(ctx, obj, (size_t)(bit + NVR(namelen)) / 8, 1);
}

static const struct db_field nv_fields[] = {
	{ "valueblk", &ft_hex32, NVR(valueblk), .count_fn = nv_is_remote },
	{ "valuelen", &ft_uint32, NVR(valuelen), .count_fn = nv_is_remote },
	{ "namelen", &ft_uint8, NVR(namelen), .count_fn = nv_is_remote },
	{ "name", &ft_cstr, NVR(name), .count_fn = nvr_namelen },
	{ "valuelen", &ft_uint16, NVL(valuelen), .count_fn = nv_is_local },
	{ "namelen", &ft_uint8, NVL(namelen), .count_fn = nv_is_local },
	{ "name", &ft_cstr, NVL(nameval), .count_fn = nvl_namelen },
	{ "value", &ft_cstr, .count_fn = nvl_valuelen,
	  .offset_fn = nvl_value_off },
	{ NULL }
};

static const struct db_ftype ft_nv = {
	.name = "attr_leaf_name",
	.sub = nv_fields,
};

/* ---- node ---- */

static int btree_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	return is_node(ctx, obj, bit) ? db_da_node_count(ctx, obj, bit) : 0;
}

static int btree_offset(const struct db_ctx *ctx, const void *obj, int bit,
			int idx)
{
	return (int)(sizeof(struct xfs_da3_node_hdr) +
		     (size_t)idx * sizeof(struct xfs_da_node_entry)) * 8;
}

/* ---- remote value blocks ---- */

static const struct db_field rmt_hdr_fields[] = {
	{ "magic", &ft_hex32, RMT(magic) },
	{ "offset", &ft_uint32, RMT(offset) },
	{ "bytes", &ft_uint32, RMT(bytes) },
	{ "crc", &ft_crc, RMT(crc) },
	{ "uuid", &ft_uuid, RMT(uuid) },
	{ "owner", &ft_u64, RMT(owner) },
	{ "bno", &ft_dfsbno, RMT(blkno), .next = TYP_BMAPBTD },
	{ "lsn", &ft_lsn, RMT(lsn) },
	{ NULL }
};

static const struct db_ftype ft_rmt_hdr = {
	.name = "attr3_rmt_hdr",
	.sub = rmt_hdr_fields,
};

static int rmt_data_count(const struct db_ctx *ctx, const void *obj, int bit)
{
	uint64_t n;

	if (!is_rmt(ctx, obj, bit)) {
		return 0;
	}
	n = get(ctx, obj, RMT(bytes) / 8, 4);
	return n > db_obj_len(ctx) ? (int)db_obj_len(ctx) : (int)n;
}

/* ---- the type ---- */

static const struct db_field attr3_fields[] = {
	{ "hdr", &ft_leaf_hdr, 0, .count_fn = is_leaf },
	{ "entries", &ft_leaf_ent, .count_fn = entries_count,
	  .offset_fn = entries_offset, .flags = DBF_ARRAY },
	{ "nvlist", &ft_nv, .count_fn = nvlist_count,
	  .offset_fn = nvlist_offset, .flags = DBF_ARRAY },
	{ "hdr", &ft_da3_node_hdr, 0, .count_fn = is_node },
	{ "btree", &ft_da_node_ent, .count_fn = btree_count,
	  .offset_fn = btree_offset, .flags = DBF_ARRAY },
	{ "hdr", &ft_rmt_hdr, 0, .count_fn = is_rmt },
	{ "data", &ft_cstr, (int)sizeof(struct xfs_attr3_rmt_hdr) * 8,
	  .count_fn = rmt_data_count },
	{ "", &ft_unknown_block, 0, .count_fn = is_none },
	{ NULL }
};

static int attr3_any_verify(struct xfs_buf *bp)
{
	const struct xfs_buf_ops *ops = NULL;
	const uint8_t *p = bp->b_addr;
	if (BBTOB(bp->b_length) >= sizeof(struct xfs_da3_blkinfo)) {
		if (get_unaligned_be32(p) == XFS_ATTR3_RMT_MAGIC) {
			ops = &xfs_attr3_rmt_buf_ops;
		}
		switch (get_unaligned_be16(p + 8)) {
		case XFS_ATTR3_LEAF_MAGIC:
			ops = &xfs_attr3_leaf_buf_ops;
			break;
		case XFS_DA3_NODE_MAGIC:
			ops = &xfs_da3_node_buf_ops;
			break;
		}
	}
	if (!ops) {
		printf("Unknown attribute buffer type!\n");
		return 0;
	}
	/* The typed verifier checks the magic against its own ops. */
	bp->b_ops = ops;
	return ops->verify_read(bp);
}

static const struct xfs_buf_ops attr3_any_ops = {
	.name = "attr3",
	.verify_read = attr3_any_verify,
};

const struct db_type attr3_type = {
	.id = TYP_ATTR,
	.name = "attr3",
	.v4name = "attr",
	.fields = attr3_fields,
	.size = db_size_block,
	.ops = &attr3_any_ops,
};
