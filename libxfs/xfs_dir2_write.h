/*
 * xfs_dir2_write.h: writing directories -- an empty shortform directory
 * and adding names in every format (shortform, block, leaf, node), with
 * the conversions between them when a format fills: shortform -> block
 * when the entries outgrow the data fork, block -> leaf when the block
 * has no room, leaf -> node when the LEAF1 block is full.  New blocks
 * come from libxfs_bmapi_write (XFS_BMAPI_METADATA), i.e. from the
 * offloaded allocator.  Every function returns 0 or a negative errno.
 */
#ifndef LIBXFS_XFS_DIR2_WRITE_H_
#define LIBXFS_XFS_DIR2_WRITE_H_

#include <stdint.h>

struct xfs_trans;
struct xfs_inode;

/*
 * Make dp (a directory inode) an empty shortform directory whose ".."
 * is parent_ino; logs dp.  nlink is the caller's business.
 */
int libxfs_dir_init(struct xfs_trans *tp, struct xfs_inode *dp,
		    uint64_t parent_ino);

/*
 * Add name -> ino with file type ftype (XFS_DIR3_FT_*; ignored without
 * the ftype feature) to directory dp.  -EEXIST if the name is there (or
 * is "." / ".."), -ENAMETOOLONG beyond 255 bytes, -EINVAL for an empty
 * name, one holding '/' or NUL, a bad ftype or inode number; -ENOSPC if
 * no block can be had.  Logs dp when its size or fork changes.
 */
int libxfs_dir_createname(struct xfs_trans *tp, struct xfs_inode *dp,
			  const unsigned char *name, unsigned int namelen,
			  uint64_t ino, uint8_t ftype);

#endif /* LIBXFS_XFS_DIR2_WRITE_H_ */
