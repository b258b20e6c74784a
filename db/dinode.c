/*
 * db/dinode.c: on-disk inodes read in place (see dinode.h).
 */
#include "db/dinode.h"
#include "db/inode.h"
#include "db/io.h"

void db_dinode_fork(const struct db_ctx *ctx, const struct xfs_dinode *dip,
		    int whichfork, struct db_dfork *f)
{
	unsigned int isize = db_sb(ctx)->sb_inodesize;
	unsigned int core = xfs_dinode_core_size(dip->di_version);
	unsigned int lit = isize > core ? isize - core : 0;
	unsigned int boff = xfs_dfork_boff(dip);

	if (boff > lit) {
		boff = lit;
	}
	if (whichfork == XFS_DATA_FORK) {
		f->ptr = (const uint8_t *)dip + core;
		f->size = dip->di_forkoff ? boff : lit;
		f->format = dip->di_format;
		f->nextents = xfs_dinode_nextents(dip);
	} else {
		f->ptr = (const uint8_t *)dip + core + boff;
		f->size = dip->di_forkoff ? lit - boff : 0;
		f->format = (uint8_t)dip->di_aformat;
		f->nextents = xfs_dinode_anextents(dip);
	}
}

int db_walk_chunk(struct db_ctx *ctx, struct db_chunk_walk *w)
{
	const struct xfs_mount *mp = ctx->mp;
	const struct xfs_sb *sb = db_sb(ctx);
	unsigned int blks_per_buf, inodes_per_buf, ioff, off, j;
	uint32_t agbno, end;
	int error;

	blks_per_buf = xfs_has_sparseinodes(mp) ? mp->m_blocks_per_cluster :
						   mp->m_ialloc_blks;
	if (!blks_per_buf) {
		blks_per_buf = 1;
	}
	inodes_per_buf = blks_per_buf << sb->sb_inopblog;
	if (inodes_per_buf > XFS_INODES_PER_CHUNK) {
		inodes_per_buf = XFS_INODES_PER_CHUNK;
	}
	agbno = xfs_agino_to_agbno(sb->sb_inopblog, w->startino);
	off = xfs_agino_to_offset(sb->sb_inopblog, w->startino);
	end = agbno + mp->m_ialloc_blks;
	for (ioff = 0; agbno < end && ioff < XFS_INODES_PER_CHUNK;
	     agbno += blks_per_buf, ioff += inodes_per_buf) {
		struct xfs_buf *bp;
		unsigned int buflen;
		uint64_t daddr;

		if (db_chunk_is_hole(w->holemask, ioff)) {
			continue;
		}
		daddr = ((uint64_t)w->agno * sb->sb_agblocks + agbno) <<
			db_blkbb_log(ctx);
		error = db_read_buf(ctx, daddr, blks_per_buf <<
				    db_blkbb_log(ctx), inode_type.ops,
				    &bp, NULL);
		if (w->cluster_fn) {
			w->cluster_fn(ctx, w, agbno, blks_per_buf, !error);
		}
		if (error) {
			continue;
		}
		buflen = (unsigned int)BBTOB(bp->b_length);
		for (j = 0; j < inodes_per_buf; j++) {
			unsigned int boff = (off + j) << sb->sb_inodelog;
			bool isfree = (w->freemask >> (ioff + j)) & 1;

			if (ioff + j >= XFS_INODES_PER_CHUNK ||
			    boff + sb->sb_inodesize > buflen) {
				break;
			}
			if (isfree && !w->want_free) {
				continue;
			}
			error = w->inode_fn(ctx, w, w->startino + ioff + j,
					    (struct xfs_dinode *)
					    ((char *)bp->b_addr + boff), isfree);
			if (error) {
				libxfs_buf_relse(bp);
				return error;
			}
		}
		libxfs_buf_relse(bp);
	}
	return 0;
}
