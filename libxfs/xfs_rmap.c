/*
 * xfs_rmap.c: the reverse-mapping btree as a tree that can change (root
 * in the AGF, blocks from the AG free list, counted in agf_rmap_blocks
 * and agf_btreeblks) and the two updates the allocator makes to it:
 * mapping a newly allocated extent to its owner and unmapping a freed
 * one.  Neighbouring records of the same owner that meet (and, for
 * file data, whose offsets continue) are merged; freeing the middle of
 * a record splits it.  Shared extents (reflink) are not handled here:
 * an overlap is reported as corruption.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"

/* ---- the tree ---- */

static void rmapbt_set_root(struct xfs_btree_cur *cur, uint64_t root,
			    unsigned int nlevels)
{
	struct xfs_agf *agf = cur->bc_agbp->b_addr;

	agf->agf_roots[XFS_AGF_RMAP] = cpu_to_be32((uint32_t)root);
	agf->agf_levels[XFS_AGF_RMAP] = cpu_to_be32(nlevels);
	xfs_alloc_log_agf(cur->bc_tp, cur->bc_agbp);
}

static int rmapbt_alloc_block(struct xfs_btree_cur *cur, uint64_t hint,
			      uint64_t *ptr, int *stat)
{
	struct xfs_agf *agf = cur->bc_agbp->b_addr;
	uint32_t bno;
	int error;

	*stat = 0;
	error = xfs_alloc_get_freelist(cur->bc_tp, cur->bc_agbp, &bno, true);
	if (error || bno == NULLAGBLOCK) {
		return error;
	}
	be32_add_cpu(&agf->agf_rmap_blocks, 1);
	xfs_alloc_log_agf(cur->bc_tp, cur->bc_agbp);
	*ptr = bno;
	*stat = 1;
	return 0;
}

static int rmapbt_free_block(struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	struct xfs_agf *agf = cur->bc_agbp->b_addr;
	int error;

	error = xfs_alloc_free_btree_block(cur, bp);
	if (error) {
		return error;
	}
	be32_add_cpu(&agf->agf_rmap_blocks, -1);
	xfs_alloc_log_agf(cur->bc_tp, cur->bc_agbp);
	return 0;
}

static const struct xfs_btree_wops xfs_rmapbt_wops = {
	.set_root	= rmapbt_set_root,
	.alloc_block	= rmapbt_alloc_block,
	.free_block	= rmapbt_free_block,
};

int xfs_rmapbt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			   struct xfs_buf *agbp, struct xfs_btree_cur **curp)
{
	int error;

	error = libxfs_btree_init_agf_cursor(mp, agbp, &xfs_rmapbt_ops, 0,
					     curp);
	if (error) {
		return error;
	}
	(*curp)->bc_tp = tp;
	(*curp)->bc_agbp = agbp;
	(*curp)->bc_wops = &xfs_rmapbt_wops;
	return 0;
}

/* ---- records ---- */

struct rmap_irec {
	uint32_t	start;
	uint32_t	len;
	uint64_t	owner;
	uint64_t	offset;		/* without flags */
	uint64_t	flags;		/* XFS_RMAP_OFF_* */
};

static void rmap_decode(const void *rec, struct rmap_irec *r)
{
	struct xfs_rmap_rec d;
	uint64_t off;

	memcpy(&d, rec, sizeof(d));
	off = be64_to_cpu(d.rm_offset);
	r->start = be32_to_cpu(d.rm_startblock);
	r->len = be32_to_cpu(d.rm_blockcount);
	r->owner = be64_to_cpu(d.rm_owner);
	r->offset = xfs_rmap_off_offset(off);
	r->flags = xfs_rmap_off_flags(off);
}

static void rmap_encode(const struct rmap_irec *r, struct xfs_rmap_rec *d)
{
	d->rm_startblock = cpu_to_be32(r->start);
	d->rm_blockcount = cpu_to_be32(r->len);
	d->rm_owner = cpu_to_be64(r->owner);
	d->rm_offset = cpu_to_be64(xfs_rmap_off_pack(r->offset, r->flags));
}

