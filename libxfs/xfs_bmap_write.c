/*
 * xfs_bmap_write.c: giving the holes of a fork range real blocks
 * (libxfs_bmapi_write), mapping lookups for writers, and the first free
 * stretch of file offsets.  Blocks come from the offloaded allocator
 * only; the fork's records are edited through xfs_bmap_btree_write.c.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"
#include "xfs_bmap_read.h"
#include "xfs_bmap_write.h"
#include "xfs_bmap_btree_write.h"
#include "xfs_inode_write.h"

/* Zero count blocks at fsbno on the device. */
static int zero_blocks(struct xfs_mount *mp, uint64_t fsbno, uint64_t count)
{
	size_t chunk = (size_t)mp->m_sb.sb_blocksize * 16;
	uint64_t off = BBTOB(xfs_mp_fsb_to_daddr(mp, fsbno));
	uint64_t left = count << mp->m_sb.sb_blocklog;
	void *zero = calloc(1, chunk);
	int error = 0;

	if (!zero) {
		return -ENOMEM;
	}
	while (left && !error) {
		size_t n = left < chunk ? (size_t)left : chunk;

		error = libxfs_dev_write(mp->m_ddev, zero, n, off);
		off += n;
		left -= n;
	}
	free(zero);
	return error;
}

/*
 * Allocate up to len blocks for file offset off: near target in its AG,
 * then anywhere.  CONTIG wants all len or nothing.
 */
static int alloc_data(struct xfs_trans *tp, struct xfs_inode *ip,
		      int whichfork, uint64_t off, uint64_t len,
		      uint64_t target, unsigned int flags,
		      struct xfs_bmbt_irec *got)
{
	struct xfs_mount *mp = ip->i_mount;
	struct xfs_alloc_arg args;
	unsigned int oflags = whichfork == XFS_DATA_FORK ? 0 :
			      XFS_OWNER_INFO_ATTR_FORK;
	int error, pass;

	if (len > XFS_BMBT_MAX_BLOCKCOUNT) {
		len = XFS_BMBT_MAX_BLOCKCOUNT;
	}
	if (len > mp->m_sb.sb_agblocks) {
		len = mp->m_sb.sb_agblocks;
	}
	for (pass = 0; pass < 2; pass++) {
		memset(&args, 0, sizeof(args));
		args.tp = tp;
		args.mp = mp;
		args.maxlen = (uint32_t)len;
		args.minlen = (flags & XFS_BMAPI_CONTIG) ? (uint32_t)len : 1;
		args.oinfo = xfs_rmap_ino_owner(ip->i_ino, off, oflags);
		error = pass == 0 ? xfs_alloc_vextent_near_bno(&args, target) :
				    xfs_alloc_vextent_start_ag(&args, target);
		if (error) {
			return error;
		}
		if (args.fsbno != NULLFSBLOCK) {
			got->br_startoff = off;
			got->br_startblock = args.fsbno;
			got->br_blockcount = args.len;
			got->br_unwritten = false;
			ip->i_nblocks += args.len;
			if (flags & XFS_BMAPI_ZERO) {
				return zero_blocks(mp, args.fsbno, args.len);
			}
			return 0;
		}
	}
	return -ENOSPC;
}

/*
 * What libxfs_bmapi_write changes in the in-core inode, kept so that a
 * failure (after which the caller cancels the transaction, undoing the
 * buffers) leaves the in-core inode as it was too.
 */
struct fork_snap {
	uint8_t		format;
	uint64_t	nextents;
	uint64_t	nblocks;
	unsigned int	size;
	void		*data;
};

static int snap_take(struct xfs_inode *ip, int whichfork, struct fork_snap *sn)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);

	sn->format = ifp->if_format;
	sn->nextents = ifp->if_nextents;
	sn->nblocks = ip->i_nblocks;
	sn->size = ifp->if_data ? ifp->if_size : 0;
	sn->data = NULL;
	if (sn->size) {
		sn->data = malloc(sn->size);
		if (!sn->data) {
			return -ENOMEM;
		}
		memcpy(sn->data, ifp->if_data, sn->size);
	}
	return 0;
}

static void snap_restore(struct xfs_inode *ip, int whichfork,
			 struct fork_snap *sn)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);

	ifp->if_format = sn->format;
	ifp->if_nextents = sn->nextents;
	ip->i_nblocks = sn->nblocks;
	if (libxfs_ifork_realloc(ip, whichfork, sn->size) == 0 && sn->size) {
		memcpy(ifp->if_data, sn->data, sn->size);
	}
}

/* Append a mapping to mval, combining it with the last one if it can. */
static bool emit(struct xfs_bmbt_irec *mval, int *n, int max,
		 const struct xfs_bmbt_irec *m)
{
	if (*n > 0) {
		struct xfs_bmbt_irec *l = &mval[*n - 1];

		if (l->br_startoff + l->br_blockcount == m->br_startoff &&
		    l->br_startblock + l->br_blockcount == m->br_startblock &&
		    l->br_unwritten == m->br_unwritten) {
			l->br_blockcount += m->br_blockcount;
			return true;
		}
	}
	if (*n >= max) {
		return false;
	}
	mval[(*n)++] = *m;
	return true;
}

