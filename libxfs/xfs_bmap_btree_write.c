/*
 * xfs_bmap_btree_write.c: editing the extent records of one inode fork
 * inside a transaction (see xfs_bmap_btree_write.h).  In extents format
 * the records are an array in the inode; in btree format they are the
 * leaves of a bmbt whose root sits in the inode, changed through a write
 * cursor whose root is staged in memory (xfs_btree_iroot.c) and put back
 * at the end.  A list that would outgrow the inode moves into a new leaf
 * block under a one-entry root; a bmbt whose records fit back in the
 * inode goes back to a list and its blocks are freed.  bmbt blocks come
 * from the offloaded allocator, owned by the inode (bmbt-block rmaps).
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"
#include "xfs_inode_write.h"
#include "xfs_bmap_btree_write.h"

/* ---- fork geometry ---- */

unsigned int xfs_bmap_fork_space(const struct xfs_inode *ip, int whichfork)
{
	return whichfork == XFS_DATA_FORK ? libxfs_inode_data_fork_size(ip) :
					    libxfs_inode_attr_fork_size(ip);
}

struct xfs_owner_info xfs_bmap_bmbt_owner(const struct xfs_inode *ip,
					  int whichfork)
{
	unsigned int flags = XFS_OWNER_INFO_BMBT_BLOCK;

	if (whichfork != XFS_DATA_FORK) {
		flags |= XFS_OWNER_INFO_ATTR_FORK;
	}
	return xfs_rmap_ino_owner(ip->i_ino, 0, flags);
}

/* ---- bmbt blocks ---- */

int xfs_bmap_alloc_bmbt_block(struct xfs_trans *tp, struct xfs_inode *ip,
			      int whichfork, uint64_t hint, uint64_t *fsbno)
{
	struct xfs_mount *mp = ip->i_mount;
	struct xfs_alloc_arg args;
	int error, pass;

	if (hint == NULLFSBLOCK || !libxfs_verify_fsbno(mp, hint)) {
		hint = xfs_ino_to_fsbno(mp->m_sb.sb_agblklog,
					mp->m_sb.sb_inopblog, ip->i_ino);
	}
	// Near the hint in its AG first, then wherever there is room.
	for (pass = 0; pass < 2; pass++) {
		memset(&args, 0, sizeof(args));
		args.tp = tp;
		args.mp = mp;
		args.minlen = 1;
		args.maxlen = 1;
		args.oinfo = xfs_bmap_bmbt_owner(ip, whichfork);
		error = pass == 0 ? xfs_alloc_vextent_near_bno(&args, hint) :
				    xfs_alloc_vextent_start_ag(&args, hint);
		if (error) {
			return error;
		}
		if (args.fsbno != NULLFSBLOCK) {
			ip->i_nblocks++;
			*fsbno = args.fsbno;
			return 0;
		}
	}
	return -ENOSPC;
}

static uint64_t buf_fsbno(const struct xfs_mount *mp, const struct xfs_buf *bp)
{
	return xfs_daddr_to_fsbno(mp->m_sb.sb_blocklog, mp->m_sb.sb_agblklog,
				  mp->m_sb.sb_agblocks, bp->b_daddr);
}

/* Free a bmbt block whose buffer tp holds (bp stays the caller's). */
static int free_bmbt_buf(struct xfs_bmap_edit *ed, struct xfs_buf *bp)
{
	struct xfs_owner_info oi = xfs_bmap_bmbt_owner(ed->ip, ed->whichfork);
	uint64_t fsbno = buf_fsbno(ed->ip->i_mount, bp);

	xfs_trans_binval(ed->tp, bp);
	ed->ip->i_nblocks--;
	return xfs_free_extent(ed->tp, fsbno, 1, &oi);
}

static void bmbt_set_root(struct xfs_btree_cur *cur, uint64_t root,
			  unsigned int nlevels)
{
	// The root stays in the inode; its level is in the staged block.
}

