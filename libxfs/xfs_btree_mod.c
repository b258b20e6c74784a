/*
 * xfs_btree_mod.c: changing a btree through a cursor that carries a
 * transaction -- inserting (with splits and new roots), deleting (with
 * borrowing from a sibling, joining siblings and shrinking the root),
 * updating records, keeping every parent key (low and, for overlapping
 * trees, high) equal to what its subtree holds, and a whole-tree shape
 * check for tests and repair.
 *
 * Works on block-rooted trees with short (AG) or long (fs) pointers,
 * and on trees rooted in an inode fork once the cursor has staged that
 * root as an in-memory block (xfs_btree_iroot.c): such a root holds only
 * what the fork has room for; when full it moves its entries down into
 * a new block and keeps one pointer to it (the tree grows a level), and
 * a root left with one child takes the child's entries back when they
 * fit (the tree shrinks a level).  Where blocks come from and where a
 * block root is recorded is the tree's (cur->bc_wops).  Every changed
 * block is logged in the transaction, so a failure part way leaves
 * nothing behind once the caller cancels.
 *
 * After an insert the cursor is positioned again by a fresh lookup of
 * the record's key (the path may have moved under it); after a delete,
 * at the record that followed the deleted one.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"

#define KEYSLOT_MAX	48	/* largest key_slot (rmapbt: 2 x 20) */
#define REC_MAX		32	/* largest record */

/* ---- block geometry ---- */

static unsigned int bt_hdrlen(const struct xfs_btree_cur *cur)
{
	return cur->bc_ops->long_ptrs ? XFS_BTREE_LBLOCK_CRC_LEN :
					XFS_BTREE_SBLOCK_CRC_LEN;
}

static unsigned int bt_maxrecs(const struct xfs_btree_cur *cur,
			       unsigned int lev)
{
	return cur->bc_ops->maxrecs(cur->bc_mp, lev == 0);
}

static unsigned int bt_minrecs(const struct xfs_btree_cur *cur,
			       unsigned int lev)
{
	return bt_maxrecs(cur, lev) / 2;
}

/* Is lev the staged inode root? */
static bool bt_is_iroot(const struct xfs_btree_cur *cur, unsigned int lev)
{
	return cur->bc_iroot_bp && lev == cur->bc_nlevels - 1;
}

/* Entries the block at lev may hold (an inode root holds fewer). */
static unsigned int bt_capacity(const struct xfs_btree_cur *cur,
				unsigned int lev)
{
	return bt_is_iroot(cur, lev) ? xfs_btree_iroot_maxrecs(cur) :
				       bt_maxrecs(cur, lev);
}

static bool bt_overlapping(const struct xfs_btree_cur *cur)
{
	return cur->bc_ops->rec_high_key != NULL;
}

static struct xfs_btree_block *bt_block(struct xfs_buf *bp)
{
	return bp->b_addr;
}

static unsigned int bt_numrecs(struct xfs_buf *bp)
{
	return be16_to_cpu(bt_block(bp)->bb_numrecs);
}

static void bt_set_numrecs(struct xfs_buf *bp, unsigned int n)
{
	bt_block(bp)->bb_numrecs = cpu_to_be16((uint16_t)n);
}

static uint8_t *bt_rec(const struct xfs_btree_cur *cur, struct xfs_buf *bp,
		       unsigned int i)
{
	return (uint8_t *)bp->b_addr + bt_hdrlen(cur) +
	       (size_t)(i - 1) * cur->bc_ops->rec_len;
}

static uint8_t *bt_key(const struct xfs_btree_cur *cur, struct xfs_buf *bp,
		       unsigned int i)
{
	return (uint8_t *)bp->b_addr + bt_hdrlen(cur) +
	       (size_t)(i - 1) * cur->bc_ops->key_slot;
}

static uint8_t *bt_ptraddr(const struct xfs_btree_cur *cur,
			   struct xfs_buf *bp, unsigned int i)
{
	return (uint8_t *)bp->b_addr + bt_hdrlen(cur) +
	       (size_t)bt_maxrecs(cur, 1) * cur->bc_ops->key_slot +
	       (size_t)(i - 1) * cur->bc_ops->ptr_len;
}

static uint64_t bt_ptr_get(const struct xfs_btree_cur *cur, const uint8_t *p)
{
	return cur->bc_ops->long_ptrs ? get_unaligned_be64(p) :
					get_unaligned_be32(p);
}

static void bt_ptr_set(const struct xfs_btree_cur *cur, uint8_t *p,
		       uint64_t v)
{
	if (cur->bc_ops->long_ptrs) {
		put_unaligned_be64(v, p);
	} else {
		put_unaligned_be32((uint32_t)v, p);
	}
}

