/*
 * xfs_trans.c: userspace transactions (see xfs_trans.h) -- block
 * reservations against the in-core free-block counter, buffer ownership
 * by transaction, logged ranges, commit through the write verifiers into
 * the cache's delayed-write list, cancel by restoring or invalidating,
 * and the lazy superblock counters written at unmount.
 *
 * Ownership: bp->b_transp names the owning transaction.  It changes only
 * under own_lock *and* the buffer's b_iolock, so the cache's writeback
 * (which holds b_iolock) can see that a transaction is changing a buffer
 * and leave it alone; waiters for a buffer sleep on own_cond.  Lock
 * order: own_lock, then b_iolock.  A transaction is used by one thread at
 * a time (its caller, or the allocation worker acting for it while the
 * caller waits), so its own lists need no lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_trans.h"
#include "cache.h"

/* One buffer joined to a transaction. */
struct xfs_buf_log_item {
	struct xfs_buf		*bli_buf;
	struct xfs_buf_log_item	*bli_next;	/* t_items */
	struct xfs_buf_log_item	*bli_hnext;	/* t_hash chain */
	unsigned int		bli_flags;	/* BLI_* */
	unsigned int		bli_holds;	/* caller references via tp */
	unsigned int		bli_first;	/* logged byte range */
	unsigned int		bli_last;
	void			*bli_orig;	/* contents at join, if dirty */
	unsigned int		bli_orig_flags;	/* b_flags at join */
};

#define BLI_LOGGED	(1U << 0)	/* a range was logged */
#define BLI_NEW		(1U << 1)	/* contents made by get_buf */
#define BLI_STALE	(1U << 2)	/* block freed: drop at commit */

static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t own_cond = PTHREAD_COND_INITIALIZER;

static unsigned int trans_hash(uint64_t daddr)
{
	return (unsigned int)((daddr * 0x9E3779B97F4A7C15ULL) >> 59) &
	       (XFS_TRANS_HASH_SIZE - 1);
}

static struct xfs_buf_log_item *trans_find(const struct xfs_trans *tp,
					   uint64_t daddr, unsigned int bblen)
{
	struct xfs_buf_log_item *bli = tp->t_hash[trans_hash(daddr)];

	for (; bli; bli = bli->bli_hnext) {
		if (bli->bli_buf->b_daddr == daddr &&
		    bli->bli_buf->b_length == bblen) {
			return bli;
		}
	}
	return NULL;
}

static struct xfs_buf_log_item *trans_item(const struct xfs_trans *tp,
					   const struct xfs_buf *bp)
{
	struct xfs_buf_log_item *bli;

	if (!tp) {
		return NULL;
	}
	bli = trans_find(tp, bp->b_daddr, bp->b_length);
	return bli && bli->bli_buf == bp ? bli : NULL;
}

/* ---- reservations ---- */

void xfs_trans_mount_init(struct xfs_mount *mp)
{
	pthread_mutex_init(&mp->m_sb_lock, NULL);
	mp->m_fdblocks_avail = (int64_t)mp->m_sb.sb_fdblocks;
	// Every AG may need its free list refilled: keep that much back.
	mp->m_alloc_set_aside = (uint64_t)mp->m_sb.sb_agcount * 8;
	mp->m_sb_dirty = false;
}

void xfs_trans_mount_destroy(struct xfs_mount *mp)
{
	pthread_mutex_destroy(&mp->m_sb_lock);
}

/* Take blocks from the available count; mp->m_sb_lock held. */
static int take_blocks(struct xfs_mount *mp, uint64_t blocks)
{
	int64_t left = mp->m_fdblocks_avail - (int64_t)mp->m_alloc_set_aside;

	if (blocks == 0) {
		return 0;
	}
	if (left < 0 || (uint64_t)left < blocks) {
		return -ENOSPC;
	}
	mp->m_fdblocks_avail -= (int64_t)blocks;
	return 0;
}

