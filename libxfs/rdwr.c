/*
 * rdwr.c: metadata buffer I/O.
 *
 * Owns the life of a struct xfs_buf's contents: allocation, reading from
 * the device, running the read verifier and recording its verdict
 * (b_error, b_fail_reason), and writing back through the write verifier.
 * The cache (cache.c) decides which buffers exist; this file decides what
 * is in them.  All state changes of a buffer happen under its b_iolock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "cache.h"

struct xfs_buf *xfs_buf_alloc(struct xfs_buftarg *btp, uint64_t daddr,
			      unsigned int bblen)
{
	struct xfs_buf *bp;
	size_t bytes = (size_t)BBTOB(bblen);

	bp = calloc(1, sizeof(*bp));
	if (!bp) {
		return NULL;
	}
	if (posix_memalign(&bp->b_addr, BBSIZE, bytes) != 0) {
		free(bp);
		return NULL;
	}
	memset(bp->b_addr, 0, bytes);
	bp->b_daddr = daddr;
	bp->b_length = bblen;
	bp->b_target = btp;
	bp->b_mount = btp->bt_mount;
	bp->b_dirty_first = 1;
	bp->b_dirty_last = 0;
	pthread_mutex_init(&bp->b_iolock, NULL);
	return bp;
}

void xfs_buf_free(struct xfs_buf *bp)
{
	pthread_mutex_destroy(&bp->b_iolock);
	free(bp->b_addr);
	free(bp);
}

/* Range checks shared by every entry point. */
static int buf_check_args(struct xfs_buftarg *btp, uint64_t daddr,
			  unsigned int bblen)
{
	if (!btp || bblen == 0 || bblen > LIBXFS_BUF_MAXBB) {
		return -EINVAL;
	}
	// The byte offset of the end must fit in 64 bits.
	if (daddr > (UINT64_MAX >> BBSHIFT) - bblen) {
		return -EINVAL;
	}
	return 0;
}

/* Run a verifier; b_iolock held. */
static int buf_run_verifier(struct xfs_buf *bp, const struct xfs_buf_ops *ops)
{
	int error;

	bp->b_ops = ops;
	bp->b_error = 0;
	bp->b_fail_reason = NULL;
	error = ops->verify_read ? ops->verify_read(bp) : 0;
	if (error && !bp->b_fail_reason) {
		bp->b_fail_reason = "verifier failed";
	}
	bp->b_error = error;
	bp->b_flags |= XBF_VERIFIED;
	return error;
}

/*
 * Bring bp up to date and verify it as ops.  Returns the error the caller
 * should see: I/O errors always, verifier errors unless salvaging.
 */
int xfs_buf_fill(struct xfs_buf *bp, unsigned int flags,
		 const struct xfs_buf_ops *ops)
{
	int error = 0;

	pthread_mutex_lock(&bp->b_iolock);
	if (flags & LIBXFS_BUF_REREAD) {
		if (bp->b_flags & XBF_DIRTY) {
			error = -EBUSY;	/* would throw away changes */
			goto out_unlock;
		}
		bp->b_flags &= ~(XBF_UPTODATE | XBF_VERIFIED);
	}
	if (!(bp->b_flags & XBF_UPTODATE)) {
		error = libxfs_dev_read(bp->b_target->bt_dev, bp->b_addr,
					(size_t)BBTOB(bp->b_length),
					BBTOB(bp->b_daddr));
		if (error) {
			bp->b_error = error;
			bp->b_fail_reason = "read error";
			goto out_unlock;
		}
		bp->b_flags |= XBF_UPTODATE;
		bp->b_flags &= ~XBF_VERIFIED;
		bp->b_error = 0;
		bp->b_fail_reason = NULL;
	}
	if (ops) {
		if (bp->b_ops != ops || !(bp->b_flags & XBF_VERIFIED)) {
			buf_run_verifier(bp, ops);
		}
		error = bp->b_error;
		if (error && (flags & LIBXFS_BUF_SALVAGE)) {
			error = 0;
		}
	}
out_unlock:
	pthread_mutex_unlock(&bp->b_iolock);
	return error;
}

