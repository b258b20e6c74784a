/*
 * xfs_symlink_write.h: writing the target of a symbolic link -- inline
 * in the data fork when it fits there, else in remote blocks allocated
 * through libxfs_bmapi_write, each extent starting with a V5 XSLM header
 * (owner, offset, byte count, CRC set by the write verifier).
 */
#ifndef LIBXFS_XFS_SYMLINK_WRITE_H_
#define LIBXFS_XFS_SYMLINK_WRITE_H_

struct xfs_trans;
struct xfs_inode;

/*
 * Store target (len bytes, 1..XFS_SYMLINK_MAXLEN - 1, no NUL) as the
 * target of ip, a symlink with an empty data fork; sets i_size and logs
 * ip.  -ENAMETOOLONG from XFS_SYMLINK_MAXLEN bytes on (as the kernel and
 * xfs_repair, which reject such a target), -EINVAL for an empty target, one
 * with a NUL, or an inode that is no symlink.
 */
int libxfs_symlink_write(struct xfs_trans *tp, struct xfs_inode *ip,
			 const char *target, unsigned int len);

/*
 * libxfs-internal: move an inline target to a remote block (the
 * attribute writer does this when a new attribute fork leaves the data
 * fork too small for it).
 */
int xfs_symlink_wlocal_to_remote(struct xfs_trans *tp, struct xfs_inode *ip);

#endif /* LIBXFS_XFS_SYMLINK_WRITE_H_ */
