/*
 * xfs_inode.c: read-only inodes -- locating an inode on disk (imap),
 * reading and decoding it (iget), and walking the extents of its forks.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"
#include "xfs_trans.h"
#include "xfs_inode.h"

/* The inobt record covering agino, or -ENOENT if no chunk holds it. */
static int imap_lookup(struct xfs_mount *mp, struct xfs_trans *tp,
		       uint32_t agno, uint32_t agino,
		       struct xfs_inobt_rec *out)
{
	struct xfs_btree_cur *cur = NULL;
	struct xfs_inobt_key key;
	struct xfs_buf *agi_bp;
	const void *rec;
	uint32_t start;
	int error, stat;

	error = xfs_trans_read_buf(mp, tp, libxfs_ag_daddr(mp, agno,
							   XFS_AGI_SECTOR),
				   1U << mp->m_sectbb_log, 0,
				   &xfs_agi_buf_ops, &agi_bp);
	if (error) {
		return error;
	}
	error = libxfs_btree_init_agi_cursor(mp, agi_bp, &xfs_inobt_ops, 0,
					     &cur);
	if (error) {
		goto out_relse;
	}
	// Blocks this transaction changed must be read through it.
	cur->bc_tp = tp;
	key.ir_startino = cpu_to_be32(agino);
	error = libxfs_btree_lookup(cur, XFS_LOOKUP_LE, &key, &stat);
	if (!error && stat) {
		error = libxfs_btree_get_rec(cur, &rec, &stat);
	}
	if (error) {
		goto out_cur;
	}
	if (!stat) {
		error = -ENOENT;
		goto out_cur;
	}
	memcpy(out, rec, sizeof(*out));
	start = be32_to_cpu(out->ir_startino);
	if (agino < start || agino >= start + XFS_INODES_PER_CHUNK) {
		error = -ENOENT;
	}
out_cur:
	libxfs_btree_del_cursor(cur);
out_relse:
	xfs_trans_brelse(tp, agi_bp);
	return error;
}

int libxfs_imap(struct xfs_mount *mp, uint64_t ino, uint64_t *daddr,
		unsigned int *bbs, unsigned int *offset)
{
	return xfs_imap_tp(mp, NULL, ino, daddr, bbs, offset);
}

int xfs_imap_tp(struct xfs_mount *mp, struct xfs_trans *tp, uint64_t ino,
		uint64_t *daddr, unsigned int *bbs, unsigned int *offset)
{
	const struct xfs_sb *sb = &mp->m_sb;
	uint32_t agno, agino, agbno, chunk_agbno, cluster_agbno, off_agbno;
	unsigned int bpc = mp->m_blocks_per_cluster;
	int error;

	if (!libxfs_verify_ino(mp, ino)) {
		return -EINVAL;
	}
	agno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog, ino);
	agino = xfs_ino_to_agino(sb->sb_agblklog, sb->sb_inopblog, ino);
	agbno = xfs_agino_to_agbno(sb->sb_inopblog, agino);

	if (bpc <= 1) {
		cluster_agbno = agbno;
		bpc = 1;
	} else {
		if (mp->m_inoalign_mask) {
			off_agbno = agbno & mp->m_inoalign_mask;
			chunk_agbno = agbno - off_agbno;
		} else {
			struct xfs_inobt_rec rec;

			error = imap_lookup(mp, tp, agno, agino, &rec);
			if (error) {
				return error;
			}
			chunk_agbno = xfs_agino_to_agbno(sb->sb_inopblog,
					be32_to_cpu(rec.ir_startino));
			off_agbno = agbno - chunk_agbno;
		}
		cluster_agbno = chunk_agbno + (off_agbno / bpc) * bpc;
	}
	if ((uint64_t)cluster_agbno + bpc > libxfs_ag_block_count(mp, agno)) {
		return -EFSCORRUPTED;
	}
	*daddr = xfs_mp_agbno_to_daddr(mp, agno, cluster_agbno);
	*bbs = bpc << mp->m_blkbb_log;
	*offset = (((agbno - cluster_agbno) << sb->sb_inopblog) +
		   xfs_agino_to_offset(sb->sb_inopblog, agino)) <<
		  sb->sb_inodelog;
	return 0;
}

/* Is agino allocated according to its inobt record? */
static int iget_check_allocated(struct xfs_mount *mp, uint64_t ino)
{
	const struct xfs_sb *sb = &mp->m_sb;
	uint32_t agno = xfs_ino_to_agno(sb->sb_agblklog, sb->sb_inopblog, ino);
	uint32_t agino = xfs_ino_to_agino(sb->sb_agblklog, sb->sb_inopblog,
					  ino);
	struct xfs_inobt_rec rec;
	unsigned int idx;
	int error;

	error = imap_lookup(mp, NULL, agno, agino, &rec);
	if (error) {
		return error;
	}
	idx = agino - be32_to_cpu(rec.ir_startino);
	if (xfs_has_sparseinodes(mp) &&
	    (be16_to_cpu(rec.ir_u.sp.ir_holemask) >>
	     (idx / XFS_INODES_PER_HOLEMASK_BIT)) & 1) {
		return -ENOENT;		/* in a sparse hole */
	}
	if ((be64_to_cpu(rec.ir_free) >> idx) & 1) {
		return -ENOENT;		/* free */
	}
	return 0;
}

