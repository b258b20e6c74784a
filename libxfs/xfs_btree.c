/*
 * xfs_btree.c: the generic read-only btree cursor (see xfs_btree.h):
 * descending from the root with binary searches, stepping between
 * records and blocks through the parent path, whole-tree walks.  The
 * per-tree differences (record and key layouts, comparisons, capacities)
 * come from struct xfs_btree_ops, defined in xfs_btree_ops.c.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_inode.h"
#include "xfs_trans.h"

#define KEYBUF_MAX	48	/* largest key_slot of any tree */

/* A decoded view of the block (or inode root) at one level. */
struct blkview {
	const uint8_t	*base;
	unsigned int	hdrlen;
	unsigned int	numrecs;
	unsigned int	level;
	unsigned int	maxkeys;	/* node key slots (ptr offset) */
};

static bool cur_iroot_level(const struct xfs_btree_cur *cur,
			    unsigned int lev)
{
	return cur->bc_iroot && lev == cur->bc_nlevels - 1;
}

/* Build a view of level lev, checking what we rely on. */
static int cur_view(struct xfs_btree_cur *cur, unsigned int lev,
		    struct blkview *v)
{
	const struct xfs_btree_ops *ops = cur->bc_ops;

	if (cur_iroot_level(cur, lev)) {
		const struct xfs_bmdr_block *r = cur->bc_iroot;

		v->base = cur->bc_iroot;
		v->hdrlen = sizeof(*r);
		v->numrecs = be16_to_cpu(r->bb_numrecs);
		v->level = be16_to_cpu(r->bb_level);
		v->maxkeys = xfs_bmdr_maxrecs(cur->bc_iroot_size);
		if (v->level != lev || v->numrecs > v->maxkeys ||
		    v->numrecs == 0) {
			return -EFSCORRUPTED;
		}
		return 0;
	} else {
		struct xfs_buf *bp = cur->bc_levels[lev].bp;
		const struct xfs_btree_block *b;
		unsigned int max;

		if (!bp) {
			return -EFSCORRUPTED;
		}
		b = bp->b_addr;
		v->base = bp->b_addr;
		v->hdrlen = ops->long_ptrs ? XFS_BTREE_LBLOCK_CRC_LEN :
					     XFS_BTREE_SBLOCK_CRC_LEN;
		v->numrecs = be16_to_cpu(b->bb_numrecs);
		v->level = be16_to_cpu(b->bb_level);
		v->maxkeys = ops->maxrecs(cur->bc_mp, 0);
		max = ops->maxrecs(cur->bc_mp, lev == 0);
		if (v->level != lev || v->numrecs > max) {
			return -EFSCORRUPTED;
		}
		// Only a root leaf may be empty.
		if (v->numrecs == 0 && lev != cur->bc_nlevels - 1) {
			return -EFSCORRUPTED;
		}
		return 0;
	}
}

static const void *view_rec(const struct xfs_btree_cur *cur,
			    const struct blkview *v, unsigned int i)
{
	return v->base + v->hdrlen + (size_t)(i - 1) * cur->bc_ops->rec_len;
}

static const void *view_key(const struct xfs_btree_cur *cur,
			    const struct blkview *v, unsigned int i)
{
	return v->base + v->hdrlen + (size_t)(i - 1) * cur->bc_ops->key_slot;
}

static uint64_t view_ptr(const struct xfs_btree_cur *cur,
			 const struct blkview *v, unsigned int i)
{
	const uint8_t *p = v->base + v->hdrlen +
			   (size_t)v->maxkeys * cur->bc_ops->key_slot +
			   (size_t)(i - 1) * cur->bc_ops->ptr_len;

	return cur->bc_ops->long_ptrs ? get_unaligned_be64(p) :
					get_unaligned_be32(p);
}

