/*
 * xfs_alloc_verify.c: verifiers for the free-space metadata of an AG --
 * the AGF, the AGFL and the by-block / by-size free space btrees.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree_verify.h"

/* AG number the header at bp belongs to, from its address. */
static bool hdr_agno(struct xfs_buf *bp, uint32_t *agno)
{
	uint32_t agbno;

	return xfs_buf_daddr_to_agbno(bp, agno, &agbno);
}

/* A btree root pointer: inside the AG, past the headers. */
static bool agf_root_ok(uint32_t root, uint32_t aglen)
{
	return root != 0 && root != NULLAGBLOCK && root < aglen;
}

static int agf_verify(struct xfs_buf *bp, bool check_crc)
{
	const struct xfs_agf *agf = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;
	uint32_t agno, aglen, seqno, length, freeblks, agfl_size;
	uint32_t lvl;
	int i;

	if (BBTOB(bp->b_length) < sizeof(*agf)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, XFS_AGF_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(agf->agf_magicnum))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, agf->agf_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be32_to_cpu(agf->agf_versionnum) != XFS_AGF_VERSION) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad version");
	}
	seqno = be32_to_cpu(agf->agf_seqno);
	length = be32_to_cpu(agf->agf_length);
	freeblks = be32_to_cpu(agf->agf_freeblks);
	if (!mp) {
		return 0;
	}
	if (!hdr_agno(bp, &agno) || seqno != agno) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad seqno");
	}
	aglen = libxfs_ag_block_count(mp, agno);
	if (length != aglen) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad length");
	}
	agfl_size = mp->m_agfl_size;
	if (be32_to_cpu(agf->agf_flfirst) >= agfl_size ||
	    be32_to_cpu(agf->agf_fllast) >= agfl_size ||
	    be32_to_cpu(agf->agf_flcount) > agfl_size) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad freelist indices");
	}
	if (freeblks > length) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "freeblks beyond length");
	}
	if (be32_to_cpu(agf->agf_longest) > freeblks) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "longest beyond freeblks");
	}
	if (be32_to_cpu(agf->agf_btreeblks) > length) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "btreeblks beyond length");
	}
	for (i = XFS_AGF_BNO; i <= XFS_AGF_CNT; i++) {
		lvl = be32_to_cpu(agf->agf_levels[i]);
		if (lvl < 1 || lvl > mp->m_ag_maxlevels) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
				i == XFS_AGF_BNO ? "bad bnobt level" :
						   "bad cntbt level");
		}
		if (!agf_root_ok(be32_to_cpu(agf->agf_roots[i]), length)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
				i == XFS_AGF_BNO ? "bad bnobt root" :
						   "bad cntbt root");
		}
	}
	if (xfs_has_rmapbt(mp)) {
		lvl = be32_to_cpu(agf->agf_levels[XFS_AGF_RMAP]);
		if (lvl < 1 || lvl > mp->m_rmap_maxlevels) {
			return xfs_buf_fail(bp, -EFSCORRUPTED, "bad rmapbt level");
		}
		if (!agf_root_ok(be32_to_cpu(agf->agf_roots[XFS_AGF_RMAP]),
				 length)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED, "bad rmapbt root");
		}
		if (be32_to_cpu(agf->agf_rmap_blocks) > length) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "rmap_blocks beyond length");
		}
	}
	if (xfs_has_reflink(mp)) {
		lvl = be32_to_cpu(agf->agf_refcount_level);
		if (lvl < 1 || lvl > mp->m_refc_maxlevels) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad refcountbt level");
		}
		if (!agf_root_ok(be32_to_cpu(agf->agf_refcount_root), length)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad refcountbt root");
		}
		if (be32_to_cpu(agf->agf_refcount_blocks) > length) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "refcount_blocks beyond length");
		}
	}
	return 0;
}

static int xfs_agf_read_verify(struct xfs_buf *bp)
{
	return agf_verify(bp, true);
}

static int xfs_agf_write_verify(struct xfs_buf *bp)
{
	int error = agf_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_AGF_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_agf_buf_ops = {
	.name		= "agf",
	.magic		= { XFS_AGF_MAGIC, XFS_AGF_MAGIC },
	.verify_read	= xfs_agf_read_verify,
	.verify_write	= xfs_agf_write_verify,
};

/* ---- AGFL ---- */

static int agfl_verify(struct xfs_buf *bp, bool check_crc)
{
	const struct xfs_agfl *agfl = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length);
	uint32_t agno, aglen, nslots, i;

	if (len < sizeof(*agfl)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, XFS_AGFL_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(agfl->agfl_magicnum))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, agfl->agfl_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (!mp) {
		return 0;
	}
	if (!hdr_agno(bp, &agno) || be32_to_cpu(agfl->agfl_seqno) != agno) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad seqno");
	}
	aglen = libxfs_ag_block_count(mp, agno);
	nslots = (uint32_t)((len - sizeof(*agfl)) / sizeof(xfs_be32_t));
	for (i = 0; i < nslots; i++) {
		uint32_t bno = get_unaligned_be32(&agfl->agfl_bno[i]);

		if (bno != NULLAGBLOCK && bno >= aglen) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "block number beyond the AG");
		}
	}
	return 0;
}

static int xfs_agfl_read_verify(struct xfs_buf *bp)
{
	return agfl_verify(bp, true);
}

static int xfs_agfl_write_verify(struct xfs_buf *bp)
{
	int error = agfl_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_AGFL_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_agfl_buf_ops = {
	.name		= "agfl",
	.magic		= { XFS_AGFL_MAGIC, XFS_AGFL_MAGIC },
	.verify_read	= xfs_agfl_read_verify,
	.verify_write	= xfs_agfl_write_verify,
};

/* ---- free space btrees ---- */

static int allocbt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;

	return xfs_btree_sblock_verify(bp, mp ? mp->m_alloc_mxr : NULL,
				       mp ? mp->m_ag_maxlevels : 0, crc);
}

static int xfs_allocbt_read_verify(struct xfs_buf *bp)
{
	return allocbt_verify(bp, true);
}

static int xfs_allocbt_write_verify(struct xfs_buf *bp)
{
	int error = allocbt_verify(bp, false);

	if (!error) {
		xfs_btree_sblock_update_crc(bp);
	}
	return error;
}

const struct xfs_buf_ops xfs_bnobt_buf_ops = {
	.name		= "bnobt",
	.magic		= { XFS_ABTB_MAGIC, XFS_ABTB_CRC_MAGIC },
	.verify_read	= xfs_allocbt_read_verify,
	.verify_write	= xfs_allocbt_write_verify,
};

const struct xfs_buf_ops xfs_cntbt_buf_ops = {
	.name		= "cntbt",
	.magic		= { XFS_ABTC_MAGIC, XFS_ABTC_CRC_MAGIC },
	.verify_read	= xfs_allocbt_read_verify,
	.verify_write	= xfs_allocbt_write_verify,
};
