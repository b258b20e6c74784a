/*
 * xfs_btree_verify.c: verifiers for btree blocks -- the header checks
 * shared by every V5 btree (short pointers for per-AG trees, long pointers
 * for the bmbt) and the ops of the rmapbt, refcountbt and bmbt.  The free
 * space and inode btrees' ops live with their AG headers
 * (xfs_alloc_verify.c, xfs_ialloc_verify.c).
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree_verify.h"

/* Checks common to both header forms; returns 0 or sets the failure. */
static int btree_common_verify(struct xfs_buf *bp, size_t hdrlen,
			       size_t crc_off, bool check_crc,
			       const unsigned int mxr[2],
			       unsigned int maxlevels, unsigned int *levelp)
{
	const struct xfs_btree_block *block = bp->b_addr;
	const struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length);
	unsigned int level, numrecs;

	if (len < hdrlen) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, crc_off)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(block->bb_magic))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (mp && len != mp->m_sb.sb_blocksize) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer is not one block");
	}
	level = be16_to_cpu(block->bb_level);
	numrecs = be16_to_cpu(block->bb_numrecs);
	if (maxlevels && level >= maxlevels) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "level too high");
	}
	if (mxr && numrecs > mxr[level > 0]) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "too many records");
	}
	if (!mxr && hdrlen + (size_t)numrecs * 4 > len) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "too many records");
	}
	*levelp = level;
	return 0;
}

int xfs_btree_sblock_verify(struct xfs_buf *bp, const unsigned int mxr[2],
			    unsigned int maxlevels, bool check_crc)
{
	const struct xfs_btree_block *block = bp->b_addr;
	const struct xfs_btree_sfields *s = &block->bb_u.s;
	struct xfs_mount *mp = bp->b_mount;
	uint32_t agno, agbno, left, right, aglen;
	unsigned int level;
	int error;

	error = btree_common_verify(bp, XFS_BTREE_SBLOCK_CRC_LEN,
				    XFS_BTREE_SBLOCK_CRC_OFF, check_crc,
				    mxr, maxlevels, &level);
	if (error) {
		return error;
	}
	if (!xfs_verify_meta_uuid(mp, s->bb_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(s->bb_blkno) != bp->b_daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (!mp || !xfs_buf_daddr_to_agbno(bp, &agno, &agbno)) {
		return 0;
	}
	if (be32_to_cpu(s->bb_owner) != agno) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	aglen = libxfs_ag_block_count(mp, agno);
	left = be32_to_cpu(s->bb_leftsib);
	right = be32_to_cpu(s->bb_rightsib);
	if (left != NULLAGBLOCK && (left >= aglen || left == agbno)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad left sibling");
	}
	if (right != NULLAGBLOCK && (right >= aglen || right == agbno)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad right sibling");
	}
	if (left != NULLAGBLOCK && left == right) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "siblings are equal");
	}
	return 0;
}

int xfs_btree_lblock_verify(struct xfs_buf *bp, const unsigned int mxr[2],
			    unsigned int maxlevels, bool check_crc)
{
	const struct xfs_btree_block *block = bp->b_addr;
	const struct xfs_btree_lfields *l = &block->bb_u.l;
	struct xfs_mount *mp = bp->b_mount;
	uint64_t left, right, self = NULLFSBLOCK;
	uint32_t agno, agbno;
	unsigned int level;
	int error;

	error = btree_common_verify(bp, XFS_BTREE_LBLOCK_CRC_LEN,
				    XFS_BTREE_LBLOCK_CRC_OFF, check_crc,
				    mxr, maxlevels, &level);
	if (error) {
		return error;
	}
	if (!xfs_verify_meta_uuid(mp, l->bb_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(l->bb_blkno) != bp->b_daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (!mp) {
		return 0;
	}
	if (!libxfs_verify_ino(mp, be64_to_cpu(l->bb_owner))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	if (xfs_buf_daddr_to_agbno(bp, &agno, &agbno)) {
		self = xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, agno, agbno);
	}
	left = be64_to_cpu(l->bb_leftsib);
	right = be64_to_cpu(l->bb_rightsib);
	if (left != NULLFSBLOCK &&
	    (!libxfs_verify_fsbno(mp, left) || left == self)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad left sibling");
	}
	if (right != NULLFSBLOCK &&
	    (!libxfs_verify_fsbno(mp, right) || right == self)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad right sibling");
	}
	if (left != NULLFSBLOCK && left == right) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "siblings are equal");
	}
	return 0;
}