/* The key of entry i of a view: a node key, or a leaf record's key. */
static const void *view_entry_key(const struct xfs_btree_cur *cur,
				  const struct blkview *v, unsigned int i,
				  uint8_t *kbuf)
{
	if (v->level > 0) {
		return view_key(cur, v, i);
	}
	cur->bc_ops->rec_to_key(view_rec(cur, v, i), kbuf);
	return kbuf;
}

/* Install a referenced buffer at a level, dropping the old reference. */
void xfs_btree_set_level_buf(struct xfs_btree_cur *cur, unsigned int lev,
			     struct xfs_buf *bp)
{
	struct xfs_buf *old = cur->bc_levels[lev].bp;

	cur->bc_levels[lev].bp = bp;
	if (old && old != cur->bc_iroot_bp) {
		xfs_trans_brelse(cur->bc_tp, old);
	}
}

/* Read the block a pointer names, as level lev of this tree. */
int xfs_btree_read_block(struct xfs_btree_cur *cur, unsigned int lev,
			 uint64_t ptr, struct xfs_buf **bpp)
{
	struct xfs_mount *mp = cur->bc_mp;
	const struct xfs_btree_block *b;
	struct xfs_buf *bp;
	uint64_t daddr;
	unsigned int rflags = 0;
	int error;

	if (cur->bc_ops->long_ptrs) {
		if (!libxfs_verify_fsbno(mp, ptr)) {
			return -EFSCORRUPTED;
		}
		daddr = xfs_mp_fsb_to_daddr(mp, ptr);
	} else {
		if (ptr > UINT32_MAX ||
		    !libxfs_verify_agbno(mp, cur->bc_agno, (uint32_t)ptr)) {
			return -EFSCORRUPTED;
		}
		daddr = xfs_mp_agbno_to_daddr(mp, cur->bc_agno, (uint32_t)ptr);
	}
	if (cur->bc_flags & LIBXFS_BTREE_SALVAGE) {
		rflags |= LIBXFS_BUF_SALVAGE;
	}
	*bpp = NULL;
	error = xfs_trans_read_buf(mp, cur->bc_tp, daddr,
				   1U << mp->m_blkbb_log, rflags,
				   cur->bc_ops->buf_ops, &bp);
	if (error) {
		return error;
	}
	// Even a salvaged block must be of this tree and at this level.
	b = bp->b_addr;
	if (!xfs_verify_magic(cur->bc_ops->buf_ops, be32_to_cpu(b->bb_magic)) ||
	    be16_to_cpu(b->bb_level) != lev ||
	    (cur->bc_ops->long_ptrs &&
	     be64_to_cpu(b->bb_u.l.bb_owner) != cur->bc_ino)) {
		xfs_trans_brelse(cur->bc_tp, bp);
		return -EFSCORRUPTED;
	}
	*bpp = bp;
	return 0;
}

static int cur_read_block(struct xfs_btree_cur *cur, unsigned int lev,
			  uint64_t ptr)
{
	struct xfs_buf *bp;
	int error = xfs_btree_read_block(cur, lev, ptr, &bp);

	if (!error) {
		xfs_btree_set_level_buf(cur, lev, bp);
	}
	return error;
}

/* Make level lev hold the child named by level lev + 1's position. */
static int cur_load_child(struct xfs_btree_cur *cur, unsigned int lev)
{
	struct blkview pv;
	int error = cur_view(cur, lev + 1, &pv);

	if (error) {
		return error;
	}
	if (cur->bc_levels[lev + 1].ptr < 1 ||
	    cur->bc_levels[lev + 1].ptr > pv.numrecs) {
		return -EFSCORRUPTED;
	}
	return cur_read_block(cur, lev,
			      view_ptr(cur, &pv, cur->bc_levels[lev + 1].ptr));
}

/* Make the top level current (read the root block if there is one). */
static int cur_load_root(struct xfs_btree_cur *cur)
{
	unsigned int top = cur->bc_nlevels - 1;

	if (cur->bc_iroot || cur->bc_iroot_bp) {
		return 0;
	}
	return cur_read_block(cur, top, cur->bc_root);
}

