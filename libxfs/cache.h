/*
 * cache.h: libxfs-internal interface between the buffer cache (cache.c)
 * and buffer I/O (rdwr.c).  Not for tools: they use libxfs_io.h.
 */
#ifndef LIBXFS_CACHE_H_
#define LIBXFS_CACHE_H_

#include "libxfs_io.h"

/* Largest buffer we will allocate, in basic blocks (64 MiB). */
#define LIBXFS_BUF_MAXBB	(1U << 17)

/* rdwr.c: allocate / free a buffer and its data (zero-filled). */
struct xfs_buf *xfs_buf_alloc(struct xfs_buftarg *btp, uint64_t daddr,
			      unsigned int bblen);
void xfs_buf_free(struct xfs_buf *bp);

/*
 * rdwr.c: the cached buffer for (daddr, bblen), referenced, without
 * reading it (for the transaction layer, which joins before it fills).
 */
int xfs_buf_lookup(struct xfs_buftarg *btp, uint64_t daddr, unsigned int bblen,
		   struct xfs_buf **bpp);

/*
 * rdwr.c: bring bp up to date and verify it as ops (flags as for
 * libxfs_buf_read); returns the error the reader should see.
 */
int xfs_buf_fill(struct xfs_buf *bp, unsigned int flags,
		 const struct xfs_buf_ops *ops);

/*
 * rdwr.c: write a dirty buffer now (b_iolock not held by the caller);
 * skips stale buffers and buffers a transaction owns (b_transp set).
 */
int xfs_buf_writeback(struct xfs_buf *bp);

/*
 * cache.c: find the buffer for (daddr, bblen) or insert a fresh one; the
 * result is referenced.  A new buffer is zero-filled and not up to date.
 */
int xfs_bcache_get(struct xfs_bcache *cache, struct xfs_buftarg *btp,
		   uint64_t daddr, unsigned int bblen, struct xfs_buf **bpp);

/* cache.c: take / drop a reference on a cached buffer. */
void xfs_bcache_hold(struct xfs_buf *bp);
void xfs_bcache_release(struct xfs_buf *bp);

#endif /* LIBXFS_CACHE_H_ */