static uint64_t bt_nullptr(const struct xfs_btree_cur *cur)
{
	return cur->bc_ops->long_ptrs ? NULLFSBLOCK : NULLAGBLOCK;
}

/* Left (right == false) or right sibling pointer of a block. */
static uint64_t bt_sib(const struct xfs_btree_cur *cur, struct xfs_buf *bp,
		       bool right)
{
	struct xfs_btree_block *b = bt_block(bp);

	if (cur->bc_ops->long_ptrs) {
		return be64_to_cpu(right ? b->bb_u.l.bb_rightsib :
					   b->bb_u.l.bb_leftsib);
	}
	return be32_to_cpu(right ? b->bb_u.s.bb_rightsib :
				   b->bb_u.s.bb_leftsib);
}

static void bt_set_sib(const struct xfs_btree_cur *cur, struct xfs_buf *bp,
		       bool right, uint64_t v)
{
	struct xfs_btree_block *b = bt_block(bp);

	if (cur->bc_ops->long_ptrs) {
		if (right) {
			b->bb_u.l.bb_rightsib = cpu_to_be64(v);
		} else {
			b->bb_u.l.bb_leftsib = cpu_to_be64(v);
		}
	} else if (right) {
		b->bb_u.s.bb_rightsib = cpu_to_be32((uint32_t)v);
	} else {
		b->bb_u.s.bb_leftsib = cpu_to_be32((uint32_t)v);
	}
}

/* The pointer that names the block in bp. */
static uint64_t bt_buf_ptr(const struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	uint32_t agno, agbno;

	if (!xfs_buf_daddr_to_agbno(bp, &agno, &agbno)) {
		return bt_nullptr(cur);
	}
	if (cur->bc_ops->long_ptrs) {
		return xfs_agbno_to_fsbno(cur->bc_mp->m_sb.sb_agblklog, agno,
					  agbno);
	}
	return agbno;
}

static uint64_t bt_ptr_daddr(const struct xfs_btree_cur *cur, uint64_t ptr)
{
	if (cur->bc_ops->long_ptrs) {
		return xfs_mp_fsb_to_daddr(cur->bc_mp, ptr);
	}
	return xfs_mp_agbno_to_daddr(cur->bc_mp, cur->bc_agno, (uint32_t)ptr);
}

static void bt_log(struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	if (bp == cur->bc_iroot_bp) {
		cur->bc_iroot_dirty = true;	/* the caller logs the inode */
		return;
	}
	xfs_trans_log_buf(cur->bc_tp, bp, 0,
			  (unsigned int)BBTOB(bp->b_length) - 1);
}

/* ---- entries: records in leaves, key slots + pointers in nodes ---- */

/* Copy n entries from src[si..] to dst[di..] (the same block is fine). */
static void ent_move(struct xfs_btree_cur *cur, unsigned int lev,
		     struct xfs_buf *dst, unsigned int di, struct xfs_buf *src,
		     unsigned int si, unsigned int n)
{
	if (n == 0) {
		return;
	}
	if (lev == 0) {
		memmove(bt_rec(cur, dst, di), bt_rec(cur, src, si),
			(size_t)n * cur->bc_ops->rec_len);
		return;
	}
	memmove(bt_key(cur, dst, di), bt_key(cur, src, si),
		(size_t)n * cur->bc_ops->key_slot);
	memmove(bt_ptraddr(cur, dst, di), bt_ptraddr(cur, src, si),
		(size_t)n * cur->bc_ops->ptr_len);
}

/*
 * One entry: a record (leaf) or a key slot plus a pointer (node).  ent
 * holds rec_len or key_slot bytes.
 */
static void ent_write(struct xfs_btree_cur *cur, unsigned int lev,
		      struct xfs_buf *bp, unsigned int i, const uint8_t *ent,
		      uint64_t ptr)
{
	if (lev == 0) {
		memcpy(bt_rec(cur, bp, i), ent, cur->bc_ops->rec_len);
	} else {
		memcpy(bt_key(cur, bp, i), ent, cur->bc_ops->key_slot);
		bt_ptr_set(cur, bt_ptraddr(cur, bp, i), ptr);
	}
}

static void ent_insert(struct xfs_btree_cur *cur, unsigned int lev,
		       struct xfs_buf *bp, unsigned int i, const uint8_t *ent,
		       uint64_t ptr)
{
	unsigned int n = bt_numrecs(bp);

	ent_move(cur, lev, bp, i + 1, bp, i, n - i + 1);
	ent_write(cur, lev, bp, i, ent, ptr);
	bt_set_numrecs(bp, n + 1);
}

static void ent_remove(struct xfs_btree_cur *cur, unsigned int lev,
		       struct xfs_buf *bp, unsigned int i)
{
	unsigned int n = bt_numrecs(bp);

