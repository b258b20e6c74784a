/*
 * db/frag.c: the `frag` command -- how fragmented the files are.
 *
 * Every inode the inobt marks in use is read; for the kinds of file
 * selected (-d directories, -f regular files, -l symlinks, -q quota
 * files, -R realtime bitmap/summary, -r realtime files, -a attribute
 * forks; all of them when none is given) the extents of the fork are
 * counted ("actual") together with the runs of extents that follow each
 * other in file offset ("ideal": what a perfectly laid out file would
 * need).  -v prints the two counts per inode.
 */
#include <getopt.h>
#include <string.h>

#include "db/command.h"
#include "db/dinode.h"
#include "db/io.h"
#include "db/scan.h"

struct frag {
	bool		aflag, dflag, fflag, lflag, qflag, Rflag, rflag, vflag;
	uint64_t	actual;
	uint64_t	ideal;
	/* Current fork: end of the last extent seen, none yet. */
	uint64_t	next_off;
	bool		have_prev;
	int		rootlevel;
	uint32_t	seqno;
	bool		oom;		/* gave up as the reference would */
	int		whichfork;	/* fork being walked */
};

static void frag_extent(struct frag *fr, const uint8_t *rec)
{
	uint64_t off, blk;
	uint32_t cnt;
	bool unwritten;

	db_bmbt_get(rec, &off, &blk, &cnt, &unwritten);
	fr->actual++;
	if (!fr->have_prev || off != fr->next_off) {
		fr->ideal++;
	}
	fr->have_prev = true;
	fr->next_off = off + cnt;
}

static int frag_bmbt_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
			   uint64_t fsbno, void *priv);

static void frag_scan_bmbt(struct db_ctx *ctx, struct frag *fr, uint64_t bno,
			   int nlevels, int depth)
{
	const struct xfs_sb *sb = db_sb(ctx);

	if (db_scan_lbtree(ctx, bno, nlevels, depth, frag_bmbt_block, fr) ==
	    -EIO) {
		printf("can't read btree block %u/%u\n",
		       (uint32_t)(bno >> sb->sb_agblklog),
		       (uint32_t)(bno & ((1ULL << sb->sb_agblklog) - 1)));
	}
}

static int frag_bmbt_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
			   uint64_t fsbno, void *priv)
{
	struct frag *fr = priv;
	const struct xfs_mount *mp = ctx->mp;
	const uint8_t *blk = bp->b_addr;
	unsigned int hdr = XFS_BTREE_LBLOCK_CRC_LEN;
	unsigned int n = db_bt_numrecs(bp), i;

	if (level == 0) {
		if (n > mp->m_bmap_dmxr[0]) {
			printf("invalid numrecs (%u) in %s block\n", n,
			       fr->whichfork == XFS_DATA_FORK ? "bmapbtd" :
							       "bmapbta");
			return 0;
		}
		for (i = 0; i < n; i++) {
			frag_extent(fr, blk + hdr + i * 16);
		}
		return 0;
	}
	if (n > mp->m_bmap_dmxr[1]) {
		printf("invalid numrecs (%u) in %s block\n", n,
		       fr->whichfork == XFS_DATA_FORK ? "bmapbtd" : "bmapbta");
		return 0;
	}
	for (i = 0; i < n; i++) {
		uint64_t ptr = get_unaligned_be64(blk + hdr +
						  mp->m_bmap_dmxr[1] * 8 +
						  i * 8);

		frag_scan_bmbt(ctx, fr, ptr, level, fr->rootlevel - level + 1);
	}
	return 0;
}

