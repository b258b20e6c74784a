/*
 * xfs_bmap_write.h: changing the block map of an inode fork -- giving
 * the holes of a range real blocks from the (offloaded) allocator,
 * recording the mappings in the fork (merging neighbours, turning an
 * extent list that outgrows the inode into a bmbt and back), and writing
 * file data straight to the device.
 *
 * The fork's bytes follow the inode writer's rule (xfs_inode_write.h):
 * a heap buffer owned by the inode, if_size = 16 * if_nextents in
 * extents format, the whole fork area in btree format.  The inode is
 * logged (libxfs_trans_log_inode) through the caller's transaction.
 */
#ifndef LIBXFS_XFS_BMAP_WRITE_H_
#define LIBXFS_XFS_BMAP_WRITE_H_

#include <stddef.h>
#include <stdint.h>

#include "xfs_inode.h"

struct xfs_trans;

#define XFS_BMAPI_METADATA	(1U << 0)	/* dir/attr/symlink blocks */
#define XFS_BMAPI_ATTRFORK	(1U << 1)	/* the attr fork */
#define XFS_BMAPI_CONTIG	(1U << 2)	/* each hole all-or-nothing,
						   in one extent */
#define XFS_BMAPI_ZERO		(1U << 3)	/* zero new blocks on disk */

/*
 * Give every hole of file blocks [bno, bno + len) of the fork real
 * blocks: near the end of the extent before the hole, else near the
 * inode, else anywhere (xfs_alloc_vextent_near_bno, then _start_ag);
 * owner in the rmapbt = the inode at that file offset.  The mappings go
 * into the fork merged with contiguous neighbours; an extent list that
 * no longer fits in the inode becomes a bmbt (its blocks owned by the
 * inode as bmbt blocks).  i_nblocks follows; the inode is logged.
 *
 * mval receives up to *nmap mappings of the range in file order (already
 * mapped parts included, contiguous pieces combined); *nmap is set to
 * the number filled.  The work stops early when mval is full.
 * Errors: -ENOSPC (CONTIG: no extent long enough), -EINVAL (fork not in
 * extents or btree format, empty range), -EFSCORRUPTED, -EIO.  On error
 * the caller cancels the transaction.
 */
int libxfs_bmapi_write(struct xfs_trans *tp, struct xfs_inode *ip,
		       uint64_t bno, uint64_t len, unsigned int flags,
		       struct xfs_bmbt_irec *mval, int *nmap);

/*
 * Map [bno, bno + len) of a fork (holes have br_startblock
 * XFS_BMAP_HOLESTARTBLOCK): libxfs_bmapi_read with an int count.
 * Reads without a transaction: not for a bmbt the caller is changing.
 */
int libxfs_bmapi_read_fork(struct xfs_inode *ip, int whichfork, uint64_t bno,
			   uint64_t len, struct xfs_bmbt_irec *mval,
			   int *nmap);

/*
 * Write len bytes of buf at byte offset of a regular file: blocks are
 * allocated in transactions of its own, data goes straight to the
 * device (partial blocks are read, merged and written back; a new
 * block's other bytes are zero), i_size grows to cover the write.  A
 * block that is a hole and would receive only zeros stays a hole.
 */
int libxfs_file_write(struct xfs_inode *ip, uint64_t offset, const void *buf,
		      size_t len);

/*
 * Preallocate file blocks [bno, bno + len) of the data fork: the holes
 * get blocks (as libxfs_bmapi_write; flags may add XFS_BMAPI_ZERO or
 * XFS_BMAPI_CONTIG) in transactions of its own, a bounded number of
 * blocks each.  i_size is not changed.  The new blocks are ordinary
 * (written) extents: without XFS_BMAPI_ZERO what they hold is whatever
 * the disk held.
 */
int libxfs_file_prealloc(struct xfs_inode *ip, uint64_t bno, uint64_t len,
			 unsigned int flags);

/*
 * The fork's room changed (i_forkoff was just moved, e.g. to make or
 * grow the attr fork): make an extents or btree fork fit it again -- an
 * extent list that no longer fits becomes a bmbt, a bmbt root is laid
 * out for the new size and, if it holds too many entries, moves them
 * down into a new block.  A fork with room to spare is left as it is.
 * The inode is logged.  Errors as libxfs_bmapi_write (the caller
 * cancels the transaction; the in-core fork is then undefined).
 */
int libxfs_bmap_fork_fit(struct xfs_trans *tp, struct xfs_inode *ip,
			 int whichfork);

/* First file block starting len unmapped blocks in a row (from 0). */
int libxfs_bmap_first_unused(struct xfs_inode *ip, int whichfork,
			     uint64_t len, uint64_t *bno);

#endif /* LIBXFS_XFS_BMAP_WRITE_H_ */