	ent_move(cur, lev, bp, i, bp, i + 1, n - i);
	bt_set_numrecs(bp, n - 1);
}

/*
 * The key slot a parent holds for the block in bp: its lowest key and,
 * for overlapping trees, the highest key anything under it covers.
 */
static void blk_keys(struct xfs_btree_cur *cur, unsigned int lev,
		     struct xfs_buf *bp, uint8_t *slot)
{
	const struct xfs_btree_ops *ops = cur->bc_ops;
	unsigned int n = bt_numrecs(bp), i;
	uint8_t hk[KEYSLOT_MAX];

	memset(slot, 0, ops->key_slot);
	if (n == 0) {
		return;
	}
	if (lev == 0) {
		ops->rec_to_key(bt_rec(cur, bp, 1), slot);
	} else {
		memcpy(slot, bt_key(cur, bp, 1), ops->key_len);
	}
	if (!bt_overlapping(cur)) {
		return;
	}
	for (i = 1; i <= n; i++) {
		if (lev == 0) {
			ops->rec_high_key(bt_rec(cur, bp, i), hk);
		} else {
			memcpy(hk, bt_key(cur, bp, i) + ops->key_len,
			       ops->key_len);
		}
		if (i == 1 || ops->key_cmp(hk, slot + ops->key_len) > 0) {
			memcpy(slot + ops->key_len, hk, ops->key_len);
		}
	}
}

/* Write bp's keys into entry pi of parent pbp; true if they changed. */
static bool parent_set_keys(struct xfs_btree_cur *cur, unsigned int lev,
			    struct xfs_buf *bp, struct xfs_buf *pbp,
			    unsigned int pi)
{
	uint8_t slot[KEYSLOT_MAX];

	blk_keys(cur, lev, bp, slot);
	if (memcmp(bt_key(cur, pbp, pi), slot, cur->bc_ops->key_slot) == 0) {
		return false;
	}
	memcpy(bt_key(cur, pbp, pi), slot, cur->bc_ops->key_slot);
	bt_log(cur, pbp);
	return true;
}

/*
 * The block at lev (bp) changed: carry its keys up the cursor's path
 * while the parents' copies differ.
 */
static void propagate_keys(struct xfs_btree_cur *cur, unsigned int lev,
			   struct xfs_buf *bp)
{
	for (; lev + 1 < cur->bc_nlevels; lev++) {
		struct xfs_btree_level *p = &cur->bc_levels[lev + 1];

		if (!parent_set_keys(cur, lev, bp, p->bp, p->ptr)) {
			return;
		}
		bp = p->bp;
	}
}

/* ---- blocks ---- */

static int bt_read(struct xfs_btree_cur *cur, unsigned int lev, uint64_t ptr,
		   struct xfs_buf **bpp)
{
	return xfs_btree_read_block(cur, lev, ptr, bpp);
}