static void frag_fork(struct db_ctx *ctx, struct frag *fr,
		      const struct xfs_dinode *dip, int whichfork)
{
	struct db_dfork f;
	unsigned int i, n, level, maxrecs;

	if (fr->oom) {
		return;
	}
	db_dinode_fork(ctx, dip, whichfork, &f);
	if (!f.nextents) {
		return;
	}
	/* The reference sizes a table by the claimed extent count. */
	if (db_alloc_would_fail(16 + f.nextents * 16) ||
	    f.nextents > UINT64_MAX / 32) {
		db_out_of_memory(ctx);
		fr->oom = true;
		return;
	}
	fr->have_prev = false;
	fr->whichfork = whichfork;
	switch (f.format) {
	case XFS_DINODE_FMT_EXTENTS:
		for (i = 0; i < f.nextents && (i + 1) * 16 <= f.size; i++) {
			frag_extent(fr, f.ptr + i * 16);
		}
		break;
	case XFS_DINODE_FMT_BTREE:
		if (f.size < 4) {
			break;
		}
		level = get_unaligned_be16(f.ptr);
		n = get_unaligned_be16(f.ptr + 2);
		maxrecs = xfs_bmdr_maxrecs(f.size);
		if (level == 0) {
			for (i = 0; i < n && 4 + (i + 1) * 16 <= f.size; i++) {
				frag_extent(fr, f.ptr + 4 + i * 16);
			}
			break;
		}
		if (level > DB_SCAN_MAXDEPTH) {
			level = DB_SCAN_MAXDEPTH;
		}
		fr->rootlevel = (int)level - 1;
		for (i = 0; i < n && i < maxrecs; i++) {
			uint64_t ptr = get_unaligned_be64(f.ptr + 4 +
							  maxrecs * 8 + i * 8);

			frag_scan_bmbt(ctx, fr, ptr, (int)level, 1);
		}
		break;
	}
}

static int frag_inode(struct db_ctx *ctx, struct db_chunk_walk *w,
		      uint32_t agino, struct xfs_dinode *dip, bool isfree)
{
	struct frag *fr = w->priv;
	const struct xfs_sb *sb = db_sb(ctx);
	uint64_t ino = xfs_agino_to_ino(sb->sb_agblklog, sb->sb_inopblog,
					w->agno, agino);
	uint16_t mode = be16_to_cpu(dip->di_mode);
	bool skipd, skipa = !fr->aflag;
	uint64_t actual = fr->actual, ideal = fr->ideal;

	if (fr->oom) {
		return 1;
	}
	switch (mode & XFS_IFMT) {
	case XFS_IFDIR:
		skipd = !fr->dflag;
		break;
	case XFS_IFREG:
		if (!fr->rflag &&
		    (be16_to_cpu(dip->di_flags) & XFS_DIFLAG_REALTIME)) {
			skipd = true;
		} else if (!fr->Rflag &&
			   (ino == sb->sb_rbmino || ino == sb->sb_rsumino)) {
			skipd = true;
		} else if (!fr->qflag &&
			   (ino == sb->sb_uquotino || ino == sb->sb_gquotino ||
			    ino == sb->sb_pquotino)) {
			skipd = true;
		} else {
			skipd = !fr->fflag;
		}
		break;
	case XFS_IFLNK:
		skipd = !fr->lflag;
		break;
	default:
		skipd = true;
		break;
	}
	if (!skipd) {
		frag_fork(ctx, fr, dip, XFS_DATA_FORK);
	}
	if (!skipa && dip->di_forkoff) {
		frag_fork(ctx, fr, dip, XFS_ATTR_FORK);
	}
	if (fr->oom) {
		return 1;
	}
	if (fr->vflag && (!skipd || (!skipa && dip->di_forkoff))) {
		printf("inode %lld actual %lld ideal %lld\n", (long long)ino,
		       (long long)(fr->actual - actual),
		       (long long)(fr->ideal - ideal));
	}
	return 0;
}

static void frag_cluster(struct db_ctx *ctx, struct db_chunk_walk *w,
			 uint32_t agbno, unsigned int blocks, bool readable)
{
	if (!readable) {
		printf("can't read inode block %u/%u\n", w->agno, agbno);
	}
}

static int frag_inobt_block(struct db_ctx *ctx, struct xfs_buf *bp,
			    int level, uint32_t agno, uint32_t agbno,
			    void *priv)
{
	struct frag *fr = priv;
	const uint8_t *blk = bp->b_addr;
	unsigned int len = db_buf_len(bp);
	unsigned int hdr = XFS_BTREE_SBLOCK_CRC_LEN;
	unsigned int n = db_bt_numrecs(bp), i, maxkeys;

	if (level == 0) {
		for (i = 0; i < n && hdr + (i + 1) * 16 <= len; i++) {
			const uint8_t *r = blk + hdr + i * 16;
			struct db_chunk_walk w = {
				.agno = fr->seqno,
				.startino = get_unaligned_be32(r),
				.freemask = get_unaligned_be64(r + 8),
				.inode_fn = frag_inode,
				.cluster_fn = frag_cluster,
				.priv = fr,
			};

			if (xfs_has_sparseinodes(ctx->mp)) {
				w.holemask = get_unaligned_be16(r + 4);
			}
			db_walk_chunk(ctx, &w);
			if (fr->oom) {
				return 1;
			}
		}
		return 0;
	}
	maxkeys = xfs_btree_maxkeys(len, hdr, 4, 4);
	for (i = 0; i < n && i < maxkeys; i++) {
		uint32_t ptr = get_unaligned_be32(blk + hdr + maxkeys * 4 +
						  i * 4);

		if (db_scan_sbtree(ctx, agno, ptr, level,
				   fr->rootlevel - level + 1, &xfs_inobt_buf_ops,
				   frag_inobt_block, priv) == -EIO) {
			printf("can't read btree block %u/%u\n", agno, ptr);
		}
		if (fr->oom) {
			return 1;
		}
	}
	return 0;
}

