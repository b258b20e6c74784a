/*
 * xfs_btree.h: a cursor over any XFS btree -- the per-AG trees
 * with short (AG block) pointers rooted in the AGF/AGI, and the inode
 * block-map btree with long (fs block) pointers rooted in an inode fork.
 *
 * A cursor holds one buffer per level along a root-to-leaf path, with a
 * 1-based position in each block.  Records and keys are handed out in
 * disk format (pointers into the leaf buffer, valid while the cursor
 * stays put); callers decode them with the helpers in xfs_format.h.
 *
 * Every count, level and pointer read from disk is checked before use:
 * a child must sit one level below its parent, inside the AG (or the
 * filesystem), carry the tree's magic and owner, and hold no more
 * entries than fit; anything else is -EFSCORRUPTED.  Moving between
 * leaves goes through the parent path, never through sibling pointers
 * alone, so a damaged sibling link cannot send the cursor astray.
 *
 * A cursor made with a transaction (bc_tp) reads its blocks through it
 * and may change the tree (xfs_btree_mod.c): insert, delete and update
 * records, splitting, borrowing, joining, growing a new root and
 * shrinking the root as needed.  Where blocks come from and where the
 * root lives is the tree's business (struct xfs_btree_wops).
 */
#ifndef LIBXFS_XFS_BTREE_H_
#define LIBXFS_XFS_BTREE_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"

struct xfs_mount;
struct xfs_inode;
struct xfs_trans;

#define XFS_BTREE_MAXLEVELS	10	/* deepest tree a cursor can hold */

struct xfs_btree_cur;

/* What distinguishes one btree type from another. */
struct xfs_btree_ops {
	const char		*name;
	const struct xfs_buf_ops *buf_ops;
	bool			long_ptrs;	/* bmbt: 64-bit fs block ptrs */
	unsigned int		rec_len;	/* bytes per leaf record */
	unsigned int		key_len;	/* bytes compared in a key */
	unsigned int		key_slot;	/* bytes per node key slot
						   (2 * key_len when overlapping) */
	unsigned int		ptr_len;	/* 4 or 8 */
	/* Leaf / node capacity of a full block (from the mount). */
	unsigned int		(*maxrecs)(const struct xfs_mount *mp,
					   int leaf);
	/* Build the lookup key of a record. */
	void			(*rec_to_key)(const void *rec, void *key);
	/* Compare two keys: <0, 0, >0. */
	int			(*key_cmp)(const void *k1, const void *k2);
	/*
	 * Overlapping trees (key_slot == 2 * key_len): the highest key a
	 * record covers; node entries carry the low and high keys of
	 * their subtree.  NULL for the others.
	 */
	void			(*rec_high_key)(const void *rec, void *key);
};

/*
 * What a tree being changed needs from its owner: its root and height
 * live in an AG header (or an inode), its blocks come from the AG free
 * list or from the allocator.  Set per cursor (bc_wops) by the tree's
 * cursor constructor.
 */
struct xfs_btree_wops {
	/* Record a new root block and height (already in the cursor). */
	void	(*set_root)(struct xfs_btree_cur *cur, uint64_t root,
			    unsigned int nlevels);
	/* Allocate one block, near hint if possible; *stat 0: none. */
	int	(*alloc_block)(struct xfs_btree_cur *cur, uint64_t hint,
			       uint64_t *ptr, int *stat);
	/* Free the block behind bp (still joined to the transaction). */
	int	(*free_block)(struct xfs_btree_cur *cur, struct xfs_buf *bp);
};

extern const struct xfs_btree_ops xfs_bnobt_ops;
extern const struct xfs_btree_ops xfs_cntbt_ops;
extern const struct xfs_btree_ops xfs_inobt_ops;
extern const struct xfs_btree_ops xfs_finobt_ops;
extern const struct xfs_btree_ops xfs_refcountbt_ops;
extern const struct xfs_btree_ops xfs_rmapbt_ops;
extern const struct xfs_btree_ops xfs_bmbt_ops;

struct xfs_btree_level {
	struct xfs_buf		*bp;	/* NULL for an inode-rooted top level */
	unsigned int		ptr;	/* 1-based position, 0 = none */
};

