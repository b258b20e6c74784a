/*
 * mkfs/write_fs.c: the part of formatting that runs on the mounted new
 * filesystem, through libxfs transactions: the AGs (write_agfl.c), the
 * first inode chunk placed exactly where the geometry predicted the
 * root inode, the root directory and the realtime bitmap and summary
 * inodes, the caller's populate step, and finally the primary superblock
 * with its counters, no longer "in progress".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkfs/mkfs.h"
#include "mkfs/write.h"

static enum mkfs_status fail(const char *what, int error)
{
	fprintf(stderr, "%s: %s failed: %s\n", progname, what,
		strerror(-error));
	return MKFS_FAIL;
}

/* Blocks a transaction making one inode chunk may need. */
static unsigned int chunk_res(const struct xfs_mount *mp)
{
	return mp->m_ialloc_blks + 2 * mp->m_in_maxlevels +
	       mp->m_rmap_maxlevels + 8;
}

/* Flags the -d *inherit options put on the root directory. */
static void root_inherit(const struct mkfs_geometry *g,
			 struct xfs_icreate_args *args)
{
	if (g->rtinherit) {
		args->diflags |= XFS_DIFLAG_RTINHERIT;
	}
	if (g->projinherit_set) {
		args->diflags |= XFS_DIFLAG_PROJINHERIT;
		args->projid = g->projinherit;
	}
	if (g->extszinherit) {
		args->diflags |= XFS_DIFLAG_EXTSZINHERIT;
	}
	if (g->cowextsize) {
		args->diflags2 |= XFS_DIFLAG2_COWEXTSIZE;
	}
	if (g->daxinherit) {
		args->diflags2 |= XFS_DIFLAG2_DAX;
	}
}

/*
 * The root directory: its inode chunk exactly where the geometry put the
 * root inode, the inode itself (the chunk's first), an empty directory
 * whose parent is itself.
 */
static int make_root(struct xfs_mount *mp, const struct mkfs_geometry *g,
		     struct xfs_inode **ipp)
{
	struct xfs_icreate_args args = {
		.mode = S_IFDIR | 0755, .nlink = 2,
	};
	struct xfs_inode *ip = NULL;
	struct xfs_trans *tp;
	uint32_t agno = xfs_ino_to_agno(mp->m_sb.sb_agblklog,
					mp->m_sb.sb_inopblog, g->rootino);
	uint32_t agbno = xfs_ino_to_agbno(mp->m_sb.sb_agblklog,
					  mp->m_sb.sb_inopblog, g->rootino);
	int error;

	root_inherit(g, &args);
	error = xfs_trans_alloc(mp, chunk_res(mp), &tp);
	if (error) {
		return error;
	}
	error = libxfs_ialloc_chunk_at(tp, agno, agbno);
	if (!error) {
		error = libxfs_inode_create(tp, NULL, &args, &ip);
	}
	if (!error) {
		ip->i_extsize = g->extszinherit;
		ip->i_cowextsize = g->cowextsize;
		error = libxfs_dir_init(tp, ip, ip->i_ino);
	}
	if (error) {
		xfs_trans_cancel(tp);
		if (ip) {
			libxfs_irele(ip);
		}
		return error;
	}
	error = xfs_trans_commit(tp);
	if (error) {
		libxfs_irele(ip);
		return error;
	}
	*ipp = ip;
	return 0;
}

/*
 * The realtime bitmap and summary inodes: regular files in the root's
 * chunk, empty without a realtime section (the bitmap marked as the new
 * bitmap format, as ever).
 */
static int make_rt_inodes(struct xfs_mount *mp, struct xfs_inode *rootip,
			  uint64_t *rbmino, uint64_t *rsumino)
{
	struct xfs_icreate_args args = { .mode = S_IFREG, .nlink = 1 };
	struct xfs_inode *rbm = NULL, *rsum = NULL;
	struct xfs_trans *tp;
	int error;

	error = xfs_trans_alloc(mp, chunk_res(mp), &tp);
	if (error) {
		return error;
	}
	args.diflags = XFS_DIFLAG_NEWRTBM;
	error = libxfs_inode_create(tp, rootip, &args, &rbm);
	if (!error) {
		args.diflags = 0;
		error = libxfs_inode_create(tp, rootip, &args, &rsum);
	}
	if (error) {
		xfs_trans_cancel(tp);
	} else {
		*rbmino = rbm->i_ino;
		*rsumino = rsum->i_ino;
		error = xfs_trans_commit(tp);
	}
	if (rbm) {
		libxfs_irele(rbm);
	}
	if (rsum) {
		libxfs_irele(rsum);
	}
	return error;
}

/*
 * The primary superblock as the mount leaves it: counters from the
 * transactions, the realtime inodes, and no longer in progress.
 */
static int finish_primary_sb(struct xfs_mount *mp, uint64_t rbmino,
			     uint64_t rsumino)
{
	struct xfs_buf *bp;
	int error;

	error = xfs_trans_sync(mp);
	if (error) {
		return error;
	}
	error = libxfs_buf_read(mp, XFS_SB_DADDR, 1U << mp->m_sectbb_log, 0,
				&xfs_sb_buf_ops, &bp);
	if (error) {
		return error;
	}
	pthread_mutex_lock(&mp->m_sb_lock);
	mp->m_sb.sb_inprogress = 0;
	mp->m_sb.sb_rbmino = rbmino;
	mp->m_sb.sb_rsumino = rsumino;
	mp->m_sb_dirty = false;
	pthread_mutex_lock(&bp->b_iolock);
	libxfs_sb_to_disk(bp->b_addr, &mp->m_sb);
	bp->b_flags |= XBF_DIRTY;
	pthread_mutex_unlock(&bp->b_iolock);
	pthread_mutex_unlock(&mp->m_sb_lock);
	error = libxfs_bwrite(bp);
	libxfs_buf_relse(bp);
	return error;
}

enum mkfs_status write_fs_contents(const struct mkfs_geometry *g,
				   struct xfs_mount *mp, const void *dsb,
				   const struct mkfs_write_hooks *hooks)
{
	struct xfs_inode *rootip;
	uint64_t rbmino = NULLFSINO, rsumino = NULLFSINO;
	int error;

	error = write_ags(mp, g, dsb);
	if (error) {
		return fail("writing the allocation groups", error);
	}
	error = make_root(mp, g, &rootip);
	if (error) {
		return fail("creating the root directory", error);
	}
	if (rootip->i_ino != g->rootino) {
		fprintf(stderr, "%s: root inode %llu is not the predicted "
			"%llu\n", progname, (unsigned long long)rootip->i_ino,
			(unsigned long long)g->rootino);
		libxfs_irele(rootip);
		return MKFS_FAIL;
	}
	error = make_rt_inodes(mp, rootip, &rbmino, &rsumino);
	if (error) {
		libxfs_irele(rootip);
		return fail("creating the realtime inodes", error);
	}
	if (hooks && hooks->populate) {
		error = hooks->populate(mp, rootip, hooks->arg);
	}
	libxfs_irele(rootip);
	if (error) {
		return MKFS_FAIL;
	}
	error = finish_primary_sb(mp, rbmino, rsumino);
	if (error) {
		return fail("writing the superblock", error);
	}
	return MKFS_OK;
}
