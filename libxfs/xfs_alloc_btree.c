/*
 * xfs_alloc_btree.c: the free-space btrees (by block number and by size)
 * as trees that can change -- their roots live in the AGF, their blocks
 * come from and go back to the AG free list (counted in agf_btreeblks),
 * and cursors on them carry the transaction and the AGF buffer -- and
 * that free list itself: reading the AG headers through a transaction,
 * how many blocks the list must hold, taking and putting blocks.
 */
#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"

/* ---- AG headers ---- */

int xfs_alloc_read_agf(struct xfs_mount *mp, struct xfs_trans *tp,
		       uint32_t agno, unsigned int flags, struct xfs_buf **bpp)
{
	*bpp = NULL;
	if (agno >= mp->m_sb.sb_agcount) {
		return -EINVAL;
	}
	return xfs_trans_read_buf(mp, tp, libxfs_ag_daddr(mp, agno,
							  XFS_AGF_SECTOR),
				  1U << mp->m_sectbb_log, flags,
				  &xfs_agf_buf_ops, bpp);
}

int xfs_alloc_read_agfl(struct xfs_mount *mp, struct xfs_trans *tp,
			uint32_t agno, struct xfs_buf **bpp)
{
	*bpp = NULL;
	if (agno >= mp->m_sb.sb_agcount) {
		return -EINVAL;
	}
	return xfs_trans_read_buf(mp, tp, libxfs_ag_daddr(mp, agno,
							  XFS_AGFL_SECTOR),
				  1U << mp->m_sectbb_log, 0,
				  &xfs_agfl_buf_ops, bpp);
}

void xfs_alloc_log_agf(struct xfs_trans *tp, struct xfs_buf *agbp)
{
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t agno = be32_to_cpu(agf->agf_seqno);

	xfs_trans_log_buf(tp, agbp, 0, sizeof(struct xfs_agf) - 1);
	if (tp->t_highest_agno == NULLAGNUMBER || agno > tp->t_highest_agno) {
		tp->t_highest_agno = agno;
	}
}

static uint32_t agf_agno(struct xfs_buf *agbp)
{
	return be32_to_cpu(((struct xfs_agf *)agbp->b_addr)->agf_seqno);
}

/* ---- the free list ---- */

/*
 * Enough blocks for every tree that takes its blocks from the list to
 * split from leaf to a new root twice over (less the root it has).
 */
unsigned int xfs_alloc_min_freelist(struct xfs_mount *mp,
				    struct xfs_buf *agbp)
{
	const struct xfs_agf *agf = agbp->b_addr;
	unsigned int need = 0, i, lev, max;

	for (i = XFS_AGF_BNO; i <= XFS_AGF_RMAP; i++) {
		if (i == XFS_AGF_RMAP && !xfs_has_rmapbt(mp)) {
			break;
		}
		max = i == XFS_AGF_RMAP ? mp->m_rmap_maxlevels :
					  mp->m_ag_maxlevels;
		lev = be32_to_cpu(agf->agf_levels[i]) + 1;
		need += (lev < max ? lev : max) * 2 - 2;
	}
	return need < mp->m_agfl_size ? need : mp->m_agfl_size;
}

int xfs_alloc_get_freelist(struct xfs_trans *tp, struct xfs_buf *agbp,
			   uint32_t *bno, bool btreeblk)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t first = be32_to_cpu(agf->agf_flfirst), b;
	struct xfs_buf *agflbp;
	int error;

	*bno = NULLAGBLOCK;
	if (be32_to_cpu(agf->agf_flcount) == 0) {
		return 0;
	}
	error = xfs_alloc_read_agfl(mp, tp, agf_agno(agbp), &agflbp);
	if (error) {
		return error;
	}
	b = be32_to_cpu(xfs_agfl_bno(agflbp->b_addr)[first]);
	xfs_trans_brelse(tp, agflbp);
	if (b == NULLAGBLOCK ||
	    b >= libxfs_ag_block_count(mp, agf_agno(agbp))) {
		return -EFSCORRUPTED;
	}
	agf->agf_flfirst = cpu_to_be32(first + 1 == mp->m_agfl_size ?
				       0 : first + 1);
	be32_add_cpu(&agf->agf_flcount, -1);
	if (btreeblk) {
		be32_add_cpu(&agf->agf_btreeblks, 1);
	}
	xfs_alloc_log_agf(tp, agbp);
	*bno = b;
	return 0;
}