/* ---- cursor creation ---- */

static int cur_alloc(struct xfs_mount *mp, const struct xfs_btree_ops *ops,
		     unsigned int nlevels, unsigned int flags,
		     struct xfs_btree_cur **curp)
{
	struct xfs_btree_cur *cur;

	*curp = NULL;
	if (nlevels < 1 || nlevels > XFS_BTREE_MAXLEVELS ||
	    ops->key_slot > KEYBUF_MAX) {
		return -EFSCORRUPTED;
	}
	cur = calloc(1, sizeof(*cur));
	if (!cur) {
		return -ENOMEM;
	}
	cur->bc_mp = mp;
	cur->bc_ops = ops;
	cur->bc_nlevels = nlevels;
	cur->bc_flags = flags;
	*curp = cur;
	return 0;
}

int libxfs_btree_init_ag_cursor(struct xfs_mount *mp,
				const struct xfs_btree_ops *ops, uint32_t agno,
				uint32_t root, unsigned int nlevels,
				unsigned int flags,
				struct xfs_btree_cur **curp)
{
	int error;

	*curp = NULL;
	if (ops->long_ptrs || !libxfs_verify_agno(mp, agno) ||
	    !libxfs_verify_agbno(mp, agno, root)) {
		return -EFSCORRUPTED;
	}
	error = cur_alloc(mp, ops, nlevels, flags, curp);
	if (error) {
		return error;
	}
	(*curp)->bc_agno = agno;
	(*curp)->bc_root = root;
	return 0;
}

int libxfs_btree_init_agf_cursor(struct xfs_mount *mp, struct xfs_buf *agf_bp,
				 const struct xfs_btree_ops *ops,
				 unsigned int flags,
				 struct xfs_btree_cur **curp)
{
	const struct xfs_agf *agf = agf_bp->b_addr;
	uint32_t agno = be32_to_cpu(agf->agf_seqno), root, levels;

	if (ops == &xfs_bnobt_ops || ops == &xfs_cntbt_ops ||
	    ops == &xfs_rmapbt_ops) {
		int i = ops == &xfs_bnobt_ops ? XFS_AGF_BNO :
			ops == &xfs_cntbt_ops ? XFS_AGF_CNT : XFS_AGF_RMAP;

		if (i == XFS_AGF_RMAP && !xfs_has_rmapbt(mp)) {
			return -EOPNOTSUPP;
		}
		root = be32_to_cpu(agf->agf_roots[i]);
		levels = be32_to_cpu(agf->agf_levels[i]);
	} else if (ops == &xfs_refcountbt_ops) {
		if (!xfs_has_reflink(mp)) {
			return -EOPNOTSUPP;
		}
		root = be32_to_cpu(agf->agf_refcount_root);
		levels = be32_to_cpu(agf->agf_refcount_level);
	} else {
		return -EINVAL;
	}
	return libxfs_btree_init_ag_cursor(mp, ops, agno, root, levels, flags,
					   curp);
}

int libxfs_btree_init_agi_cursor(struct xfs_mount *mp, struct xfs_buf *agi_bp,
				 const struct xfs_btree_ops *ops,
				 unsigned int flags,
				 struct xfs_btree_cur **curp)
{
	const struct xfs_agi *agi = agi_bp->b_addr;
	uint32_t agno = be32_to_cpu(agi->agi_seqno);

	if (ops == &xfs_inobt_ops) {
		return libxfs_btree_init_ag_cursor(mp, ops, agno,
				be32_to_cpu(agi->agi_root),
				be32_to_cpu(agi->agi_level), flags, curp);
	}
	if (ops == &xfs_finobt_ops) {
		if (!xfs_has_finobt(mp)) {
			return -EOPNOTSUPP;
		}
		return libxfs_btree_init_ag_cursor(mp, ops, agno,
				be32_to_cpu(agi->agi_free_root),
				be32_to_cpu(agi->agi_free_level), flags, curp);
	}
	return -EINVAL;
}

