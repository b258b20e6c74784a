/*
 * libxfs_io.h: the I/O layer of libxfs -- devices, the buffer cache and
 * metadata buffers with their verifiers.
 *
 * Three pieces, bottom to top:
 *
 *   struct libxfs_dev     a byte-addressed device behind a small ops table
 *                         (image file / block device, memory, or a
 *                         fault-injecting wrapper for tests);
 *   struct xfs_bcache     a bounded cache of buffers keyed by
 *                         (daddr, length), with refcounts and an LRU;
 *   struct xfs_buf        one metadata buffer: its bytes, the ops that
 *                         verify it, and the result of that verification.
 *
 * The cache key is (daddr, length): two reads of the same daddr with
 * different lengths give two distinct buffers (no aliasing detection --
 * callers of the write half must use one length per block).
 *
 * Disk addresses (daddr) and lengths are in 512-byte basic blocks (BBs)
 * everywhere in this header.  Every function returns 0 or a negative errno
 * (see xfs_errno.h); none of them exits.
 */
#ifndef LIBXFS_IO_H_
#define LIBXFS_IO_H_

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xfs_errno.h"
#include "xfs_format.h"	/* BBSHIFT, BBSIZE */

struct xfs_mount;
struct xfs_buf;

/* Bytes <-> basic blocks (BTOBB rounds up, BTOBBT down). */
#ifndef BTOBB
#define BTOBB(bytes)	(((uint64_t)(bytes) + BBSIZE - 1) >> BBSHIFT)
#endif
#ifndef BTOBBT
#define BTOBBT(bytes)	((uint64_t)(bytes) >> BBSHIFT)
#endif
#ifndef BBTOB
#define BBTOB(bbs)	((uint64_t)(bbs) << BBSHIFT)
#endif

/* ------------------------------------------------------------------ */
/* Devices                                                             */
/* ------------------------------------------------------------------ */

struct libxfs_dev;

/*
 * What a device implementation provides.  Offsets and lengths are in
 * bytes.  pread/pwrite may transfer less than asked (the caller loops);
 * they return the number of bytes moved, 0 at the end of the device, or a
 * negative errno.  size reports the device size in bytes.  destroy frees
 * the implementation's private state (may be NULL).
 */
struct libxfs_dev_ops {
	const char	*name;
	ssize_t		(*pread)(struct libxfs_dev *dev, void *buf, size_t len,
				 uint64_t off);
	ssize_t		(*pwrite)(struct libxfs_dev *dev, const void *buf,
				  size_t len, uint64_t off);
	int		(*flush)(struct libxfs_dev *dev);
	int		(*size)(struct libxfs_dev *dev, uint64_t *bytes);
	void		(*destroy)(struct libxfs_dev *dev);
	/*
	 * Optional: make [off, off + len) read back as zeroes without
	 * moving the bytes (hole punch, BLKZEROOUT).  -EOPNOTSUPP when
	 * the device cannot; libxfs_dev_zero then writes zeroes.
	 */
	int		(*zero)(struct libxfs_dev *dev, uint64_t off,
				uint64_t len);
};

/* I/O counters of a device; updated atomically, read with _stats(). */
struct libxfs_dev_stats {
	uint64_t	reads;		/* completed read requests */
	uint64_t	writes;		/* completed write requests */
	uint64_t	bytes_read;
	uint64_t	bytes_written;
	uint64_t	flushes;
};

struct libxfs_dev {
	const struct libxfs_dev_ops *ops;
	void		*priv;		/* implementation state */
	char		*name;		/* path or description, for messages */
	bool		readonly;	/* writes fail with -EROFS, never reach ops */
	struct libxfs_dev_stats stats;
};

/* Flags for libxfs_dev_open(). */
#define LIBXFS_DEV_RDONLY	(1U << 0)	/* open O_RDONLY, refuse writes */
#define LIBXFS_DEV_EXCL		(1U << 1)	/* O_EXCL on block devices */

/* Open an image file or block device. */
int libxfs_dev_open(const char *path, unsigned int flags,
		    struct libxfs_dev **devp);

/*
 * Wrap a caller-supplied implementation.  name is copied; priv belongs to
 * the implementation and is released by ops->destroy.
 */