/* Allocate and format an empty block at level lev. */
static int bt_new_block(struct xfs_btree_cur *cur, unsigned int lev,
			uint64_t hint, struct xfs_buf **bpp)
{
	struct xfs_mount *mp = cur->bc_mp;
	struct xfs_btree_block *b;
	struct xfs_buf *bp;
	uint64_t ptr;
	int error, stat;

	*bpp = NULL;
	error = cur->bc_wops->alloc_block(cur, hint, &ptr, &stat);
	if (error) {
		return error;
	}
	if (!stat) {
		return -ENOSPC;
	}
	error = xfs_trans_get_buf(cur->bc_tp, bt_ptr_daddr(cur, ptr),
				  1U << mp->m_blkbb_log, cur->bc_ops->buf_ops,
				  &bp);
	if (error) {
		return error;
	}
	b = bp->b_addr;
	b->bb_magic = cpu_to_be32(cur->bc_ops->buf_ops->magic[1]);
	b->bb_level = cpu_to_be16((uint16_t)lev);
	b->bb_numrecs = 0;
	if (cur->bc_ops->long_ptrs) {
		b->bb_u.l.bb_leftsib = cpu_to_be64(NULLFSBLOCK);
		b->bb_u.l.bb_rightsib = cpu_to_be64(NULLFSBLOCK);
		b->bb_u.l.bb_blkno = cpu_to_be64(bp->b_daddr);
		memcpy(b->bb_u.l.bb_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
		b->bb_u.l.bb_owner = cpu_to_be64(cur->bc_ino);
	} else {
		b->bb_u.s.bb_leftsib = cpu_to_be32(NULLAGBLOCK);
		b->bb_u.s.bb_rightsib = cpu_to_be32(NULLAGBLOCK);
		b->bb_u.s.bb_blkno = cpu_to_be64(bp->b_daddr);
		memcpy(b->bb_u.s.bb_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
		b->bb_u.s.bb_owner = cpu_to_be32(cur->bc_agno);
	}
	bt_log(cur, bp);
	*bpp = bp;
	return 0;
}

/* Point the left link of the block right of bp (if any) at newleft. */
static int fix_right_neighbour(struct xfs_btree_cur *cur, unsigned int lev,
			       struct xfs_buf *bp, uint64_t newleft)
{
	uint64_t rptr = bt_sib(cur, bp, true);
	struct xfs_buf *rbp;
	int error;

	if (rptr == bt_nullptr(cur)) {
		return 0;
	}
	error = bt_read(cur, lev, rptr, &rbp);
	if (error) {
		return error;
	}
	bt_set_sib(cur, rbp, false, newleft);
	bt_log(cur, rbp);
	xfs_trans_brelse(cur->bc_tp, rbp);
	return 0;
}

/*
 * Split the cursor's block at lev: its upper half moves to a new right
 * sibling, returned referenced in *rbpp.
 */
static int bt_split(struct xfs_btree_cur *cur, unsigned int lev,
		    struct xfs_buf **rbpp)
{
	struct xfs_buf *bp = cur->bc_levels[lev].bp, *rbp;
	unsigned int n = bt_numrecs(bp), move = n / 2, keep = n - move;
	uint64_t bptr = bt_buf_ptr(cur, bp), rptr;
	int error;

	error = bt_new_block(cur, lev, bptr, &rbp);
	if (error) {
		return error;
	}
	rptr = bt_buf_ptr(cur, rbp);
	ent_move(cur, lev, rbp, 1, bp, keep + 1, move);
	bt_set_numrecs(rbp, move);
	bt_set_numrecs(bp, keep);
	// Link: bp <-> rbp <-> old right neighbour.
	error = fix_right_neighbour(cur, lev, bp, rptr);
	if (error) {
		xfs_trans_brelse(cur->bc_tp, rbp);
		return error;
	}
	bt_set_sib(cur, rbp, true, bt_sib(cur, bp, true));
	bt_set_sib(cur, rbp, false, bptr);
	bt_set_sib(cur, bp, true, rptr);
	bt_log(cur, bp);
	bt_log(cur, rbp);
	*rbpp = rbp;
	return 0;
}

/* The root at lev split into lbp and rbp: grow a new root above them. */
static int bt_new_root(struct xfs_btree_cur *cur, unsigned int lev,
		       struct xfs_buf *lbp, struct xfs_buf *rbp)
{
	uint8_t slot[KEYSLOT_MAX];
	struct xfs_buf *nbp;
	int error;

	if (lev + 1 >= XFS_BTREE_MAXLEVELS) {
		return -EFSCORRUPTED;
	}
	error = bt_new_block(cur, lev + 1, bt_buf_ptr(cur, lbp), &nbp);
	if (error) {
		return error;
	}
	blk_keys(cur, lev, lbp, slot);
	ent_write(cur, lev + 1, nbp, 1, slot, bt_buf_ptr(cur, lbp));
	blk_keys(cur, lev, rbp, slot);
	ent_write(cur, lev + 1, nbp, 2, slot, bt_buf_ptr(cur, rbp));
	bt_set_numrecs(nbp, 2);
	bt_log(cur, nbp);
	cur->bc_nlevels = lev + 2;
	cur->bc_root = (uint32_t)bt_buf_ptr(cur, nbp);
	cur->bc_levels[lev + 1].ptr = 1;
	cur->bc_wops->set_root(cur, bt_buf_ptr(cur, nbp), cur->bc_nlevels);
	xfs_btree_set_level_buf(cur, lev + 1, nbp);
	return 0;
}

/*
 * The staged inode root at lev is full: move all its entries into a new
 * block at lev and leave the root (now at lev + 1) pointing at it alone.
 * The cursor's level lev then holds the new block at the same position.
 */
static int bt_iroot_push(struct xfs_btree_cur *cur, unsigned int lev)
{
	struct xfs_buf *root = cur->bc_levels[lev].bp, *nbp;
	uint8_t slot[KEYSLOT_MAX];
	unsigned int n = bt_numrecs(root);
	int error;

	if (lev + 1 >= XFS_BTREE_MAXLEVELS) {
		return -EFSCORRUPTED;
	}
	error = bt_new_block(cur, lev, bt_nullptr(cur), &nbp);
	if (error) {
		return error;
	}
	ent_move(cur, lev, nbp, 1, root, 1, n);
	bt_set_numrecs(nbp, n);
	bt_log(cur, nbp);
	blk_keys(cur, lev, nbp, slot);
	bt_block(root)->bb_level = cpu_to_be16((uint16_t)(lev + 1));
	ent_write(cur, lev + 1, root, 1, slot, bt_buf_ptr(cur, nbp));
	bt_set_numrecs(root, 1);
	bt_log(cur, root);
	cur->bc_levels[lev + 1].bp = root;
	cur->bc_levels[lev + 1].ptr = 1;
	cur->bc_levels[lev].bp = nbp;	/* the cursor's reference */
	cur->bc_nlevels++;
	return 0;
}

/*
 * The staged inode root has one child: take the child's entries into the
 * root and free the child, if they fit and the child is not a leaf (an
 * inode root is never a leaf).  The cursor loses its top level.
 */
static int bt_iroot_pull(struct xfs_btree_cur *cur)
{
	unsigned int top = cur->bc_nlevels - 1, cn;
	struct xfs_buf *root = cur->bc_levels[top].bp, *cbp;
	int error;

	if (!bt_is_iroot(cur, top) || top < 2 || bt_numrecs(root) != 1) {
		return 0;
	}
	error = bt_read(cur, top - 1, bt_ptr_get(cur, bt_ptraddr(cur, root, 1)),
			&cbp);
	if (error) {
		return error;
	}
	cn = bt_numrecs(cbp);
	if (cn > xfs_btree_iroot_maxrecs(cur)) {
		xfs_trans_brelse(cur->bc_tp, cbp);
		return 0;
	}
	ent_move(cur, top - 1, root, 1, cbp, 1, cn);
	bt_set_numrecs(root, cn);
	bt_block(root)->bb_level = cpu_to_be16((uint16_t)(top - 1));
	bt_log(cur, root);
	error = cur->bc_wops->free_block(cur, cbp);
	xfs_trans_brelse(cur->bc_tp, cbp);
	// The root takes the child's place on the cursor's path.
	xfs_btree_set_level_buf(cur, top - 1, root);
	cur->bc_levels[top].bp = NULL;
	cur->bc_levels[top].ptr = 0;
	cur->bc_nlevels--;
	return error;
}

int xfs_btree_iroot_fit(struct xfs_btree_cur *cur)
{
	unsigned int top = cur->bc_nlevels - 1;

	if (!bt_is_iroot(cur, top)) {
		return -EINVAL;
	}
	if (bt_numrecs(cur->bc_levels[top].bp) <=
	    xfs_btree_iroot_maxrecs(cur)) {
		return 0;
	}
	return bt_iroot_push(cur, top);
}

/* ---- insert ---- */

int libxfs_btree_insert(struct xfs_btree_cur *cur, const void *rec,
			int *stat)
{
	const struct xfs_btree_ops *ops = cur->bc_ops;
	uint8_t key[KEYSLOT_MAX], ent[KEYSLOT_MAX > REC_MAX ? KEYSLOT_MAX :
				     REC_MAX];
	const void *cur_rec;
	uint64_t eptr = 0;
	unsigned int lev, idx;
	int error, found;

	*stat = 0;
	if (!cur->bc_tp || !cur->bc_wops || cur->bc_iroot) {
		return -EINVAL;
	}
	ops->rec_to_key(rec, key);
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_LE, key, &found);
	if (error) {
		return error;
	}
	if (found) {
		uint8_t k2[KEYSLOT_MAX];

		error = libxfs_btree_get_rec(cur, &cur_rec, &found);
		if (error) {
			return error;
		}
		ops->rec_to_key(cur_rec, k2);
		if (ops->key_cmp(k2, key) == 0) {
			return 0;	/* duplicate key */
		}
	}
	memcpy(ent, rec, ops->rec_len);
	lev = 0;
	idx = cur->bc_levels[0].ptr + 1;
	// Invariant: levels above lev still hold the lookup path.
	for (;;) {
		struct xfs_buf *bp = cur->bc_levels[lev].bp, *rbp;
		struct xfs_btree_level *p;
		unsigned int keep;

		if (bt_numrecs(bp) < bt_capacity(cur, lev)) {
			ent_insert(cur, lev, bp, idx, ent, eptr);
			bt_log(cur, bp);
			propagate_keys(cur, lev, bp);
			break;
		}
		if (bt_is_iroot(cur, lev)) {
			// Grow a level; then insert into the new block.
			error = bt_iroot_push(cur, lev);
			if (error) {
				return error;
			}
			continue;
		}
		error = bt_split(cur, lev, &rbp);
		if (error) {
			return error;
		}
		keep = bt_numrecs(bp);
		if (idx <= keep) {
			ent_insert(cur, lev, bp, idx, ent, eptr);
		} else {
			ent_insert(cur, lev, rbp, idx - keep, ent, eptr);
		}
		if (lev == cur->bc_nlevels - 1) {
			error = bt_new_root(cur, lev, bp, rbp);
			xfs_trans_brelse(cur->bc_tp, rbp);
			if (error) {
				return error;
			}
			break;
		}
		// The parent: bp's keys may have changed; rbp goes after it.
		p = &cur->bc_levels[lev + 1];
		parent_set_keys(cur, lev, bp, p->bp, p->ptr);
		blk_keys(cur, lev, rbp, ent);
		eptr = bt_buf_ptr(cur, rbp);
		xfs_trans_brelse(cur->bc_tp, rbp);
		idx = p->ptr + 1;
		lev++;
	}
	// Position on the new record.
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_EQ, key, &found);
	if (error) {
		return error;
	}
	if (!found) {
		return -EFSCORRUPTED;
	}
	*stat = 1;
	return 0;
}

