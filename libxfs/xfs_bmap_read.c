/*
 * xfs_bmap_read.c: read-only block mapping of inode forks -- range lookups
 * over the in-inode extent list or the bmbt (holes reported), the end of a
 * fork, and reading one dabtree block as a single buffer, assembling it
 * from its pieces when a multi-block directory block is discontiguous.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "cache.h"

/* One past the largest file block an extent may cover. */
#define BMAP_FILE_END	(XFS_BMBT_MAX_STARTOFF + 1)

/* State of one range lookup. */
struct bmap_req {
	struct xfs_trans	*tp;		/* bmbt blocks read through it */
	struct xfs_inode	*ip;
	int			whichfork;
	uint64_t		cur;		/* next file block to map */
	uint64_t		end;		/* end of the range */
	uint64_t		prev_end;	/* end of the previous extent */
	struct xfs_bmbt_irec	*mval;
	unsigned int		n, max;
};

/* Is an extent sane on its own and after the previous one? */
static int bmap_check(struct bmap_req *r, const struct xfs_bmbt_irec *irec)
{
	struct xfs_mount *mp = r->ip->i_mount;
	uint64_t last;

	if (irec->br_blockcount == 0 || irec->br_startoff < r->prev_end ||
	    irec->br_startoff + irec->br_blockcount > BMAP_FILE_END) {
		return -EFSCORRUPTED;
	}
	r->prev_end = irec->br_startoff + irec->br_blockcount;
	if (r->whichfork == XFS_DATA_FORK &&
	    (r->ip->i_flags & XFS_DIFLAG_REALTIME)) {
		return 0;	/* realtime device: no AG geometry to check */
	}
	last = irec->br_startblock + irec->br_blockcount - 1;
	if (last < irec->br_startblock ||
	    !libxfs_verify_fsbno(mp, irec->br_startblock) ||
	    !libxfs_verify_fsbno(mp, last) ||
	    xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, irec->br_startblock) !=
	    xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, last)) {
		return -EFSCORRUPTED;
	}
	return 0;
}

static void bmap_emit(struct bmap_req *r, uint64_t off, uint64_t start,
		      uint64_t count, bool unwritten)
{
	struct xfs_bmbt_irec *m = &r->mval[r->n++];

	m->br_startoff = off;
	m->br_startblock = start;
	m->br_blockcount = count;
	m->br_unwritten = unwritten;
	r->cur = off + count;
}

/*
 * Feed one extent (file order) to the request.  Returns 1 when the request
 * is complete (range covered or mval full), 0 to go on, or an error.
 */
static int bmap_feed(struct bmap_req *r, const struct xfs_bmbt_irec *irec)
{
	uint64_t xend = irec->br_startoff + irec->br_blockcount, start, stop;
	int error;

	error = bmap_check(r, irec);
	if (error) {
		return error;
	}
	if (xend <= r->cur) {
		return 0;		/* before the range */
	}
	if (irec->br_startoff >= r->end) {
		return 1;		/* past it: the tail is a hole */
	}
	if (irec->br_startoff > r->cur) {
		bmap_emit(r, r->cur, XFS_BMAP_HOLESTARTBLOCK,
			  irec->br_startoff - r->cur, false);
		if (r->n == r->max) {
			return 1;
		}
	}
	start = irec->br_startoff > r->cur ? irec->br_startoff : r->cur;
	stop = xend < r->end ? xend : r->end;
	bmap_emit(r, start, irec->br_startblock + (start - irec->br_startoff),
		  stop - start, irec->br_unwritten);
	return (r->n == r->max || r->cur >= r->end) ? 1 : 0;
}

static int bmap_read_extents(struct bmap_req *r, struct xfs_ifork *ifp)
{
	struct xfs_bmbt_irec irec;
	uint64_t i;
	int error;

	if (ifp->if_nextents > ifp->if_size / sizeof(struct xfs_bmbt_rec)) {
		return -EFSCORRUPTED;
	}
	for (i = 0; i < ifp->if_nextents; i++) {
		libxfs_bmbt_disk_get((const char *)ifp->if_data +
				     i * sizeof(struct xfs_bmbt_rec), &irec);
		error = bmap_feed(r, &irec);
		if (error) {
			return error < 0 ? error : 0;
		}
	}
	return 0;
}

static int bmap_read_btree(struct bmap_req *r)
{
	struct xfs_btree_cur *cur;
	struct xfs_bmbt_key key;
	struct xfs_bmbt_irec irec;
	const void *rec;
	int error, stat;

	error = libxfs_bmbt_init_cursor(r->ip->i_mount, r->ip, r->whichfork,
					0, &cur);
	if (error) {
		return error;
	}
	cur->bc_tp = r->tp;
	key.br_startoff = cpu_to_be64(r->cur);
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_LE, &key, &stat);
	if (!error && !stat) {
		error = libxfs_btree_goto_first(cur, &stat);
	}
	while (!error && stat) {
		error = libxfs_btree_get_rec(cur, &rec, &stat);
		if (error || !stat) {
			break;
		}
		libxfs_bmbt_disk_get(rec, &irec);
		error = bmap_feed(r, &irec);
		if (error) {
			error = error < 0 ? error : 0;
			break;
		}
		error = libxfs_btree_increment(cur, &stat);
	}
	libxfs_btree_del_cursor(cur);
	return error;
}