static struct rmap_irec rmap_from_owner(uint32_t start, uint32_t len,
					const struct xfs_owner_info *oi)
{
	struct rmap_irec r = {
		.start = start, .len = len, .owner = oi->oi_owner,
	};

	if (!xfs_rmap_owner_is_special(oi->oi_owner)) {
		if (oi->oi_flags & XFS_OWNER_INFO_ATTR_FORK) {
			r.flags |= XFS_RMAP_OFF_ATTR_FORK;
		}
		if (oi->oi_flags & XFS_OWNER_INFO_BMBT_BLOCK) {
			r.flags |= XFS_RMAP_OFF_BMBT_BLOCK;
		} else {
			r.offset = oi->oi_offset;
		}
	}
	return r;
}

/* Does a record's file offset run with its blocks? */
static bool rmap_has_offset(const struct rmap_irec *r)
{
	return !xfs_rmap_owner_is_special(r->owner) &&
	       !(r->flags & XFS_RMAP_OFF_BMBT_BLOCK);
}

/* Can b (just right of a) be merged into one record with a? */
static bool rmap_mergeable(const struct rmap_irec *a, const struct rmap_irec *b)
{
	if (a->owner != b->owner || a->flags != b->flags ||
	    a->start + a->len != b->start ||
	    (uint64_t)a->len + b->len > XFS_RMAP_LEN_MAX) {
		return false;
	}
	return !rmap_has_offset(a) || a->offset + a->len == b->offset;
}

/* Position cur with a key built from (start, owner, offset). */
static int rmap_lookup(struct xfs_btree_cur *cur, enum xfs_lookup dir,
		       uint32_t start, uint64_t owner, uint64_t offset,
		       struct rmap_irec *r, int *stat)
{
	struct xfs_rmap_key k;
	const void *rec;
	int error;

	k.rm_startblock = cpu_to_be32(start);
	k.rm_owner = cpu_to_be64(owner);
	k.rm_offset = cpu_to_be64(offset);
	error = libxfs_btree_lookup(cur, dir, &k, stat);
	if (error || !*stat) {
		return error;
	}
	error = libxfs_btree_get_rec(cur, &rec, stat);
	if (!error && *stat) {
		rmap_decode(rec, r);
	}
	return error;
}

/* Position on exactly record r. */
static int rmap_find(struct xfs_btree_cur *cur, const struct rmap_irec *r)
{
	struct rmap_irec got;
	int error, stat;

	error = rmap_lookup(cur, XFS_LOOKUP_EQ, r->start, r->owner,
			    r->offset | r->flags, &got, &stat);
	if (error) {
		return error;
	}
	return stat && got.start == r->start && got.len == r->len ?
	       0 : -EFSCORRUPTED;
}

static int rmap_update(struct xfs_btree_cur *cur, const struct rmap_irec *r)
{
	struct xfs_rmap_rec d;

	rmap_encode(r, &d);
	return libxfs_btree_update(cur, &d);
}

static int rmap_insert(struct xfs_btree_cur *cur, const struct rmap_irec *r)
{
	struct xfs_rmap_rec d;
	int error, stat;

	rmap_encode(r, &d);
	error = libxfs_btree_insert(cur, &d, &stat);
	return error ? error : (stat ? 0 : -EFSCORRUPTED);
}

/*
 * The records left of and right of [bno, bno + len), if any; an overlap
 * with either is corruption (we do not share blocks).
 */
static int rmap_neighbours(struct xfs_btree_cur *cur, uint32_t bno,
			   uint32_t len, struct rmap_irec *left, bool *has_left,
			   struct rmap_irec *right, bool *has_right)
{
	int error, stat = 0;

	*has_left = *has_right = false;
	if (bno > 0) {
		error = rmap_lookup(cur, XFS_LOOKUP_LE, bno - 1, UINT64_MAX,
				    XFS_RMAP_OFF_MASK, left, &stat);
		if (error) {
			return error;
		}
		if (stat && left->start + left->len > bno) {
			return -EFSCORRUPTED;
		}
		*has_left = stat;
	}
	error = rmap_lookup(cur, XFS_LOOKUP_GE, bno, 0, 0, right, &stat);
	if (error) {
		return error;
	}
	if (stat && right->start < bno + len) {
		return -EFSCORRUPTED;
	}
	*has_right = stat;
	return 0;
}

