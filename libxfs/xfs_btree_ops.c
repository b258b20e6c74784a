/*
 * xfs_btree_ops.c: what each btree type tells the generic cursor -- its
 * record and key layouts, how a record becomes a key, how keys compare,
 * and how many entries a block holds.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* ---- free space: by block, by size ---- */

static void alloc_rec_to_key(const void *rec, void *key)
{
	memcpy(key, rec, sizeof(struct xfs_alloc_rec));
}

static int bno_key_cmp(const void *k1, const void *k2)
{
	const struct xfs_alloc_rec *a = k1, *b = k2;

	return cmp_u32(be32_to_cpu(a->ar_startblock),
		       be32_to_cpu(b->ar_startblock));
}

static int cnt_key_cmp(const void *k1, const void *k2)
{
	const struct xfs_alloc_rec *a = k1, *b = k2;
	int c = cmp_u32(be32_to_cpu(a->ar_blockcount),
			be32_to_cpu(b->ar_blockcount));

	return c ? c : cmp_u32(be32_to_cpu(a->ar_startblock),
			       be32_to_cpu(b->ar_startblock));
}

static unsigned int alloc_maxrecs(const struct xfs_mount *mp, int leaf)
{
	return mp->m_alloc_mxr[!leaf];
}

const struct xfs_btree_ops xfs_bnobt_ops = {
	.name = "bnobt", .buf_ops = &xfs_bnobt_buf_ops,
	.rec_len = sizeof(struct xfs_alloc_rec),
	.key_len = sizeof(xfs_alloc_key_t), .key_slot = sizeof(xfs_alloc_key_t),
	.ptr_len = sizeof(xfs_alloc_ptr_t),
	.maxrecs = alloc_maxrecs, .rec_to_key = alloc_rec_to_key,
	.key_cmp = bno_key_cmp,
};

const struct xfs_btree_ops xfs_cntbt_ops = {
	.name = "cntbt", .buf_ops = &xfs_cntbt_buf_ops,
	.rec_len = sizeof(struct xfs_alloc_rec),
	.key_len = sizeof(xfs_alloc_key_t), .key_slot = sizeof(xfs_alloc_key_t),
	.ptr_len = sizeof(xfs_alloc_ptr_t),
	.maxrecs = alloc_maxrecs, .rec_to_key = alloc_rec_to_key,
	.key_cmp = cnt_key_cmp,
};

/* ---- inode btrees ---- */

static void inobt_rec_to_key(const void *rec, void *key)
{
	memcpy(key, rec, sizeof(struct xfs_inobt_key));
}

static int inobt_key_cmp(const void *k1, const void *k2)
{
	const struct xfs_inobt_key *a = k1, *b = k2;

	return cmp_u32(be32_to_cpu(a->ir_startino),
		       be32_to_cpu(b->ir_startino));
}

static unsigned int inobt_maxrecs(const struct xfs_mount *mp, int leaf)
{
	return mp->m_inobt_mxr[!leaf];
}

const struct xfs_btree_ops xfs_inobt_ops = {
	.name = "inobt", .buf_ops = &xfs_inobt_buf_ops,
	.rec_len = sizeof(struct xfs_inobt_rec),
	.key_len = sizeof(struct xfs_inobt_key),
	.key_slot = sizeof(struct xfs_inobt_key),
	.ptr_len = sizeof(xfs_inobt_ptr_t),
	.maxrecs = inobt_maxrecs, .rec_to_key = inobt_rec_to_key,
	.key_cmp = inobt_key_cmp,
};

const struct xfs_btree_ops xfs_finobt_ops = {
	.name = "finobt", .buf_ops = &xfs_finobt_buf_ops,
	.rec_len = sizeof(struct xfs_inobt_rec),
	.key_len = sizeof(struct xfs_inobt_key),
	.key_slot = sizeof(struct xfs_inobt_key),
	.ptr_len = sizeof(xfs_inobt_ptr_t),
	.maxrecs = inobt_maxrecs, .rec_to_key = inobt_rec_to_key,
	.key_cmp = inobt_key_cmp,
};

/* ---- reference counts ---- */

static void refc_rec_to_key(const void *rec, void *key)
{
	memcpy(key, rec, sizeof(struct xfs_refcount_key));
}

// The CoW flag is the top bit of startblock: staging extents sort last.
static int refc_key_cmp(const void *k1, const void *k2)
{
	const struct xfs_refcount_key *a = k1, *b = k2;

	return cmp_u32(be32_to_cpu(a->rc_startblock),
		       be32_to_cpu(b->rc_startblock));
}

static unsigned int refc_maxrecs(const struct xfs_mount *mp, int leaf)
{
	return mp->m_refc_mxr[!leaf];
}

