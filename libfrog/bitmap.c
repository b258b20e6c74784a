/*
 * bitmap.c: extent bitmap kept in a treap (a binary search tree on extent
 * start whose nodes also obey a heap order on random priorities, which
 * keeps the expected depth logarithmic without rebalancing rules).
 *
 * Every change is expressed with two primitives: split a tree into the
 * extents below a key and the rest, and merge two trees whose key ranges
 * do not interleave.  Setting a range cuts out every extent that overlaps
 * or touches it and puts back one merged extent; clearing cuts out the
 * overlapping extents and puts back the pieces left over at either end.
 *
 * Invariant: extents are non-empty, sorted, disjoint and non-adjacent
 * (a.end < b.start for consecutive a, b), and nbits/nextents match them.
 */
#include <errno.h>
#include <stdlib.h>

#include "libfrog/bitmap.h"

struct bitmap_node {
	uint64_t		start;	/* first bit */
	uint64_t		end;	/* one past the last bit */
	uint32_t		prio;	/* heap order: parent >= child */
	struct bitmap_node	*left;
	struct bitmap_node	*right;
};

struct bitmap {
	struct bitmap_node	*root;
	uint64_t		nbits;
	size_t			nextents;
	uint64_t		rng;	/* priority generator state */
};

/* ---- treap primitives ---- */

static uint32_t next_prio(struct bitmap *bmap)
{
	// xorshift64*: cheap, and good enough for heap priorities.
	bmap->rng ^= bmap->rng >> 12;
	bmap->rng ^= bmap->rng << 25;
	bmap->rng ^= bmap->rng >> 27;
	return (uint32_t)((bmap->rng * 0x2545F4914F6CDD1Dull) >> 32);
}

/*
 * Split t into *l (nodes with start < key, or start <= key if inclusive)
 * and *r (the rest).
 */
static void split(struct bitmap_node *t, uint64_t key, bool inclusive,
		  struct bitmap_node **l, struct bitmap_node **r)
{
	if (!t) {
		*l = *r = NULL;
		return;
	}
	if (t->start < key || (inclusive && t->start == key)) {
		split(t->right, key, inclusive, &t->right, r);
		*l = t;
	} else {
		split(t->left, key, inclusive, l, &t->left);
		*r = t;
	}
}

/* Join a and b, where every start in a is below every start in b. */
static struct bitmap_node *merge(struct bitmap_node *a, struct bitmap_node *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio >= b->prio) {
		a->right = merge(a->right, b);
		return a;
	}
	b->left = merge(a, b->left);
	return b;
}

/* Detach and return the node with the largest start (NULL if empty). */
static struct bitmap_node *pop_max(struct bitmap_node **tp)
{
	struct bitmap_node *n;

	if (!*tp)
		return NULL;
	while ((*tp)->right)
		tp = &(*tp)->right;
	n = *tp;
	*tp = n->left;
	n->left = NULL;
	return n;
}

/* Node with the largest start <= key, or NULL. */
static struct bitmap_node *find_le(struct bitmap_node *t, uint64_t key)
{
	struct bitmap_node *best = NULL;

	while (t) {
		if (t->start <= key) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best;
}

/* Node with the smallest start > key, or NULL. */
static struct bitmap_node *find_gt(struct bitmap_node *t, uint64_t key)
{
	struct bitmap_node *best = NULL;