int xfs_trans_alloc(struct xfs_mount *mp, unsigned int blocks,
		    struct xfs_trans **tpp)
{
	struct xfs_trans *tp;
	int error;

	*tpp = NULL;
	if (mp->m_ddev->readonly) {
		return -EROFS;
	}
	tp = calloc(1, sizeof(*tp));
	if (!tp) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&mp->m_sb_lock);
	error = take_blocks(mp, blocks);
	pthread_mutex_unlock(&mp->m_sb_lock);
	if (error) {
		free(tp);
		return error;
	}
	tp->t_mountp = mp;
	tp->t_blk_res = blocks;
	tp->t_highest_agno = NULLAGNUMBER;
	tp->t_defer_tail = &tp->t_defer;
	*tpp = tp;
	return 0;
}

int xfs_trans_reserve_more(struct xfs_trans *tp, uint64_t blocks)
{
	struct xfs_mount *mp = tp->t_mountp;
	int error;

	pthread_mutex_lock(&mp->m_sb_lock);
	error = take_blocks(mp, blocks);
	pthread_mutex_unlock(&mp->m_sb_lock);
	if (!error) {
		tp->t_blk_res += blocks;
	}
	return error;
}

uint64_t xfs_trans_blocks_left(const struct xfs_trans *tp)
{
	return tp->t_blk_res > tp->t_blk_res_used ?
	       tp->t_blk_res - tp->t_blk_res_used : 0;
}

void xfs_trans_mod_sb(struct xfs_trans *tp, enum xfs_trans_sb_field field,
		      int64_t delta)
{
	switch (field) {
	case XFS_TRANS_SB_FDBLOCKS:
		tp->t_fdblocks_delta += delta;
		if (delta < 0) {
			tp->t_blk_res_used += (uint64_t)-delta;
		}
		break;
	case XFS_TRANS_SB_ICOUNT:
		tp->t_icount_delta += delta;
		break;
	case XFS_TRANS_SB_IFREE:
		tp->t_ifree_delta += delta;
		break;
	}
	tp->t_flags |= XFS_TRANS_DIRTY;
}

/* ---- ownership ---- */

/*
 * Make tp the owner of bp (which the caller holds a reference on) and
 * add an item for it.  Waits for another owner to finish unless trylock.
 */
static int trans_join(struct xfs_trans *tp, struct xfs_buf *bp, bool trylock,
		      struct xfs_buf_log_item **blip)
{
	struct xfs_buf_log_item *bli;
	bool no_undo = false;
	unsigned int h;

	bli = calloc(1, sizeof(*bli));
	if (!bli) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&own_lock);
	while (bp->b_transp && bp->b_transp != tp) {
		if (trylock) {
			pthread_mutex_unlock(&own_lock);
			free(bli);
			return -EAGAIN;
		}
		pthread_cond_wait(&own_cond, &own_lock);
	}
	pthread_mutex_lock(&bp->b_iolock);
	bp->b_transp = tp;
	bp->b_log_item = bli;
	// A freed block read again: its cached contents mean nothing.
	if (bp->b_flags & XBF_STALE) {
		bp->b_flags &= ~(XBF_STALE | XBF_UPTODATE | XBF_VERIFIED |
				 XBF_DIRTY);
	}
	bli->bli_orig_flags = bp->b_flags;
	// Committed but unwritten changes: keep them to restore on cancel.
	if (bp->b_flags & XBF_DIRTY) {
		bli->bli_orig = malloc((size_t)BBTOB(bp->b_length));
		if (bli->bli_orig) {
			memcpy(bli->bli_orig, bp->b_addr,
			       (size_t)BBTOB(bp->b_length));
		} else {
			// Cannot promise to undo: give the buffer back.
			no_undo = true;
			bp->b_transp = NULL;
			bp->b_log_item = NULL;
		}
	}
	pthread_mutex_unlock(&bp->b_iolock);
	if (no_undo) {
		pthread_cond_broadcast(&own_cond);
	}
	pthread_mutex_unlock(&own_lock);
	if (no_undo) {
		free(bli);
		return -ENOMEM;
	}
	bli->bli_buf = bp;
	bli->bli_first = 1;
	bli->bli_last = 0;
	bli->bli_next = tp->t_items;
	tp->t_items = bli;
	h = trans_hash(bp->b_daddr);
	bli->bli_hnext = tp->t_hash[h];
	tp->t_hash[h] = bli;
	tp->t_nitems++;
	*blip = bli;
	return 0;
}

