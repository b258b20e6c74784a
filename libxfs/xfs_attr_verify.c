/*
 * xfs_attr_verify.c: verifiers for attribute leaf blocks, remote
 * attribute value blocks (a header in every fs block) and remote symlink
 * blocks (one header at the start of each extent's buffer).
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_da_verify.h"

/* ---- attribute leaves ---- */

static int attr3_leaf_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;
	int error;

	error = xfs_da3_blkinfo_verify(bp, XFS_ATTR3_LEAF_MAGIC, crc);
	if (error) {
		return error;
	}
	if (mp && BBTOB(bp->b_length) != mp->m_attr_geo.blksize) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer is not one block");
	}
	return xfs_attr3_leaf_verify_body(bp);
}

static int xfs_attr3_leaf_read_verify(struct xfs_buf *bp)
{
	return attr3_leaf_verify(bp, true);
}

static int xfs_attr3_leaf_write_verify(struct xfs_buf *bp)
{
	int error = attr3_leaf_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_ATTR3_LEAF_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_attr3_leaf_buf_ops = {
	.name		= "attr3_leaf",
	.magic		= { XFS_ATTR_LEAF_MAGIC, XFS_ATTR3_LEAF_MAGIC },
	.verify_read	= xfs_attr3_leaf_read_verify,
	.verify_write	= xfs_attr3_leaf_write_verify,
};

/* ---- remote attribute values ---- */

/* Check one fs block of a remote value, at daddr. */
static int attr3_rmt_block_verify(struct xfs_buf *bp, const uint8_t *blk,
				  size_t blksize, uint64_t daddr, bool crc)
{
	const struct xfs_attr3_rmt_hdr *rmt = (const void *)blk;
	struct xfs_mount *mp = bp->b_mount;
	uint32_t offset, bytes;

	if (crc && !libxfs_verify_cksum(blk, blksize, XFS_ATTR3_RMT_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (be32_to_cpu(rmt->rm_magic) != XFS_ATTR3_RMT_MAGIC) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, rmt->rm_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(rmt->rm_blkno) != daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (mp && !libxfs_verify_ino(mp, be64_to_cpu(rmt->rm_owner))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	offset = be32_to_cpu(rmt->rm_offset);
	bytes = be32_to_cpu(rmt->rm_bytes);
	if (bytes > xfs_attr3_rmt_buf_space((unsigned int)blksize)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bytes beyond block");
	}
	if ((uint64_t)offset + bytes > XFS_XATTR_SIZE_MAX) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "value larger than the maximum");
	}
	return 0;
}

static int attr3_rmt_verify(struct xfs_buf *bp, bool crc)
{
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length), blksize, off;
	int error;

	blksize = mp ? mp->m_sb.sb_blocksize : len;
	if (len < blksize || len % blksize ||
	    blksize < sizeof(struct xfs_attr3_rmt_hdr)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "buffer is not whole blocks");
	}
	for (off = 0; off < len; off += blksize) {
		error = attr3_rmt_block_verify(bp,
				(const uint8_t *)bp->b_addr + off, blksize,
				bp->b_daddr + BTOBBT(off), crc);
		if (error) {
			return error;
		}
	}
	return 0;
}

static int xfs_attr3_rmt_read_verify(struct xfs_buf *bp)
{
	return attr3_rmt_verify(bp, true);
}

static int xfs_attr3_rmt_write_verify(struct xfs_buf *bp)
{
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length), blksize, off;
	int error = attr3_rmt_verify(bp, false);

	if (error) {
		return error;
	}
	blksize = mp ? mp->m_sb.sb_blocksize : len;
	for (off = 0; off < len; off += blksize) {
		libxfs_update_cksum((uint8_t *)bp->b_addr + off, blksize,
				    XFS_ATTR3_RMT_CRC_OFF);
	}
	return 0;
}

const struct xfs_buf_ops xfs_attr3_rmt_buf_ops = {
	.name		= "attr3_rmt",
	.magic		= { 0, XFS_ATTR3_RMT_MAGIC },
	.verify_read	= xfs_attr3_rmt_read_verify,
	.verify_write	= xfs_attr3_rmt_write_verify,
};

/* ---- remote symlinks ---- */

static int symlink_verify(struct xfs_buf *bp, bool crc)
{
	const struct xfs_dsymlink_hdr *dsl = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length);
	uint32_t offset, bytes;

	if (len < sizeof(*dsl)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (crc && !xfs_buf_verify_cksum(bp, XFS_SYMLINK_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(dsl->sl_magic))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, dsl->sl_uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(dsl->sl_blkno) != bp->b_daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (mp && !libxfs_verify_ino(mp, be64_to_cpu(dsl->sl_owner))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	offset = be32_to_cpu(dsl->sl_offset);
	bytes = be32_to_cpu(dsl->sl_bytes);
	if (bytes > len - sizeof(*dsl)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bytes beyond block");
	}
	if ((uint64_t)offset + bytes > XFS_SYMLINK_MAXLEN) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "target longer than the maximum");
	}
	return 0;
}

static int xfs_symlink_read_verify(struct xfs_buf *bp)
{
	return symlink_verify(bp, true);
}

static int xfs_symlink_write_verify(struct xfs_buf *bp)
{
	int error = symlink_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_SYMLINK_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_symlink_buf_ops = {
	.name		= "symlink",
	.magic		= { 0, XFS_SYMLINK_MAGIC },
	.verify_read	= xfs_symlink_read_verify,
	.verify_write	= xfs_symlink_write_verify,
};
