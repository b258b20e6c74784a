/*
 * xfs_alloc.h: the extent allocator of the data device -- allocating and
 * freeing extents in the per-AG free-space btrees (by block and by size),
 * keeping each AG's free list (AGFL) stocked for btree splits, and
 * recording owners in the reverse-mapping btree when the filesystem has
 * one.
 *
 * Every public allocation entry (xfs_alloc_vextent_*) and
 * xfs_free_extent goes through the offload layer
 * (xfs_alloc_offload.c): the request is handed to an allocation worker
 * thread, which runs the real allocator (__xfs_alloc_vextent) under
 * PF_FSTRANS on its own stack while the caller waits.  A call made on an
 * allocation worker runs inline.  Environment: LIBXFS_ALLOC_OFFLOAD=0
 * runs everything inline; LIBXFS_ALLOC_STATS=1 prints
 *   alloc: calls=N offloaded=N nested=N inline=N workers=N rescued=N
 * on stderr at exit.
 *
 * Results: 0 with args->fsbno / agno / agbno / len set, or 0 with
 * args->fsbno == NULLFSBLOCK when no AG had room (nothing changed), or a
 * negative errno (the transaction must then be cancelled).
 */
#ifndef LIBXFS_XFS_ALLOC_H_
#define LIBXFS_XFS_ALLOC_H_

#include <stdbool.h>
#include <stdint.h>

#include "libfrog/completion.h"
#include "libfrog/workqueue.h"
#include "libxfs_io.h"

struct xfs_mount;
struct xfs_trans;
struct xfs_btree_cur;
struct xfs_btree_ops;

/* Who owns an extent, for the reverse-mapping btree. */
struct xfs_owner_info {
	uint64_t	oi_owner;	/* inode number or XFS_RMAP_OWN_* */
	uint64_t	oi_offset;	/* file offset (inode owners) */
	unsigned int	oi_flags;	/* XFS_OWNER_INFO_* */
};

#define XFS_OWNER_INFO_ATTR_FORK	(1U << 0)
#define XFS_OWNER_INFO_BMBT_BLOCK	(1U << 1)

/* An owner that is not an inode (XFS_RMAP_OWN_*); OWN_NULL: no rmap. */
static inline struct xfs_owner_info xfs_rmap_special_owner(uint64_t owner)
{
	struct xfs_owner_info oi = { .oi_owner = owner };

	return oi;
}

static inline struct xfs_owner_info xfs_rmap_ino_owner(uint64_t ino,
						       uint64_t offset,
						       unsigned int flags)
{
	struct xfs_owner_info oi = {
		.oi_owner = ino, .oi_offset = offset, .oi_flags = flags,
	};

	return oi;
}

/* Which allocation an args block asks for (set by the public entries). */
enum xfs_alloc_op {
	XFS_ALLOC_OP_EXACT_BNO,	/* exactly at target, in its AG */
	XFS_ALLOC_OP_NEAR_BNO,	/* as close to target as possible, its AG */
	XFS_ALLOC_OP_THIS_AG,	/* best size fit in one AG */
	XFS_ALLOC_OP_START_AG,	/* near target, then every other AG */
	XFS_ALLOC_OP_FIRST_AG,	/* from target's AG to the last, blocking */
	XFS_ALLOC_OP_FREE,	/* free [target, target + len) */
	XFS_ALLOC_OP_FIX_FREELIST, /* fill / trim AG target's free list */
};

struct xfs_alloc_arg {
	/* In. */
	struct xfs_trans	*tp;
	struct xfs_mount	*mp;
	uint32_t		minlen;		/* shortest acceptable */
	uint32_t		maxlen;		/* longest wanted */
	uint32_t		alignment;	/* start agbno multiple (0, 1: any) */
	uint32_t		prod;		/* trim len so len % prod == mod */
	uint32_t		mod;
	uint32_t		minleft;	/* blocks that must stay free in
						   the AG afterwards */
	uint32_t		total;		/* blocks the whole operation
						   will take from the AG */
	struct xfs_owner_info	oinfo;

	/* Out. */
	uint64_t		fsbno;		/* NULLFSBLOCK: nothing found */
	uint32_t		agno;
	uint32_t		agbno;
	uint32_t		len;

	/* Private: the request and its hand-off to a worker. */
	enum xfs_alloc_op	op;
	uint64_t		target;		/* fsbno (or AG number) */
	unsigned int		flags;		/* XFS_ALLOC_FLAG_* */
	uint32_t		wait_agno;	/* AGF to wait for (HANDBACK) */
	int			result;
	struct work_item	work;
	struct completion	done;
};

/* args->flags, internal. */
#define XFS_ALLOC_FLAG_TRYLOCK	(1U << 0)	/* skip busy AGs */
#define XFS_ALLOC_FLAG_NOFIX	(1U << 1)	/* free list: don't fix it */
#define XFS_ALLOC_FLAG_FREELIST	(1U << 2)	/* blocks for the AGFL: not
						   counted in fdblocks */
#define XFS_ALLOC_FLAG_HANDBACK	(1U << 3)	/* on a worker for a waiting
						   caller: never sleep on an
						   AGF another transaction
						   holds; return -EAGAIN with
						   wait_agno set instead */

/* ---- the public family (offloaded) ---- */

int xfs_alloc_vextent_exact_bno(struct xfs_alloc_arg *args, uint64_t target);
int xfs_alloc_vextent_near_bno(struct xfs_alloc_arg *args, uint64_t target);
int xfs_alloc_vextent_this_ag(struct xfs_alloc_arg *args, uint32_t agno);
int xfs_alloc_vextent_start_ag(struct xfs_alloc_arg *args, uint64_t target);
int xfs_alloc_vextent_first_ag(struct xfs_alloc_arg *args, uint64_t target);

