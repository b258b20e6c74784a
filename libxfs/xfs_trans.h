/*
 * xfs_trans.h: userspace transactions (no journal).
 *
 * A transaction is a unit of change: it reserves free blocks up front,
 * owns every buffer it reads or creates until it ends, records which
 * byte ranges of them it changed, and carries deltas to the superblock
 * counters.  Commit runs the write verifier of every changed buffer
 * (which also recomputes its CRC); if any fails, nothing is kept and the
 * commit returns -EFSCORRUPTED.  Otherwise the buffers go back to the
 * cache marked dirty (delayed write: the cache writes them at flush,
 * reclaim or unmount) and the counter deltas are applied to the in-core
 * superblock, which is written at unmount.  Cancel throws every change
 * away.
 *
 * Ownership of a buffer belongs to the transaction, not to a thread: a
 * second read of a buffer through the same transaction returns the same
 * buffer at once, whichever thread asks (the allocation worker acting
 * for a caller uses the AG headers the caller already holds), while
 * another transaction asking for it waits until the owner ends.
 *
 * All functions return 0 or a negative errno.
 */
#ifndef LIBXFS_XFS_TRANS_H_
#define LIBXFS_XFS_TRANS_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"

struct xfs_mount;
struct xfs_buf_log_item;
struct xfs_trans;

#define XFS_TRANS_HASH_SIZE	32

/*
 * Work deferred to a follow-up transaction, run when this one commits
 * (for instance a free that would have to wait for a lower AG than one
 * the transaction already changed).  The owner allocates the item with
 * malloc; the transaction frees it after di_fn ran (or on cancel).
 */
struct xfs_defer_item {
	struct xfs_defer_item	*di_next;
	int			(*di_fn)(struct xfs_trans *tp,
					 struct xfs_defer_item *di);
};

struct xfs_trans {
	struct xfs_mount	*t_mountp;
	unsigned int		t_flags;	/* XFS_TRANS_* */
	uint64_t		t_blk_res;	/* blocks reserved */
	uint64_t		t_blk_res_used;	/* of which allocated */
	int64_t			t_fdblocks_delta; /* applied at commit */
	int64_t			t_icount_delta;
	int64_t			t_ifree_delta;
	uint32_t		t_highest_agno;	/* highest AG whose AGF tp
						   changed, NULLAGNUMBER: none */
	unsigned int		t_nitems;	/* buffers joined */
	struct xfs_defer_item	*t_defer;	/* run after commit, in order */
	struct xfs_defer_item	**t_defer_tail;
	struct xfs_buf_log_item	*t_items;	/* all joined buffers */
	struct xfs_buf_log_item	*t_hash[XFS_TRANS_HASH_SIZE];
};

/* t_flags */
#define XFS_TRANS_DIRTY		(1U << 0)	/* something was logged */

/* Superblock counters a transaction may change (xfs_trans_mod_sb). */
enum xfs_trans_sb_field {
	XFS_TRANS_SB_FDBLOCKS,	/* free data blocks */
	XFS_TRANS_SB_ICOUNT,	/* allocated inodes */
	XFS_TRANS_SB_IFREE,	/* free inodes */
};

/*
 * Start a transaction reserving `blocks` free blocks.  Fails with -ENOSPC
 * (having changed nothing) when fewer than that many are available
 * beyond the set-aside every AG needs for its free list.
 */
int xfs_trans_alloc(struct xfs_mount *mp, unsigned int blocks,
		    struct xfs_trans **tpp);

/*
 * Reserve `blocks` more for a running transaction (the allocator does
 * this when an allocation outgrows the reservation); -ENOSPC if not
 * available, nothing changed.
 */
int xfs_trans_reserve_more(struct xfs_trans *tp, uint64_t blocks);

/* Blocks still reserved and not yet used by tp. */
uint64_t xfs_trans_blocks_left(const struct xfs_trans *tp);

/*
 * Verify, mark dirty and release every buffer, apply the counters, free
 * tp.  On a write verifier failure the transaction is cancelled and
 * -EFSCORRUPTED returned; tp is freed in every case.  Deferred work then
 * runs in follow-up transactions (committed the same way); an error
 * there is returned too, but tp's own changes stay committed.
 */
int xfs_trans_commit(struct xfs_trans *tp);

/* Undo every change to the joined buffers, release them, free tp. */
void xfs_trans_cancel(struct xfs_trans *tp);

/*
 * Read (through the cache) and verify a buffer, joining it to tp.  With
 * tp NULL this is libxfs_buf_read.  If tp already holds the buffer it is
 * returned as it stands (no re-read, no wait).  If another transaction
 * holds it, wait for that one to end -- or, with XFS_TRANS_BUF_TRYLOCK,
 * return -EAGAIN.  The caller gets a reference of its own, dropped with
 * xfs_trans_brelse (the transaction keeps its own until it ends).
 */
#define XFS_TRANS_BUF_TRYLOCK	(1U << 16)	/* flags: don't wait */
int xfs_trans_read_buf(struct xfs_mount *mp, struct xfs_trans *tp,
		       uint64_t daddr, unsigned int bblen, unsigned int flags,
		       const struct xfs_buf_ops *ops, struct xfs_buf **bpp);

/*
 * Get a buffer for a block whose old contents do not matter (a new
 * btree block), zero-filled, joined to tp.  ops become its verifier.
 */
int xfs_trans_get_buf(struct xfs_trans *tp, uint64_t daddr,
		      unsigned int bblen, const struct xfs_buf_ops *ops,
		      struct xfs_buf **bpp);

/* Join a buffer the caller already holds (e.g. read without tp). */
int xfs_trans_bjoin(struct xfs_trans *tp, struct xfs_buf *bp);

/*
 * Drop the caller's reference; with tp NULL, libxfs_buf_relse.  When the
 * last reference taken through tp goes and tp never changed the buffer,
 * the buffer leaves the transaction (others may then have it).
 */
void xfs_trans_brelse(struct xfs_trans *tp, struct xfs_buf *bp);

/* Record that bytes [first, last] of bp (joined to tp) changed. */
void xfs_trans_log_buf(struct xfs_trans *tp, struct xfs_buf *bp,
		       unsigned int first, unsigned int last);

/*
 * The block behind bp was freed: at commit its buffer is dropped from
 * the cache, never written.
 */
void xfs_trans_binval(struct xfs_trans *tp, struct xfs_buf *bp);

/* Is bp joined to tp (and has it been logged)? */
bool xfs_trans_buf_is_joined(const struct xfs_trans *tp,
			     const struct xfs_buf *bp);
bool xfs_trans_buf_is_logged(const struct xfs_trans *tp,
			     const struct xfs_buf *bp);

/* Queue work for a follow-up transaction made at commit. */
void xfs_trans_defer(struct xfs_trans *tp, struct xfs_defer_item *di);

/* Change a superblock counter by delta at commit. */
void xfs_trans_mod_sb(struct xfs_trans *tp, enum xfs_trans_sb_field field,
		      int64_t delta);

/* ---- mount-wide state of the write half ---- */

/* Set up the in-core counters after the geometry is known (mount). */
void xfs_trans_mount_init(struct xfs_mount *mp);
void xfs_trans_mount_destroy(struct xfs_mount *mp);

/*
 * Write the in-core counters to the primary superblock if commits
 * changed them (unmount, sync).
 */
int xfs_trans_sync_sb(struct xfs_mount *mp);

/* Write back every dirty buffer now and flush the device. */
int xfs_trans_sync(struct xfs_mount *mp);

#endif /* LIBXFS_XFS_TRANS_H_ */
