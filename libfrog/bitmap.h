/*
 * bitmap.h: a set of uint64 numbers kept as sorted, disjoint extents.
 *
 * Meant for block and inode accounting in repair and db: "which blocks
 * are in use", "which are claimed twice".  A bit number is any value in
 * [0, UINT64_MAX); a range is [start, start + len) and must not pass
 * UINT64_MAX.  Setting merges with overlapping and touching extents, so
 * the extents a bitmap hands back are always maximal: sorted, disjoint,
 * and never adjacent.  Operations cost O(log n) expected (a treap), plus
 * the number of extents they visit or remove.
 *
 * A bitmap is not locked: callers that share one between threads must
 * serialise all access, queries included.
 */
#ifndef LIBFROG_BITMAP_H_
#define LIBFROG_BITMAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bitmap;

/* Make an empty bitmap.  Returns 0 or -ENOMEM. */
int bitmap_alloc(struct bitmap **bmapp);

/* Free a bitmap and all its extents; sets *bmapp to NULL.  NULL is fine. */
void bitmap_free(struct bitmap **bmapp);

/* Remove every extent, leaving an empty bitmap. */
void bitmap_reset(struct bitmap *bmap);

/*
 * Set bits [start, start + len).  Returns 0; -EINVAL if the range passes
 * UINT64_MAX; -ENOMEM with the bitmap unchanged.  len == 0 does nothing.
 */
int bitmap_set(struct bitmap *bmap, uint64_t start, uint64_t len);

/* Clear bits [start, start + len).  Same returns as bitmap_set(). */
int bitmap_clear(struct bitmap *bmap, uint64_t start, uint64_t len);

/*
 * Queries.  A range running past UINT64_MAX is clipped there.
 * bitmap_test: is any bit of the range set (false for len == 0)?
 * bitmap_test_all: is every bit of the range set (true for len == 0)?
 */
bool bitmap_test(const struct bitmap *bmap, uint64_t start, uint64_t len);
bool bitmap_test_all(const struct bitmap *bmap, uint64_t start, uint64_t len);

/* True if no bit is set. */
bool bitmap_empty(const struct bitmap *bmap);

/* Number of bits set. */
uint64_t bitmap_count(const struct bitmap *bmap);

/* Number of bits set within [start, start + len). */
uint64_t bitmap_count_range(const struct bitmap *bmap, uint64_t start,
			    uint64_t len);

/* Number of (maximal) extents. */
size_t bitmap_nr_extents(const struct bitmap *bmap);

/*
 * Walk callback: gets each extent in ascending order.  A non-zero return
 * stops the walk and is passed back by the walker.  The callback must not
 * modify the bitmap being walked.
 */
typedef int (*bitmap_walk_fn)(uint64_t start, uint64_t len, void *priv);

/* Call fn on every extent, lowest first.  Returns 0 or fn's non-zero. */
int bitmap_iterate(const struct bitmap *bmap, bitmap_walk_fn fn, void *priv);

/* Like bitmap_iterate, restricted to [start, start + len), extents clipped. */
int bitmap_iterate_range(const struct bitmap *bmap, uint64_t start,
			 uint64_t len, bitmap_walk_fn fn, void *priv);

/*
 * First run of set bits at or after pos: true with *startp and *lenp filled
 * (a run covering pos is reported from pos), false if there is none.
 */
bool bitmap_next_set(const struct bitmap *bmap, uint64_t pos,
		     uint64_t *startp, uint64_t *lenp);

/*
 * First run of clear bits at or after pos, ending at the next set bit or
 * at UINT64_MAX: true with *startp and *lenp filled, false if pos >= UINT64_MAX
 * or every bit from pos on is set.
 */
bool bitmap_next_clear(const struct bitmap *bmap, uint64_t pos,
		       uint64_t *startp, uint64_t *lenp);

/*
 * dst |= src, and dst &= ~src.  Return 0 or -ENOMEM; after -ENOMEM dst
 * holds part of the result (each extent of src either applied or not).
 */
int bitmap_union(struct bitmap *dst, const struct bitmap *src);
int bitmap_subtract(struct bitmap *dst, const struct bitmap *src);

#endif /* LIBFROG_BITMAP_H_ */
