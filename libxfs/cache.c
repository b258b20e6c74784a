/*
 * cache.c: the buffer cache.
 *
 * Owns the hash table of buffers keyed by (daddr, length), their reference
 * counts, the LRU of unreferenced buffers and the accounting of buffer
 * memory against a configurable, soft limit.  Reclaim drops clean
 * unreferenced buffers first, oldest first; it writes back dirty ones only
 * when current_may_fs_reclaim() says the calling thread may (never under
 * PF_FSTRANS / PF_MEMALLOC_NOFS, where it neither writes nor waits).
 *
 * Locking: one mutex per cache protects the hash chains, the LRU, every
 * b_refcount and the counters.  Buffer contents and b_flags are protected
 * by each buffer's b_iolock (rdwr.c); the cache lock is never held across
 * I/O, and b_iolock is never taken while holding the cache lock except on
 * buffers nobody references.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libfrog/task.h"
#include "cache.h"

struct xfs_bcache {
	pthread_mutex_t		lock;
	struct xfs_buf		**hash;
	unsigned int		hash_bits;
	// LRU of buffers with b_refcount == 0, oldest at lru_head.
	struct xfs_buf		*lru_head;
	struct xfs_buf		*lru_tail;
	size_t			lru_count;
	struct xfs_bcache_stats	stats;	/* count, bytes, limit live here too */
};

/*
 * May reclaim on this thread write back or wait on dirty buffers?  The one
 * place the cache asks libfrog's task flags.
 */
static bool cache_may_writeback(void)
{
	return current_may_fs_reclaim();
}

static unsigned int hash_index(const struct xfs_bcache *c, uint64_t daddr,
			       unsigned int bblen)
{
	uint64_t h = (daddr ^ ((uint64_t)bblen << 40)) * 0x9E3779B97F4A7C15ULL;

	return (unsigned int)(h >> (64 - c->hash_bits));
}

static size_t buf_bytes(const struct xfs_buf *bp)
{
	return (size_t)BBTOB(bp->b_length);
}

/* ---- LRU and hash helpers; cache lock held ---- */

static void lru_remove(struct xfs_bcache *c, struct xfs_buf *bp)
{
	if (bp->b_lru_prev) {
		bp->b_lru_prev->b_lru_next = bp->b_lru_next;
	} else {
		c->lru_head = bp->b_lru_next;
	}
	if (bp->b_lru_next) {
		bp->b_lru_next->b_lru_prev = bp->b_lru_prev;
	} else {
		c->lru_tail = bp->b_lru_prev;
	}
	bp->b_lru_prev = bp->b_lru_next = NULL;
	c->lru_count--;
}

static void lru_add_tail(struct xfs_bcache *c, struct xfs_buf *bp)
{
	bp->b_lru_next = NULL;
	bp->b_lru_prev = c->lru_tail;
	if (c->lru_tail) {
		c->lru_tail->b_lru_next = bp;
	} else {
		c->lru_head = bp;
	}
	c->lru_tail = bp;
	c->lru_count++;
}

static struct xfs_buf *hash_find(struct xfs_bcache *c, uint64_t daddr,
				 unsigned int bblen)
{
	struct xfs_buf *bp = c->hash[hash_index(c, daddr, bblen)];

	for (; bp; bp = bp->b_hash_next) {
		if (bp->b_daddr == daddr && bp->b_length == bblen) {
			return bp;
		}
	}
	return NULL;
}

static void hash_insert(struct xfs_bcache *c, struct xfs_buf *bp)
{
	unsigned int i = hash_index(c, bp->b_daddr, bp->b_length);

	bp->b_hash_next = c->hash[i];
	c->hash[i] = bp;
	c->stats.count++;
	c->stats.bytes += buf_bytes(bp);
}

static void hash_remove(struct xfs_bcache *c, struct xfs_buf *bp)
{
	struct xfs_buf **pp = &c->hash[hash_index(c, bp->b_daddr, bp->b_length)];

	for (; *pp; pp = &(*pp)->b_hash_next) {
		if (*pp == bp) {
			*pp = bp->b_hash_next;
			bp->b_hash_next = NULL;
			c->stats.count--;
			c->stats.bytes -= buf_bytes(bp);
			return;
		}
	}
}

/* ---- public cache management ---- */