static int bmbt_alloc_block(struct xfs_btree_cur *cur, uint64_t hint,
			    uint64_t *ptr, int *stat)
{
	struct xfs_bmap_edit *ed = cur->bc_private;
	int error;

	*stat = 0;
	error = xfs_bmap_alloc_bmbt_block(ed->tp, ed->ip, ed->whichfork, hint,
					  ptr);
	if (error == -ENOSPC) {
		return 0;
	}
	if (!error) {
		*stat = 1;
	}
	return error;
}

static int bmbt_free_block(struct xfs_btree_cur *cur, struct xfs_buf *bp)
{
	return free_bmbt_buf(cur->bc_private, bp);
}

static const struct xfs_btree_wops bmbt_wops = {
	.set_root = bmbt_set_root,
	.alloc_block = bmbt_alloc_block,
	.free_block = bmbt_free_block,
};

/* ---- session ---- */

// During a session the fork's buffer is as large as the fork's space.
static struct xfs_bmbt_rec *ext_recs(struct xfs_bmap_edit *ed)
{
	return xfs_ifork_ptr(ed->ip, ed->whichfork)->if_data;
}

static struct xfs_ifork *ed_fork(struct xfs_bmap_edit *ed)
{
	return xfs_ifork_ptr(ed->ip, ed->whichfork);
}

static int edit_cursor(struct xfs_bmap_edit *ed)
{
	struct xfs_btree_cur *cur;
	int error;

	if (ed->cur) {
		return 0;
	}
	error = libxfs_bmbt_init_cursor(ed->ip->i_mount, ed->ip,
					ed->whichfork, 0, &cur);
	if (error) {
		return error;
	}
	cur->bc_tp = ed->tp;
	cur->bc_wops = &bmbt_wops;
	cur->bc_private = ed;
	error = xfs_btree_iroot_stage(cur);
	if (error) {
		libxfs_btree_del_cursor(cur);
		return error;
	}
	ed->cur = cur;
	return 0;
}

int xfs_bmap_edit_begin(struct xfs_trans *tp, struct xfs_inode *ip,
			int whichfork, struct xfs_bmap_edit *ed)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	unsigned int space = xfs_bmap_fork_space(ip, whichfork);
	int error;

	memset(ed, 0, sizeof(*ed));
	ed->tp = tp;
	ed->ip = ip;
	ed->whichfork = whichfork;
	if (space < sizeof(struct xfs_bmbt_rec)) {
		return -EINVAL;
	}
	switch (ifp->if_format) {
	case XFS_DINODE_FMT_EXTENTS:
		if (ifp->if_nextents > xfs_bmap_fork_maxext(ip, whichfork)) {
			return -EFSCORRUPTED;
		}
		if (!ifp->if_data) {
			ifp->if_size = 0;
		}
		// Room for as many records as the inode holds, while we edit.
		return libxfs_ifork_realloc(ip, whichfork, space);
	case XFS_DINODE_FMT_BTREE:
		if (!ifp->if_data || ifp->if_size != space) {
			return -EFSCORRUPTED;
		}
		error = libxfs_ifork_realloc(ip, whichfork, space);
		return error ? error : edit_cursor(ed);
	default:
		return -EINVAL;
	}
}

/* ---- lookups ---- */

static void rec_get(const struct xfs_bmbt_rec *r, struct xfs_bmbt_irec *irec)
{
	libxfs_bmbt_disk_get(r, irec);
}

static void rec_put(struct xfs_bmbt_rec *r, const struct xfs_bmbt_irec *irec)
{
	xfs_bmbt_disk_pack(r, irec->br_startoff, irec->br_startblock,
			   irec->br_blockcount, irec->br_unwritten);
}

