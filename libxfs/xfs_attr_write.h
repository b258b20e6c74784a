/*
 * xfs_attr_write.h: adding extended attributes -- shortform in the
 * inode (the attribute fork is created, and its offset moved, the way
 * the kernel sizes it), converted to a leaf block when it no longer
 * fits or a name/value is too long for it, and to a dabtree of leaves
 * when a leaf fills.  Values too big to stay in a leaf go to remote
 * blocks (one V5 XARM header per block).  New blocks come from
 * libxfs_bmapi_write (XFS_BMAPI_METADATA | XFS_BMAPI_ATTRFORK).
 */
#ifndef LIBXFS_XFS_ATTR_WRITE_H_
#define LIBXFS_XFS_ATTR_WRITE_H_

#include <stdint.h>

struct xfs_trans;
struct xfs_inode;

/*
 * Add attribute name (1..255 bytes) = value (0..64 KiB) in namespace ns
 * (0 = user, XFS_ATTR_ROOT = trusted, XFS_ATTR_SECURE = security) to
 * ip; logs ip.  -EEXIST if ip already has that name in that namespace
 * (values are not replaced), -EINVAL / -ERANGE for bad arguments,
 * -ENOSPC when no block can be had.
 */
int libxfs_attr_set(struct xfs_trans *tp, struct xfs_inode *ip,
		    unsigned int ns, const unsigned char *name,
		    unsigned int namelen, const void *value,
		    unsigned int valuelen);

#endif /* LIBXFS_XFS_ATTR_WRITE_H_ */