int libxfs_bmapi_write(struct xfs_trans *tp, struct xfs_inode *ip,
		       uint64_t bno, uint64_t len, unsigned int flags,
		       struct xfs_bmbt_irec *mval, int *nmap)
{
	struct xfs_mount *mp = ip->i_mount;
	int whichfork = (flags & XFS_BMAPI_ATTRFORK) ? XFS_ATTR_FORK :
						       XFS_DATA_FORK;
	uint64_t off = bno, end = bno + len;
	int max = *nmap, error;
	struct xfs_bmap_edit ed;
	struct fork_snap snap;
	bool changed = false;

	*nmap = 0;
	if (len == 0 || max < 1 || end < bno ||
	    end > XFS_BMBT_MAX_STARTOFF + 1) {
		return -EINVAL;
	}
	error = snap_take(ip, whichfork, &snap);
	if (error) {
		return error;
	}
	error = xfs_bmap_edit_begin(tp, ip, whichfork, &ed);
	while (!error && off < end) {
		struct xfs_bmbt_irec left, right, m;
		bool hl, hr;
		uint64_t hole_end, target;

		error = xfs_bmap_edit_neighbours(&ed, off, &left, &hl, &right,
						 &hr);
		if (error) {
			break;
		}
		if (hl && left.br_startoff + left.br_blockcount > off) {
			// Already mapped: report the part inside the range.
			uint64_t skip = off - left.br_startoff;

			m = left;
			m.br_startoff = off;
			m.br_startblock += skip;
			m.br_blockcount -= skip;
			if (m.br_startoff + m.br_blockcount > end) {
				m.br_blockcount = end - m.br_startoff;
			}
			if (!emit(mval, nmap, max, &m)) {
				break;
			}
			off += m.br_blockcount;
			continue;
		}
		hole_end = hr && right.br_startoff < end ? right.br_startoff :
							   end;
		// Follow on from the extent before the hole, else the inode.
		target = xfs_ino_to_fsbno(mp->m_sb.sb_agblklog,
					  mp->m_sb.sb_inopblog, ip->i_ino);
		if (hl && libxfs_verify_fsbno(mp, left.br_startblock +
						  left.br_blockcount)) {
			target = left.br_startblock + left.br_blockcount;
		}
		if (*nmap >= max) {
			break;	/* no room to report what we would map */
		}
		error = alloc_data(tp, ip, whichfork, off, hole_end - off,
				   target, flags, &m);
		if (error) {
			break;
		}
		changed = true;
		error = xfs_bmap_edit_add(&ed, &m);
		if (error) {
			break;
		}
		emit(mval, nmap, max, &m);
		off += m.br_blockcount;
	}
	error = xfs_bmap_edit_end(&ed, error);
	if (!error && changed) {
		error = libxfs_trans_log_inode(tp, ip);
	}
	if (error) {
		snap_restore(ip, whichfork, &snap);
		*nmap = 0;
	}
	free(snap.data);
	return error;
}

int libxfs_bmapi_read_fork(struct xfs_inode *ip, int whichfork, uint64_t bno,
			   uint64_t len, struct xfs_bmbt_irec *mval,
			   int *nmap)
{
	unsigned int n;
	int error;

	if (*nmap < 1) {
		return -EINVAL;
	}
	n = (unsigned int)*nmap;
	error = libxfs_bmapi_read(ip, whichfork, bno, len, mval, &n);
	*nmap = error ? 0 : (int)n;
	return error;
}

int libxfs_bmap_fork_fit(struct xfs_trans *tp, struct xfs_inode *ip,
			 int whichfork)
{
	int error = xfs_bmap_fork_fit(tp, ip, whichfork);

	return error ? error : libxfs_trans_log_inode(tp, ip);
}

struct first_unused {
	uint64_t	len;
	uint64_t	next;	/* first offset after the extents seen */
	bool		found;
};

static int first_unused_fn(struct xfs_inode *ip, int whichfork,
			   const struct xfs_bmbt_irec *irec, void *priv)
{
	struct first_unused *fu = priv;

	if (irec->br_startoff >= fu->next + fu->len) {
		fu->found = true;
		return 1;	/* stop: the gap before this extent fits */
	}
	fu->next = irec->br_startoff + irec->br_blockcount;
	return 0;
}

int libxfs_bmap_first_unused(struct xfs_inode *ip, int whichfork,
			     uint64_t len, uint64_t *bno)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	struct first_unused fu = { .len = len ? len : 1 };
	int error;

	*bno = 0;
	if (ifp->if_format == XFS_DINODE_FMT_LOCAL) {
		return 0;
	}
	error = libxfs_bmap_walk(ip, whichfork, first_unused_fn, &fu);
	if (error < 0) {
		return error;
	}
	*bno = fu.next;
	return 0;
}