int libxfs_buf_read_target(struct xfs_buftarg *btp, uint64_t daddr,
			   unsigned int bblen, unsigned int flags,
			   const struct xfs_buf_ops *ops,
			   struct xfs_buf **bpp)
{
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	error = buf_check_args(btp, daddr, bblen);
	if (error) {
		return error;
	}
	error = xfs_bcache_get(btp->bt_cache, btp, daddr, bblen, &bp);
	if (error) {
		return error;
	}
	error = xfs_buf_fill(bp, flags, ops);
	if (error) {
		libxfs_buf_relse(bp);
		return error;
	}
	*bpp = bp;
	return 0;
}

int xfs_buf_lookup(struct xfs_buftarg *btp, uint64_t daddr, unsigned int bblen,
		   struct xfs_buf **bpp)
{
	int error;

	*bpp = NULL;
	error = buf_check_args(btp, daddr, bblen);
	if (error) {
		return error;
	}
	return xfs_bcache_get(btp->bt_cache, btp, daddr, bblen, bpp);
}

int libxfs_buf_read(struct xfs_mount *mp, uint64_t daddr, unsigned int bblen,
		    unsigned int flags, const struct xfs_buf_ops *ops,
		    struct xfs_buf **bpp)
{
	return libxfs_buf_read_target(mp->m_ddev_targp, daddr, bblen, flags,
				      ops, bpp);
}

int libxfs_buf_read_uncached(struct xfs_buftarg *btp, uint64_t daddr,
			     unsigned int bblen, unsigned int flags,
			     const struct xfs_buf_ops *ops,
			     struct xfs_buf **bpp)
{
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	error = buf_check_args(btp, daddr, bblen);
	if (error) {
		return error;
	}
	bp = xfs_buf_alloc(btp, daddr, bblen);
	if (!bp) {
		return -ENOMEM;
	}
	bp->b_flags |= XBF_UNCACHED;
	bp->b_refcount = 1;
	error = xfs_buf_fill(bp, flags & ~LIBXFS_BUF_REREAD, ops);
	if (error) {
		xfs_buf_free(bp);
		return error;
	}
	*bpp = bp;
	return 0;
}

int libxfs_buf_get_target(struct xfs_buftarg *btp, uint64_t daddr,
			  unsigned int bblen, struct xfs_buf **bpp)
{
	struct xfs_buf *bp;
	int error;

	*bpp = NULL;
	error = buf_check_args(btp, daddr, bblen);
	if (error) {
		return error;
	}
	error = xfs_bcache_get(btp->bt_cache, btp, daddr, bblen, &bp);
	if (error) {
		return error;
	}
	pthread_mutex_lock(&bp->b_iolock);
	if (!(bp->b_flags & XBF_UPTODATE)) {
		memset(bp->b_addr, 0, (size_t)BBTOB(bblen));
		bp->b_flags |= XBF_UPTODATE;
		bp->b_flags &= ~XBF_VERIFIED;
		bp->b_error = 0;
		bp->b_fail_reason = NULL;
	}
	pthread_mutex_unlock(&bp->b_iolock);
	*bpp = bp;
	return 0;
}

int libxfs_buf_get(struct xfs_mount *mp, uint64_t daddr, unsigned int bblen,
		   struct xfs_buf **bpp)
{
	return libxfs_buf_get_target(mp->m_ddev_targp, daddr, bblen, bpp);
}

/*
 * b_cache is NULL for uncached buffers from birth, and for cached ones
 * only once the last reference is gone (or their cache was torn down
 * under them), so a holder may test it without a lock.
 */
void libxfs_buf_hold(struct xfs_buf *bp)
{
	if (!bp->b_cache) {
		__atomic_fetch_add(&bp->b_refcount, 1, __ATOMIC_RELAXED);
		return;
	}
	xfs_bcache_hold(bp);
}

