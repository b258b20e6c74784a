/*
 * xfs_alloc.c: the real extent allocator (see xfs_alloc.h), which runs
 * on whatever thread calls __xfs_alloc_vextent -- an allocation worker,
 * normally.  It owns the per-AG free list (AGFL) upkeep, the search
 * strategies (exact, near, best size fit), the AG iteration with its
 * locking rules, and returning extents to free space with merging.
 *
 * Free-space bookkeeping per AG: agf_freeblks counts blocks in the
 * free-space btrees, agf_flcount blocks on the free list, agf_btreeblks
 * blocks of the bno/cnt/rmap btrees beyond their roots; all three count
 * as free in sb_fdblocks, so only extents handed to (or taken back from)
 * callers change it.  agf_longest is the last record of the cntbt.
 *
 * Locking: an AG is locked by owning its AGF buffer in a transaction.
 * A transaction that changed the AGF of AG n only waits for AGFs above n;
 * below it, it only tries (so two transactions never wait on each other
 * in a circle).
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"

/* How many of the largest extents a size search weighs for alignment. */
#define SIZE_SEARCH_TAIL	16

static uint32_t agf_agno(struct xfs_buf *agbp)
{
	return be32_to_cpu(((struct xfs_agf *)agbp->b_addr)->agf_seqno);
}

/* ---- free-space btree records ---- */

struct alloc_curs {
	struct xfs_btree_cur	*bno;
	struct xfs_btree_cur	*cnt;
};

static int curs_init(struct xfs_trans *tp, struct xfs_buf *agbp,
		     struct alloc_curs *c)
{
	int error;

	c->bno = c->cnt = NULL;
	error = xfs_allocbt_init_cursor(tp->t_mountp, tp, agbp, &xfs_bnobt_ops,
					&c->bno);
	if (!error) {
		error = xfs_allocbt_init_cursor(tp->t_mountp, tp, agbp,
						&xfs_cntbt_ops, &c->cnt);
	}
	return error;
}

static void curs_free(struct alloc_curs *c)
{
	libxfs_btree_del_cursor(c->bno);
	libxfs_btree_del_cursor(c->cnt);
}

static int arec_lookup(struct xfs_btree_cur *cur, enum xfs_lookup dir,
		       uint32_t bno, uint32_t len, int *stat)
{
	struct xfs_alloc_rec k = {
		.ar_startblock = cpu_to_be32(bno),
		.ar_blockcount = cpu_to_be32(len),
	};

	return libxfs_btree_lookup(cur, dir, &k, stat);
}

static int arec_get(struct xfs_btree_cur *cur, uint32_t *bno, uint32_t *len,
		    int *stat)
{
	const struct xfs_alloc_rec *r;
	const void *rec;
	int error = libxfs_btree_get_rec(cur, &rec, stat);

	if (error || !*stat) {
		return error;
	}
	r = rec;
	*bno = be32_to_cpu(r->ar_startblock);
	*len = be32_to_cpu(r->ar_blockcount);
	if (*len == 0) {
		return -EFSCORRUPTED;
	}
	return 0;
}

static int arec_update(struct xfs_btree_cur *cur, uint32_t bno, uint32_t len)
{
	struct xfs_alloc_rec r = {
		.ar_startblock = cpu_to_be32(bno),
		.ar_blockcount = cpu_to_be32(len),
	};

	return libxfs_btree_update(cur, &r);
}

static int arec_insert(struct xfs_btree_cur *cur, uint32_t bno, uint32_t len)
{
	struct xfs_alloc_rec r = {
		.ar_startblock = cpu_to_be32(bno),
		.ar_blockcount = cpu_to_be32(len),
	};
	int error, stat;

	error = libxfs_btree_insert(cur, &r, &stat);
	return error ? error : (stat ? 0 : -EFSCORRUPTED);
}