/*
 * Free an extent [fsbno, fsbno + len) owned by oinfo: merged back into
 * the free-space btrees, its reverse mapping removed.  Offloaded too.
 */
int xfs_free_extent(struct xfs_trans *tp, uint64_t fsbno, uint32_t len,
		    const struct xfs_owner_info *oinfo);

/*
 * Bring AG agno's free list (AGFL) to what its btrees may need to split,
 * taking blocks from the AG's free space (mkfs fills each new AG's list
 * this way).  Offloaded like the allocations.  -ENOSPC if the AG cannot
 * spare the blocks.
 */
int xfs_alloc_fix_freelist(struct xfs_trans *tp, uint32_t agno);

/* ---- the real allocator (xfs_alloc.c); runs on the caller's stack ---- */

/* Run the request args->op describes.  Returns 0 or a negative errno. */
int __xfs_alloc_vextent(struct xfs_alloc_arg *args);

/* ---- the offload layer (xfs_alloc_offload.c) ---- */

/* Start the allocation workqueue (once; a writable mount does it). */
void xfs_alloc_offload_init(void);

/* Turn the hand-off on or off at run time (tests); returns the old state. */
bool xfs_alloc_offload_set_enabled(bool on);

struct xfs_alloc_offload_stats {
	uint64_t	calls;		/* entries into the family */
	uint64_t	offloaded;	/* ran on a worker after a hand-off */
	uint64_t	nested;		/* inline: caller already a worker */
	uint64_t	inline_calls;	/* inline: offload off (or no queue) */
	unsigned int	workers;	/* worker threads running */
	uint64_t	rescued;	/* items the rescuer ran */
	uint64_t	agf_waits;	/* busy AGFs waited for on the
					   caller's thread, then retried */
	uint64_t	deferred_frees;	/* frees moved to a follow-up
					   transaction (AG order) */
};

/* Counted by xfs_alloc.c, reported with the offload statistics. */
extern _Atomic uint64_t xfs_alloc_deferred_frees;
void xfs_alloc_offload_get_stats(struct xfs_alloc_offload_stats *st);

/*
 * Run fn(arg) on an allocation worker and return its result: a batch of
 * allocations made inside costs one hand-off (each counts as nested).
 * Runs inline where an allocation would (offload off, already a worker).
 */
int xfs_alloc_offload_run(int (*fn)(void *arg), void *arg);

/* Is the calling thread an allocation worker? */
bool xfs_alloc_current_is_worker(void);

/* ---- AG headers and free list (xfs_alloc.c) ---- */

/* Read the AGF / AGFL of agno through tp (flags: XFS_TRANS_BUF_TRYLOCK). */
int xfs_alloc_read_agf(struct xfs_mount *mp, struct xfs_trans *tp,
		       uint32_t agno, unsigned int flags,
		       struct xfs_buf **bpp);
int xfs_alloc_read_agfl(struct xfs_mount *mp, struct xfs_trans *tp,
			uint32_t agno, struct xfs_buf **bpp);

/* Blocks the AGFL must hold so that the AG's btrees can split. */
unsigned int xfs_alloc_min_freelist(struct xfs_mount *mp,
				    struct xfs_buf *agbp);

/*
 * Take a block off / put a block on the AG free list.  btreeblk: the
 * block goes to / comes from a free-space or rmap btree (counted in
 * agf_btreeblks).  *bno is NULLAGBLOCK when the list is empty.
 */
int xfs_alloc_get_freelist(struct xfs_trans *tp, struct xfs_buf *agbp,
			   uint32_t *bno, bool btreeblk);
int xfs_alloc_put_freelist(struct xfs_trans *tp, struct xfs_buf *agbp,
			   uint32_t bno, bool btreeblk);

/*
 * free_block of the free-space and rmap btrees: bp, a block of the tree
 * under cur, goes back on the free list of cur's AG (-EFSCORRUPTED if
 * it lies in another AG) and is invalidated in cur's transaction.
 */
int xfs_alloc_free_btree_block(struct xfs_btree_cur *cur, struct xfs_buf *bp);

/* Log the whole AGF (all its fields are small). */
void xfs_alloc_log_agf(struct xfs_trans *tp, struct xfs_buf *agbp);

/* ---- btree cursors (xfs_alloc_btree.c, xfs_rmap.c) ---- */

/* A bnobt / cntbt cursor (ops &xfs_bnobt_ops or &xfs_cntbt_ops). */
int xfs_allocbt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			    struct xfs_buf *agbp,
			    const struct xfs_btree_ops *ops,
			    struct xfs_btree_cur **curp);
int xfs_rmapbt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			   struct xfs_buf *agbp, struct xfs_btree_cur **curp);

/* ---- reverse mappings (xfs_rmap.c) ---- */

/*
 * Record that [agbno, agbno + len) of the AG behind agbp now belongs to
 * oinfo / no longer does, merging with or splitting neighbouring
 * records.  No-ops without rmapbt or for owner XFS_RMAP_OWN_NULL.
 */
int xfs_rmap_alloc(struct xfs_trans *tp, struct xfs_buf *agbp,
		   uint32_t agbno, uint32_t len,
		   const struct xfs_owner_info *oinfo);
int xfs_rmap_free(struct xfs_trans *tp, struct xfs_buf *agbp,
		  uint32_t agbno, uint32_t len,
		  const struct xfs_owner_info *oinfo);

#endif /* LIBXFS_XFS_ALLOC_H_ */