int xfs_alloc_put_freelist(struct xfs_trans *tp, struct xfs_buf *agbp,
			   uint32_t bno, bool btreeblk)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t last = be32_to_cpu(agf->agf_fllast);
	struct xfs_buf *agflbp;
	int error;

	if (be32_to_cpu(agf->agf_flcount) >= mp->m_agfl_size) {
		return -EFSCORRUPTED;	/* the list is full */
	}
	error = xfs_alloc_read_agfl(mp, tp, agf_agno(agbp), &agflbp);
	if (error) {
		return error;
	}
	last = last + 1 == mp->m_agfl_size ? 0 : last + 1;
	xfs_agfl_bno(agflbp->b_addr)[last] = cpu_to_be32(bno);
	xfs_trans_log_buf(tp, agflbp, 0, (unsigned int)BBTOB(agflbp->b_length) - 1);
	xfs_trans_brelse(tp, agflbp);
	agf->agf_fllast = cpu_to_be32(last);
	be32_add_cpu(&agf->agf_flcount, 1);
	if (btreeblk) {
		be32_add_cpu(&agf->agf_btreeblks, -1);
	}
	xfs_alloc_log_agf(tp, agbp);
	return 0;
}

/* ---- the trees ---- */

static void allocbt_set_root(struct xfs_btree_cur *cur, uint64_t root,
			     unsigned int nlevels)
{
	struct xfs_agf *agf = cur->bc_agbp->b_addr;
	int i = cur->bc_ops == &xfs_bnobt_ops ? XFS_AGF_BNO : XFS_AGF_CNT;

	agf->agf_roots[i] = cpu_to_be32((uint32_t)root);
	agf->agf_levels[i] = cpu_to_be32(nlevels);
	xfs_alloc_log_agf(cur->bc_tp, cur->bc_agbp);
}

static int allocbt_alloc_block(struct xfs_btree_cur *cur, uint64_t hint,
			       uint64_t *ptr, int *stat)
{
	uint32_t bno;
	int error;

	*stat = 0;
	error = xfs_alloc_get_freelist(cur->bc_tp, cur->bc_agbp, &bno, true);
	if (error || bno == NULLAGBLOCK) {
		return error;
	}
	*ptr = bno;
	*stat = 1;
	return 0;
}

int xfs_alloc_free_btree_block(struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	uint32_t agno, agbno;
	int error;

	if (!xfs_buf_daddr_to_agbno(bp, &agno, &agbno) ||
	    agno != cur->bc_agno) {
		return -EFSCORRUPTED;
	}
	error = xfs_alloc_put_freelist(cur->bc_tp, cur->bc_agbp, agbno, true);
	if (!error) {
		xfs_trans_binval(cur->bc_tp, bp);
	}
	return error;
}

static const struct xfs_btree_wops xfs_allocbt_wops = {
	.set_root	= allocbt_set_root,
	.alloc_block	= allocbt_alloc_block,
	.free_block	= xfs_alloc_free_btree_block,
};

int xfs_allocbt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			    struct xfs_buf *agbp,
			    const struct xfs_btree_ops *ops,
			    struct xfs_btree_cur **curp)
{
	int error;

	if (ops != &xfs_bnobt_ops && ops != &xfs_cntbt_ops) {
		return -EINVAL;
	}
	error = libxfs_btree_init_agf_cursor(mp, agbp, ops, 0, curp);
	if (error) {
		return error;
	}
	(*curp)->bc_tp = tp;
	(*curp)->bc_agbp = agbp;
	(*curp)->bc_wops = &xfs_allocbt_wops;
	return 0;
}
