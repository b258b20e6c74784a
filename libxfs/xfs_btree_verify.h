/*
 * xfs_btree_verify.h: libxfs-internal header checks shared by the btree
 * block verifiers (short-pointer per-AG trees and the long-pointer bmbt).
 */
#ifndef LIBXFS_XFS_BTREE_VERIFY_H_
#define LIBXFS_XFS_BTREE_VERIFY_H_

#include "libxfs_io.h"

/*
 * Verify a V5 short-pointer btree block: magic (from bp->b_ops), CRC,
 * uuid, blkno, owner (the AG), level below maxlevels (0 = unknown),
 * numrecs within mxr[0] (leaf) / mxr[1] (node), siblings inside the AG.
 * check_crc false skips the CRC (write verifiers, which then rewrite it).
 */
int xfs_btree_sblock_verify(struct xfs_buf *bp, const unsigned int mxr[2],
			    unsigned int maxlevels, bool check_crc);

/* Same for a V5 long-pointer (bmbt) block; the owner must be an inode. */
int xfs_btree_lblock_verify(struct xfs_buf *bp, const unsigned int mxr[2],
			    unsigned int maxlevels, bool check_crc);

/* Refresh the CRC of a short / long btree block (write verifiers). */
void xfs_btree_sblock_update_crc(struct xfs_buf *bp);
void xfs_btree_lblock_update_crc(struct xfs_buf *bp);

#endif /* LIBXFS_XFS_BTREE_VERIFY_H_ */