/* Take bli out of tp's lists. */
static void trans_unlink(struct xfs_trans *tp, struct xfs_buf_log_item *bli)
{
	struct xfs_buf_log_item **pp;

	for (pp = &tp->t_items; *pp; pp = &(*pp)->bli_next) {
		if (*pp == bli) {
			*pp = bli->bli_next;
			break;
		}
	}
	for (pp = &tp->t_hash[trans_hash(bli->bli_buf->b_daddr)]; *pp;
	     pp = &(*pp)->bli_hnext) {
		if (*pp == bli) {
			*pp = bli->bli_hnext;
			break;
		}
	}
	tp->t_nitems--;
}

/*
 * End tp's ownership of the item's buffer: apply `set`/`clear` to its
 * flags, wake waiters, drop tp's reference, free the item.
 */
static void trans_release_item(struct xfs_buf_log_item *bli, unsigned int set,
			       unsigned int clear)
{
	struct xfs_buf *bp = bli->bli_buf;

	pthread_mutex_lock(&own_lock);
	pthread_mutex_lock(&bp->b_iolock);
	bp->b_flags = (bp->b_flags & ~clear) | set;
	bp->b_transp = NULL;
	bp->b_log_item = NULL;
	pthread_mutex_unlock(&bp->b_iolock);
	pthread_cond_broadcast(&own_cond);
	pthread_mutex_unlock(&own_lock);
	libxfs_buf_relse(bp);
	free(bli->bli_orig);
	free(bli);
}

/* ---- buffers ---- */

int xfs_trans_read_buf(struct xfs_mount *mp, struct xfs_trans *tp,
		       uint64_t daddr, unsigned int bblen, unsigned int flags,
		       const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	struct xfs_buf_log_item *bli;
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	if (!tp) {
		return libxfs_buf_read(mp, daddr, bblen,
				       flags & ~XFS_TRANS_BUF_TRYLOCK, ops, bpp);
	}
	bli = trans_find(tp, daddr, bblen);
	if (bli) {
		// Ours already: as it stands, whichever thread asks.
		bp = bli->bli_buf;
		if (ops && !bp->b_ops) {
			bp->b_ops = ops;
		}
		libxfs_buf_hold(bp);
		bli->bli_holds++;
		*bpp = bp;
		return 0;
	}
	error = xfs_buf_lookup(mp->m_ddev_targp, daddr, bblen, &bp);
	if (error) {
		return error;
	}
	error = trans_join(tp, bp, flags & XFS_TRANS_BUF_TRYLOCK, &bli);
	if (error) {
		libxfs_buf_relse(bp);
		return error;
	}
	error = xfs_buf_fill(bp, flags & ~XFS_TRANS_BUF_TRYLOCK, ops);
	if (error) {
		trans_unlink(tp, bli);
		trans_release_item(bli, 0, 0);
		return error;
	}
	libxfs_buf_hold(bp);
	bli->bli_holds++;
	*bpp = bp;
	return 0;
}