int libxfs_bmbt_init_cursor(struct xfs_mount *mp, struct xfs_inode *ip,
			    int whichfork, unsigned int flags,
			    struct xfs_btree_cur **curp)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	const struct xfs_bmdr_block *r = ifp->if_data;
	unsigned int level;
	int error;

	*curp = NULL;
	if (ifp->if_format != XFS_DINODE_FMT_BTREE) {
		return -EINVAL;
	}
	if (!r || ifp->if_size < sizeof(*r) + 16) {
		return -EFSCORRUPTED;
	}
	level = be16_to_cpu(r->bb_level);
	if (level == 0 || level >= mp->m_bm_maxlevels[whichfork]) {
		return -EFSCORRUPTED;
	}
	error = cur_alloc(mp, &xfs_bmbt_ops, level + 1, flags, curp);
	if (error) {
		return error;
	}
	(*curp)->bc_ino = ip->i_ino;
	(*curp)->bc_iroot = ifp->if_data;
	(*curp)->bc_iroot_size = ifp->if_size;
	return 0;
}

void libxfs_btree_del_cursor(struct xfs_btree_cur *cur)
{
	unsigned int i;

	if (!cur) {
		return;
	}
	for (i = 0; i < XFS_BTREE_MAXLEVELS; i++) {
		if (cur->bc_levels[i].bp &&
		    cur->bc_levels[i].bp != cur->bc_iroot_bp) {
			xfs_trans_brelse(cur->bc_tp, cur->bc_levels[i].bp);
		}
	}
	if (cur->bc_iroot_bp) {
		free(cur->bc_iroot_bp->b_addr);
		free(cur->bc_iroot_bp);
	}
	free(cur);
}

/* ---- positioning ---- */

/*
 * Descend from the root to level `stop`, taking at each level the entry
 * chosen by pick: 1 = first, 2 = last.
 */
static int cur_descend_edge(struct xfs_btree_cur *cur, unsigned int stop,
			    bool last)
{
	unsigned int lev = cur->bc_nlevels - 1;
	struct blkview v;
	int error;

	error = cur_load_root(cur);
	// Invariant: level lev is loaded; levels above have positions.
	for (;;) {
		if (error) {
			return error;
		}
		error = cur_view(cur, lev, &v);
		if (error) {
			return error;
		}
		cur->bc_levels[lev].ptr = last ? v.numrecs : 1;
		if (v.numrecs == 0) {
			cur->bc_levels[lev].ptr = 0;
		}
		if (lev == stop || v.numrecs == 0) {
			return 0;
		}
		lev--;
		error = cur_load_child(cur, lev);
	}
}

int libxfs_btree_goto_first(struct xfs_btree_cur *cur, int *stat)
{
	struct blkview v;
	int error = cur_descend_edge(cur, 0, false);

	*stat = 0;
	if (error) {
		return error;
	}
	error = cur_view(cur, 0, &v);
	if (!error && v.level == 0 && v.numrecs > 0 &&
	    cur->bc_levels[0].bp) {
		*stat = 1;
	}
	return error;
}

int libxfs_btree_goto_last(struct xfs_btree_cur *cur, int *stat)
{
	struct blkview v;
	int error = cur_descend_edge(cur, 0, true);

	*stat = 0;
	if (error) {
		return error;
	}
	error = cur_view(cur, 0, &v);
	if (!error && v.numrecs > 0 && cur->bc_levels[0].bp) {
		*stat = 1;
	}
	return error;
}

/*
 * Move to the next entry at level lev, crossing into the next block of
 * that level through the parent path when the current block is done.
 */