/* ---- update ---- */

int libxfs_btree_update(struct xfs_btree_cur *cur, const void *rec)
{
	struct xfs_buf *bp = cur->bc_levels[0].bp;
	unsigned int ptr = cur->bc_levels[0].ptr;

	if (!cur->bc_tp || cur->bc_iroot) {
		return -EINVAL;
	}
	if (!bp || ptr < 1 || ptr > bt_numrecs(bp)) {
		return -EFSCORRUPTED;
	}
	memcpy(bt_rec(cur, bp, ptr), rec, cur->bc_ops->rec_len);
	bt_log(cur, bp);
	propagate_keys(cur, 0, bp);
	return 0;
}

/* ---- delete ---- */

/*
 * The block at lev has fallen below its minimum: take an entry from a
 * sibling that can spare one (*done true), or merge with a sibling.  A
 * merge frees one of the two blocks and leaves *idxp naming the parent
 * entry to delete next.
 */
static int bt_rebalance(struct xfs_btree_cur *cur, unsigned int lev,
			bool *done, unsigned int *idxp)
{
	struct xfs_buf *bp = cur->bc_levels[lev].bp, *sbp = NULL;
	struct xfs_btree_level *p = &cur->bc_levels[lev + 1];
	unsigned int pn = bt_numrecs(p->bp), n = bt_numrecs(bp), sn;
	unsigned int minrecs = bt_minrecs(cur, lev);
	int error;

	*done = false;
	// Borrow the first entry of the right sibling.
	if (p->ptr < pn) {
		error = bt_read(cur, lev,
				bt_ptr_get(cur, bt_ptraddr(cur, p->bp,
							   p->ptr + 1)), &sbp);
		if (error) {
			return error;
		}
		sn = bt_numrecs(sbp);
		if (sn > minrecs) {
			ent_move(cur, lev, bp, n + 1, sbp, 1, 1);
			bt_set_numrecs(bp, n + 1);
			ent_remove(cur, lev, sbp, 1);
			bt_log(cur, bp);
			bt_log(cur, sbp);
			parent_set_keys(cur, lev, bp, p->bp, p->ptr);
			parent_set_keys(cur, lev, sbp, p->bp, p->ptr + 1);
			xfs_trans_brelse(cur->bc_tp, sbp);
			propagate_keys(cur, lev + 1, p->bp);
			*done = true;
			return 0;
		}
	}
	// Borrow the last entry of the left sibling.
	if (p->ptr > 1) {
		struct xfs_buf *lbp;
		unsigned int ln;

		error = bt_read(cur, lev,
				bt_ptr_get(cur, bt_ptraddr(cur, p->bp,
							   p->ptr - 1)), &lbp);
		if (error) {
			goto out_sib;
		}
		ln = bt_numrecs(lbp);
		if (ln > minrecs) {
			ent_move(cur, lev, bp, 2, bp, 1, n);
			ent_move(cur, lev, bp, 1, lbp, ln, 1);
			bt_set_numrecs(bp, n + 1);
			bt_set_numrecs(lbp, ln - 1);
			bt_log(cur, bp);
			bt_log(cur, lbp);
			parent_set_keys(cur, lev, lbp, p->bp, p->ptr - 1);
			parent_set_keys(cur, lev, bp, p->bp, p->ptr);
			xfs_trans_brelse(cur->bc_tp, lbp);
			propagate_keys(cur, lev + 1, p->bp);
			*done = true;
			goto out_sib;
		}
		if (!sbp) {
			// Merge into the left sibling; bp goes away.
			ent_move(cur, lev, lbp, ln + 1, bp, 1, n);
			bt_set_numrecs(lbp, ln + n);
			bt_set_sib(cur, lbp, true, bt_sib(cur, bp, true));
			error = fix_right_neighbour(cur, lev, bp,
						    bt_buf_ptr(cur, lbp));
			if (!error) {
				bt_log(cur, lbp);
				parent_set_keys(cur, lev, lbp, p->bp,
						p->ptr - 1);
				error = cur->bc_wops->free_block(cur, bp);
			}
			// The cursor keeps the survivor at this level.
			xfs_btree_set_level_buf(cur, lev, lbp);
			*idxp = p->ptr;
			p->ptr--;
			return error;
		}
		xfs_trans_brelse(cur->bc_tp, lbp);
	}
	if (!sbp) {
		return -EFSCORRUPTED;	/* a non-root block with no sibling */
	}
	// Merge the right sibling into bp; the sibling goes away.
	ent_move(cur, lev, bp, n + 1, sbp, 1, bt_numrecs(sbp));
	bt_set_numrecs(bp, n + bt_numrecs(sbp));
	bt_set_sib(cur, bp, true, bt_sib(cur, sbp, true));
	error = fix_right_neighbour(cur, lev, sbp, bt_buf_ptr(cur, bp));
	if (!error) {
		bt_log(cur, bp);
		parent_set_keys(cur, lev, bp, p->bp, p->ptr);
		error = cur->bc_wops->free_block(cur, sbp);
	}
	*idxp = p->ptr + 1;
out_sib:
	if (sbp) {
		xfs_trans_brelse(cur->bc_tp, sbp);
	}
	return error;
}

