/*
 * xfs_da_verify.h: libxfs-internal checks shared by the directory,
 * attribute and dabtree node verifiers.
 */
#ifndef LIBXFS_XFS_DA_VERIFY_H_
#define LIBXFS_XFS_DA_VERIFY_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"

/*
 * V5 dabtree block header (struct xfs_da3_blkinfo): the 16-bit magic
 * (must equal magic), CRC, uuid, blkno == daddr, owner an inode number,
 * sibling pointers not pointing at themselves.
 */
int xfs_da3_blkinfo_verify(struct xfs_buf *bp, uint16_t magic,
			   bool check_crc);

/* V5 directory data/block/free header (struct xfs_dir3_blk_hdr). */
int xfs_dir3_blkhdr_verify(struct xfs_buf *bp, bool check_crc);

/* Dabtree node contents (after the header check). */
int xfs_da3_node_verify_body(struct xfs_buf *bp);
/* Directory leaf contents (LEAF1 or LEAFN; after the header check). */
int xfs_dir3_leaf_verify_body(struct xfs_buf *bp, bool leaf1);
/* Attribute leaf contents (after the header check). */
int xfs_attr3_leaf_verify_body(struct xfs_buf *bp);

#endif /* LIBXFS_XFS_DA_VERIFY_H_ */