struct xfs_btree_cur {
	struct xfs_mount	*bc_mp;
	const struct xfs_btree_ops *bc_ops;
	unsigned int		bc_nlevels;
	unsigned int		bc_flags;	/* LIBXFS_BTREE_* read flags */
	/* Per-AG trees. */
	uint32_t		bc_agno;
	uint32_t		bc_root;	/* root AG block */
	/* bmbt: the inode root (struct xfs_bmdr_block + keys + ptrs). */
	uint64_t		bc_ino;
	const void		*bc_iroot;
	unsigned int		bc_iroot_size;
	struct xfs_btree_level	bc_levels[XFS_BTREE_MAXLEVELS];
	/* Write side: the transaction, the AG header, the tree's owner. */
	struct xfs_trans	*bc_tp;
	struct xfs_buf		*bc_agbp;	/* AGF / AGI, held by the caller */
	const struct xfs_btree_wops *bc_wops;
	void			*bc_private;
	/*
	 * Write side of an inode-rooted tree: the root staged as an
	 * in-memory block in long-block layout (see xfs_btree_iroot.c),
	 * standing at the top level of bc_levels; bc_iroot is then NULL.
	 * bc_iroot_size stays the fork's size: it bounds the root's entries.
	 */
	struct xfs_buf		*bc_iroot_bp;
	bool			bc_iroot_dirty;	/* root changed since staging */
};

/* Cursor flags. */
#define LIBXFS_BTREE_SALVAGE	(1U << 0)	/* read blocks that fail their
						   verifier (xfs_db, repair) */

/*
 * A cursor on a per-AG btree whose root is AG block root and which has
 * nlevels levels.  Returns -EFSCORRUPTED if they make no sense.
 */
int libxfs_btree_init_ag_cursor(struct xfs_mount *mp,
				const struct xfs_btree_ops *ops, uint32_t agno,
				uint32_t root, unsigned int nlevels,
				unsigned int flags,
				struct xfs_btree_cur **curp);

/* Cursors from a read AGF (bno, cnt, rmap, refcount) or AGI (ino, fino). */
int libxfs_btree_init_agf_cursor(struct xfs_mount *mp, struct xfs_buf *agf_bp,
				 const struct xfs_btree_ops *ops,
				 unsigned int flags,
				 struct xfs_btree_cur **curp);
int libxfs_btree_init_agi_cursor(struct xfs_mount *mp, struct xfs_buf *agi_bp,
				 const struct xfs_btree_ops *ops,
				 unsigned int flags,
				 struct xfs_btree_cur **curp);

/* A cursor on the bmbt of an inode fork in btree format. */
int libxfs_bmbt_init_cursor(struct xfs_mount *mp, struct xfs_inode *ip,
			    int whichfork, unsigned int flags,
			    struct xfs_btree_cur **curp);

void libxfs_btree_del_cursor(struct xfs_btree_cur *cur);

enum xfs_lookup {
	XFS_LOOKUP_EQ,	/* a record whose key equals the search key */
	XFS_LOOKUP_LE,	/* the last record with key <= search key */
	XFS_LOOKUP_GE,	/* the first record with key >= search key */
};

/*
 * Position the cursor.  *stat is 1 when a record satisfying dir was found
 * (the cursor points at it), 0 otherwise.  key is in disk format.
 */
int libxfs_btree_lookup(struct xfs_btree_cur *cur, enum xfs_lookup dir,
			const void *key, int *stat);

/* First / last record of the tree; *stat 0 if the tree is empty. */
int libxfs_btree_goto_first(struct xfs_btree_cur *cur, int *stat);
int libxfs_btree_goto_last(struct xfs_btree_cur *cur, int *stat);

/* Step to the next / previous record; *stat 0 at the end / start. */
int libxfs_btree_increment(struct xfs_btree_cur *cur, int *stat);
int libxfs_btree_decrement(struct xfs_btree_cur *cur, int *stat);

/* The record under the cursor (disk format); *stat 0 if none. */
int libxfs_btree_get_rec(struct xfs_btree_cur *cur, const void **recp,
			 int *stat);