/* Index of the first record with startoff > off (n if none). */
static unsigned int ext_upper(struct xfs_bmap_edit *ed, uint64_t off)
{
	const struct xfs_bmbt_rec *r = ext_recs(ed);
	unsigned int lo = 0, hi = (unsigned int)ed_fork(ed)->if_nextents;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (xfs_bmbt_disk_startoff(&r[mid]) <= off) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

int xfs_bmbt_find(struct xfs_btree_cur *cur, enum xfs_lookup dir,
		  uint64_t off, struct xfs_bmbt_irec *irec, bool *found)
{
	xfs_be64_t key = cpu_to_be64(off);
	const void *rec;
	int error, stat;

	*found = false;
	error = libxfs_btree_lookup(cur, dir, &key, &stat);
	if (error || !stat) {
		return error;
	}
	error = libxfs_btree_get_rec(cur, &rec, &stat);
	if (error || !stat) {
		return error;
	}
	rec_get(rec, irec);
	*found = true;
	return 0;
}

int xfs_bmap_edit_neighbours(struct xfs_bmap_edit *ed, uint64_t off,
			     struct xfs_bmbt_irec *left, bool *has_left,
			     struct xfs_bmbt_irec *right, bool *has_right)
{
	int error;

	*has_left = *has_right = false;
	if (ed_fork(ed)->if_format == XFS_DINODE_FMT_EXTENTS) {
		unsigned int i = ext_upper(ed, off);

		if (i > 0) {
			rec_get(&ext_recs(ed)[i - 1], left);
			*has_left = true;
		}
		if (i < ed_fork(ed)->if_nextents) {
			rec_get(&ext_recs(ed)[i], right);
			*has_right = true;
		}
		return 0;
	}
	error = xfs_bmbt_find(ed->cur, XFS_LOOKUP_LE, off, left, has_left);
	if (error || off == UINT64_MAX) {
		return error;
	}
	return xfs_bmbt_find(ed->cur, XFS_LOOKUP_GE, off + 1, right, has_right);
}

/* ---- adding a mapping ---- */

static bool contiguous(const struct xfs_bmbt_irec *a,
		       const struct xfs_bmbt_irec *b)
{
	return !a->br_unwritten && !b->br_unwritten &&
	       a->br_startoff + a->br_blockcount == b->br_startoff &&
	       a->br_startblock + a->br_blockcount == b->br_startblock &&
	       a->br_blockcount + b->br_blockcount <= XFS_BMBT_MAX_BLOCKCOUNT;
}

/*
 * How new joins its neighbours: *ml / *mr say whether it merges with
 * left / right, *m is the record that results.
 */
static void merge_plan(const struct xfs_bmbt_irec *left, bool hl,
		       const struct xfs_bmbt_irec *new,
		       const struct xfs_bmbt_irec *right, bool hr, bool *ml,
		       bool *mr, struct xfs_bmbt_irec *m)
{
	*ml = hl && contiguous(left, new);
	*mr = hr && contiguous(new, right);
	if (*ml && *mr && left->br_blockcount + new->br_blockcount +
			  right->br_blockcount > XFS_BMBT_MAX_BLOCKCOUNT) {
		*mr = false;
	}
	*m = *ml ? *left : *new;
	if (*ml) {
		m->br_blockcount += new->br_blockcount;
	}
	if (*mr) {
		m->br_blockcount += right->br_blockcount;
	}
}

/* Move an extent list into a new leaf block under a one-entry root. */
static int ext_to_btree(struct xfs_bmap_edit *ed)
{
	struct xfs_inode *ip = ed->ip;
	struct xfs_mount *mp = ip->i_mount;
	struct xfs_ifork *ifp = ed_fork(ed);
	unsigned int n = (unsigned int)ifp->if_nextents;
	unsigned int space = xfs_bmap_fork_space(ip, ed->whichfork);
	struct xfs_bmbt_rec *recs = ext_recs(ed);
	struct xfs_bmdr_block *dr = (struct xfs_bmdr_block *)recs;
	struct xfs_btree_block *b;
	struct xfs_buf *bp;
	uint64_t fsbno, hint = NULLFSBLOCK, first_off = 0;
	uint8_t *p;
	int error;

	if (n > 0) {
		hint = xfs_bmbt_disk_startblock(&recs[0]);
		first_off = xfs_bmbt_disk_startoff(&recs[0]);
	}
	error = xfs_bmap_alloc_bmbt_block(ed->tp, ip, ed->whichfork, hint,
					  &fsbno);
	if (error) {
		return error;
	}
	error = xfs_trans_get_buf(ed->tp, xfs_mp_fsb_to_daddr(mp, fsbno),
				  1U << mp->m_blkbb_log, &xfs_bmbt_buf_ops,
				  &bp);
	if (error) {
		return error;
	}
	b = bp->b_addr;
	b->bb_magic = cpu_to_be32(XFS_BMAP_CRC_MAGIC);
	b->bb_level = 0;
	b->bb_numrecs = cpu_to_be16((uint16_t)n);
	b->bb_u.l.bb_leftsib = cpu_to_be64(NULLFSBLOCK);
	b->bb_u.l.bb_rightsib = cpu_to_be64(NULLFSBLOCK);
	b->bb_u.l.bb_blkno = cpu_to_be64(bp->b_daddr);
	memcpy(b->bb_u.l.bb_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
	b->bb_u.l.bb_owner = cpu_to_be64(ip->i_ino);
	memcpy((char *)b + XFS_BTREE_LBLOCK_CRC_LEN, recs,
	       (size_t)n * sizeof(*recs));
	xfs_trans_log_buf(ed->tp, bp, 0, (unsigned int)BBTOB(bp->b_length) - 1);
	xfs_trans_brelse(ed->tp, bp);
	// The root: level 1, one key (the leaf's first offset), one pointer.
	p = (uint8_t *)dr + sizeof(*dr);
	memset(dr, 0, space);
	dr->bb_level = cpu_to_be16(1);
	dr->bb_numrecs = cpu_to_be16(1);
	put_unaligned_be64(first_off, p);
	put_unaligned_be64(fsbno, p + (size_t)xfs_bmdr_maxrecs(space) *
				  sizeof(struct xfs_bmbt_key));
	ifp->if_format = XFS_DINODE_FMT_BTREE;
	error = libxfs_ifork_realloc(ip, ed->whichfork, space);
	return error ? error : edit_cursor(ed);
}

static int ext_add(struct xfs_bmap_edit *ed, const struct xfs_bmbt_irec *new,
		   bool *done)
{
	struct xfs_ifork *ifp = ed_fork(ed);
	struct xfs_bmbt_rec *r = ext_recs(ed);
	unsigned int n = (unsigned int)ifp->if_nextents, i;
	struct xfs_bmbt_irec left = { 0 }, right = { 0 }, m;
	bool ml, mr;

	*done = true;
	i = ext_upper(ed, new->br_startoff);
	if (i > 0) {
		rec_get(&r[i - 1], &left);
	}
	if (i < n) {
		rec_get(&r[i], &right);
	}
	merge_plan(&left, i > 0, new, &right, i < n, &ml, &mr, &m);
	if (ml) {
		if (mr) {
			memmove(&r[i], &r[i + 1],
				(size_t)(n - i - 1) * sizeof(*r));
			n--;
		}
		rec_put(&r[i - 1], &m);
	} else if (mr) {
		rec_put(&r[i], &m);
	} else {
		if (n >= xfs_bmap_fork_maxext(ed->ip, ed->whichfork)) {
			*done = false;	/* needs a bmbt */
			return 0;
		}
		memmove(&r[i + 1], &r[i], (size_t)(n - i) * sizeof(*r));
		rec_put(&r[i], new);
		n++;
	}
	memset(&r[n], 0, (size_t)(xfs_bmap_fork_maxext(ed->ip, ed->whichfork) -
				   n) * sizeof(*r));
	ifp->if_nextents = n;
	return 0;
}

/* Overwrite the record whose startoff is off. */
static int bt_rewrite(struct xfs_btree_cur *cur, uint64_t off,
		      const struct xfs_bmbt_irec *irec)
{
	struct xfs_bmbt_irec got;
	struct xfs_bmbt_rec r;
	bool found;
	int error = xfs_bmbt_find(cur, XFS_LOOKUP_EQ, off, &got, &found);

	if (error) {
		return error;
	}
	if (!found) {
		return -EFSCORRUPTED;
	}
	rec_put(&r, irec);
	return libxfs_btree_update(cur, &r);
}

static int bt_add(struct xfs_bmap_edit *ed, const struct xfs_bmbt_irec *new)
{
	struct xfs_btree_cur *cur = ed->cur;
	struct xfs_ifork *ifp = ed_fork(ed);
	struct xfs_bmbt_irec left = { 0 }, right = { 0 }, m;
	struct xfs_bmbt_rec r;
	bool hl, hr, ml, mr;
	int error, stat;

	error = xfs_bmap_edit_neighbours(ed, new->br_startoff, &left, &hl,
					 &right, &hr);
	if (error) {
		return error;
	}
	merge_plan(&left, hl, new, &right, hr, &ml, &mr, &m);
	if (ml) {
		if (mr) {
			bool found;

			error = xfs_bmbt_find(cur, XFS_LOOKUP_EQ,
					      right.br_startoff, &right,
					      &found);
			if (!error && !found) {
				error = -EFSCORRUPTED;
			}
			if (!error) {
				error = libxfs_btree_delete(cur, &stat);
			}
			if (error) {
				return error;
			}
			ifp->if_nextents--;
		}
		return bt_rewrite(cur, left.br_startoff, &m);
	}
	if (mr) {
		return bt_rewrite(cur, right.br_startoff, &m);
	}
	rec_put(&r, new);
	error = libxfs_btree_insert(cur, &r, &stat);
	if (error) {
		return error;
	}
	if (!stat) {
		return -EFSCORRUPTED;	/* the hole was not a hole */
	}
	ifp->if_nextents++;
	return 0;
}

int xfs_bmap_edit_add(struct xfs_bmap_edit *ed,
		      const struct xfs_bmbt_irec *new)
{
	bool done;
	int error;

	if (ed_fork(ed)->if_format == XFS_DINODE_FMT_EXTENTS) {
		error = ext_add(ed, new, &done);
		if (error || done) {
			return error;
		}
		error = ext_to_btree(ed);
		if (error) {
			return error;
		}
	}
	return bt_add(ed, new);
}

/* ---- a fork whose room changed ---- */

int xfs_bmap_fork_fit(struct xfs_trans *tp, struct xfs_inode *ip,
		      int whichfork)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	unsigned int space = xfs_bmap_fork_space(ip, whichfork);
	struct xfs_bmap_edit ed = {
		.tp = tp, .ip = ip, .whichfork = whichfork,
	};
	int error;

	switch (ifp->if_format) {
	case XFS_DINODE_FMT_EXTENTS:
		if (ifp->if_nextents <= xfs_bmap_fork_maxext(ip, whichfork)) {
			return 0;
		}
		error = ext_to_btree(&ed);
		break;
	case XFS_DINODE_FMT_BTREE:
		if (!ifp->if_data ||
		    ifp->if_size < sizeof(struct xfs_bmdr_block) ||
		    space < sizeof(struct xfs_bmdr_block) + 16) {
			return -EFSCORRUPTED;
		}
		if (ifp->if_size == space) {
			return 0;
		}
		// Staged at the old size, flushed at the new one.
		error = edit_cursor(&ed);
		if (!error) {
			ed.cur->bc_iroot_size = space;
			error = xfs_btree_iroot_fit(ed.cur);
		}
		if (!error) {
			error = libxfs_ifork_realloc(ip, whichfork, space);
		}
		break;
	default:
		return 0;
	}
	// Never back to a list here: the fork just lost room.
	if (!error && ed.cur) {
		xfs_btree_iroot_flush(ed.cur, ifp->if_data, ifp->if_size);
	}
	libxfs_btree_del_cursor(ed.cur);
	return error;
}

/* ---- end: root back into the inode, small trees back to lists ---- */

struct bt_collect {
	struct xfs_bmbt_rec	*recs;
	unsigned int		nrecs, maxrecs;
	uint64_t		*blocks;
	unsigned int		nblocks, maxblocks;
};

static int collect_rec(struct xfs_btree_cur *cur, const void *rec, void *priv)
{
	struct bt_collect *c = priv;

	if (c->nrecs >= c->maxrecs) {
		return -EFSCORRUPTED;	/* more records than the core says */
	}
	memcpy(&c->recs[c->nrecs++], rec, sizeof(struct xfs_bmbt_rec));
	return 0;
}

static int collect_block(struct xfs_btree_cur *cur, unsigned int level,
			 struct xfs_buf *bp, void *priv)
{
	struct bt_collect *c = priv;

	if (c->nblocks == c->maxblocks) {
		unsigned int nmax = c->maxblocks ? c->maxblocks * 2 : 8;
		uint64_t *nb = realloc(c->blocks, nmax * sizeof(*nb));

		if (!nb) {
			return -ENOMEM;
		}
		c->blocks = nb;
		c->maxblocks = nmax;
	}
	c->blocks[c->nblocks++] = buf_fsbno(cur->bc_mp, bp);
	return 0;
}

static int btree_to_ext(struct xfs_bmap_edit *ed)
{
	struct xfs_mount *mp = ed->ip->i_mount;
	struct xfs_ifork *ifp = ed_fork(ed);
	unsigned int maxext = xfs_bmap_fork_maxext(ed->ip, ed->whichfork), i;
	struct bt_collect c = { 0 };
	int error;

	c.maxrecs = maxext;
	c.recs = calloc(maxext, sizeof(*c.recs));
	if (!c.recs) {
		return -ENOMEM;
	}
	error = libxfs_btree_query_all(ed->cur, collect_rec, &c);
	if (!error) {
		error = libxfs_btree_visit_blocks(ed->cur, collect_block, &c);
	}
	if (!error && c.nrecs != ifp->if_nextents) {
		error = -EFSCORRUPTED;
	}
	libxfs_btree_del_cursor(ed->cur);
	ed->cur = NULL;
	for (i = 0; !error && i < c.nblocks; i++) {
		struct xfs_buf *bp;

		error = xfs_trans_read_buf(mp, ed->tp,
					   xfs_mp_fsb_to_daddr(mp, c.blocks[i]),
					   1U << mp->m_blkbb_log, 0,
					   &xfs_bmbt_buf_ops, &bp);
		if (!error) {
			error = free_bmbt_buf(ed, bp);
			xfs_trans_brelse(ed->tp, bp);
		}
	}
	if (!error) {
		memset(ifp->if_data, 0, ifp->if_size);
		memcpy(ifp->if_data, c.recs, (size_t)c.nrecs * sizeof(*c.recs));
		ifp->if_format = XFS_DINODE_FMT_EXTENTS;
	}
	free(c.recs);
	free(c.blocks);
	return error;
}

int xfs_bmap_edit_end(struct xfs_bmap_edit *ed, int error)
{
	struct xfs_ifork *ifp = ed_fork(ed);

	if (ed->cur && !error) {
		xfs_btree_iroot_flush(ed->cur, ifp->if_data, ifp->if_size);
		if (ifp->if_nextents <=
		    xfs_bmap_fork_maxext(ed->ip, ed->whichfork)) {
			error = btree_to_ext(ed);
		}
	}
	if (ed->cur) {
		libxfs_btree_del_cursor(ed->cur);
		ed->cur = NULL;
	}
	// An extent list keeps 16 bytes per record (the inode's rule).
	if (!error && ifp->if_format == XFS_DINODE_FMT_EXTENTS &&
	    ifp->if_data) {
		error = libxfs_ifork_realloc(ed->ip, ed->whichfork,
				(unsigned int)ifp->if_nextents *
				(unsigned int)sizeof(struct xfs_bmbt_rec));
	}
	return error;
}
