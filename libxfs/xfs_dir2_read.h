/*
 * xfs_dir2_read.h: read-only directories -- listing a directory in on-disk
 * order (shortform, block, leaf and node formats) and looking a name up
 * through the hash (leaf array or dabtree).  Every on-disk count, offset
 * and pointer is checked; damage gives -EFSCORRUPTED or -EFSBADCRC.
 */
#ifndef LIBXFS_XFS_DIR2_READ_H_
#define LIBXFS_XFS_DIR2_READ_H_

#include <stdbool.h>
#include <stdint.h>

struct xfs_mount;
struct xfs_inode;

enum xfs_dir_fmt {
	XFS_DIR_FMT_SF = 1,	/* entries in the inode */
	XFS_DIR_FMT_BLOCK,	/* one directory block, leaf array inside */
	XFS_DIR_FMT_LEAF,	/* data blocks + one LEAF1 block */
	XFS_DIR_FMT_NODE,	/* data blocks + dabtree of LEAFN + free index */
};

/*
 * The format of directory dp, from its data fork (the last mapped block
 * tells block, leaf and node apart).  -ENOTDIR if dp is no directory,
 * -EFSCORRUPTED if the fork fits no format.
 */
int libxfs_dir_format(struct xfs_mount *mp, struct xfs_inode *dp,
		      enum xfs_dir_fmt *fmt);

/* One directory entry as handed to an iterator. */
struct xfs_dir_ent {
	const uint8_t	*name;		/* not NUL-terminated */
	unsigned int	namelen;	/* 1..255 */
	uint64_t	ino;
	uint8_t		ftype;		/* XFS_DIR3_FT_*, as stored: UNKNOWN
					   without the ftype feature; "." and
					   ".." of shortform dirs get DIR */
	uint32_t	dataptr;	/* where the entry is: byte offset in
					   the data segment >> 3 (for "." and
					   ".." of a shortform dir, where a
					   data block would put them) */
	uint32_t	cookie;		/* what the reference `xfs_db ls`
					   prints: dataptr for shortform and
					   block dirs, the dataptr just past
					   the entry for leaf and node dirs */
};

/* Return non-zero to stop the walk; that value is returned. */
typedef int (*xfs_dir_iterate_fn)(struct xfs_inode *dp,
				  const struct xfs_dir_ent *de, void *priv);

/*
 * Call fn on every entry of dp in on-disk order, "." and ".." included:
 * shortform: ".", "..", then the entries in the inode; block, leaf and
 * node: the entries of each data block in block order (holes skipped),
 * in the block's order.  Entries are handed out as blocks are read, so a
 * damaged block stops the walk after the entries before it were seen
 * (as the reference xfs_db does).
 */
int libxfs_dir_iterate(struct xfs_mount *mp, struct xfs_inode *dp,
		       xfs_dir_iterate_fn fn, void *priv);

/*
 * Look name up in dp.  0 with *ino (and *ftype if non-NULL) set, -ENOENT
 * if there is no such entry, -ENOTDIR, -EINVAL for a bad name length, or
 * -EFSCORRUPTED / -EFSBADCRC / -EIO.  On ASCII case-insensitive
 * filesystems an exact match wins over a case-folded one.
 */
int libxfs_dir_lookup(struct xfs_mount *mp, struct xfs_inode *dp,
		      const uint8_t *name, unsigned int namelen,
		      uint64_t *ino, uint8_t *ftype);

/* The hash of a name in this filesystem's directories. */
uint32_t libxfs_dir_hashname(const struct xfs_mount *mp, const uint8_t *name,
			     unsigned int namelen);

#endif /* LIBXFS_XFS_DIR2_READ_H_ */