/* Position on exactly (bno, len); anything else is corruption. */
static int arec_find(struct xfs_btree_cur *cur, uint32_t bno, uint32_t len)
{
	uint32_t b, l;
	int error, stat;

	error = arec_lookup(cur, XFS_LOOKUP_EQ, bno, len, &stat);
	if (!error && stat) {
		error = arec_get(cur, &b, &l, &stat);
	}
	if (error) {
		return error;
	}
	return stat && b == bno && l == len ? 0 : -EFSCORRUPTED;
}

static int arec_delete(struct xfs_btree_cur *cur, uint32_t bno, uint32_t len)
{
	int error = arec_find(cur, bno, len), stat;

	if (!error) {
		error = libxfs_btree_delete(cur, &stat);
	}
	return error;
}

/* agf_longest := the largest free extent (the cntbt's last record). */
static int update_longest(struct xfs_trans *tp, struct xfs_buf *agbp,
			  struct xfs_btree_cur *cnt)
{
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t bno, len = 0;
	int error, stat;

	error = libxfs_btree_goto_last(cnt, &stat);
	if (!error && stat) {
		error = arec_get(cnt, &bno, &len, &stat);
	}
	if (error) {
		return error;
	}
	agf->agf_longest = cpu_to_be32(stat ? len : 0);
	xfs_alloc_log_agf(tp, agbp);
	return 0;
}

/*
 * Take [rbno, rbno + rlen) out of the free extent [fbno, fbno + flen) in
 * both trees, leaving up to two pieces.
 */
static int fixup_trees(struct alloc_curs *c, uint32_t fbno, uint32_t flen,
		       uint32_t rbno, uint32_t rlen)
{
	uint32_t lend = rbno - fbno;			/* head piece */
	uint32_t tail = fbno + flen - (rbno + rlen);	/* tail piece */
	int error;

	if (rbno < fbno || rbno + rlen > fbno + flen || rlen == 0) {
		return -EFSCORRUPTED;
	}
	error = arec_delete(c->cnt, fbno, flen);
	if (!error && lend) {
		error = arec_insert(c->cnt, fbno, lend);
	}
	if (!error && tail) {
		error = arec_insert(c->cnt, rbno + rlen, tail);
	}
	if (!error) {
		error = arec_find(c->bno, fbno, flen);
	}
	if (error) {
		return error;
	}
	if (lend) {
		error = arec_update(c->bno, fbno, lend);
		if (!error && tail) {
			error = arec_insert(c->bno, rbno + rlen, tail);
		}
	} else if (tail) {
		error = arec_update(c->bno, rbno + rlen, tail);
	} else {
		int stat;

		error = libxfs_btree_delete(c->bno, &stat);
	}
	return error;
}

/* ---- freeing ---- */

/*
 * Return [bno, bno + len) of the AG behind agbp to free space, merging
 * with free neighbours.  counted: the blocks were the caller's, so
 * sb_fdblocks grows (free-list blocks were counted free already).
 */