static void frag_ag(struct db_ctx *ctx, struct frag *fr, uint32_t agno)
{
	unsigned int sectbb = (unsigned int)BTOBB(db_sb(ctx)->sb_sectsize);
	const struct xfs_agi *agi;
	struct xfs_buf *bp;
	uint32_t root, levels;

	if (db_read_buf(ctx, db_ag_daddr(ctx, agno, XFS_AGF_SECTOR), sectbb,
			&xfs_agf_buf_ops, &bp, NULL)) {
		return;
	}
	fr->seqno = be32_to_cpu(((const struct xfs_agf *)bp->b_addr)->
				agf_seqno);
	libxfs_buf_relse(bp);
	if (db_read_buf(ctx, db_ag_daddr(ctx, agno, XFS_AGI_SECTOR), sectbb,
			&xfs_agi_buf_ops, &bp, NULL)) {
		return;
	}
	agi = bp->b_addr;
	root = be32_to_cpu(agi->agi_root);
	levels = be32_to_cpu(agi->agi_level);
	libxfs_buf_relse(bp);
	if (levels > DB_SCAN_MAXDEPTH) {
		levels = DB_SCAN_MAXDEPTH;
	}
	fr->rootlevel = (int)levels - 1;
	if (db_scan_sbtree(ctx, fr->seqno, root, (int)levels, 0,
			   &xfs_inobt_buf_ops, frag_inobt_block, fr) == -EIO) {
		printf("can't read btree block %u/%u\n", fr->seqno, root);
	}
}

static int frag_f(struct db_ctx *ctx, int argc, char **argv)
{
	struct frag fr;
	uint32_t agno;
	double factor, avg;
	int c;

	memset(&fr, 0, sizeof(fr));
	optind = 0;
	while ((c = getopt(argc, argv, "adflqRrv")) != -1) {
		switch (c) {
		case 'a':
			fr.aflag = true;
			break;
		case 'd':
			fr.dflag = true;
			break;
		case 'f':
			fr.fflag = true;
			break;
		case 'l':
			fr.lflag = true;
			break;
		case 'q':
			fr.qflag = true;
			break;
		case 'R':
			fr.Rflag = true;
			break;
		case 'r':
			fr.rflag = true;
			break;
		case 'v':
			fr.vflag = true;
			break;
		default:
			printf("bad option for frag command\n");
			return -EINVAL;
		}
	}
	if (!fr.aflag && !fr.dflag && !fr.fflag && !fr.lflag && !fr.qflag &&
	    !fr.Rflag && !fr.rflag) {
		fr.aflag = fr.dflag = fr.fflag = fr.lflag = true;
		fr.qflag = fr.Rflag = fr.rflag = true;
	}
	for (agno = 0; agno < db_sb(ctx)->sb_agcount && !fr.oom; agno++) {
		frag_ag(ctx, &fr, agno);
	}
	if (fr.oom) {
		return -ENOMEM;
	}
	if (fr.actual) {
		factor = (double)(fr.actual - fr.ideal) * 100.0 /
			 (double)fr.actual;
	} else {
		factor = 0.0;
	}
	printf("actual %llu, ideal %llu, fragmentation factor %.2f%%\n",
	       (unsigned long long)fr.actual, (unsigned long long)fr.ideal,
	       factor);
	printf("Note, this number is largely meaningless.\n");
	avg = (double)fr.actual / (double)fr.ideal;
	printf("Files on this filesystem average %.2f extents per file\n",
	       avg);
	return 0;
}

const struct db_command frag_cmd = {
	.name = "frag",
	.func = frag_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[-a] [-d] [-f] [-l] [-q] [-R] [-r] [-v]",
	.oneline = "get file fragmentation data",
};