const struct xfs_btree_ops xfs_refcountbt_ops = {
	.name = "refcountbt", .buf_ops = &xfs_refcountbt_buf_ops,
	.rec_len = sizeof(struct xfs_refcount_rec),
	.key_len = sizeof(struct xfs_refcount_key),
	.key_slot = sizeof(struct xfs_refcount_key),
	.ptr_len = sizeof(xfs_refcount_ptr_t),
	.maxrecs = refc_maxrecs, .rec_to_key = refc_rec_to_key,
	.key_cmp = refc_key_cmp,
};

/* ---- reverse mappings (overlapping: nodes hold low and high keys) ---- */

static void rmap_rec_to_key(const void *rec, void *key)
{
	const struct xfs_rmap_rec *r = rec;
	struct xfs_rmap_key k;

	k.rm_startblock = r->rm_startblock;
	k.rm_owner = r->rm_owner;
	k.rm_offset = cpu_to_be64(be64_to_cpu(r->rm_offset) &
				  ~XFS_RMAP_OFF_UNWRITTEN);
	memcpy(key, &k, sizeof(k));
}

// The last block a record maps, with the file offset of that block.
static void rmap_rec_high_key(const void *rec, void *key)
{
	const struct xfs_rmap_rec *r = rec;
	uint32_t adj = be32_to_cpu(r->rm_blockcount) - 1;
	uint64_t owner = be64_to_cpu(r->rm_owner);
	uint64_t off = be64_to_cpu(r->rm_offset) & ~XFS_RMAP_OFF_UNWRITTEN;
	struct xfs_rmap_key k;

	k.rm_startblock = cpu_to_be32(be32_to_cpu(r->rm_startblock) + adj);
	k.rm_owner = r->rm_owner;
	if (!xfs_rmap_owner_is_special(owner) &&
	    !(off & XFS_RMAP_OFF_BMBT_BLOCK)) {
		off += adj;
	}
	k.rm_offset = cpu_to_be64(off);
	memcpy(key, &k, sizeof(k));
}

static int rmap_key_cmp(const void *k1, const void *k2)
{
	struct xfs_rmap_key a, b;
	int c;

	memcpy(&a, k1, sizeof(a));
	memcpy(&b, k2, sizeof(b));
	c = cmp_u32(be32_to_cpu(a.rm_startblock), be32_to_cpu(b.rm_startblock));
	if (c) {
		return c;
	}
	c = cmp_u64(be64_to_cpu(a.rm_owner), be64_to_cpu(b.rm_owner));
	if (c) {
		return c;
	}
	return cmp_u64(xfs_rmap_off_offset(be64_to_cpu(a.rm_offset)),
		       xfs_rmap_off_offset(be64_to_cpu(b.rm_offset)));
}

static unsigned int rmap_maxrecs(const struct xfs_mount *mp, int leaf)
{
	return mp->m_rmap_mxr[!leaf];
}

const struct xfs_btree_ops xfs_rmapbt_ops = {
	.name = "rmapbt", .buf_ops = &xfs_rmapbt_buf_ops,
	.rec_len = sizeof(struct xfs_rmap_rec),
	.key_len = sizeof(struct xfs_rmap_key),
	.key_slot = 2 * sizeof(struct xfs_rmap_key),
	.ptr_len = sizeof(xfs_rmap_ptr_t),
	.maxrecs = rmap_maxrecs, .rec_to_key = rmap_rec_to_key,
	.key_cmp = rmap_key_cmp, .rec_high_key = rmap_rec_high_key,
};

/* ---- block map (long pointers, root in the inode) ---- */

static void bmbt_rec_to_key(const void *rec, void *key)
{
	struct xfs_bmbt_rec r;
	struct xfs_bmbt_key k;

	memcpy(&r, rec, sizeof(r));
	k.br_startoff = cpu_to_be64(xfs_bmbt_disk_startoff(&r));
	memcpy(key, &k, sizeof(k));
}

static int bmbt_key_cmp(const void *k1, const void *k2)
{
	return cmp_u64(get_unaligned_be64(k1), get_unaligned_be64(k2));
}

static unsigned int bmbt_maxrecs(const struct xfs_mount *mp, int leaf)
{
	return mp->m_bmap_dmxr[!leaf];
}

const struct xfs_btree_ops xfs_bmbt_ops = {
	.name = "bmbt", .buf_ops = &xfs_bmbt_buf_ops, .long_ptrs = true,
	.rec_len = sizeof(struct xfs_bmbt_rec),
	.key_len = sizeof(struct xfs_bmbt_key),
	.key_slot = sizeof(struct xfs_bmbt_key),
	.ptr_len = sizeof(xfs_bmbt_ptr_t),
	.maxrecs = bmbt_maxrecs, .rec_to_key = bmbt_rec_to_key,
	.key_cmp = bmbt_key_cmp,
};