int xfs_trans_get_buf(struct xfs_trans *tp, uint64_t daddr,
		      unsigned int bblen, const struct xfs_buf_ops *ops,
		      struct xfs_buf **bpp)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_buf_log_item *bli;
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	bli = trans_find(tp, daddr, bblen);
	if (bli) {
		bp = bli->bli_buf;
		libxfs_buf_hold(bp);
	} else {
		error = xfs_buf_lookup(mp->m_ddev_targp, daddr, bblen, &bp);
		if (error) {
			return error;
		}
		error = trans_join(tp, bp, false, &bli);
		if (error) {
			libxfs_buf_relse(bp);
			return error;
		}
		libxfs_buf_hold(bp);
	}
	bli->bli_holds++;
	bli->bli_flags |= BLI_NEW;
	bli->bli_flags &= ~BLI_STALE;
	pthread_mutex_lock(&bp->b_iolock);
	memset(bp->b_addr, 0, (size_t)BBTOB(bblen));
	bp->b_flags |= XBF_UPTODATE;
	bp->b_flags &= ~(XBF_VERIFIED | XBF_STALE);
	bp->b_ops = ops;
	bp->b_error = 0;
	bp->b_fail_reason = NULL;
	pthread_mutex_unlock(&bp->b_iolock);
	*bpp = bp;
	return 0;
}

int xfs_trans_bjoin(struct xfs_trans *tp, struct xfs_buf *bp)
{
	struct xfs_buf_log_item *bli = trans_item(tp, bp);
	int error;

	if (!bli) {
		libxfs_buf_hold(bp);
		error = trans_join(tp, bp, false, &bli);
		if (error) {
			libxfs_buf_relse(bp);
			return error;
		}
	}
	bli->bli_holds++;
	return 0;
}

void xfs_trans_brelse(struct xfs_trans *tp, struct xfs_buf *bp)
{
	struct xfs_buf_log_item *bli;

	if (!bp) {
		return;
	}
	bli = trans_item(tp, bp);
	if (bli && bli->bli_holds > 0 && --bli->bli_holds == 0 &&
	    !(bli->bli_flags & (BLI_LOGGED | BLI_NEW | BLI_STALE))) {
		// Read but never changed: nothing to keep it for.
		trans_unlink(tp, bli);
		trans_release_item(bli, 0, 0);
	}
	libxfs_buf_relse(bp);
}

void xfs_trans_log_buf(struct xfs_trans *tp, struct xfs_buf *bp,
		       unsigned int first, unsigned int last)
{
	struct xfs_buf_log_item *bli = trans_item(tp, bp);
	unsigned int max = (unsigned int)BBTOB(bp->b_length) - 1;

	if (!bli) {
		fprintf(stderr, "libxfs: logging buffer %llu not in transaction\n",
			(unsigned long long)bp->b_daddr);
		return;
	}
	if (last > max) {
		last = max;
	}
	if (first > last) {
		return;
	}
	if (!(bli->bli_flags & BLI_LOGGED)) {
		// Changed: its CRC is only set at commit, so an earlier
		// verdict no longer holds for a reader outside the
		// transaction (it checks the bytes as they stand).
		pthread_mutex_lock(&bp->b_iolock);
		bp->b_flags &= ~XBF_VERIFIED;
		pthread_mutex_unlock(&bp->b_iolock);
	}
	if (!(bli->bli_flags & BLI_LOGGED) || first < bli->bli_first) {
		bli->bli_first = first;
	}
	if (!(bli->bli_flags & BLI_LOGGED) || last > bli->bli_last) {
		bli->bli_last = last;
	}
	bli->bli_flags |= BLI_LOGGED;
	tp->t_flags |= XFS_TRANS_DIRTY;
}

void xfs_trans_binval(struct xfs_trans *tp, struct xfs_buf *bp)
{
	struct xfs_buf_log_item *bli = trans_item(tp, bp);

	if (bli) {
		bli->bli_flags |= BLI_STALE;
		tp->t_flags |= XFS_TRANS_DIRTY;
	}
}

bool xfs_trans_buf_is_joined(const struct xfs_trans *tp,
			     const struct xfs_buf *bp)
{
	return trans_item(tp, bp) != NULL;
}

bool xfs_trans_buf_is_logged(const struct xfs_trans *tp,
			     const struct xfs_buf *bp)
{
	const struct xfs_buf_log_item *bli = trans_item(tp, bp);

	return bli && (bli->bli_flags & BLI_LOGGED);
}

/* ---- commit and cancel ---- */