int xfs_rmap_alloc(struct xfs_trans *tp, struct xfs_buf *agbp,
		   uint32_t agbno, uint32_t len,
		   const struct xfs_owner_info *oinfo)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct rmap_irec new, left, right;
	struct xfs_btree_cur *cur;
	bool has_left, has_right;
	int error, stat;

	if (!xfs_has_rmapbt(mp) || oinfo->oi_owner == XFS_RMAP_OWN_NULL) {
		return 0;
	}
	if (len == 0) {
		return -EINVAL;
	}
	new = rmap_from_owner(agbno, len, oinfo);
	error = xfs_rmapbt_init_cursor(mp, tp, agbp, &cur);
	if (error) {
		return error;
	}
	error = rmap_neighbours(cur, agbno, len, &left, &has_left, &right,
				&has_right);
	if (error) {
		goto out;
	}
	has_left = has_left && rmap_mergeable(&left, &new);
	has_right = has_right && rmap_mergeable(&new, &right);
	if (has_left && has_right &&
	    (uint64_t)left.len + len + right.len > XFS_RMAP_LEN_MAX) {
		has_right = false;
	}
	if (has_right) {
		error = rmap_find(cur, &right);
		if (error) {
			goto out;
		}
		if (has_left) {
			// All three become the left record.
			error = libxfs_btree_delete(cur, &stat);
			if (!error) {
				error = rmap_find(cur, &left);
			}
			if (!error) {
				left.len += len + right.len;
				error = rmap_update(cur, &left);
			}
		} else {
			right.start = agbno;
			right.len += len;
			right.offset = new.offset;
			error = rmap_update(cur, &right);
		}
	} else if (has_left) {
		error = rmap_find(cur, &left);
		if (!error) {
			left.len += len;
			error = rmap_update(cur, &left);
		}
	} else {
		error = rmap_insert(cur, &new);
	}
out:
	libxfs_btree_del_cursor(cur);
	return error;
}

int xfs_rmap_free(struct xfs_trans *tp, struct xfs_buf *agbp,
		  uint32_t agbno, uint32_t len,
		  const struct xfs_owner_info *oinfo)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct rmap_irec rec, want, tail;
	struct xfs_btree_cur *cur;
	uint32_t end = agbno + len, rend;
	int error, stat;

	if (!xfs_has_rmapbt(mp) || oinfo->oi_owner == XFS_RMAP_OWN_NULL) {
		return 0;
	}
	if (len == 0) {
		return -EINVAL;
	}
	want = rmap_from_owner(agbno, len, oinfo);
	error = xfs_rmapbt_init_cursor(mp, tp, agbp, &cur);
	if (error) {
		return error;
	}
	error = rmap_lookup(cur, XFS_LOOKUP_LE, agbno, UINT64_MAX,
			    XFS_RMAP_OFF_MASK, &rec, &stat);
	if (error) {
		goto out;
	}
	rend = rec.start + rec.len;
	// The extent must lie inside one record of the same owner.
	if (!stat || rend < end ||
	    (oinfo->oi_owner != XFS_RMAP_OWN_UNKNOWN &&
	     (rec.owner != want.owner || rec.flags != want.flags ||
	      (rmap_has_offset(&rec) &&
	       rec.offset + (agbno - rec.start) != want.offset)))) {
		error = -EFSCORRUPTED;
		goto out;
	}
	error = rmap_find(cur, &rec);
	if (error) {
		goto out;
	}
	if (rec.start == agbno && rend == end) {
		error = libxfs_btree_delete(cur, &stat);
	} else if (rec.start == agbno) {
		rec.start = end;
		rec.len -= len;
		if (rmap_has_offset(&rec)) {
			rec.offset += len;
		}
		error = rmap_update(cur, &rec);
	} else if (rend == end) {
		rec.len -= len;
		error = rmap_update(cur, &rec);
	} else {
		// Punch a hole: keep the head, add the tail.
		tail = rec;
		tail.start = end;
		tail.len = rend - end;
		if (rmap_has_offset(&rec)) {
			tail.offset = rec.offset + (end - rec.start);
		}
		rec.len = agbno - rec.start;
		error = rmap_update(cur, &rec);
		if (!error) {
			error = rmap_insert(cur, &tail);
		}
	}
out:
	libxfs_btree_del_cursor(cur);
	return error;
}