int libxfs_bmapi_read_tp(struct xfs_trans *tp, struct xfs_inode *ip,
			 int whichfork, uint64_t bno, uint64_t len,
			 struct xfs_bmbt_irec *mval, unsigned int *nmaps)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	struct bmap_req r = {
		.tp = tp, .ip = ip, .whichfork = whichfork, .cur = bno,
		.mval = mval, .max = *nmaps,
	};
	int error;

	*nmaps = 0;
	if (len == 0 || r.max == 0 || bno >= BMAP_FILE_END) {
		return -EINVAL;
	}
	r.end = len > BMAP_FILE_END - bno ? BMAP_FILE_END : bno + len;
	switch (ifp->if_format) {
	case XFS_DINODE_FMT_EXTENTS:
		error = bmap_read_extents(&r, ifp);
		break;
	case XFS_DINODE_FMT_BTREE:
		error = bmap_read_btree(&r);
		break;
	default:
		return -EINVAL;
	}
	if (error) {
		return error;
	}
	if (r.cur < r.end && r.n < r.max) {
		bmap_emit(&r, r.cur, XFS_BMAP_HOLESTARTBLOCK, r.end - r.cur,
			  false);
	}
	*nmaps = r.n;
	return 0;
}

int libxfs_bmapi_read(struct xfs_inode *ip, int whichfork, uint64_t bno,
		      uint64_t len, struct xfs_bmbt_irec *mval,
		      unsigned int *nmaps)
{
	return libxfs_bmapi_read_tp(NULL, ip, whichfork, bno, len, mval,
				    nmaps);
}

int libxfs_bmap_last_offset(struct xfs_inode *ip, int whichfork,
			    uint64_t *last)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	struct bmap_req r = { .ip = ip, .whichfork = whichfork };
	struct xfs_bmbt_irec irec;
	struct xfs_btree_cur *cur;
	const void *rec;
	int error, stat;

	*last = 0;
	switch (ifp->if_format) {
	case XFS_DINODE_FMT_EXTENTS:
		if (ifp->if_nextents >
		    ifp->if_size / sizeof(struct xfs_bmbt_rec)) {
			return -EFSCORRUPTED;
		}
		if (ifp->if_nextents == 0) {
			return 0;
		}
		libxfs_bmbt_disk_get((const char *)ifp->if_data +
				     (ifp->if_nextents - 1) *
				     sizeof(struct xfs_bmbt_rec), &irec);
		break;
	case XFS_DINODE_FMT_BTREE:
		error = libxfs_bmbt_init_cursor(ip->i_mount, ip, whichfork, 0,
						&cur);
		if (error) {
			return error;
		}
		error = libxfs_btree_goto_last(cur, &stat);
		if (!error && stat) {
			error = libxfs_btree_get_rec(cur, &rec, &stat);
		}
		if (!error && stat) {
			libxfs_bmbt_disk_get(rec, &irec);
		}
		libxfs_btree_del_cursor(cur);
		if (error || !stat) {
			return error;
		}
		break;
	default:
		return -EINVAL;
	}
	error = bmap_check(&r, &irec);
	if (error) {
		return error;
	}
	*last = irec.br_startoff + irec.br_blockcount;
	return 0;
}

static int count_one(struct xfs_inode *ip, int whichfork,
		     const struct xfs_bmbt_irec *irec, void *priv)
{
	*(uint64_t *)priv += irec->br_blockcount;
	return 0;
}

int libxfs_bmap_count_blocks(struct xfs_inode *ip, int whichfork,
			     uint64_t *count)
{
	*count = 0;
	return libxfs_bmap_walk(ip, whichfork, count_one, count);
}

int libxfs_bmap_count_blocks_tp(struct xfs_trans *tp, struct xfs_inode *ip,
				int whichfork, uint64_t *count)
{
	struct xfs_bmbt_irec maps[32];
	uint64_t off = 0;
	unsigned int n, i;
	int error;

	if (!tp) {
		return libxfs_bmap_count_blocks(ip, whichfork, count);
	}
	*count = 0;
	while (off < BMAP_FILE_END) {
		n = 32;
		error = libxfs_bmapi_read_tp(tp, ip, whichfork, off,
					     BMAP_FILE_END - off, maps, &n);
		if (error || n == 0) {
			return error;
		}
		for (i = 0; i < n; i++) {
			if (!xfs_bmap_is_hole(&maps[i])) {
				*count += maps[i].br_blockcount;
			}
		}
		off = maps[n - 1].br_startoff + maps[n - 1].br_blockcount;
	}
	return 0;
}

/* ---- dabtree blocks ---- */

