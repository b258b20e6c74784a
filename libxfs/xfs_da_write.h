/*
 * xfs_da_write.h: libxfs-internal pieces shared by the directory and
 * attribute writers -- block I/O of one fork inside a transaction (map,
 * read, allocate and get a new block, find room to grow), header
 * stamping of new V5 blocks, and the dabtree (da node) operations:
 * descending to the leaf a hash belongs to, keeping parent hashes
 * current, linking a new sibling, and inserting a split block into its
 * parent (splitting nodes and the root, which never moves, as needed).
 */
#ifndef LIBXFS_XFS_DA_WRITE_H_
#define LIBXFS_XFS_DA_WRITE_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"
#include "xfs_da_format.h"

struct xfs_mount;
struct xfs_trans;
struct xfs_inode;
struct xfs_da_geometry;

/* What a writer works on: one fork of one inode inside tp. */
struct xfs_da_wargs {
	struct xfs_trans		*tp;
	struct xfs_mount		*mp;
	struct xfs_inode		*dp;
	int				whichfork;	/* XFS_DATA/ATTR_FORK */
	const struct xfs_da_geometry	*geo;		/* dir or attr */
};

void xfs_da_wargs_init(struct xfs_da_wargs *a, struct xfs_trans *tp,
		       struct xfs_inode *dp, int whichfork);

/* Bytes of one block of this fork (directory or attribute block). */
static inline unsigned int xfs_da_wblksize(const struct xfs_da_wargs *a)
{
	return a->geo->blksize;
}

/*
 * Disk address of the (contiguous) block at file block bno: -ENOENT for
 * a hole, -EFSCORRUPTED if only partly mapped, -EOPNOTSUPP if it is in
 * several pieces (we never write such blocks).
 */
int xfs_da_wmap(struct xfs_da_wargs *a, uint64_t bno, uint64_t *daddr);

/* Read and verify the block at bno through the transaction. */
int xfs_da_wread(struct xfs_da_wargs *a, uint64_t bno,
		 const struct xfs_buf_ops *ops, struct xfs_buf **bpp);

/*
 * Allocate the blocks of a new block at file block bno (which must be a
 * hole) and return a zeroed buffer for it, joined to tp.
 */
int xfs_da_wnew(struct xfs_da_wargs *a, uint64_t bno,
		const struct xfs_buf_ops *ops, struct xfs_buf **bpp);

/* First file block >= start, < end, where `count` blocks are a hole. */
int xfs_da_wfirst_hole(struct xfs_da_wargs *a, uint64_t start, uint64_t end,
		       uint64_t count, uint64_t *bno);

/* Log the whole buffer. */
void xfs_da_wlog(struct xfs_da_wargs *a, struct xfs_buf *bp);

/* Drop our reference (the transaction keeps its own). */
void xfs_da_wrelse(struct xfs_da_wargs *a, struct xfs_buf *bp);

/* Fill the V5 self-describing part of a new dabtree block header. */
void xfs_da_wstamp_blkinfo(struct xfs_da_wargs *a, struct xfs_buf *bp,
			   uint16_t magic);

/* ---- dabtree ---- */

struct xfs_da_wpath_blk {
	uint64_t	bno;		/* file block */
	struct xfs_buf	*bp;		/* held until xfs_da_wpath_release */
	unsigned int	index;		/* nodes: entry followed */
};

struct xfs_da_wpath {
	unsigned int		depth;	/* blocks in blk[]; last is the leaf */
	struct xfs_da_wpath_blk	blk[XFS_DA_NODE_MAXDEPTH + 1];
};

/*
 * Walk from the root at file block root down to the leaf hash belongs
 * in: at each node the first entry whose hash is >= hash, else the
 * last.  The leaf is read with leaf_ops.
 */
int xfs_da_wlookup(struct xfs_da_wargs *a, uint64_t root, uint32_t hash,
		   const struct xfs_buf_ops *leaf_ops, struct xfs_da_wpath *p);
void xfs_da_wpath_release(struct xfs_da_wargs *a, struct xfs_da_wpath *p);

/*
 * The last hash of the block at level lvl of the path is now hash:
 * update the parents' entries for it (as far up as it is the last).
 */
void xfs_da_wfixhash(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
		     unsigned int lvl, uint32_t hash);

/*
 * Make newbp (at newbno) the next sibling of bp (at bno) on the same
 * level: forw/back pointers, including the old next sibling's back.
 */
int xfs_da_wlink_after(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       uint64_t bno, struct xfs_buf *newbp, uint64_t newbno);

/*
 * The block at level lvl of the path was split: it keeps the lower
 * hashes (its last is now oldhash) and its new next sibling newbno holds
 * the rest (last hash newhash), already linked.  Record that in the
 * parents, splitting full nodes; when the root splits its contents move
 * to a new block and the root becomes a node one level higher.
 */
int xfs_da_wsplit_insert(struct xfs_da_wargs *a, struct xfs_da_wpath *p,
			 unsigned int lvl, uint32_t oldhash, uint64_t newbno,
			 uint32_t newhash);

/* Where in the fork new dabtree blocks go: dir leaf segment / attr 0. */
uint64_t xfs_da_wnode_space(const struct xfs_da_wargs *a);
uint64_t xfs_da_wnode_space_end(const struct xfs_da_wargs *a);

/* A new dabtree block at the first hole of that space (*bnop). */
int xfs_da_wnew_node_block(struct xfs_da_wargs *a,
			   const struct xfs_buf_ops *ops, uint64_t *bnop,
			   struct xfs_buf **bpp);

#endif /* LIBXFS_XFS_DA_WRITE_H_ */