static int cur_increment_at(struct xfs_btree_cur *cur, unsigned int lev,
			    int *stat)
{
	struct blkview v;
	unsigned int l;
	int error;

	*stat = 0;
	error = cur_view(cur, lev, &v);
	if (error) {
		return error;
	}
	if (cur->bc_levels[lev].ptr < v.numrecs) {
		cur->bc_levels[lev].ptr++;
		*stat = 1;
		return 0;
	}
	for (l = lev + 1; l < cur->bc_nlevels; l++) {
		error = cur_view(cur, l, &v);
		if (error) {
			return error;
		}
		if (cur->bc_levels[l].ptr < v.numrecs) {
			break;
		}
	}
	if (l == cur->bc_nlevels) {
		error = cur_view(cur, lev, &v);
		if (!error) {
			cur->bc_levels[lev].ptr = v.numrecs + 1; /* off the end */
		}
		return error;
	}
	cur->bc_levels[l].ptr++;
	while (l-- > lev) {
		error = cur_load_child(cur, l);
		if (error) {
			return error;
		}
		cur->bc_levels[l].ptr = 1;
	}
	*stat = 1;
	return 0;
}

static int cur_decrement_at(struct xfs_btree_cur *cur, unsigned int lev,
			    int *stat)
{
	struct blkview v;
	unsigned int l;
	int error;

	*stat = 0;
	error = cur_view(cur, lev, &v);
	if (error) {
		return error;
	}
	if (cur->bc_levels[lev].ptr > 1) {
		if (cur->bc_levels[lev].ptr > v.numrecs + 1) {
			cur->bc_levels[lev].ptr = v.numrecs + 1;
		}
		cur->bc_levels[lev].ptr--;
		*stat = cur->bc_levels[lev].ptr >= 1;
		return 0;
	}
	for (l = lev + 1; l < cur->bc_nlevels; l++) {
		if (cur->bc_levels[l].ptr > 1) {
			break;
		}
	}
	if (l == cur->bc_nlevels) {
		cur->bc_levels[lev].ptr = 0;	/* before the start */
		return 0;
	}
	cur->bc_levels[l].ptr--;
	while (l-- > lev) {
		error = cur_load_child(cur, l);
		if (!error) {
			error = cur_view(cur, l, &v);
		}
		if (error) {
			return error;
		}
		cur->bc_levels[l].ptr = v.numrecs;
	}
	*stat = 1;
	return 0;
}

int libxfs_btree_increment(struct xfs_btree_cur *cur, int *stat)
{
	return cur_increment_at(cur, 0, stat);
}

int libxfs_btree_decrement(struct xfs_btree_cur *cur, int *stat)
{
	return cur_decrement_at(cur, 0, stat);
}