int libxfs_bcache_create(size_t limit, struct xfs_bcache **cachep)
{
	struct xfs_bcache *c;
	size_t want;
	const char *env;

	*cachep = NULL;
	if (limit == 0) {
		limit = LIBXFS_BCACHE_DEFAULT_LIMIT;
		env = getenv("LIBXFS_BCACHE_MB");
		if (env && atol(env) > 0) {
			limit = (size_t)atol(env) << 20;
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		return -ENOMEM;
	}
	// About one bucket per 4 KiB of the limit, between 2^8 and 2^20.
	want = limit / 4096;
	c->hash_bits = 8;
	while (c->hash_bits < 20 && ((size_t)1 << c->hash_bits) < want) {
		c->hash_bits++;
	}
	c->hash = calloc((size_t)1 << c->hash_bits, sizeof(*c->hash));
	if (!c->hash) {
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->stats.limit = limit;
	*cachep = c;
	return 0;
}

void libxfs_bcache_set_limit(struct xfs_bcache *c, size_t limit)
{
	pthread_mutex_lock(&c->lock);
	c->stats.limit = limit;
	pthread_mutex_unlock(&c->lock);
	libxfs_bcache_shrink(c, limit);
}

void libxfs_bcache_get_stats(struct xfs_bcache *c,
			     struct xfs_bcache_stats *stats)
{
	pthread_mutex_lock(&c->lock);
	*stats = c->stats;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Take the unreferenced buffer bp off the LRU and out of the hash so that
 * it can be freed once the lock is dropped.
 */
static void cache_unlink(struct xfs_bcache *c, struct xfs_buf *bp)
{
	lru_remove(c, bp);
	hash_remove(c, bp);
	bp->b_cache = NULL;
}

static void free_list(struct xfs_buf *list)
{
	while (list) {
		struct xfs_buf *next = list->b_lru_next;

		xfs_buf_free(list);
		list = next;
	}
}

/*
 * Write back up to max dirty unreferenced buffers (oldest first), dropping
 * those that end up clean when drop is set.  Called and returns with the
 * cache lock held; drops it around the I/O.  Returns the first error.
 */
static int cache_writeback_locked(struct xfs_bcache *c, size_t max, bool drop)
{
	struct xfs_buf *batch = NULL, *bp, *next;
	size_t n = 0;
	int error = 0;

	// Pin a batch: a reference keeps each buffer in place while unlocked.
	for (bp = c->lru_head; bp && n < max; bp = next) {
		next = bp->b_lru_next;
		if (!(bp->b_flags & XBF_DIRTY)) {
			continue;
		}
		lru_remove(c, bp);
		bp->b_refcount++;
		bp->b_lru_next = batch;	/* reuse the link for the batch */
		batch = bp;
		n++;
	}
	if (!batch) {
		return 0;
	}
	pthread_mutex_unlock(&c->lock);
	for (bp = batch; bp; bp = bp->b_lru_next) {
		int err = xfs_buf_writeback(bp);

		if (err && !error) {
			error = err;
		}
	}
	pthread_mutex_lock(&c->lock);
	for (bp = batch; bp; bp = next) {
		next = bp->b_lru_next;
		bp->b_lru_next = NULL;
		bp->b_refcount--;
		if (!(bp->b_flags & XBF_DIRTY)) {
			c->stats.written_back++;
		}
		if (bp->b_refcount > 0) {
			continue;	/* somebody took it meanwhile */
		}
		if (drop && !(bp->b_flags & XBF_DIRTY)) {
			hash_remove(c, bp);
			bp->b_cache = NULL;
			pthread_mutex_unlock(&c->lock);
			xfs_buf_free(bp);
			pthread_mutex_lock(&c->lock);
		} else {
			lru_add_tail(c, bp);
		}
	}
	return error;
}

/* Shrink to target bytes; cache lock held on entry and exit. */
static void cache_shrink_locked(struct xfs_bcache *c, size_t target)
{
	struct xfs_buf *bp, *next, *victims = NULL;
	size_t dirty = 0;

	// Pass 1: clean, unreferenced buffers, oldest first.
	for (bp = c->lru_head; bp && c->stats.bytes > target; bp = next) {
		next = bp->b_lru_next;
		if (bp->b_flags & XBF_DIRTY) {
			dirty++;
			continue;
		}
		cache_unlink(c, bp);
		bp->b_lru_next = victims;
		victims = bp;
		c->stats.reclaimed++;
	}
	if (victims) {
		pthread_mutex_unlock(&c->lock);
		free_list(victims);
		pthread_mutex_lock(&c->lock);
	}
	if (c->stats.bytes <= target) {
		return;
	}
	// Pass 2: dirty buffers, only where this thread may do fs reclaim.
	if (!cache_may_writeback()) {
		c->stats.nofs_skipped += dirty;
		return;
	}
	if (dirty == 0) {
		for (bp = c->lru_head; bp; bp = bp->b_lru_next) {
			if (bp->b_flags & XBF_DIRTY) {
				dirty++;
			}
		}
	}
	if (dirty) {
		(void)cache_writeback_locked(c, dirty, true);
	}
}

void libxfs_bcache_shrink(struct xfs_bcache *c, size_t target)
{
	pthread_mutex_lock(&c->lock);
	cache_shrink_locked(c, target);
	pthread_mutex_unlock(&c->lock);
}

void libxfs_bcache_purge(struct xfs_bcache *c)
{
	struct xfs_buf *bp, *next, *victims = NULL;

	pthread_mutex_lock(&c->lock);
	for (bp = c->lru_head; bp; bp = next) {
		next = bp->b_lru_next;
		if (bp->b_flags & XBF_DIRTY) {
			continue;
		}
		cache_unlink(c, bp);
		bp->b_lru_next = victims;
		victims = bp;
	}
	pthread_mutex_unlock(&c->lock);
	free_list(victims);
}

int libxfs_bcache_flush(struct xfs_bcache *c)
{
	int error;

	pthread_mutex_lock(&c->lock);
	error = cache_writeback_locked(c, SIZE_MAX, false);
	pthread_mutex_unlock(&c->lock);
	return error;
}

int libxfs_bcache_destroy(struct xfs_bcache *c)
{
	size_t i, leaked = 0;
	int error;

	if (!c) {
		return 0;
	}
	error = libxfs_bcache_flush(c);
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < ((size_t)1 << c->hash_bits); i++) {
		struct xfs_buf *bp = c->hash[i], *next;

		for (; bp; bp = next) {
			next = bp->b_hash_next;
			if (bp->b_refcount > 0) {
				// A holder still uses it: leak rather than free.
				bp->b_cache = NULL;
				leaked++;
				continue;
			}
			xfs_buf_free(bp);
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (leaked) {
		fprintf(stderr,
			"libxfs: %zu buffer(s) still referenced at cache teardown\n",
			leaked);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->hash);
	free(c);
	return error;
}

/* ---- lookup, reference counting ---- */

int xfs_bcache_get(struct xfs_bcache *c, struct xfs_buftarg *btp,
		   uint64_t daddr, unsigned int bblen, struct xfs_buf **bpp)
{
	struct xfs_buf *bp, *nbp;
	bool over;

	pthread_mutex_lock(&c->lock);
	bp = hash_find(c, daddr, bblen);
	if (bp) {
		if (bp->b_refcount++ == 0) {
			lru_remove(c, bp);
		}
		c->stats.hits++;
		pthread_mutex_unlock(&c->lock);
		*bpp = bp;
		return 0;
	}
	pthread_mutex_unlock(&c->lock);

	// Miss: allocate unlocked, then insert unless someone beat us to it.
	nbp = xfs_buf_alloc(btp, daddr, bblen);
	if (!nbp) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&c->lock);
	bp = hash_find(c, daddr, bblen);
	if (bp) {
		if (bp->b_refcount++ == 0) {
			lru_remove(c, bp);
		}
		c->stats.hits++;
		pthread_mutex_unlock(&c->lock);
		xfs_buf_free(nbp);
		*bpp = bp;
		return 0;
	}
	nbp->b_cache = c;
	nbp->b_refcount = 1;
	hash_insert(c, nbp);
	c->stats.misses++;
	over = c->stats.bytes > c->stats.limit;
	if (over) {
		cache_shrink_locked(c, c->stats.limit);
		if (c->stats.bytes > c->stats.limit) {
			c->stats.over_limit++;
		}
	}
	pthread_mutex_unlock(&c->lock);
	*bpp = nbp;
	return 0;
}

void xfs_bcache_hold(struct xfs_buf *bp)
{
	struct xfs_bcache *c = bp->b_cache;

	pthread_mutex_lock(&c->lock);
	bp->b_refcount++;
	pthread_mutex_unlock(&c->lock);
}

void xfs_bcache_release(struct xfs_buf *bp)
{
	struct xfs_bcache *c = bp->b_cache;
	bool drop = false;

	pthread_mutex_lock(&c->lock);
	if (bp->b_refcount == 0) {
		pthread_mutex_unlock(&c->lock);
		fprintf(stderr, "libxfs: release of unreferenced buffer %llu\n",
			(unsigned long long)bp->b_daddr);
		return;
	}
	if (--bp->b_refcount == 0) {
		// b_flags is stable: nobody else references the buffer.
		if (!(bp->b_flags & XBF_UPTODATE) || (bp->b_flags & XBF_STALE)) {
			hash_remove(c, bp);
			bp->b_cache = NULL;
			drop = true;
		} else {
			lru_add_tail(c, bp);
			if (c->stats.bytes > c->stats.limit) {
				cache_shrink_locked(c, c->stats.limit);
			}
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (drop) {
		xfs_buf_free(bp);
	}
}