static unsigned int da_fsbcount(struct xfs_inode *ip, int whichfork)
{
	if (whichfork == XFS_DATA_FORK &&
	    (ip->i_mode & XFS_IFMT) == XFS_IFDIR) {
		return ip->i_mount->m_dir_geo.fsbcount;
	}
	return 1;
}

static int da_map_block(struct xfs_trans *tp, struct xfs_inode *ip,
			int whichfork, uint64_t bno,
			struct xfs_bmbt_irec *maps, unsigned int *nmaps)
{
	unsigned int count = da_fsbcount(ip, whichfork), n = XFS_DA_MAX_MAPS;
	unsigned int i, holes = 0;
	int error;

	*nmaps = 0;
	if (count > XFS_DA_MAX_MAPS) {
		return -EFSCORRUPTED;
	}
	error = libxfs_bmapi_read_tp(tp, ip, whichfork, bno, count, maps, &n);
	if (error) {
		return error;
	}
	for (i = 0; i < n; i++) {
		if (xfs_bmap_is_hole(&maps[i])) {
			holes++;
		} else if (maps[i].br_unwritten) {
			return -EFSCORRUPTED;
		}
	}
	if (holes == n) {
		return -ENOENT;
	}
	if (holes) {
		return -EFSCORRUPTED;	/* a block partly mapped */
	}
	*nmaps = n;
	return 0;
}

int libxfs_da_map_block(struct xfs_inode *ip, int whichfork, uint64_t bno,
			struct xfs_bmbt_irec *maps, unsigned int *nmaps)
{
	return da_map_block(NULL, ip, whichfork, bno, maps, nmaps);
}

/* Build one uncached buffer from the pieces of a discontiguous block. */
static int da_assemble(struct xfs_trans *tp, struct xfs_mount *mp,
		       const struct xfs_bmbt_irec *maps, unsigned int nmaps,
		       unsigned int flags, const struct xfs_buf_ops *ops,
		       struct xfs_buf **bpp)
{
	unsigned int bbs = 0, off = 0, i;
	struct xfs_buf *bp, *pbp;
	int error;

	for (i = 0; i < nmaps; i++) {
		bbs += xfs_mp_fsb_to_bb(mp, (unsigned int)maps[i].br_blockcount);
	}
	bp = xfs_buf_alloc(mp->m_ddev_targp,
			   xfs_mp_fsb_to_daddr(mp, maps[0].br_startblock), bbs);
	if (!bp) {
		return -ENOMEM;
	}
	bp->b_flags |= XBF_UNCACHED;
	bp->b_refcount = 1;
	for (i = 0; i < nmaps; i++) {
		unsigned int n = xfs_mp_fsb_to_bb(mp,
					(unsigned int)maps[i].br_blockcount);

		// Through the cache (and tp), so that changes are seen.
		error = xfs_trans_read_buf(mp, tp, xfs_mp_fsb_to_daddr(mp,
					   maps[i].br_startblock), n,
					   flags & LIBXFS_BUF_REREAD, NULL,
					   &pbp);
		if (error) {
			libxfs_buf_relse(bp);
			return error;
		}
		memcpy((char *)bp->b_addr + BBTOB(off), pbp->b_addr,
		       (size_t)BBTOB(n));
		xfs_trans_brelse(tp, pbp);
		off += n;
	}
	bp->b_flags |= XBF_UPTODATE;
	if (ops) {
		error = libxfs_buf_verify(bp, ops);
		if (error && !(flags & LIBXFS_BUF_SALVAGE)) {
			libxfs_buf_relse(bp);
			return error;
		}
	}
	*bpp = bp;
	return 0;
}

int libxfs_da_read_buf_tp(struct xfs_trans *tp, struct xfs_inode *ip,
			  int whichfork, uint64_t bno, unsigned int flags,
			  const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	struct xfs_bmbt_irec maps[XFS_DA_MAX_MAPS];
	struct xfs_mount *mp = ip->i_mount;
	unsigned int nmaps, i;
	uint64_t total;
	int error;

	*bpp = NULL;
	error = da_map_block(tp, ip, whichfork, bno, maps, &nmaps);
	if (error) {
		return error;
	}
	// Pieces that follow each other on disk make one piece.
	total = maps[0].br_blockcount;
	for (i = 1; i < nmaps; i++) {
		if (maps[i].br_startblock != maps[0].br_startblock + total) {
			return da_assemble(tp, mp, maps, nmaps, flags, ops,
					   bpp);
		}
		total += maps[i].br_blockcount;
	}
	return xfs_trans_read_buf(mp, tp,
			xfs_mp_fsb_to_daddr(mp, maps[0].br_startblock),
			xfs_mp_fsb_to_bb(mp, (unsigned int)total), flags, ops,
			bpp);
}

int libxfs_da_read_buf(struct xfs_inode *ip, int whichfork, uint64_t bno,
		       unsigned int flags, const struct xfs_buf_ops *ops,
		       struct xfs_buf **bpp)
{
	return libxfs_da_read_buf_tp(NULL, ip, whichfork, bno, flags, ops,
				     bpp);
}
