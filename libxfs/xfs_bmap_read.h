/*
 * xfs_bmap_read.h: read-only block mapping of an inode fork.  Maps a range
 * of file blocks to disk extents (holes included) from the extent list in
 * the inode or from the bmbt, and reads dabtree/directory blocks -- which
 * may span several fs blocks, contiguous on disk or not -- as one buffer.
 */
#ifndef LIBXFS_XFS_BMAP_READ_H_
#define LIBXFS_XFS_BMAP_READ_H_

#include <stdint.h>

#include "libxfs_io.h"
#include "xfs_inode.h"

struct xfs_mount;
struct xfs_trans;

/* br_startblock of a mapping that describes a hole. */
#define XFS_BMAP_HOLESTARTBLOCK	((uint64_t)-2)

static inline int xfs_bmap_is_hole(const struct xfs_bmbt_irec *irec)
{
	return irec->br_startblock == XFS_BMAP_HOLESTARTBLOCK;
}

/*
 * Map file blocks [bno, bno + len) of a fork (extents or btree format).
 * Fills up to *nmaps records of mval, in file order, each starting where
 * the previous ended: extents trimmed to the range, holes with
 * br_startblock XFS_BMAP_HOLESTARTBLOCK.  On return *nmaps is the number
 * filled; the range is covered entirely unless mval ran out first.
 * Every extent consulted is checked (inside the filesystem and one AG,
 * file offsets increasing, no overlap): -EFSCORRUPTED otherwise.
 * -EINVAL for a fork in another format or an empty range.
 */
int libxfs_bmapi_read(struct xfs_inode *ip, int whichfork, uint64_t bno,
		      uint64_t len, struct xfs_bmbt_irec *mval,
		      unsigned int *nmaps);

/*
 * The same, with the bmbt blocks read through tp (NULL: as
 * libxfs_bmapi_read): for a fork whose bmbt tp may have made or changed
 * -- such blocks carry no valid CRC until tp commits, and only tp may
 * read them.
 */
int libxfs_bmapi_read_tp(struct xfs_trans *tp, struct xfs_inode *ip,
			 int whichfork, uint64_t bno, uint64_t len,
			 struct xfs_bmbt_irec *mval, unsigned int *nmaps);

/*
 * First file block past the last extent of a fork (0 for an empty fork),
 * in *last.  -EINVAL for a fork not in extents or btree format.
 */
int libxfs_bmap_last_offset(struct xfs_inode *ip, int whichfork,
			    uint64_t *last);

/* Total fs blocks mapped by a fork (a full walk, checked). */
int libxfs_bmap_count_blocks(struct xfs_inode *ip, int whichfork,
			     uint64_t *count);

/* The same with the bmbt read through tp (NULL: the above). */
int libxfs_bmap_count_blocks_tp(struct xfs_trans *tp, struct xfs_inode *ip,
				int whichfork, uint64_t *count);

/* Most pieces a dabtree block may be split into (64 KiB of 1 KiB blocks). */
#define XFS_DA_MAX_MAPS		64

/*
 * Disk pieces of the dabtree block at file block bno of a fork: one
 * directory block (m_dir_geo.fsbcount fs blocks) for the data fork of a
 * directory, one fs block otherwise.  -ENOENT if the whole block is a
 * hole, -EFSCORRUPTED if only part of it is mapped (or unwritten).
 */
int libxfs_da_map_block(struct xfs_inode *ip, int whichfork, uint64_t bno,
			struct xfs_bmbt_irec *maps, unsigned int *nmaps);

/*
 * Read that block as one buffer and verify it with ops (none if NULL);
 * flags as for libxfs_buf_read.  A block in one piece comes through the
 * buffer cache; a discontiguous one is assembled in an uncached buffer
 * whose b_daddr is its first piece (what its header's blkno holds).
 * Errors as libxfs_da_map_block, then as libxfs_buf_read.
 */
int libxfs_da_read_buf(struct xfs_inode *ip, int whichfork, uint64_t bno,
		       unsigned int flags, const struct xfs_buf_ops *ops,
		       struct xfs_buf **bpp);

/*
 * The same inside transaction tp (NULL: libxfs_da_read_buf): the fork
 * is mapped and the block read through tp (xfs_trans_read_buf), so that
 * blocks tp made or changed come as they stand; release the buffer with
 * xfs_trans_brelse(tp, bp).
 */
int libxfs_da_read_buf_tp(struct xfs_trans *tp, struct xfs_inode *ip,
			  int whichfork, uint64_t bno, unsigned int flags,
			  const struct xfs_buf_ops *ops, struct xfs_buf **bpp);

#endif /* LIBXFS_XFS_BMAP_READ_H_ */