int libxfs_btree_lookup(struct xfs_btree_cur *cur, enum xfs_lookup dir,
			const void *key, int *stat)
{
	const struct xfs_btree_ops *ops = cur->bc_ops;
	uint8_t kbuf[KEYBUF_MAX];
	unsigned int lev = cur->bc_nlevels - 1, lo, hi, ans;
	struct blkview v;
	int error, cmp = -1;

	*stat = 0;
	error = cur_load_root(cur);
	// Invariant: level lev is loaded, levels above point at its parent.
	for (;;) {
		if (error) {
			return error;
		}
		error = cur_view(cur, lev, &v);
		if (error) {
			return error;
		}
		if (v.numrecs == 0) {
			cur->bc_levels[lev].ptr = 0;	/* empty tree */
			return 0;
		}
		// Last entry whose key is <= the search key (0 if none).
		lo = 1;
		hi = v.numrecs;
		ans = 0;
		while (lo <= hi) {
			unsigned int mid = lo + (hi - lo) / 2;
			int c = ops->key_cmp(view_entry_key(cur, &v, mid, kbuf),
					     key);

			if (c <= 0) {
				ans = mid;
				cmp = c;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		if (lev == 0) {
			break;
		}
		// A key below every subtree still descends leftmost.
		cur->bc_levels[lev].ptr = ans ? ans : 1;
		lev--;
		error = cur_load_child(cur, lev);
	}
	cur->bc_levels[0].ptr = ans;
	if (dir == XFS_LOOKUP_LE) {
		*stat = ans > 0;
		return 0;
	}
	if (ans > 0 && cmp == 0) {
		*stat = 1;
		return 0;
	}
	if (dir == XFS_LOOKUP_EQ) {
		cur->bc_levels[0].ptr = ans + 1 <= v.numrecs ? ans + 1 : ans;
		return 0;
	}
	// GE: the next record, possibly in the next leaf.
	if (ans < v.numrecs) {
		cur->bc_levels[0].ptr = ans + 1;
		*stat = 1;
		return 0;
	}
	cur->bc_levels[0].ptr = v.numrecs;
	return cur_increment_at(cur, 0, stat);
}

int libxfs_btree_get_rec(struct xfs_btree_cur *cur, const void **recp,
			 int *stat)
{
	struct blkview v;
	unsigned int ptr = cur->bc_levels[0].ptr;
	int error;

	*stat = 0;
	*recp = NULL;
	if (!cur->bc_levels[0].bp) {
		return 0;
	}
	error = cur_view(cur, 0, &v);
	if (error) {
		return error;
	}
	if (ptr < 1 || ptr > v.numrecs) {
		return 0;
	}
	*recp = view_rec(cur, &v, ptr);
	*stat = 1;
	return 0;
}

/* ---- walks ---- */

int libxfs_btree_query_all(struct xfs_btree_cur *cur, xfs_btree_rec_fn fn,
			   void *priv)
{
	uint8_t prev[KEYBUF_MAX], key[KEYBUF_MAX];
	const void *rec;
	bool have_prev = false;
	int error, stat;

	error = libxfs_btree_goto_first(cur, &stat);
	while (!error && stat) {
		error = libxfs_btree_get_rec(cur, &rec, &stat);
		if (error || !stat) {
			break;
		}
		cur->bc_ops->rec_to_key(rec, key);
		if (have_prev && cur->bc_ops->key_cmp(prev, key) > 0) {
			return -EFSCORRUPTED;	/* keys went backwards */
		}
		memcpy(prev, key, cur->bc_ops->key_len);
		have_prev = true;
		error = fn(cur, rec, priv);
		if (error) {
			return error;
		}
		error = libxfs_btree_increment(cur, &stat);
	}
	return error;
}

int libxfs_btree_visit_blocks(struct xfs_btree_cur *cur,
			      xfs_btree_block_fn fn, void *priv)
{
	unsigned int lev = cur->bc_nlevels;
	int error, stat;

	while (lev-- > 0) {
		if (cur_iroot_level(cur, lev) ||
		    (cur->bc_iroot_bp && lev == cur->bc_nlevels - 1)) {
			continue;
		}
		error = cur_descend_edge(cur, lev, false);
		if (error) {
			return error;
		}
		// Walk the level a block at a time.
		for (;;) {
			struct blkview v;

			error = fn(cur, lev, cur->bc_levels[lev].bp, priv);
			if (error) {
				return error;
			}
			error = cur_view(cur, lev, &v);
			if (error) {
				return error;
			}
			if (v.numrecs == 0) {
				break;
			}
			cur->bc_levels[lev].ptr = v.numrecs;
			error = cur_increment_at(cur, lev, &stat);
			if (error) {
				return error;
			}
			if (!stat) {
				break;
			}
		}
	}
	return 0;
}

static int count_rec(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	(*(uint64_t *)priv)++;
	return 0;
}

int libxfs_btree_count_records(struct xfs_btree_cur *cur, uint64_t *count)
{
	*count = 0;
	return libxfs_btree_query_all(cur, count_rec, count);
}