/*
 * Call fn on every record in key order; a non-zero return from fn stops
 * the walk and is returned.  Also checks that keys never go backwards.
 */
typedef int (*xfs_btree_rec_fn)(struct xfs_btree_cur *cur, const void *rec,
				void *priv);
int libxfs_btree_query_all(struct xfs_btree_cur *cur, xfs_btree_rec_fn fn,
			   void *priv);

/*
 * Call fn on every block of the tree, level by level from the root down,
 * left to right (an inode root is not a block and is not visited).
 */
typedef int (*xfs_btree_block_fn)(struct xfs_btree_cur *cur,
				  unsigned int level, struct xfs_buf *bp,
				  void *priv);
int libxfs_btree_visit_blocks(struct xfs_btree_cur *cur,
			      xfs_btree_block_fn fn, void *priv);

/* Number of records in the tree (a full walk). */
int libxfs_btree_count_records(struct xfs_btree_cur *cur, uint64_t *count);

/* ---- changing a tree (cursor with bc_tp and bc_wops) ---- */

/*
 * Insert rec (disk format).  *stat 0 if a record with the same key is
 * already there (nothing changed).  Afterwards the cursor points at the
 * new record.
 */
int libxfs_btree_insert(struct xfs_btree_cur *cur, const void *rec,
			int *stat);

/*
 * Delete the record under the cursor.  *stat 0 if the cursor points at
 * none.  Afterwards the cursor points at the record that followed it
 * (or off the end).
 */
int libxfs_btree_delete(struct xfs_btree_cur *cur, int *stat);

/*
 * Overwrite the record under the cursor with rec, whose key must sort
 * in the same place; parent keys follow.
 */
int libxfs_btree_update(struct xfs_btree_cur *cur, const void *rec);

/*
 * Check the shape of the whole tree: levels, record counts within
 * bounds (minimum for non-root blocks, except the lone child of an
 * inode root), keys in order and equal to the parents' keys (low and
 * high), sibling links.  Returns 0 or -EFSCORRUPTED with *reason set.
 * *nblocks gets the block count (an inode root is not a block).  An
 * inode-rooted cursor has its root staged for the check.
 */
int libxfs_btree_check(struct xfs_btree_cur *cur, uint64_t *nblocks,
		       const char **reason);

/* ---- inode-rooted trees that change (xfs_btree_iroot.c) ---- */

/*
 * Stage the inode root of a bmbt cursor (made by libxfs_bmbt_init_cursor;
 * to change the tree set bc_tp and bc_wops too) as an in-memory block,
 * so that insert,
 * delete and update work on it like on any block: a full root moves its
 * entries down into a new block (the tree grows a level) and a root left
 * with one child takes that child's entries back when they fit.
 */
int xfs_btree_iroot_stage(struct xfs_btree_cur *cur);

/*
 * Write the staged root back in inode layout (struct xfs_bmdr_block,
 * keys, pointers placed for a fork of size bytes) into dst, zeroing the
 * rest.  The caller logs the inode.
 */
void xfs_btree_iroot_flush(struct xfs_btree_cur *cur, void *dst,
			   unsigned int size);

/*
 * The staged root's room (bc_iroot_size) changed: if it now holds more
 * entries than fit, move them all down into a new block (the tree grows
 * a level).  The caller flushes the root at the new size.
 */
int xfs_btree_iroot_fit(struct xfs_btree_cur *cur);

/* Entries the staged root may hold (what its fork has room for). */
unsigned int xfs_btree_iroot_maxrecs(const struct xfs_btree_cur *cur);

/* ---- libxfs-internal helpers shared by the read and write halves ---- */

/* Read the block ptr names as level lev of the cursor's tree (verified). */
int xfs_btree_read_block(struct xfs_btree_cur *cur, unsigned int lev,
			 uint64_t ptr, struct xfs_buf **bpp);
/* Install a referenced buffer at a level, dropping the old reference. */
void xfs_btree_set_level_buf(struct xfs_btree_cur *cur, unsigned int lev,
			     struct xfs_buf *bp);

#endif /* LIBXFS_XFS_BTREE_H_ */
