/*
 * xfs_bmap_btree_write.h: libxfs-internal -- editing the extent records
 * of one inode fork inside a transaction, whatever its format (a list in
 * the inode or a bmbt whose root the inode holds), converting between
 * the two as the record count crosses what the inode can hold.  Used by
 * xfs_bmap_write.c.
 */
#ifndef LIBXFS_XFS_BMAP_BTREE_WRITE_H_
#define LIBXFS_XFS_BMAP_BTREE_WRITE_H_

#include <stdbool.h>
#include <stdint.h>

#include "xfs_inode.h"
#include "xfs_alloc.h"
#include "xfs_btree.h"

struct xfs_trans;
struct xfs_btree_cur;

/* An edit session on one fork; start with xfs_bmap_edit_begin. */
struct xfs_bmap_edit {
	struct xfs_trans	*tp;
	struct xfs_inode	*ip;
	int			whichfork;
	struct xfs_btree_cur	*cur;	/* write cursor (btree format) */
};

/* Bytes of the inode's literal area the fork may use. */
unsigned int xfs_bmap_fork_space(const struct xfs_inode *ip, int whichfork);

/* Extent records the fork holds in extents format. */
static inline unsigned int xfs_bmap_fork_maxext(const struct xfs_inode *ip,
						int whichfork)
{
	return xfs_bmap_fork_space(ip, whichfork) / 16;
}

/* rmap owner of the fork's bmbt blocks. */
struct xfs_owner_info xfs_bmap_bmbt_owner(const struct xfs_inode *ip,
					  int whichfork);

/* Extents or btree format only (-EINVAL otherwise); empty -> extents. */
int xfs_bmap_edit_begin(struct xfs_trans *tp, struct xfs_inode *ip,
			int whichfork, struct xfs_bmap_edit *ed);

/*
 * The extent with the greatest startoff <= off (*has_left), and the one
 * with the smallest startoff > off (*has_right).
 */
int xfs_bmap_edit_neighbours(struct xfs_bmap_edit *ed, uint64_t off,
			     struct xfs_bmbt_irec *left, bool *has_left,
			     struct xfs_bmbt_irec *right, bool *has_right);

/*
 * Record a new mapping over a hole, merged with contiguous neighbours
 * (same disk contiguity, both written, at most the longest extent).
 */
int xfs_bmap_edit_add(struct xfs_bmap_edit *ed,
		      const struct xfs_bmbt_irec *new);

/*
 * End the session: put a staged bmbt root back into the inode, turn a
 * bmbt whose records fit in the inode back into a list.  With error
 * nonzero only the cursor is dropped.  Returns error or a new one.
 */
int xfs_bmap_edit_end(struct xfs_bmap_edit *ed, int error);

/*
 * Look up the bmbt record with startoff `dir` off (EQ, LE or GE) through
 * any bmbt cursor; *found false if there is none.
 */
int xfs_bmbt_find(struct xfs_btree_cur *cur, enum xfs_lookup dir,
		  uint64_t off, struct xfs_bmbt_irec *irec, bool *found);

/* See libxfs_bmap_fork_fit (xfs_bmap_write.h); no inode logging. */
int xfs_bmap_fork_fit(struct xfs_trans *tp, struct xfs_inode *ip,
		      int whichfork);

/* Allocate one bmbt block near hint (NULLFSBLOCK: near the inode). */
int xfs_bmap_alloc_bmbt_block(struct xfs_trans *tp, struct xfs_inode *ip,
			      int whichfork, uint64_t hint, uint64_t *fsbno);

#endif /* LIBXFS_XFS_BMAP_BTREE_WRITE_H_ */