void xfs_btree_sblock_update_crc(struct xfs_buf *bp)
{
	xfs_buf_update_cksum(bp, XFS_BTREE_SBLOCK_CRC_OFF);
}

void xfs_btree_lblock_update_crc(struct xfs_buf *bp)
{
	xfs_buf_update_cksum(bp, XFS_BTREE_LBLOCK_CRC_OFF);
}

/* ---- rmapbt ---- */

static int rmapbt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;

	// The CRC is judged before the feature, as the reference does.
	if (crc && !xfs_buf_verify_cksum(bp, XFS_BTREE_SBLOCK_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (mp && !xfs_has_rmapbt(mp)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "rmapbt not enabled");
	}
	return xfs_btree_sblock_verify(bp, mp ? mp->m_rmap_mxr : NULL,
				       mp ? mp->m_rmap_maxlevels : 0, crc);
}

static int xfs_rmapbt_read_verify(struct xfs_buf *bp)
{
	return rmapbt_verify(bp, true);
}

static int xfs_rmapbt_write_verify(struct xfs_buf *bp)
{
	int error = rmapbt_verify(bp, false);

	if (!error) {
		xfs_btree_sblock_update_crc(bp);
	}
	return error;
}

const struct xfs_buf_ops xfs_rmapbt_buf_ops = {
	.name		= "rmapbt",
	.magic		= { 0, XFS_RMAP_CRC_MAGIC },
	.verify_read	= xfs_rmapbt_read_verify,
	.verify_write	= xfs_rmapbt_write_verify,
};

/* ---- refcountbt ---- */

static int refcountbt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;

	// The CRC is judged before the feature, as the reference does.
	if (crc && !xfs_buf_verify_cksum(bp, XFS_BTREE_SBLOCK_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (mp && !xfs_has_reflink(mp)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "reflink not enabled");
	}
	return xfs_btree_sblock_verify(bp, mp ? mp->m_refc_mxr : NULL,
				       mp ? mp->m_refc_maxlevels : 0, crc);
}

static int xfs_refcountbt_read_verify(struct xfs_buf *bp)
{
	return refcountbt_verify(bp, true);
}

static int xfs_refcountbt_write_verify(struct xfs_buf *bp)
{
	int error = refcountbt_verify(bp, false);

	if (!error) {
		xfs_btree_sblock_update_crc(bp);
	}
	return error;
}

const struct xfs_buf_ops xfs_refcountbt_buf_ops = {
	.name		= "refcountbt",
	.magic		= { 0, XFS_REFC_CRC_MAGIC },
	.verify_read	= xfs_refcountbt_read_verify,
	.verify_write	= xfs_refcountbt_write_verify,
};

/* ---- bmbt ---- */

static int bmbt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;
	unsigned int maxlevels = 0;

	if (mp) {
		maxlevels = mp->m_bm_maxlevels[XFS_DATA_FORK];
		if (mp->m_bm_maxlevels[XFS_ATTR_FORK] > maxlevels) {
			maxlevels = mp->m_bm_maxlevels[XFS_ATTR_FORK];
		}
	}
	return xfs_btree_lblock_verify(bp, mp ? mp->m_bmap_dmxr : NULL,
				       maxlevels, crc);
}

static int xfs_bmbt_read_verify(struct xfs_buf *bp)
{
	return bmbt_verify(bp, true);
}

static int xfs_bmbt_write_verify(struct xfs_buf *bp)
{
	int error = bmbt_verify(bp, false);

	if (!error) {
		xfs_btree_lblock_update_crc(bp);
	}
	return error;
}

const struct xfs_buf_ops xfs_bmbt_buf_ops = {
	.name		= "bmbt",
	.magic		= { XFS_BMAP_MAGIC, XFS_BMAP_CRC_MAGIC },
	.verify_read	= xfs_bmbt_read_verify,
	.verify_write	= xfs_bmbt_write_verify,
};