static int free_ag_extent(struct xfs_trans *tp, struct xfs_buf *agbp,
			  uint32_t bno, uint32_t len,
			  const struct xfs_owner_info *oinfo, bool counted)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t lbno = 0, llen = 0, rbno = 0, rlen = 0, nbno = bno, nlen = len;
	bool has_left = false, has_right = false;
	struct alloc_curs c;
	int error, stat;

	if (len == 0 || bno + len < bno ||
	    bno + len > libxfs_ag_block_count(mp, agf_agno(agbp))) {
		return -EFSCORRUPTED;
	}
	error = xfs_rmap_free(tp, agbp, bno, len, oinfo);
	if (error) {
		return error;
	}
	error = curs_init(tp, agbp, &c);
	if (error) {
		goto out;
	}
	// Neighbours: they must not overlap what we free (double free).
	error = arec_lookup(c.bno, XFS_LOOKUP_LE, bno, 0, &stat);
	if (!error && stat) {
		error = arec_get(c.bno, &lbno, &llen, &stat);
		if (!error && stat) {
			if (lbno + llen > bno) {
				error = -EFSCORRUPTED;
			}
			has_left = lbno + llen == bno;
		}
	}
	if (!error) {
		error = arec_lookup(c.bno, XFS_LOOKUP_GE, bno, 0, &stat);
	}
	if (!error && stat) {
		error = arec_get(c.bno, &rbno, &rlen, &stat);
		if (!error && stat) {
			if (bno + len > rbno) {
				error = -EFSCORRUPTED;
			}
			has_right = bno + len == rbno;
		}
	}
	if (error) {
		goto out;
	}
	if (has_left) {
		error = arec_delete(c.cnt, lbno, llen);
		nbno = lbno;
		nlen += llen;
	}
	if (!error && has_right) {
		error = arec_delete(c.cnt, rbno, rlen);
		nlen += rlen;
	}
	if (!error && has_left && has_right) {
		error = arec_delete(c.bno, rbno, rlen);
		if (!error) {
			error = arec_find(c.bno, lbno, llen);
		}
		if (!error) {
			error = arec_update(c.bno, nbno, nlen);
		}
	} else if (!error && has_left) {
		error = arec_find(c.bno, lbno, llen);
		if (!error) {
			error = arec_update(c.bno, nbno, nlen);
		}
	} else if (!error && has_right) {
		error = arec_find(c.bno, rbno, rlen);
		if (!error) {
			error = arec_update(c.bno, nbno, nlen);
		}
	} else if (!error) {
		error = arec_insert(c.bno, nbno, nlen);
	}
	if (!error) {
		error = arec_insert(c.cnt, nbno, nlen);
	}
	if (error) {
		goto out;
	}
	be32_add_cpu(&agf->agf_freeblks, (int32_t)len);
	error = update_longest(tp, agbp, c.cnt);
	if (!error && counted) {
		xfs_trans_mod_sb(tp, XFS_TRANS_SB_FDBLOCKS, len);
	}
out:
	curs_free(&c);
	return error;
}

/* ---- searching ---- */

/* A found extent: free extent [fbno, +flen), the part taken [rbno, +rlen). */
struct alloc_found {
	bool		ok;
	uint32_t	fbno, flen;
	uint32_t	rbno, rlen;
};

static uint32_t roundup_u32(uint32_t v, uint32_t a)
{
	return (uint32_t)(((uint64_t)v + a - 1) / a * a);
}

/* Trim len so that len % prod == mod, as far as minlen allows. */
static uint32_t fix_len(const struct xfs_alloc_arg *args, uint32_t len)
{
	uint32_t k;

	if (args->prod <= 1 || len < args->mod || len == args->maxlen ||
	    (args->mod == 0 && len < args->prod)) {
		return len;
	}
	k = len % args->prod;
	if (k > args->mod) {
		len -= k - args->mod;
	} else if (k < args->mod) {
		len = len >= args->prod - (args->mod - k) ?
		      len - (args->prod - (args->mod - k)) : 0;
	}
	return len;
}

/* The aligned start and usable length (<= maxlen) of a free extent. */
static uint32_t usable(const struct xfs_alloc_arg *args, uint32_t fbno,
		       uint32_t flen, uint32_t *start)
{
	uint32_t s = roundup_u32(fbno, args->alignment);
	uint32_t len;

	*start = s;
	if (s - fbno >= flen) {
		return 0;
	}
	len = flen - (s - fbno);
	return len < args->maxlen ? len : args->maxlen;
}

static int search_exact(struct xfs_alloc_arg *args, struct alloc_curs *c,
			uint32_t agbno, struct alloc_found *f)
{
	uint32_t fbno, flen, end;
	int error, stat;

	error = arec_lookup(c->bno, XFS_LOOKUP_LE, agbno, 0, &stat);
	if (!error && stat) {
		error = arec_get(c->bno, &fbno, &flen, &stat);
	}
	if (error || !stat || fbno + flen <= agbno) {
		return error;
	}
	end = fbno + flen;
	if (end - agbno > args->maxlen) {
		end = agbno + args->maxlen;
	}
	f->rlen = fix_len(args, end - agbno);
	if (f->rlen < args->minlen) {
		return 0;
	}
	f->ok = true;
	f->fbno = fbno;
	f->flen = flen;
	f->rbno = agbno;
	return 0;
}