void xfs_trans_defer(struct xfs_trans *tp, struct xfs_defer_item *di)
{
	di->di_next = NULL;
	*tp->t_defer_tail = di;
	tp->t_defer_tail = &di->di_next;
	tp->t_flags |= XFS_TRANS_DIRTY;
}

static void defer_free_list(struct xfs_defer_item *di)
{
	while (di) {
		struct xfs_defer_item *next = di->di_next;

		free(di);
		di = next;
	}
}

static void trans_free(struct xfs_trans *tp)
{
	defer_free_list(tp->t_defer);
	free(tp);
}

/* Run deferred items in follow-up transactions until none is left. */
static int trans_run_deferred(struct xfs_mount *mp, struct xfs_defer_item *di)
{
	struct xfs_trans *tp;
	int error = 0;

	while (di) {
		struct xfs_defer_item *next = di->di_next;

		error = xfs_trans_alloc(mp, 0, &tp);
		if (!error) {
			error = di->di_fn(tp, di);
			if (error) {
				xfs_trans_cancel(tp);
			} else {
				error = xfs_trans_commit(tp);
			}
		}
		free(di);
		di = next;
		if (error) {
			defer_free_list(di);
			break;
		}
	}
	return error;
}

/* Give the reservation back and apply counter deltas (if commit). */
static void trans_unreserve(struct xfs_trans *tp, bool commit)
{
	struct xfs_mount *mp = tp->t_mountp;

	pthread_mutex_lock(&mp->m_sb_lock);
	mp->m_fdblocks_avail += (int64_t)tp->t_blk_res;
	if (commit) {
		struct xfs_sb *sb = &mp->m_sb;

		mp->m_fdblocks_avail += tp->t_fdblocks_delta;
		sb->sb_fdblocks = (uint64_t)((int64_t)sb->sb_fdblocks +
					     tp->t_fdblocks_delta);
		sb->sb_icount = (uint64_t)((int64_t)sb->sb_icount +
					   tp->t_icount_delta);
		sb->sb_ifree = (uint64_t)((int64_t)sb->sb_ifree +
					  tp->t_ifree_delta);
		if (tp->t_fdblocks_delta || tp->t_icount_delta ||
		    tp->t_ifree_delta) {
			mp->m_sb_dirty = true;
		}
	}
	pthread_mutex_unlock(&mp->m_sb_lock);
}

void xfs_trans_cancel(struct xfs_trans *tp)
{
	struct xfs_buf_log_item *bli, *next;

	if (!tp) {
		return;
	}
	for (bli = tp->t_items; bli; bli = next) {
		struct xfs_buf *bp = bli->bli_buf;
		unsigned int set = 0, clear = 0;

		next = bli->bli_next;
		if (bli->bli_flags & (BLI_LOGGED | BLI_NEW)) {
			if (bli->bli_orig) {
				// Put back what earlier commits left there.
				pthread_mutex_lock(&bp->b_iolock);
				memcpy(bp->b_addr, bli->bli_orig,
				       (size_t)BBTOB(bp->b_length));
				pthread_mutex_unlock(&bp->b_iolock);
				set = bli->bli_orig_flags &
				      (XBF_DIRTY | XBF_UPTODATE);
			} else {
				// Clean at join: the disk has the old contents.
				clear = XBF_UPTODATE | XBF_VERIFIED | XBF_DIRTY;
			}
		}
		trans_release_item(bli, set, clear);
	}
	trans_unreserve(tp, false);
	trans_free(tp);
}