int libxfs_dev_create(const struct libxfs_dev_ops *ops, void *priv,
		      const char *name, bool readonly,
		      struct libxfs_dev **devp);

/*
 * A device held in memory, size bytes, zero-filled; if image is non-NULL
 * its first size bytes are copied in.  For tests and dry runs.
 */
int libxfs_dev_open_mem(const void *image, uint64_t size, bool readonly,
			struct libxfs_dev **devp);

/* Close a device (flushing nothing: call libxfs_dev_flush first). */
void libxfs_dev_close(struct libxfs_dev *dev);

/*
 * Transfer exactly len bytes at byte offset off, looping over short
 * transfers and EINTR.  Reading past the end of the device is -EIO; a
 * write on a read-only device is -EROFS and never reaches the device.
 */
int libxfs_dev_read(struct libxfs_dev *dev, void *buf, size_t len,
		    uint64_t off);
int libxfs_dev_write(struct libxfs_dev *dev, const void *buf, size_t len,
		     uint64_t off);
int libxfs_dev_flush(struct libxfs_dev *dev);

/*
 * Make [off, off + len) read back as zeroes: through ops->zero when the
 * device has it (an image file punches a hole, a block device zeroes
 * out), else by writing zero buffers in large chunks.  -EROFS on a
 * read-only device.
 */
int libxfs_dev_zero(struct libxfs_dev *dev, uint64_t off, uint64_t len);
int libxfs_dev_size(struct libxfs_dev *dev, uint64_t *bytes);
void libxfs_dev_get_stats(struct libxfs_dev *dev,
			  struct libxfs_dev_stats *stats);

/*
 * Fault injection (tests).  libxfs_dev_fault_wrap() puts a wrapper around
 * lower (which it then owns and closes) that passes everything through
 * except requests matching a rule.  A request matches when it has the
 * rule's kind and overlaps [off, off + len) (len 0 = to the end of the
 * device); the first `skip` matches pass, the next `count` are faulted
 * (count 0 = forever).
 */
enum libxfs_fault_kind {
	LIBXFS_FAULT_READ_ERROR = 1,	/* read fails with -error */
	LIBXFS_FAULT_WRITE_ERROR,	/* write fails with -error, nothing written */
	LIBXFS_FAULT_SHORT_READ,	/* read returns only the first half */
	LIBXFS_FAULT_SHORT_WRITE,	/* write stores and reports the first half */
	LIBXFS_FAULT_TORN_WRITE,	/* first half stored, then fails with -error */
	LIBXFS_FAULT_LOST_WRITE,	/* reports success, stores nothing */
	LIBXFS_FAULT_FLUSH_ERROR,	/* flush fails with -error */
};

struct libxfs_fault_rule {
	enum libxfs_fault_kind kind;
	uint64_t	off;		/* bytes */
	uint64_t	len;		/* bytes, 0 = to the end */
	unsigned int	skip;
	unsigned int	count;
	int		error;		/* positive errno; 0 means EIO */
};

int libxfs_dev_fault_wrap(struct libxfs_dev *lower, struct libxfs_dev **devp);
int libxfs_dev_fault_add(struct libxfs_dev *dev,
			 const struct libxfs_fault_rule *rule);
void libxfs_dev_fault_clear(struct libxfs_dev *dev);
/* Number of requests faulted so far. */
uint64_t libxfs_dev_fault_hits(struct libxfs_dev *dev);

/* ------------------------------------------------------------------ */
/* Buffers                                                             */
/* ------------------------------------------------------------------ */

/*
 * Verifier table for one metadata type.  magic[] holds the host-order
 * magic numbers the type may carry (0 = unused slot); by convention
 * magic[0] is the V4 magic and magic[1] the V5 (CRC) magic.  The verify
 * functions return 0, -EFSCORRUPTED or -EFSBADCRC and, on failure, set
 * bp->b_fail_reason to a static string naming the check that failed.
 * verify_write also recomputes the CRC before the buffer goes to disk.
 */
struct xfs_buf_ops {
	const char	*name;
	uint32_t	magic[2];
	int		(*verify_read)(struct xfs_buf *bp);
	int		(*verify_write)(struct xfs_buf *bp);
};