/* Best fit by size: the smallest extent that holds maxlen, else the biggest. */
static int search_size(struct xfs_alloc_arg *args, struct alloc_curs *c,
		       struct alloc_found *f)
{
	uint32_t want = args->maxlen + args->alignment - 1, fbno, flen;
	uint32_t start, len, best = 0;
	int error, stat, n;

	error = arec_lookup(c->cnt, XFS_LOOKUP_GE, 0, want, &stat);
	if (error) {
		return error;
	}
	if (stat) {
		error = arec_get(c->cnt, &fbno, &flen, &stat);
		if (error || !stat) {
			return error;
		}
		best = usable(args, fbno, flen, &start);
		f->fbno = fbno;
		f->flen = flen;
		f->rbno = start;
	} else {
		// Nothing that big: weigh the largest few.
		error = libxfs_btree_goto_last(c->cnt, &stat);
		for (n = 0; !error && stat && n < SIZE_SEARCH_TAIL; n++) {
			error = arec_get(c->cnt, &fbno, &flen, &stat);
			if (error || !stat || flen <= best) {
				break;
			}
			len = usable(args, fbno, flen, &start);
			if (len > best) {
				best = len;
				f->fbno = fbno;
				f->flen = flen;
				f->rbno = start;
			}
			error = libxfs_btree_decrement(c->cnt, &stat);
		}
		if (error) {
			return error;
		}
	}
	f->rlen = fix_len(args, best);
	f->ok = best > 0 && f->rlen >= args->minlen;
	return 0;
}

/*
 * Blocks for the free list: a whole free extent no longer than maxlen if
 * there is one (taking it only deletes records, so the trees cannot
 * need split blocks from the very list being filled), else by size.
 */
static int search_freelist(struct xfs_alloc_arg *args, struct alloc_curs *c,
			   struct alloc_found *f)
{
	uint32_t fbno, flen;
	int error, stat;

	error = arec_lookup(c->cnt, XFS_LOOKUP_LE, UINT32_MAX, args->maxlen,
			    &stat);
	if (!error && stat) {
		error = arec_get(c->cnt, &fbno, &flen, &stat);
	}
	if (error) {
		return error;
	}
	if (!stat) {
		return search_size(args, c, f);
	}
	f->ok = true;
	f->fbno = f->rbno = fbno;
	f->flen = f->rlen = flen;
	return 0;
}

/*
 * Where in [fbno, fbno + flen) a maxlen piece can start closest to
 * target; false if it does not fit.
 */
static bool place_near(const struct xfs_alloc_arg *args, uint32_t fbno,
		       uint32_t flen, uint32_t target, uint32_t *start,
		       uint32_t *dist)
{
	uint32_t a = args->alignment, lo, hi, cl, s;

	lo = roundup_u32(fbno, a);
	if (flen < args->maxlen || lo > fbno + flen - args->maxlen) {
		return false;
	}
	hi = (fbno + flen - args->maxlen) / a * a;
	cl = target < lo ? lo : target > hi ? hi : target;
	s = cl / a * a;
	if (s < lo) {
		s = lo;
	}
	if (s + a <= hi && (s + a) - target < (target > s ? target - s : s - target)) {
		s += a;
	}
	*start = s;
	*dist = s > target ? s - target : target - s;
	return true;
}

/*
 * The free extent nearest target that holds a whole maxlen piece,
 * walking the bnobt outwards both ways and stopping each way once
 * nothing further can be nearer than the best so far.
 */
static int search_near(struct xfs_alloc_arg *args, struct alloc_curs *c,
		       struct xfs_btree_cur *right, uint32_t target,
		       struct alloc_found *f)
{
	uint32_t lb = 0, ll = 0, rb = 0, rl = 0, start, dist;
	uint32_t best = UINT32_MAX;
	int error, lstat, rstat;

