/*
 * xfs_ialloc_btree.c: the inode btrees (all chunks; chunks with free
 * inodes) as trees that can change -- roots and heights in the AGI,
 * blocks from the offloaded extent allocator owned by
 * XFS_RMAP_OWN_INOBT and counted in the AGI with the inobtcount
 * feature -- plus reading and logging the AGI and converting inode
 * btree records between disk and host form.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"
#include "xfs_ialloc.h"

/* ---- records ---- */

void xfs_inobt_get_irec(const struct xfs_mount *mp, const void *disk,
			struct xfs_inobt_irec *irec)
{
	struct xfs_inobt_rec r;

	memcpy(&r, disk, sizeof(r));
	irec->ir_startino = be32_to_cpu(r.ir_startino);
	if (xfs_has_sparseinodes(mp)) {
		irec->ir_holemask = be16_to_cpu(r.ir_u.sp.ir_holemask);
		irec->ir_count = r.ir_u.sp.ir_count;
		irec->ir_freecount = r.ir_u.sp.ir_freecount;
	} else {
		irec->ir_holemask = XFS_INOBT_HOLEMASK_FULL;
		irec->ir_count = XFS_INODES_PER_CHUNK;
		irec->ir_freecount = (uint8_t)be32_to_cpu(r.ir_u.f.ir_freecount);
	}
	irec->ir_free = be64_to_cpu(r.ir_free);
}

void xfs_inobt_put_irec(const struct xfs_mount *mp,
			const struct xfs_inobt_irec *irec, void *disk)
{
	struct xfs_inobt_rec r;

	r.ir_startino = cpu_to_be32(irec->ir_startino);
	if (xfs_has_sparseinodes(mp)) {
		r.ir_u.sp.ir_holemask = cpu_to_be16(irec->ir_holemask);
		r.ir_u.sp.ir_count = irec->ir_count;
		r.ir_u.sp.ir_freecount = irec->ir_freecount;
	} else {
		r.ir_u.f.ir_freecount = cpu_to_be32(irec->ir_freecount);
	}
	r.ir_free = cpu_to_be64(irec->ir_free);
	memcpy(disk, &r, sizeof(r));
}

uint64_t xfs_inobt_holes_to_mask(uint16_t holemask)
{
	uint64_t mask = 0;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (holemask & (1U << i)) {
			mask |= (uint64_t)0xf << (i * XFS_INODES_PER_HOLEMASK_BIT);
		}
	}
	return mask;
}

/* ---- the AGI ---- */

int xfs_ialloc_read_agi(struct xfs_mount *mp, struct xfs_trans *tp,
			uint32_t agno, struct xfs_buf **bpp)
{
	*bpp = NULL;
	if (agno >= mp->m_sb.sb_agcount) {
		return -EINVAL;
	}
	return xfs_trans_read_buf(mp, tp, libxfs_ag_daddr(mp, agno,
							  XFS_AGI_SECTOR),
				  1U << mp->m_sectbb_log, 0,
				  &xfs_agi_buf_ops, bpp);
}

void xfs_ialloc_log_agi(struct xfs_trans *tp, struct xfs_buf *agbp)
{
	xfs_trans_log_buf(tp, agbp, 0, sizeof(struct xfs_agi) - 1);
}

/* ---- the trees ---- */

static bool cur_is_finobt(const struct xfs_btree_cur *cur)
{
	return cur->bc_ops == &xfs_finobt_ops;
}

static void inobt_set_root(struct xfs_btree_cur *cur, uint64_t root,
			   unsigned int nlevels)
{
	struct xfs_agi *agi = cur->bc_agbp->b_addr;

	if (cur_is_finobt(cur)) {
		agi->agi_free_root = cpu_to_be32((uint32_t)root);
		agi->agi_free_level = cpu_to_be32(nlevels);
	} else {
		agi->agi_root = cpu_to_be32((uint32_t)root);
		agi->agi_level = cpu_to_be32(nlevels);
	}
	xfs_ialloc_log_agi(cur->bc_tp, cur->bc_agbp);
}