/* A device plus the cache of buffers read from it. */
struct xfs_buftarg {
	struct libxfs_dev	*bt_dev;
	struct xfs_bcache	*bt_cache;
	struct xfs_mount	*bt_mount;	/* may be NULL */
};

/* b_flags: buffer state, changed under b_iolock. */
#define XBF_UPTODATE	(1U << 0)	/* b_addr holds the on-disk contents */
#define XBF_DIRTY	(1U << 1)	/* must be written before it is dropped */
#define XBF_UNCACHED	(1U << 2)	/* not in any cache; freed on release */
#define XBF_VERIFIED	(1U << 3)	/* b_ops has been run on current data */
#define XBF_STALE	(1U << 4)	/* contents invalid; drop, never write */

struct xfs_buf {
	/*
	 * Public.  Address, length and data pointer never change while a
	 * reference is held; b_ops / b_error / b_fail_reason change only
	 * when a read asks for other ops (or REREAD), under b_iolock.
	 */
	uint64_t		b_daddr;	/* 512-byte units */
	unsigned int		b_length;	/* 512-byte units */
	void			*b_addr;	/* BBTOB(b_length) bytes */
	int			b_error;	/* 0 or negative errno of last read/verify */
	const char		*b_fail_reason;	/* failing check, static string */
	const struct xfs_buf_ops *b_ops;
	struct xfs_mount	*b_mount;
	struct xfs_buftarg	*b_target;
	unsigned int		b_flags;	/* XBF_* */

	/*
	 * Reserved for the transaction layer (write half): the transaction
	 * that owns this buffer -- ownership belongs to the transaction, not
	 * the thread -- and the dirty byte range it logged
	 * (b_dirty_first > b_dirty_last means nothing logged).
	 */
	void			*b_transp;
	unsigned int		b_dirty_first;
	unsigned int		b_dirty_last;
	void			*b_log_item;

	/* Private to the cache. */
	unsigned int		b_refcount;	/* under the cache lock */
	struct xfs_buf		*b_hash_next;
	struct xfs_buf		*b_lru_prev;
	struct xfs_buf		*b_lru_next;
	struct xfs_bcache	*b_cache;	/* NULL when uncached */
	pthread_mutex_t		b_iolock;	/* serialises I/O and verification */
};

/* Flags for libxfs_buf_read*(). */
#define LIBXFS_BUF_SALVAGE	(1U << 0)	/* keep and return a buffer that fails
						   verification; b_error says why */
#define LIBXFS_BUF_REREAD	(1U << 1)	/* discard cached contents, read again */

/*
 * Read bblen basic blocks at daddr of the data device through the cache
 * and, if ops is non-NULL, verify them.  On success *bpp holds a
 * referenced buffer (release with libxfs_buf_relse).
 *
 * Returns -EIO (or the device's error) if the read fails.  If verification
 * fails, returns its error and releases the buffer, unless
 * LIBXFS_BUF_SALVAGE is given: then returns 0 with *bpp set and
 * bp->b_error / bp->b_fail_reason describing the failure.  With ops NULL
 * no verification runs and b_ops is left as it was.
 */
int libxfs_buf_read(struct xfs_mount *mp, uint64_t daddr, unsigned int bblen,
		    unsigned int flags, const struct xfs_buf_ops *ops,
		    struct xfs_buf **bpp);
int libxfs_buf_read_target(struct xfs_buftarg *btp, uint64_t daddr,
			   unsigned int bblen, unsigned int flags,
			   const struct xfs_buf_ops *ops,
			   struct xfs_buf **bpp);

/* As above but bypassing the cache; the buffer is freed on release. */
int libxfs_buf_read_uncached(struct xfs_buftarg *btp, uint64_t daddr,
			     unsigned int bblen, unsigned int flags,
			     const struct xfs_buf_ops *ops,
			     struct xfs_buf **bpp);

/*
 * Get a referenced buffer without reading it: a cached buffer is returned
 * as is, a new one is zero-filled and marked up to date.
 */
int libxfs_buf_get(struct xfs_mount *mp, uint64_t daddr, unsigned int bblen,
		   struct xfs_buf **bpp);
int libxfs_buf_get_target(struct xfs_buftarg *btp, uint64_t daddr,
			  unsigned int bblen, struct xfs_buf **bpp);

