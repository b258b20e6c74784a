/*
 * xfs_symlink_read.h: read-only symbolic links -- the target kept in the
 * inode (local format) or in remote blocks, one XSLM header per extent.
 */
#ifndef LIBXFS_XFS_SYMLINK_READ_H_
#define LIBXFS_XFS_SYMLINK_READ_H_

#include <stddef.h>

struct xfs_mount;
struct xfs_inode;

/*
 * Copy the target of symlink ip into buf, NUL-terminated.  Returns its
 * length (1..XFS_SYMLINK_MAXLEN), -EINVAL if ip is no symlink, -ERANGE if
 * bufsize cannot hold the target and its NUL, -EFSCORRUPTED /
 * -EFSBADCRC / -EIO for damage (an empty or over-long target, a NUL
 * inside it, remote blocks that are missing, foreign or out of order).
 */
int libxfs_readlink(struct xfs_mount *mp, struct xfs_inode *ip, char *buf,
		    size_t bufsize);

#endif /* LIBXFS_XFS_SYMLINK_READ_H_ */