	while (t) {
		if (t->start > key) {
			best = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return best;
}

/*
 * Dispose of a detached subtree: subtract its bits and extents from the
 * totals, keep one node in *spare for reuse if it is empty, free the rest.
 */
static void drop_tree(struct bitmap *bmap, struct bitmap_node *t,
		      struct bitmap_node **spare)
{
	if (!t)
		return;
	drop_tree(bmap, t->left, spare);
	drop_tree(bmap, t->right, spare);
	bmap->nbits -= t->end - t->start;
	bmap->nextents--;
	if (spare && !*spare) {
		t->left = t->right = NULL;
		*spare = t;
	} else {
		free(t);
	}
}

static void free_tree(struct bitmap_node *t)
{
	if (!t)
		return;
	free_tree(t->left);
	free_tree(t->right);
	free(t);
}

/* end = start + len, or false if that passes UINT64_MAX. */
static bool range_end(uint64_t start, uint64_t len, uint64_t *endp)
{
	if (len > UINT64_MAX - start)
		return false;
	*endp = start + len;
	return true;
}

static uint64_t clip_end(uint64_t start, uint64_t len)
{
	return len > UINT64_MAX - start ? UINT64_MAX : start + len;
}

/* ---- life cycle ---- */

int bitmap_alloc(struct bitmap **bmapp)
{
	struct bitmap *bmap = calloc(1, sizeof(*bmap));

	if (!bmap)
		return -ENOMEM;
	bmap->rng = 0x853C49E6748FEA9Bull;
	*bmapp = bmap;
	return 0;
}

void bitmap_reset(struct bitmap *bmap)
{
	free_tree(bmap->root);
	bmap->root = NULL;
	bmap->nbits = 0;
	bmap->nextents = 0;
}

void bitmap_free(struct bitmap **bmapp)
{
	if (!*bmapp)
		return;
	bitmap_reset(*bmapp);
	free(*bmapp);
	*bmapp = NULL;
}

/* ---- updates ---- */

int bitmap_set(struct bitmap *bmap, uint64_t start, uint64_t len)
{
	struct bitmap_node *l, *mid, *r, *pred, *spare = NULL;
	uint64_t end;

	if (!range_end(start, len, &end))
		return -EINVAL;
	if (len == 0)
		return 0;

	// If no extent overlaps or touches [start, end], none can be reused
	// for the merged extent: allocate now, before changing anything.
	pred = find_le(bmap->root, end);
	if (!pred || pred->end < start) {
		spare = malloc(sizeof(*spare));
		if (!spare)
			return -ENOMEM;
		spare->left = spare->right = NULL;
		spare->prio = next_prio(bmap);
	}

	split(bmap->root, start, false, &l, &r);
	pred = pop_max(&l);
	if (pred && pred->end >= start) {
		// The extent just below reaches (or touches) start: absorb it.
		if (pred->start < start)
			start = pred->start;
		if (pred->end > end)
			end = pred->end;
		drop_tree(bmap, pred, &spare);
	} else {
		l = merge(l, pred);
	}

	// Everything starting in [start, end] overlaps or touches the range.
	split(r, end, true, &mid, &r);
	if (mid) {
		struct bitmap_node *last = mid;

		while (last->right)
			last = last->right;
		if (last->end > end)
			end = last->end;
		drop_tree(bmap, mid, &spare);
	}

	spare->start = start;
	spare->end = end;
	bmap->nbits += end - start;
	bmap->nextents++;
	bmap->root = merge(merge(l, spare), r);
	return 0;
}

int bitmap_clear(struct bitmap *bmap, uint64_t start, uint64_t len)
{
	struct bitmap_node *l, *mid, *r, *pred, *tail = NULL;
	uint64_t end;

	if (!range_end(start, len, &end))
		return -EINVAL;
	if (len == 0)
		return 0;

	// Clearing the inside of one extent leaves two: allocate the second.
	pred = find_le(bmap->root, start);
	if (pred && pred->start < start && pred->end > end) {
		tail = malloc(sizeof(*tail));
		if (!tail)
			return -ENOMEM;
		tail->left = tail->right = NULL;
		tail->prio = next_prio(bmap);
		tail->start = end;
		tail->end = pred->end;
		bmap->nbits -= end - start;
		bmap->nextents++;
		pred->end = start;
		// Now the tree order still holds: tail sits right after pred.
		split(bmap->root, end, false, &l, &r);
		bmap->root = merge(merge(l, tail), r);
		return 0;
	}

	split(bmap->root, start, false, &l, &r);
	// An extent starting below start may run into the range: trim it.
	pred = pop_max(&l);
	if (pred && pred->end > start) {
		bmap->nbits -= pred->end - start;
		pred->end = start;
	}
	l = merge(l, pred);

	// Extents starting in [start, end) go; the last may outlive end.
	split(r, end, false, &mid, &r);
	tail = pop_max(&mid);
	if (tail && tail->end > end) {
		bmap->nbits -= end - tail->start;
		tail->start = end;
		r = merge(tail, r);
	} else if (tail) {
		drop_tree(bmap, tail, NULL);
	}
	drop_tree(bmap, mid, NULL);

	bmap->root = merge(l, r);
	return 0;
}

/* ---- queries ---- */

bool bitmap_test(const struct bitmap *bmap, uint64_t start, uint64_t len)
{
	uint64_t end = clip_end(start, len);
	struct bitmap_node *n;

	if (end <= start)
		return false;
	n = find_le(bmap->root, end - 1);	/* last extent starting in range or before */
	return n && n->end > start;
}

bool bitmap_test_all(const struct bitmap *bmap, uint64_t start, uint64_t len)
{
	uint64_t end = clip_end(start, len);
	struct bitmap_node *n;

	if (end <= start)
		return true;
	n = find_le(bmap->root, start);
	return n && n->end >= end;
}

bool bitmap_empty(const struct bitmap *bmap)
{
	return bmap->root == NULL;
}

uint64_t bitmap_count(const struct bitmap *bmap)
{
	return bmap->nbits;
}

size_t bitmap_nr_extents(const struct bitmap *bmap)
{
	return bmap->nextents;
}

static int walk(const struct bitmap_node *t, bitmap_walk_fn fn, void *priv)
{
	int error;

	while (t) {
		error = walk(t->left, fn, priv);
		if (error)
			return error;
		error = fn(t->start, t->end - t->start, priv);
		if (error)
			return error;
		t = t->right;
	}
	return 0;
}

int bitmap_iterate(const struct bitmap *bmap, bitmap_walk_fn fn, void *priv)
{
	return walk(bmap->root, fn, priv);
}

/* In-order walk of the extents meeting [start, end), clipped to it. */
static int walk_range(const struct bitmap_node *t, uint64_t start,
		      uint64_t end, bitmap_walk_fn fn, void *priv)
{
	uint64_t s, e;
	int error;

	while (t) {
		// Left extents end at or before t->start.
		if (t->start > start) {
			error = walk_range(t->left, start, end, fn, priv);
			if (error)
				return error;
		}
		if (t->start >= end)
			return 0;
		s = t->start > start ? t->start : start;
		e = t->end < end ? t->end : end;
		if (s < e) {
			error = fn(s, e - s, priv);
			if (error)
				return error;
		}
		// Right extents start at or after t->end.
		if (t->end >= end)
			return 0;
		t = t->right;
	}
	return 0;
}

int bitmap_iterate_range(const struct bitmap *bmap, uint64_t start,
			 uint64_t len, bitmap_walk_fn fn, void *priv)
{
	uint64_t end = clip_end(start, len);

	if (end <= start)
		return 0;
	return walk_range(bmap->root, start, end, fn, priv);
}

static int count_fn(uint64_t start, uint64_t len, void *priv)
{
	*(uint64_t *)priv += len;
	return 0;
}

uint64_t bitmap_count_range(const struct bitmap *bmap, uint64_t start,
			    uint64_t len)
{
	uint64_t total = 0;

	bitmap_iterate_range(bmap, start, len, count_fn, &total);
	return total;
}

bool bitmap_next_set(const struct bitmap *bmap, uint64_t pos,
		     uint64_t *startp, uint64_t *lenp)
{
	struct bitmap_node *n = find_le(bmap->root, pos);

	if (n && n->end > pos) {
		*startp = pos;
		*lenp = n->end - pos;
		return true;
	}
	n = find_gt(bmap->root, pos);
	if (!n)
		return false;
	*startp = n->start;
	*lenp = n->end - n->start;
	return true;
}

bool bitmap_next_clear(const struct bitmap *bmap, uint64_t pos,
		       uint64_t *startp, uint64_t *lenp)
{
	struct bitmap_node *n;

	if (pos >= UINT64_MAX)
		return false;
	// Extents never touch, so the bit right after one is always clear.
	n = find_le(bmap->root, pos);
	if (n && n->end > pos)
		pos = n->end;
	if (pos >= UINT64_MAX)
		return false;
	n = find_gt(bmap->root, pos);
	*startp = pos;
	*lenp = (n ? n->start : UINT64_MAX) - pos;
	return true;
}

/* ---- set algebra ---- */

static int union_fn(uint64_t start, uint64_t len, void *priv)
{
	return bitmap_set(priv, start, len);
}

static int subtract_fn(uint64_t start, uint64_t len, void *priv)
{
	return bitmap_clear(priv, start, len);
}

int bitmap_union(struct bitmap *dst, const struct bitmap *src)
{
	if (dst == src)
		return 0;
	return bitmap_iterate(src, union_fn, dst);
}

int bitmap_subtract(struct bitmap *dst, const struct bitmap *src)
{
	if (dst == src) {
		bitmap_reset(dst);
		return 0;
	}
	return bitmap_iterate(src, subtract_fn, dst);
}