int libxfs_btree_delete(struct xfs_btree_cur *cur, int *stat)
{
	uint8_t key[KEYSLOT_MAX];
	struct xfs_buf *bp = cur->bc_levels[0].bp;
	unsigned int lev = 0, idx = cur->bc_levels[0].ptr;
	int error, found;

	*stat = 0;
	if (!cur->bc_tp || !cur->bc_wops || cur->bc_iroot) {
		return -EINVAL;
	}
	if (!bp || idx < 1 || idx > bt_numrecs(bp)) {
		return 0;
	}
	cur->bc_ops->rec_to_key(bt_rec(cur, bp, idx), key);
	for (;;) {
		bool done;

		bp = cur->bc_levels[lev].bp;
		ent_remove(cur, lev, bp, idx);
		bt_log(cur, bp);
		if (lev == cur->bc_nlevels - 1) {
			if (bt_is_iroot(cur, lev)) {
				error = bt_iroot_pull(cur);
				if (error) {
					return error;
				}
				break;
			}
			// A node root left with one child hands over to it.
			if (lev > 0 && bt_numrecs(bp) == 1) {
				uint64_t child = bt_ptr_get(cur,
						bt_ptraddr(cur, bp, 1));

				cur->bc_nlevels--;
				cur->bc_root = (uint32_t)child;
				cur->bc_wops->set_root(cur, child,
						       cur->bc_nlevels);
				error = cur->bc_wops->free_block(cur, bp);
				xfs_btree_set_level_buf(cur, lev, NULL);
				cur->bc_levels[lev].ptr = 0;
				if (error) {
					return error;
				}
			}
			break;
		}
		if (bt_numrecs(bp) >= bt_minrecs(cur, lev)) {
			propagate_keys(cur, lev, bp);
			break;
		}
		// The only child of an inode root has no sibling to lean on.
		if (bt_is_iroot(cur, lev + 1) &&
		    bt_numrecs(cur->bc_levels[lev + 1].bp) == 1) {
			propagate_keys(cur, lev, bp);
			error = bt_iroot_pull(cur);
			if (error) {
				return error;
			}
			break;
		}
		error = bt_rebalance(cur, lev, &done, &idx);
		if (error) {
			return error;
		}
		if (done) {
			break;
		}
		lev++;
	}
	// Stand on the record after the deleted one.
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_GE, key, &found);
	if (error) {
		return error;
	}
	*stat = 1;
	return 0;
}