/* Take another reference on a buffer already held. */
void libxfs_buf_hold(struct xfs_buf *bp);

/* Drop a reference; an unreferenced cached buffer goes to the LRU. */
void libxfs_buf_relse(struct xfs_buf *bp);

/*
 * Run the verifier of ops (or of bp->b_ops if ops is NULL) on the current
 * contents, record the outcome in b_error/b_fail_reason and return it.
 */
int libxfs_buf_verify(struct xfs_buf *bp, const struct xfs_buf_ops *ops);

/*
 * Write half, minimal for now: mark the whole buffer dirty, and write a
 * buffer (running ops->verify_write first; a failing write verifier stops
 * the write with its error).  -EROFS on a read-only device.
 */
void libxfs_buf_mark_dirty(struct xfs_buf *bp);

/*
 * The caller has put the buffer's current contents on disk itself (as
 * part of a larger write): forget that it is dirty, so the cache does
 * not write it again.  CRCs are the caller's business.
 */
void libxfs_buf_mark_clean(struct xfs_buf *bp);
int libxfs_bwrite(struct xfs_buf *bp);

/* Record a verifier failure in bp and return error (for verifiers). */
static inline int xfs_buf_fail(struct xfs_buf *bp, int error,
			       const char *reason)
{
	bp->b_error = error;
	bp->b_fail_reason = reason;
	return error;
}

/* ------------------------------------------------------------------ */
/* The buffer cache                                                    */
/* ------------------------------------------------------------------ */

struct xfs_bcache;

struct xfs_bcache_stats {
	uint64_t	hits;
	uint64_t	misses;
	uint64_t	reclaimed;	/* clean buffers dropped by reclaim */
	uint64_t	written_back;	/* dirty buffers written by reclaim/flush */
	uint64_t	nofs_skipped;	/* dirty buffers reclaim left alone (NOFS) */
	uint64_t	over_limit;	/* inserts that found nothing to reclaim */
	size_t		count;		/* buffers in the cache */
	size_t		bytes;		/* their data bytes */
	size_t		limit;		/* configured bound on bytes */
};

/* Default bound on cached data, bytes (env LIBXFS_BCACHE_MB overrides). */
#define LIBXFS_BCACHE_DEFAULT_LIMIT	(128UL << 20)

/*
 * Create a cache with a bound of limit bytes of buffer data (0 = the
 * default, or LIBXFS_BCACHE_MB from the environment).  The bound is
 * soft: when every buffer is referenced (or dirty under NOFS) the cache
 * grows past it rather than failing.
 */
int libxfs_bcache_create(size_t limit, struct xfs_bcache **cachep);

/*
 * Destroy a cache.  Dirty buffers are written back first; returns the
 * first write error.  Referenced buffers are a caller bug: they are
 * reported on stderr and leaked rather than freed under the holder.
 */
int libxfs_bcache_destroy(struct xfs_bcache *cache);

void libxfs_bcache_set_limit(struct xfs_bcache *cache, size_t limit);
void libxfs_bcache_get_stats(struct xfs_bcache *cache,
			     struct xfs_bcache_stats *stats);

/* Write back every dirty, unreferenced buffer. */
int libxfs_bcache_flush(struct xfs_bcache *cache);

/*
 * Shrink to at most target bytes if possible.  Clean unreferenced buffers
 * go first (oldest first); dirty ones are written back and dropped only
 * when current_may_fs_reclaim() allows it on the calling thread -- under
 * PF_FSTRANS / PF_MEMALLOC_NOFS reclaim never writes or waits.
 */
void libxfs_bcache_shrink(struct xfs_bcache *cache, size_t target);

/* Drop every unreferenced, clean buffer (e.g. after a device change). */
void libxfs_bcache_purge(struct xfs_bcache *cache);

/* Buftargs: a device plus its cache. */
int libxfs_buftarg_alloc(struct libxfs_dev *dev, size_t cache_limit,
			 struct xfs_mount *mp, struct xfs_buftarg **btpp);
/* Flush, destroy the cache; the device is left open.  Returns flush error. */
int libxfs_buftarg_free(struct xfs_buftarg *btp);

#endif /* LIBXFS_IO_H_ */