	error = arec_lookup(c->bno, XFS_LOOKUP_LE, target, 0, &lstat);
	if (!error && lstat) {
		error = arec_get(c->bno, &lb, &ll, &lstat);
	}
	if (!error) {
		error = arec_lookup(right, XFS_LOOKUP_GE, target + 1, 0,
				    &rstat);
	}
	if (!error && rstat) {
		error = arec_get(right, &rb, &rl, &rstat);
	}
	while (!error && (lstat || rstat)) {
		// Lower bounds on the distance of anything further out.
		uint64_t lbound = lstat ? (lb + ll >= target + args->maxlen ?
				  0 : (uint64_t)target + args->maxlen -
				      (lb + ll)) : UINT64_MAX;
		uint64_t rbound = rstat ? rb - target : UINT64_MAX;
		bool go_left = lbound <= rbound;

		if ((go_left ? lbound : rbound) >= best) {
			break;
		}
		if (go_left) {
			if (place_near(args, lb, ll, target, &start, &dist) &&
			    dist < best) {
				best = dist;
				f->fbno = lb;
				f->flen = ll;
				f->rbno = start;
			}
			error = libxfs_btree_decrement(c->bno, &lstat);
			if (!error && lstat) {
				error = arec_get(c->bno, &lb, &ll, &lstat);
			}
		} else {
			if (place_near(args, rb, rl, target, &start, &dist) &&
			    dist < best) {
				best = dist;
				f->fbno = rb;
				f->flen = rl;
				f->rbno = start;
			}
			error = libxfs_btree_increment(right, &rstat);
			if (!error && rstat) {
				error = arec_get(right, &rb, &rl, &rstat);
			}
		}
	}
	if (!error && best != UINT32_MAX) {
		f->rlen = args->maxlen;
		f->ok = true;
	}
	return error;
}

/* ---- one AG ---- */

/* Could this AG satisfy args once its free list holds `need` blocks? */
static bool space_available(const struct xfs_alloc_arg *args,
			    const struct xfs_agf *agf, unsigned int need)
{
	int64_t flcount = be32_to_cpu(agf->agf_flcount);
	int64_t longest = be32_to_cpu(agf->agf_longest);
	int64_t freeblks = be32_to_cpu(agf->agf_freeblks);
	int64_t delta = need > flcount ? need - flcount : 0;
	int64_t alloc_len = (int64_t)args->minlen + args->alignment - 1;
	int64_t available, want;

	if (longest - delta < alloc_len) {
		return false;
	}
	available = freeblks + flcount - need - args->minleft;
	want = args->total > alloc_len ? args->total : alloc_len;
	return available >= want;
}

static int alloc_in_ag(struct xfs_alloc_arg *args, struct xfs_buf *agbp,
		       enum xfs_alloc_op op, uint32_t target);

/*
 * Bring the AG's free list to what the btrees may need: give back any
 * excess, then fill it from the AG's free space.  *ok false: the AG has
 * no room for args (nothing was changed).
 */
static int fix_freelist(struct xfs_alloc_arg *args, struct xfs_buf *agbp,
			bool freeing, bool *ok)
{
	struct xfs_trans *tp = args->tp;
	struct xfs_agf *agf = agbp->b_addr;
	struct xfs_owner_info own_ag = xfs_rmap_special_owner(XFS_RMAP_OWN_AG);
	unsigned int need = xfs_alloc_min_freelist(tp->t_mountp, agbp);
	struct xfs_alloc_arg targs;
	uint32_t bno, i;
	int error;

	*ok = false;
	if (!freeing && !space_available(args, agf, need)) {
		return 0;
	}
	while (be32_to_cpu(agf->agf_flcount) > need) {
		error = xfs_alloc_get_freelist(tp, agbp, &bno, false);
		if (!error) {
			error = free_ag_extent(tp, agbp, bno, 1, &own_ag, false);
		}
		if (error) {
			return error;
		}
		need = xfs_alloc_min_freelist(tp->t_mountp, agbp);
	}
	memset(&targs, 0, sizeof(targs));
	targs.tp = tp;
	targs.mp = tp->t_mountp;
	targs.alignment = targs.prod = 1;
	targs.oinfo = own_ag;
	targs.flags = XFS_ALLOC_FLAG_FREELIST | XFS_ALLOC_FLAG_NOFIX;
	while (be32_to_cpu(agf->agf_flcount) < need) {
		targs.minlen = 1;
		targs.maxlen = need - be32_to_cpu(agf->agf_flcount);
		targs.fsbno = NULLFSBLOCK;
		error = alloc_in_ag(&targs, agbp, XFS_ALLOC_OP_THIS_AG, 0);
		if (error) {
			return error;
		}
		if (targs.fsbno == NULLFSBLOCK) {
			return freeing ? 0 : -ENOSPC;
		}
		for (i = 0; i < targs.len; i++) {
			error = xfs_alloc_put_freelist(tp, agbp,
						       targs.agbno + i, false);
			if (error) {
				return error;
			}
		}
		need = xfs_alloc_min_freelist(tp->t_mountp, agbp);
	}
	*ok = true;
	return 0;
}