/* ---- shape check ---- */

struct check_ctx {
	uint64_t	nblocks;
	const char	*reason;
	// Per level: the last block seen and the right link it declared.
	uint64_t	last[XFS_BTREE_MAXLEVELS];
	uint64_t	last_right[XFS_BTREE_MAXLEVELS];
	int		relax_lev;	/* level exempt from the minimum */
};

/*
 * Check the subtree at ptr (level lev), left to right; its parent's slot
 * says pslot (NULL for the root).
 */
static int check_subtree(struct xfs_btree_cur *cur, unsigned int lev,
			 uint64_t ptr, const uint8_t *pslot,
			 struct check_ctx *ctx)
{
	const struct xfs_btree_ops *ops = cur->bc_ops;
	uint8_t slot[KEYSLOT_MAX], prev[KEYSLOT_MAX], k[KEYSLOT_MAX];
	struct xfs_buf *bp;
	unsigned int n, i;
	bool root = pslot == NULL;
	int error;

	error = bt_read(cur, lev, ptr, &bp);
	if (error) {
		ctx->reason = "unreadable block";
		return error;
	}
	ctx->nblocks++;
	n = bt_numrecs(bp);
	error = -EFSCORRUPTED;
	if (n > bt_maxrecs(cur, lev) ||
	    (!root && (int)lev != ctx->relax_lev &&
	     n < bt_minrecs(cur, lev))) {
		ctx->reason = "record count out of bounds";
		goto out;
	}
	// Sibling links must agree with the left-to-right order.
	if (bt_sib(cur, bp, false) != ctx->last[lev] ||
	    (ctx->last[lev] != bt_nullptr(cur) &&
	     ctx->last_right[lev] != ptr)) {
		ctx->reason = "bad sibling pointer";
		goto out;
	}
	ctx->last[lev] = ptr;
	ctx->last_right[lev] = bt_sib(cur, bp, true);
	if (!root) {
		blk_keys(cur, lev, bp, slot);
		if (memcmp(slot, pslot, ops->key_slot) != 0) {
			ctx->reason = "parent key differs from the block's";
			goto out;
		}
	}
	for (i = 1; i <= n; i++) {
		if (lev == 0) {
			ops->rec_to_key(bt_rec(cur, bp, i), k);
		} else {
			memcpy(k, bt_key(cur, bp, i), ops->key_len);
		}
		if (i > 1 && ops->key_cmp(prev, k) >= 0) {
			ctx->reason = "keys out of order";
			goto out;
		}
		memcpy(prev, k, ops->key_len);
	}
	error = 0;
	for (i = 1; lev > 0 && i <= n && !error; i++) {
		memcpy(slot, bt_key(cur, bp, i), ops->key_slot);
		error = check_subtree(cur, lev - 1,
				      bt_ptr_get(cur, bt_ptraddr(cur, bp, i)),
				      slot, ctx);
	}
out:
	xfs_trans_brelse(cur->bc_tp, bp);
	return error;
}