static void decode_time(const struct xfs_dinode *dip, xfs_timestamp_t ts,
			struct xfs_ictime *t)
{
	xfs_timestamp_decode(ts, xfs_dinode_has_bigtime(dip), &t->sec,
			     &t->nsec);
}

static void iget_decode(struct xfs_inode *ip, unsigned int inodesize)
{
	struct xfs_dinode *dip = ip->i_dinode;

	ip->i_mode = be16_to_cpu(dip->di_mode);
	ip->i_version = dip->di_version;
	ip->i_uid = be32_to_cpu(dip->di_uid);
	ip->i_gid = be32_to_cpu(dip->di_gid);
	ip->i_nlink = be32_to_cpu(dip->di_nlink);
	ip->i_projid = xfs_dinode_projid(dip);
	ip->i_size = be64_to_cpu(dip->di_size);
	ip->i_nblocks = be64_to_cpu(dip->di_nblocks);
	ip->i_extsize = be32_to_cpu(dip->di_extsize);
	ip->i_cowextsize = be32_to_cpu(dip->di_cowextsize);
	ip->i_forkoff = dip->di_forkoff;
	ip->i_flags = be16_to_cpu(dip->di_flags);
	ip->i_flags2 = be64_to_cpu(dip->di_flags2);
	ip->i_gen = be32_to_cpu(dip->di_gen);
	ip->i_next_unlinked = be32_to_cpu(dip->di_next_unlinked);
	ip->i_changecount = be64_to_cpu(dip->di_changecount);
	ip->i_lsn = be64_to_cpu(dip->di_lsn);
	decode_time(dip, dip->di_atime, &ip->i_atime);
	decode_time(dip, dip->di_mtime, &ip->i_mtime);
	decode_time(dip, dip->di_ctime, &ip->i_ctime);
	decode_time(dip, dip->di_crtime, &ip->i_crtime);

	// The forks point into our copy of the inode.
	ip->i_df.if_format = dip->di_format;
	ip->i_df.if_nextents = xfs_dinode_nextents(dip);
	ip->i_df.if_size = xfs_dfork_dsize(dip, inodesize);
	ip->i_df.if_data = xfs_dfork_dptr(dip);
	if (xfs_dinode_has_attr_fork(dip)) {
		ip->i_af.if_format = (uint8_t)dip->di_aformat;
		ip->i_af.if_nextents = xfs_dinode_anextents(dip);
		ip->i_af.if_size = xfs_dfork_asize(dip, inodesize);
		ip->i_af.if_data = xfs_dfork_aptr(dip);
	} else {
		ip->i_af.if_format = XFS_DINODE_FMT_EXTENTS;
		ip->i_af.if_nextents = 0;
		ip->i_af.if_size = 0;
		ip->i_af.if_data = NULL;
	}
}

int libxfs_iget(struct xfs_mount *mp, uint64_t ino, unsigned int flags,
		struct xfs_inode **ipp)
{
	return xfs_iget_tp(mp, NULL, ino, flags, ipp);
}

int xfs_iget_tp(struct xfs_mount *mp, struct xfs_trans *tp, uint64_t ino,
		unsigned int flags, struct xfs_inode **ipp)
{
	unsigned int inodesize = mp->m_sb.sb_inodesize, bbs, off;
	const char *reason = NULL;
	struct xfs_inode *ip;
	struct xfs_buf *bp;
	uint64_t daddr;
	int error;

	*ipp = NULL;
	error = xfs_imap_tp(mp, tp, ino, &daddr, &bbs, &off);
	if (error) {
		return error;
	}
	if (flags & LIBXFS_IGET_UNTRUSTED) {
		error = iget_check_allocated(mp, ino);
		if (error) {
			return error;
		}
	}
	// Salvage the cluster: a bad neighbour must not hide a good inode.
	error = xfs_trans_read_buf(mp, tp, daddr, bbs, LIBXFS_BUF_SALVAGE,
				   &xfs_inode_buf_ops, &bp);
	if (error) {
		return error;
	}
	if ((size_t)off + inodesize > BBTOB(bp->b_length)) {
		xfs_trans_brelse(tp, bp);
		return -EFSCORRUPTED;
	}
	// An inode changed by tp has no valid CRC until tp commits.
	error = libxfs_dinode_verify(mp, ino, (char *)bp->b_addr + off,
				     !tp || !xfs_trans_buf_is_logged(tp, bp),
				     &reason);
	if (error) {
		xfs_trans_brelse(tp, bp);
		return error;
	}
	ip = calloc(1, sizeof(*ip));
	if (ip) {
		ip->i_dinode = malloc(inodesize);
	}
	if (!ip || !ip->i_dinode) {
		free(ip);
		xfs_trans_brelse(tp, bp);
		return -ENOMEM;
	}
	memcpy(ip->i_dinode, (char *)bp->b_addr + off, inodesize);
	xfs_trans_brelse(tp, bp);
	ip->i_mount = mp;
	ip->i_ino = ino;
	ip->i_cluster_daddr = daddr;
	ip->i_cluster_bbs = bbs;
	ip->i_cluster_offset = off;
	iget_decode(ip, inodesize);
	if (ip->i_mode == 0) {
		libxfs_irele(ip);
		return -ENOENT;
	}
	*ipp = ip;
	return 0;
}