/*
 * Allocate in the AG behind agbp (held by args->tp): fix the free list
 * unless this is a free-list fill, search, take the extent out of the
 * free-space trees, record its owner.  Sets args->fsbno on success.
 */
static int alloc_in_ag(struct xfs_alloc_arg *args, struct xfs_buf *agbp,
		       enum xfs_alloc_op op, uint32_t target)
{
	struct xfs_mount *mp = args->mp;
	struct xfs_agf *agf = agbp->b_addr;
	uint32_t agno = agf_agno(agbp);
	struct alloc_found f = { .ok = false };
	struct xfs_btree_cur *right = NULL;
	struct alloc_curs c;
	bool ok;
	int error;

	if (!(args->flags & XFS_ALLOC_FLAG_NOFIX)) {
		error = fix_freelist(args, agbp, false, &ok);
		if (error || !ok) {
			return error;
		}
	}
	error = curs_init(args->tp, agbp, &c);
	if (error) {
		goto out;
	}
	switch (op) {
	case XFS_ALLOC_OP_EXACT_BNO:
		error = search_exact(args, &c, target, &f);
		break;
	case XFS_ALLOC_OP_NEAR_BNO:
		// The longest extent decides: near if it holds maxlen.
		if (be32_to_cpu(agf->agf_longest) >=
		    args->maxlen + args->alignment - 1) {
			error = xfs_allocbt_init_cursor(mp, args->tp, agbp,
							&xfs_bnobt_ops, &right);
			if (!error) {
				error = search_near(args, &c, right, target,
						    &f);
			}
		}
		if (!error && !f.ok) {
			error = search_size(args, &c, &f);
		}
		break;
	default:
		if (args->flags & XFS_ALLOC_FLAG_FREELIST) {
			error = search_freelist(args, &c, &f);
		} else {
			error = search_size(args, &c, &f);
		}
		break;
	}
	libxfs_btree_del_cursor(right);
	if (error || !f.ok) {
		goto out;
	}
	error = fixup_trees(&c, f.fbno, f.flen, f.rbno, f.rlen);
	if (error) {
		goto out;
	}
	be32_add_cpu(&agf->agf_freeblks, -(int32_t)f.rlen);
	error = update_longest(args->tp, agbp, c.cnt);
	if (error) {
		goto out;
	}
	curs_free(&c);
	c.bno = c.cnt = NULL;
	error = xfs_rmap_alloc(args->tp, agbp, f.rbno, f.rlen, &args->oinfo);
	if (error) {
		goto out;
	}
	if (!(args->flags & XFS_ALLOC_FLAG_FREELIST)) {
		xfs_trans_mod_sb(args->tp, XFS_TRANS_SB_FDBLOCKS,
				 -(int64_t)f.rlen);
	}
	args->agno = agno;
	args->agbno = f.rbno;
	args->len = f.rlen;
	args->fsbno = xfs_agbno_to_fsbno(mp->m_sb.sb_agblklog, agno, f.rbno);
out:
	curs_free(&c);
	return error;
}