void libxfs_buf_relse(struct xfs_buf *bp)
{
	if (!bp) {
		return;
	}
	if (!bp->b_cache) {
		if (__atomic_sub_fetch(&bp->b_refcount, 1,
				       __ATOMIC_ACQ_REL) == 0) {
			xfs_buf_free(bp);
		}
		return;
	}
	xfs_bcache_release(bp);
}

int libxfs_buf_verify(struct xfs_buf *bp, const struct xfs_buf_ops *ops)
{
	int error;

	pthread_mutex_lock(&bp->b_iolock);
	if (!ops) {
		ops = bp->b_ops;
	}
	error = ops ? buf_run_verifier(bp, ops) : 0;
	pthread_mutex_unlock(&bp->b_iolock);
	return error;
}

void libxfs_buf_mark_dirty(struct xfs_buf *bp)
{
	pthread_mutex_lock(&bp->b_iolock);
	bp->b_flags |= XBF_DIRTY | XBF_UPTODATE;
	bp->b_flags &= ~XBF_VERIFIED;
	pthread_mutex_unlock(&bp->b_iolock);
}

void libxfs_buf_mark_clean(struct xfs_buf *bp)
{
	pthread_mutex_lock(&bp->b_iolock);
	bp->b_flags &= ~XBF_DIRTY;
	pthread_mutex_unlock(&bp->b_iolock);
}

/* Write bp's contents; b_iolock held. */
static int buf_write_locked(struct xfs_buf *bp)
{
	int error;

	if (bp->b_target->bt_dev->readonly) {
		return -EROFS;
	}
	if (bp->b_ops && bp->b_ops->verify_write) {
		bp->b_fail_reason = NULL;
		error = bp->b_ops->verify_write(bp);
		if (error) {
			if (!bp->b_fail_reason) {
				bp->b_fail_reason = "write verifier failed";
			}
			bp->b_error = error;
			return error;
		}
	}
	error = libxfs_dev_write(bp->b_target->bt_dev, bp->b_addr,
				 (size_t)BBTOB(bp->b_length),
				 BBTOB(bp->b_daddr));
	if (error) {
		bp->b_error = error;
		bp->b_fail_reason = "write error";
		return error;
	}
	bp->b_flags &= ~XBF_DIRTY;
	bp->b_dirty_first = 1;
	bp->b_dirty_last = 0;
	return 0;
}

int libxfs_bwrite(struct xfs_buf *bp)
{
	int error;

	pthread_mutex_lock(&bp->b_iolock);
	error = buf_write_locked(bp);
	pthread_mutex_unlock(&bp->b_iolock);
	return error;
}

int xfs_buf_writeback(struct xfs_buf *bp)
{
	int error = 0;

	pthread_mutex_lock(&bp->b_iolock);
	// A buffer a transaction owns is being changed: leave it for later.
	if ((bp->b_flags & XBF_DIRTY) && !(bp->b_flags & XBF_STALE) &&
	    !bp->b_transp) {
		error = buf_write_locked(bp);
	}
	pthread_mutex_unlock(&bp->b_iolock);
	return error;
}

int libxfs_buftarg_alloc(struct libxfs_dev *dev, size_t cache_limit,
			 struct xfs_mount *mp, struct xfs_buftarg **btpp)
{
	struct xfs_buftarg *btp;
	int error;

	*btpp = NULL;
	btp = calloc(1, sizeof(*btp));
	if (!btp) {
		return -ENOMEM;
	}
	error = libxfs_bcache_create(cache_limit, &btp->bt_cache);
	if (error) {
		free(btp);
		return error;
	}
	btp->bt_dev = dev;
	btp->bt_mount = mp;
	*btpp = btp;
	return 0;
}

int libxfs_buftarg_free(struct xfs_buftarg *btp)
{
	int error;

	if (!btp) {
		return 0;
	}
	error = libxfs_bcache_destroy(btp->bt_cache);
	free(btp);
	return error;
}