static void inobt_count_block(struct xfs_btree_cur *cur, int delta)
{
	struct xfs_agi *agi = cur->bc_agbp->b_addr;

	if (!xfs_has_inobtcounts(cur->bc_mp)) {
		return;
	}
	be32_add_cpu(cur_is_finobt(cur) ? &agi->agi_fblocks :
					  &agi->agi_iblocks, delta);
	xfs_ialloc_log_agi(cur->bc_tp, cur->bc_agbp);
}

static int inobt_alloc_block(struct xfs_btree_cur *cur, uint64_t hint,
			     uint64_t *ptr, int *stat)
{
	struct xfs_mount *mp = cur->bc_mp;
	struct xfs_alloc_arg args;
	uint32_t aglen = libxfs_ag_block_count(mp, cur->bc_agno);
	int error;

	*stat = 0;
	if (hint == NULLAGBLOCK || hint >= aglen) {
		hint = cur->bc_root;
	}
	memset(&args, 0, sizeof(args));
	args.tp = cur->bc_tp;
	args.mp = mp;
	args.minlen = args.maxlen = 1;
	args.prod = args.alignment = 1;
	args.oinfo = xfs_rmap_special_owner(XFS_RMAP_OWN_INOBT);
	error = xfs_alloc_vextent_near_bno(&args,
			xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, cur->bc_agno,
					   (uint32_t)hint));
	if (error) {
		return error;
	}
	if (args.fsbno == NULLFSBLOCK) {
		return 0;
	}
	if (args.agno != cur->bc_agno || args.len != 1) {
		return -EFSCORRUPTED;
	}
	inobt_count_block(cur, 1);
	*ptr = args.agbno;
	*stat = 1;
	return 0;
}

static int inobt_free_block(struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	struct xfs_owner_info oinfo =
		xfs_rmap_special_owner(XFS_RMAP_OWN_INOBT);
	uint32_t agno, agbno;
	int error;

	if (!xfs_buf_daddr_to_agbno(bp, &agno, &agbno) ||
	    agno != cur->bc_agno) {
		return -EFSCORRUPTED;
	}
	error = xfs_free_extent(cur->bc_tp,
				xfs_agbno_to_fsbno(cur->bc_mp->m_sb.sb_agblklog,
						   agno, agbno),
				1, &oinfo);
	if (error) {
		return error;
	}
	inobt_count_block(cur, -1);
	xfs_trans_binval(cur->bc_tp, bp);
	return 0;
}

static const struct xfs_btree_wops xfs_inobt_wops = {
	.set_root	= inobt_set_root,
	.alloc_block	= inobt_alloc_block,
	.free_block	= inobt_free_block,
};

int xfs_inobt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			  struct xfs_buf *agbp,
			  const struct xfs_btree_ops *ops,
			  struct xfs_btree_cur **curp)
{
	int error;

	if (ops != &xfs_inobt_ops && ops != &xfs_finobt_ops) {
		return -EINVAL;
	}
	error = libxfs_btree_init_agi_cursor(mp, agbp, ops, 0, curp);
	if (error) {
		return error;
	}
	(*curp)->bc_tp = tp;
	(*curp)->bc_agbp = agbp;
	(*curp)->bc_wops = &xfs_inobt_wops;
	return 0;
}

int xfs_inobt_lookup_irec(struct xfs_btree_cur *cur, uint32_t startino,
			  struct xfs_inobt_irec *irec, int *found)
{
	struct xfs_inobt_key key = { .ir_startino = cpu_to_be32(startino) };
	const void *rec;
	int error, stat;

	*found = 0;
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_EQ, &key, &stat);
	if (error || !stat) {
		return error;
	}
	error = libxfs_btree_get_rec(cur, &rec, &stat);
	if (error || !stat) {
		return error;
	}
	xfs_inobt_get_irec(cur->bc_mp, rec, irec);
	*found = 1;
	return 0;
}