/* A staged inode root: its own bounds and order, then each subtree. */
static int check_iroot(struct xfs_btree_cur *cur, struct check_ctx *ctx)
{
	unsigned int top = cur->bc_nlevels - 1, n, i;
	struct xfs_buf *root = cur->bc_iroot_bp;
	uint8_t slot[KEYSLOT_MAX];
	int error = 0;

	n = bt_numrecs(root);
	if (top == 0 || n == 0 || n > xfs_btree_iroot_maxrecs(cur)) {
		ctx->reason = "inode root record count out of bounds";
		return -EFSCORRUPTED;
	}
	for (i = 2; i <= n; i++) {
		if (cur->bc_ops->key_cmp(bt_key(cur, root, i - 1),
					 bt_key(cur, root, i)) >= 0) {
			ctx->reason = "keys out of order";
			return -EFSCORRUPTED;
		}
	}
	for (i = 1; i <= n && !error; i++) {
		memcpy(slot, bt_key(cur, root, i), cur->bc_ops->key_slot);
		// Children of a one-entry inode root may be under-full.
		ctx->relax_lev = n == 1 ? (int)top - 1 : -1;
		error = check_subtree(cur, top - 1,
				      bt_ptr_get(cur, bt_ptraddr(cur, root, i)),
				      slot, ctx);
	}
	return error;
}

int libxfs_btree_check(struct xfs_btree_cur *cur, uint64_t *nblocks,
		       const char **reason)
{
	struct check_ctx ctx = { .relax_lev = -1 };
	unsigned int lev;
	int error;

	*nblocks = 0;
	*reason = NULL;
	if (cur->bc_iroot) {
		error = xfs_btree_iroot_stage(cur);
		if (error) {
			*reason = "inode root out of bounds";
			return error;
		}
	}
	for (lev = 0; lev < XFS_BTREE_MAXLEVELS; lev++) {
		ctx.last[lev] = bt_nullptr(cur);
	}
	if (cur->bc_iroot_bp) {
		error = check_iroot(cur, &ctx);
	} else {
		error = check_subtree(cur, cur->bc_nlevels - 1, cur->bc_root,
				      NULL, &ctx);
	}
	// (A staged inode root is not a block: no links to check.)
	for (lev = 0; !error && lev < cur->bc_nlevels -
				     (cur->bc_iroot_bp ? 1 : 0); lev++) {
		if (ctx.last_right[lev] != bt_nullptr(cur)) {
			ctx.reason = "last block has a right sibling";
			error = -EFSCORRUPTED;
		}
	}
	*nblocks = ctx.nblocks;
	*reason = ctx.reason;
	return error;
}
