/*
 * xfs_ialloc_verify.c: verifiers for the inode-allocation metadata of an
 * AG -- the AGI and the inode / free inode btrees.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree_verify.h"

static bool agi_root_ok(uint32_t root, uint32_t aglen)
{
	return root != 0 && root != NULLAGBLOCK && root < aglen;
}

static int agi_verify(struct xfs_buf *bp, bool check_crc)
{
	const struct xfs_agi *agi = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;
	uint32_t agno, agbno, aglen, length, lvl;
	int i;

	if (BBTOB(bp->b_length) < sizeof(*agi)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, XFS_AGI_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(agi->agi_magicnum))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, agi->agi_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be32_to_cpu(agi->agi_versionnum) != XFS_AGI_VERSION) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad version");
	}
	if (be32_to_cpu(agi->agi_freecount) > be32_to_cpu(agi->agi_count)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "freecount beyond count");
	}
	if (!mp) {
		return 0;
	}
	if (!xfs_buf_daddr_to_agbno(bp, &agno, &agbno) ||
	    be32_to_cpu(agi->agi_seqno) != agno) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad seqno");
	}
	aglen = libxfs_ag_block_count(mp, agno);
	length = be32_to_cpu(agi->agi_length);
	if (length != aglen) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad length");
	}
	lvl = be32_to_cpu(agi->agi_level);
	if (lvl < 1 || lvl > mp->m_in_maxlevels) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad inobt level");
	}
	if (!agi_root_ok(be32_to_cpu(agi->agi_root), length)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad inobt root");
	}
	if (xfs_has_finobt(mp)) {
		lvl = be32_to_cpu(agi->agi_free_level);
		if (lvl < 1 || lvl > mp->m_in_maxlevels) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad finobt level");
		}
		if (!agi_root_ok(be32_to_cpu(agi->agi_free_root), length)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED, "bad finobt root");
		}
	}
	if (xfs_has_inobtcounts(mp) &&
	    (be32_to_cpu(agi->agi_iblocks) > length ||
	     be32_to_cpu(agi->agi_fblocks) > length)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "inode btree block counts beyond length");
	}
	for (i = 0; i < XFS_AGI_UNLINKED_BUCKETS; i++) {
		uint32_t agino = be32_to_cpu(agi->agi_unlinked[i]);

		if (agino != NULLAGINO &&
		    !libxfs_verify_agino(mp, agno, agino)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad unlinked bucket");
		}
	}
	return 0;
}

static int xfs_agi_read_verify(struct xfs_buf *bp)
{
	return agi_verify(bp, true);
}

static int xfs_agi_write_verify(struct xfs_buf *bp)
{
	int error = agi_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_AGI_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_agi_buf_ops = {
	.name		= "agi",
	.magic		= { XFS_AGI_MAGIC, XFS_AGI_MAGIC },
	.verify_read	= xfs_agi_read_verify,
	.verify_write	= xfs_agi_write_verify,
};

/* ---- inode btrees ---- */

static int inobt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;

	if (mp && bp->b_ops == &xfs_finobt_buf_ops && !xfs_has_finobt(mp)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "finobt not enabled");
	}
	return xfs_btree_sblock_verify(bp, mp ? mp->m_inobt_mxr : NULL,
				       mp ? mp->m_in_maxlevels : 0, crc);
}

static int xfs_inobt_read_verify(struct xfs_buf *bp)
{
	return inobt_verify(bp, true);
}

static int xfs_inobt_write_verify(struct xfs_buf *bp)
{
	int error = inobt_verify(bp, false);

	if (!error) {
		xfs_btree_sblock_update_crc(bp);
	}
	return error;
}

const struct xfs_buf_ops xfs_inobt_buf_ops = {
	.name		= "inobt",
	.magic		= { XFS_IBT_MAGIC, XFS_IBT_CRC_MAGIC },
	.verify_read	= xfs_inobt_read_verify,
	.verify_write	= xfs_inobt_write_verify,
};

const struct xfs_buf_ops xfs_finobt_buf_ops = {
	.name		= "finobt",
	.magic		= { XFS_FIBT_MAGIC, XFS_FIBT_CRC_MAGIC },
	.verify_read	= xfs_inobt_read_verify,
	.verify_write	= xfs_inobt_write_verify,
};