/* Does the fork's data live in the inode's own heap buffer? */
bool xfs_ifork_data_is_heap(const struct xfs_inode *ip,
			    const struct xfs_ifork *ifp)
{
	const char *base = ip->i_dinode, *p = ifp->if_data;
	size_t isize = ip->i_mount ? ip->i_mount->m_sb.sb_inodesize : 0;

	if (!p) {
		return false;
	}
	// Comparing as integers: the pointers may belong to other objects.
	return !base || (uintptr_t)p < (uintptr_t)base ||
	       (uintptr_t)p >= (uintptr_t)base + isize;
}

void libxfs_irele(struct xfs_inode *ip)
{
	if (!ip) {
		return;
	}
	if (xfs_ifork_data_is_heap(ip, &ip->i_df)) {
		free(ip->i_df.if_data);
	}
	if (xfs_ifork_data_is_heap(ip, &ip->i_af)) {
		free(ip->i_af.if_data);
	}
	free(ip->i_dinode);
	free(ip);
}

/* ---- extents ---- */

void libxfs_bmbt_disk_get(const void *disk_rec, struct xfs_bmbt_irec *irec)
{
	struct xfs_bmbt_rec r;

	memcpy(&r, disk_rec, sizeof(r));
	irec->br_startoff = xfs_bmbt_disk_startoff(&r);
	irec->br_startblock = xfs_bmbt_disk_startblock(&r);
	irec->br_blockcount = xfs_bmbt_disk_blockcount(&r);
	irec->br_unwritten = xfs_bmbt_disk_unwritten(&r);
}

struct bmap_walk {
	struct xfs_inode	*ip;
	int			whichfork;
	xfs_bmap_fn		fn;
	void			*priv;
	uint64_t		count;
	uint64_t		next_off;	/* end of the previous extent */
};

static int bmap_check_extent(struct bmap_walk *w,
			     const struct xfs_bmbt_irec *irec)
{
	struct xfs_mount *mp = w->ip->i_mount;
	uint64_t last;

	if (irec->br_blockcount == 0 ||
	    irec->br_startoff < w->next_off ||
	    irec->br_startoff + irec->br_blockcount >
	    XFS_BMBT_MAX_STARTOFF + 1) {
		return -EFSCORRUPTED;
	}
	if (w->whichfork == XFS_DATA_FORK &&
	    (w->ip->i_flags & XFS_DIFLAG_REALTIME)) {
		return 0;	/* realtime extents: other device */
	}
	last = irec->br_startblock + irec->br_blockcount - 1;
	if (!libxfs_verify_fsbno(mp, irec->br_startblock) ||
	    !libxfs_verify_fsbno(mp, last) ||
	    xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, irec->br_startblock) !=
	    xfs_fsbno_to_agno(mp->m_sb.sb_agblklog, last)) {
		return -EFSCORRUPTED;
	}
	return 0;
}

static int bmap_one(struct bmap_walk *w, const void *rec)
{
	struct xfs_bmbt_irec irec;
	int error;

	libxfs_bmbt_disk_get(rec, &irec);
	error = bmap_check_extent(w, &irec);
	if (error) {
		return error;
	}
	w->next_off = irec.br_startoff + irec.br_blockcount;
	w->count++;
	return w->fn(w->ip, w->whichfork, &irec, w->priv);
}

static int bmap_btree_rec(struct xfs_btree_cur *cur, const void *rec,
			  void *priv)
{
	return bmap_one(priv, rec);
}

int libxfs_bmap_walk(struct xfs_inode *ip, int whichfork, xfs_bmap_fn fn,
		     void *priv)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	struct bmap_walk w = {
		.ip = ip, .whichfork = whichfork, .fn = fn, .priv = priv,
	};
	struct xfs_btree_cur *cur;
	uint64_t i;
	int error = 0;

	switch (ifp->if_format) {
	case XFS_DINODE_FMT_EXTENTS:
		if (ifp->if_nextents >
		    ifp->if_size / sizeof(struct xfs_bmbt_rec)) {
			return -EFSCORRUPTED;
		}
		for (i = 0; i < ifp->if_nextents && !error; i++) {
			error = bmap_one(&w, (const char *)ifp->if_data +
					 i * sizeof(struct xfs_bmbt_rec));
		}
		return error;
	case XFS_DINODE_FMT_BTREE:
		error = libxfs_bmbt_init_cursor(ip->i_mount, ip, whichfork, 0,
						&cur);
		if (error) {
			return error;
		}
		error = libxfs_btree_query_all(cur, bmap_btree_rec, &w);
		libxfs_btree_del_cursor(cur);
		if (!error && w.count != ifp->if_nextents) {
			error = -EFSCORRUPTED;
		}
		return error;
	default:
		return -EINVAL;
	}
}