/*
 * Lock AG agno's AGF for args->tp.  Only tries (-EAGAIN if busy) when
 * asked, or when waiting could close a circle with another transaction
 * (tp changed a higher AG's AGF).  On a worker acting for a waiting
 * caller it never sleeps either: it returns -EAGAIN with wait_agno set,
 * and the caller waits on its own thread (a worker asleep on another
 * transaction's AGF could hold up the very request that would free it).
 */
static int lock_agf(struct xfs_alloc_arg *args, uint32_t agno, bool trylock,
		    struct xfs_buf **agbpp)
{
	struct xfs_trans *tp = args->tp;
	int error;

	if (tp->t_highest_agno != NULLAGNUMBER && agno < tp->t_highest_agno) {
		trylock = true;
	}
	error = xfs_alloc_read_agf(args->mp, tp, agno,
				   trylock || (args->flags &
					       XFS_ALLOC_FLAG_HANDBACK) ?
				   XFS_TRANS_BUF_TRYLOCK : 0, agbpp);
	if (error == -EAGAIN && !trylock) {
		args->wait_agno = agno;
	}
	return error;
}

/* Allocate in AG agno; a busy AG we may only try is skipped. */
static int alloc_try_ag(struct xfs_alloc_arg *args, uint32_t agno,
			enum xfs_alloc_op op, uint32_t target, bool trylock)
{
	struct xfs_trans *tp = args->tp;
	struct xfs_buf *agbp;
	int error;

	error = lock_agf(args, agno, trylock, &agbp);
	if (error == -EAGAIN && args->wait_agno == NULLAGNUMBER) {
		return 0;
	}
	if (error) {
		return error;
	}
	error = alloc_in_ag(args, agbp, op, target);
	xfs_trans_brelse(tp, agbp);
	return error;
}

/* ---- the entry ---- */

/* Check args and make sure the transaction has blocks reserved for them. */
static int prepare_args(struct xfs_alloc_arg *args)
{
	struct xfs_mount *mp = args->mp;
	uint64_t left;

	args->fsbno = NULLFSBLOCK;
	args->len = 0;
	if (!args->tp || !mp || args->minlen == 0 ||
	    args->maxlen < args->minlen ||
	    args->maxlen > mp->m_sb.sb_agblocks) {
		return -EINVAL;
	}
	if (args->alignment == 0) {
		args->alignment = 1;
	}
	if (args->prod == 0) {
		args->prod = 1;
	}
	if (args->mod >= args->prod) {
		return -EINVAL;
	}
	left = xfs_trans_blocks_left(args->tp);
	if (left >= args->maxlen ||
	    xfs_trans_reserve_more(args->tp, args->maxlen - left) == 0) {
		return 0;
	}
	if (left < args->minlen &&
	    xfs_trans_reserve_more(args->tp, args->minlen - left) != 0) {
		return -ENOSPC;
	}
	args->maxlen = (uint32_t)xfs_trans_blocks_left(args->tp);
	return 0;
}

_Atomic uint64_t xfs_alloc_deferred_frees;

/* A free that has to wait for a follow-up transaction. */
struct deferred_free {
	struct xfs_defer_item	di;
	uint64_t		fsbno;
	uint32_t		len;
	struct xfs_owner_info	oinfo;
};

static int run_deferred_free(struct xfs_trans *tp, struct xfs_defer_item *di)
{
	struct deferred_free *df = (struct deferred_free *)di;

	return xfs_free_extent(tp, df->fsbno, df->len, &df->oinfo);
}