int xfs_trans_commit(struct xfs_trans *tp)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_buf_log_item *bli, *next;
	struct xfs_defer_item *defer;
	int error = 0;

	// Every changed buffer must pass its write verifier, or none is kept.
	for (bli = tp->t_items; bli; bli = bli->bli_next) {
		struct xfs_buf *bp = bli->bli_buf;

		if (!(bli->bli_flags & BLI_LOGGED) ||
		    (bli->bli_flags & BLI_STALE)) {
			continue;
		}
		if (!bp->b_ops || !bp->b_ops->verify_write) {
			continue;
		}
		pthread_mutex_lock(&bp->b_iolock);
		bp->b_fail_reason = NULL;
		error = bp->b_ops->verify_write(bp);
		pthread_mutex_unlock(&bp->b_iolock);
		if (error) {
			fprintf(stderr,
				"libxfs: commit: %s block at daddr %llu fails "
				"its write verifier (%s)\n", bp->b_ops->name,
				(unsigned long long)bp->b_daddr,
				bp->b_fail_reason ? bp->b_fail_reason : "?");
			xfs_trans_cancel(tp);
			return -EFSCORRUPTED;
		}
	}
	for (bli = tp->t_items; bli; bli = next) {
		struct xfs_buf *bp = bli->bli_buf;

		next = bli->bli_next;
		if (bli->bli_flags & BLI_STALE) {
			trans_release_item(bli, XBF_STALE, XBF_DIRTY);
		} else if (bli->bli_flags & BLI_LOGGED) {
			pthread_mutex_lock(&bp->b_iolock);
			if (bp->b_dirty_first > bp->b_dirty_last ||
			    bli->bli_first < bp->b_dirty_first) {
				bp->b_dirty_first = bli->bli_first;
			}
			if (bp->b_dirty_first > bp->b_dirty_last ||
			    bli->bli_last > bp->b_dirty_last) {
				bp->b_dirty_last = bli->bli_last;
			}
			bp->b_error = 0;
			bp->b_fail_reason = NULL;
			pthread_mutex_unlock(&bp->b_iolock);
			trans_release_item(bli, XBF_DIRTY | XBF_UPTODATE |
						XBF_VERIFIED, 0);
		} else if (bli->bli_flags & BLI_NEW) {
			// Made but never logged: its contents are not real.
			trans_release_item(bli, 0, XBF_UPTODATE | XBF_VERIFIED);
		} else {
			trans_release_item(bli, 0, 0);
		}
	}
	trans_unreserve(tp, true);
	defer = tp->t_defer;
	tp->t_defer = NULL;
	trans_free(tp);
	return trans_run_deferred(mp, defer);
}

/* ---- superblock counters ---- */

int xfs_trans_sync_sb(struct xfs_mount *mp)
{
	struct xfs_dsb *dsb;
	struct xfs_buf *bp;
	uint64_t fdblocks, icount, ifree;
	bool dirty;
	int error;

	pthread_mutex_lock(&mp->m_sb_lock);
	dirty = mp->m_sb_dirty;
	fdblocks = mp->m_sb.sb_fdblocks;
	icount = mp->m_sb.sb_icount;
	ifree = mp->m_sb.sb_ifree;
	mp->m_sb_dirty = false;
	pthread_mutex_unlock(&mp->m_sb_lock);
	if (!dirty) {
		return 0;
	}
	error = libxfs_buf_read(mp, XFS_SB_DADDR, 1U << mp->m_sectbb_log, 0,
				&xfs_sb_buf_ops, &bp);
	if (error) {
		return error;
	}
	pthread_mutex_lock(&bp->b_iolock);
	dsb = bp->b_addr;
	dsb->sb_fdblocks = cpu_to_be64(fdblocks);
	dsb->sb_icount = cpu_to_be64(icount);
	dsb->sb_ifree = cpu_to_be64(ifree);
	bp->b_flags |= XBF_DIRTY;
	pthread_mutex_unlock(&bp->b_iolock);
	error = libxfs_bwrite(bp);
	libxfs_buf_relse(bp);
	return error;
}

int xfs_trans_sync(struct xfs_mount *mp)
{
	int error, err;

	error = xfs_trans_sync_sb(mp);
	err = libxfs_bcache_flush(mp->m_ddev_targp->bt_cache);
	if (err && !error) {
		error = err;
	}
	err = libxfs_dev_flush(mp->m_ddev);
	if (err && !error) {
		error = err;
	}
	return error;
}