static int do_free(struct xfs_alloc_arg *args)
{
	struct xfs_mount *mp = args->mp;
	uint32_t agno = xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, args->target);
	uint32_t agbno = xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog,
					    args->target);
	struct xfs_buf *agbp;
	bool ok;
	int error;

	if (!libxfs_verify_fsbno(mp, args->target) || args->len == 0) {
		return -EFSCORRUPTED;
	}
	error = lock_agf(args, agno, false, &agbp);
	if (error == -EAGAIN && args->wait_agno == NULLAGNUMBER) {
		// Waiting here could close a circle: free after commit.
		struct deferred_free *df = malloc(sizeof(*df));

		if (!df) {
			return -ENOMEM;
		}
		df->di.di_fn = run_deferred_free;
		df->fsbno = args->target;
		df->len = args->len;
		df->oinfo = args->oinfo;
		xfs_trans_defer(args->tp, &df->di);
		xfs_alloc_deferred_frees++;
		return 0;
	}
	if (error) {
		return error;
	}
	error = fix_freelist(args, agbp, true, &ok);
	if (!error) {
		error = free_ag_extent(args->tp, agbp, agbno, args->len,
				       &args->oinfo, true);
	}
	xfs_trans_brelse(args->tp, agbp);
	return error;
}

/* Fill (or trim) the free list of AG args->target; nothing allocated. */
static int do_fix_freelist(struct xfs_alloc_arg *args)
{
	uint32_t agno = (uint32_t)args->target;
	struct xfs_buf *agbp;
	bool ok;
	int error;

	if (!args->tp || agno >= args->mp->m_sb.sb_agcount) {
		return -EINVAL;
	}
	args->minlen = args->maxlen = 1;
	args->alignment = args->prod = 1;
	args->fsbno = NULLFSBLOCK;
	error = lock_agf(args, agno, false, &agbp);
	if (error) {
		return error;
	}
	error = fix_freelist(args, agbp, false, &ok);
	if (!error && !ok) {
		error = -ENOSPC;
	}
	xfs_trans_brelse(args->tp, agbp);
	return error;
}

int __xfs_alloc_vextent(struct xfs_alloc_arg *args)
{
	struct xfs_mount *mp = args->mp;
	uint32_t agcount = mp->m_sb.sb_agcount, start, agno, target = 0, i;
	int error, pass;

	args->wait_agno = NULLAGNUMBER;
	if (args->op == XFS_ALLOC_OP_FREE) {
		return do_free(args);
	}
	if (args->op == XFS_ALLOC_OP_FIX_FREELIST) {
		return do_fix_freelist(args);
	}
	error = prepare_args(args);
	if (error) {
		return error;
	}
	if (args->op == XFS_ALLOC_OP_THIS_AG) {
		start = (uint32_t)args->target;
		if (start >= agcount) {
			return -EINVAL;
		}
	} else if (args->target == NULLFSBLOCK) {
		start = 0;
	} else {
		// A target is a hint: anywhere inside an AG will do.
		start = xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, args->target);
		target = xfs_fsbno_to_agbno(mp->m_sb.sb_agblklog,
					    args->target);
		if (start >= agcount ||
		    target >= libxfs_ag_block_count(mp, start)) {
			return -EINVAL;
		}
	}
	switch (args->op) {
	case XFS_ALLOC_OP_EXACT_BNO:
	case XFS_ALLOC_OP_NEAR_BNO:
		if (args->target == NULLFSBLOCK) {
			return -EINVAL;
		}
		return alloc_try_ag(args, start, args->op, target, false);
	case XFS_ALLOC_OP_THIS_AG:
		return alloc_try_ag(args, start, args->op, 0, false);
	case XFS_ALLOC_OP_START_AG:
		// Near target in its AG, then by size round the others;
		// first only AGs nobody holds, then waiting where allowed.
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < agcount; i++) {
				agno = (start + i) % agcount;
				error = alloc_try_ag(args, agno,
					agno == start &&
					args->target != NULLFSBLOCK ?
					XFS_ALLOC_OP_NEAR_BNO :
					XFS_ALLOC_OP_THIS_AG,
					target, pass == 0);
				if (error || args->fsbno != NULLFSBLOCK) {
					return error;
				}
			}
		}
		return 0;
	case XFS_ALLOC_OP_FIRST_AG:
		for (agno = start; agno < agcount; agno++) {
			error = alloc_try_ag(args, agno, XFS_ALLOC_OP_THIS_AG, 0,
					     false);
			if (error || args->fsbno != NULLFSBLOCK) {
				return error;
			}
		}
		return 0;
	default:
		return -EINVAL;
	}
}
