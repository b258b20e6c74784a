/*
 * db/check_inode.c: blockget's look at one inode -- its core (magic,
 * version, format for its type, fork offset), the blocks of both forks
 * (extent lists in the inode or bmbt blocks), the counts the core keeps
 * of them, and, for a directory, its entries (check_dir.c).
 *
 * Blocks of a fork take the type of what they hold (data, dir, symlink,
 * attr...), bmbt blocks included, and are recorded as owned by the inode.
 */
#include <stdlib.h>
#include <string.h>

#include "db/check.h"
#include "db/dinode.h"
#include "db/scan.h"

static const char *const fmtnames[] = {
	"dev", "local", "extents", "btree", "uuid",
};

/* Formats allowed for each file type (mode >> 12). */
static const uint8_t okfmts[16] = {
	[1] = 1 << XFS_DINODE_FMT_DEV,			/* fifo */
	[2] = 1 << XFS_DINODE_FMT_DEV,			/* chr */
	[4] = (1 << XFS_DINODE_FMT_LOCAL) | (1 << XFS_DINODE_FMT_EXTENTS) |
	      (1 << XFS_DINODE_FMT_BTREE),		/* dir */
	[6] = 1 << XFS_DINODE_FMT_DEV,			/* blk */
	[8] = (1 << XFS_DINODE_FMT_EXTENTS) | (1 << XFS_DINODE_FMT_BTREE),
	[10] = (1 << XFS_DINODE_FMT_LOCAL) | (1 << XFS_DINODE_FMT_EXTENTS),
	[12] = 1 << XFS_DINODE_FMT_DEV,			/* sock */
	[14] = 1 << XFS_DINODE_FMT_UUID,
};

/* One fork being walked. */
struct ck_fork {
	struct db_check	*ck;
	uint32_t	id;
	enum ck_dbm	type;
	int		whichfork;
	uint64_t	totd;		/* blocks mapped */
	uint64_t	toti;		/* bmbt blocks */
	uint64_t	nex;		/* records seen */
	struct ck_blkmap *blkmap;	/* NULL: not collected */
	int		rootlevel;
};

static void blkmap_add(struct ck_blkmap *bm, uint64_t off, uint64_t blk,
		       uint32_t cnt)
{
	if (bm->nents == bm->cap) {
		unsigned int cap = bm->cap ? bm->cap * 2 : 16;
		struct ck_bmap *n = realloc(bm->ents, sizeof(*n) * cap);

		if (!n) {
			return;
		}
		bm->ents = n;
		bm->cap = cap;
	}
	bm->ents[bm->nents++] = (struct ck_bmap){ off, blk, cnt };
}

static void process_reclist(struct ck_fork *f, const uint8_t *rp,
			    uint64_t numrecs)
{
	struct db_check *ck = f->ck;
	const struct xfs_sb *sb = &ck->mp->m_sb;
	struct ck_ino *ip = ck_ino(ck, f->id);
	uint64_t i, op = 0, cp = 0;

	for (i = 0; i < numrecs; i++, rp += 16) {
		uint64_t o, s, b;
		uint32_t c, agno, agbno;
		bool unwritten;

		db_bmbt_get(rp, &o, &s, &c, &unwritten);
		ip = ck_ino(ck, f->id);
		if (ck_traced(ck, ip)) {
			printf("inode %lld extent [%lld,%lld,%lld,%d]\n",
			       (long long)ip->ino, (long long)o, (long long)s,
			       (long long)c, unwritten ? 1 : 0);
		}
		if (!ck->sflag && i > 0 && op + cp > o) {
			printf("bmap rec out of order, inode %lld entry %d\n",
			       (long long)ip->ino, (int)i);
		}
		op = o;
		cp = c;
		agno = (uint32_t)(s >> sb->sb_agblklog);
		agbno = (uint32_t)(s & ((1ULL << sb->sb_agblklog) - 1));
		if (f->type == DBM_RTDATA) {
			if (!ck->sflag && s >= sb->sb_rblocks) {
				printf("inode %lld bad rt block number %lld, "
				       "offset %lld\n", (long long)ip->ino,
				       (long long)s, (long long)o);
				continue;
			}
		} else if (!ck->sflag) {
			if (agno >= sb->sb_agcount || agbno >= sb->sb_agblocks) {
				printf("inode %lld bad block number %lld "
				       "[%d,%d], offset %lld\n",
				       (long long)ip->ino, (long long)s,
				       (int)agno, (int)agbno, (long long)o);
				continue;
			}
			if ((uint64_t)agbno + c - 1 >= sb->sb_agblocks) {
				printf("inode %lld bad block number %lld "
				       "[%d,%d], offset %lld\n",
				       (long long)ip->ino,
				       (long long)(s + c - 1), (int)agno,
				       (int)(agbno + c - 1), (long long)o);
				continue;
			}
		}
		if (f->blkmap) {
			blkmap_add(f->blkmap, o, s, c);
		}
		if (f->type != DBM_RTDATA) {
			ck_set_dbmap(ck, agno, agbno, c, f->type,
				     xfs_ino_to_agno(sb->sb_agblklog,
						     sb->sb_inopblog, ip->ino),
				     xfs_ino_to_agbno(sb->sb_agblklog,
						      sb->sb_inopblog,
						      ip->ino));
			ck_set_inomap(ck, agno, agbno, c, f->id);
		}
		for (b = s; ck->nblist && b < s + c; b++, o++) {
			if (ck_in_blist(ck, (uint32_t)(b >> sb->sb_agblklog),
					(uint32_t)(b & ((1ULL <<
							 sb->sb_agblklog) -
							1)))) {
				printf("inode %lld block %lld at offset %lld\n",
				       (long long)ck_ino(ck, f->id)->ino,
				       (long long)b, (long long)o);
			}
		}
		f->totd += c;
	}
}

static bool fsb_in_blist(const struct db_check *ck, uint64_t fsbno)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;

	return ck_in_blist(ck, (uint32_t)(fsbno >> sb->sb_agblklog),
			   (uint32_t)(fsbno & ((1ULL << sb->sb_agblklog) - 1)));
}

static int bmbt_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
		      uint64_t bno, void *priv);

static void scan_bmbt(struct ck_fork *f, uint64_t root, int nlevels,
		      int depth)
{
	struct db_check *ck = f->ck;
	const struct xfs_sb *sb = &ck->mp->m_sb;

	if (db_scan_lbtree(ck->ctx, root, nlevels, depth, bmbt_block, f) ==
	    -EIO) {
		if (!ck->sflag) {
			printf("can't read btree block %u/%u\n",
			       (uint32_t)(root >> sb->sb_agblklog),
			       (uint32_t)(root &
					  ((1ULL << sb->sb_agblklog) - 1)));
		}
		ck->error++;
	}
}

static int bmbt_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
		      uint64_t bno, void *priv)
{
	struct ck_fork *f = priv;
	struct db_check *ck = f->ck;
	const struct xfs_mount *mp = ck->mp;
	const struct xfs_sb *sb = &mp->m_sb;
	struct ck_ino *ip = ck_ino(ck, f->id);
	const uint8_t *blk = bp->b_addr;
	unsigned int hdr = XFS_BTREE_LBLOCK_CRC_LEN;
	unsigned int n = db_bt_numrecs(bp), i;
	uint32_t agno = (uint32_t)(bno >> sb->sb_agblklog);
	uint32_t agbno = (uint32_t)(bno & ((1ULL << sb->sb_agblklog) - 1));
	bool isroot = level == f->rootlevel;
	bool v = !ck->sflag || (ip->flags & CKI_ILIST) || fsb_in_blist(ck, bno);
	int leaf = level == 0 ? 0 : 1;

	if (db_bt_magic(bp) != XFS_BMAP_CRC_MAGIC &&
	    db_bt_magic(bp) != XFS_BMAP_MAGIC) {
		if (v) {
			printf("bad magic # %#x in inode %lld bmbt block "
			       "%u/%u\n", db_bt_magic(bp), (long long)ip->ino,
			       agno, agbno);
		}
		ck->error++;
	}
	if ((int)db_bt_level(bp) != level) {
		if (v) {
			printf("expected level %d got %d in inode %lld bmbt "
			       "block %u/%u\n", level, db_bt_level(bp),
			       (long long)ip->ino, agno, agbno);
		}
		ck->error++;
	}
	ck_set_dbmap(ck, agno, agbno, 1, f->type, agno, agbno);
	ck_set_inomap(ck, agno, agbno, 1, f->id);
	f->toti++;
	if (n > mp->m_bmap_dmxr[leaf] ||
	    (!isroot && n < mp->m_bmap_dmnr[leaf])) {
		if (v) {
			printf("bad btree nrecs (%u, min=%u, max=%u) in inode "
			       "%lld bmap block %lld\n", n,
			       mp->m_bmap_dmnr[leaf], mp->m_bmap_dmxr[leaf],
			       (long long)ip->ino, (long long)bno);
		}
		ck->error++;
		return 0;
	}
	if (level == 0) {
		f->nex += n;
		process_reclist(f, blk + hdr, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		uint64_t ptr = get_unaligned_be64(blk + hdr +
						  mp->m_bmap_dmxr[0] * 8 +
						  i * 8);

		scan_bmbt(f, ptr, level, f->rootlevel - level + 1);
	}
	return 0;
}

static void process_exinode(struct ck_fork *f, const struct db_dfork *df)
{
	struct db_check *ck = f->ck;
	struct ck_ino *ip = ck_ino(ck, f->id);

	f->nex = df->nextents;
	if (df->nextents > df->size / 16) {
		if (!ck->sflag || (ip->flags & CKI_ILIST)) {
			printf("bad number of extents %lld for inode %lld\n",
			       (long long)df->nextents, (long long)ip->ino);
		}
		ck->error++;
		return;
	}
	process_reclist(f, df->ptr, df->nextents);
}

static void process_btinode(struct ck_fork *f, const struct db_dfork *df)
{
	struct db_check *ck = f->ck;
	struct ck_ino *ip = ck_ino(ck, f->id);
	const char *forkname = f->whichfork == XFS_DATA_FORK ? "data" : "attr";
	unsigned int level, n, maxrecs, i;

	if (df->size < 4) {
		return;
	}
	level = get_unaligned_be16(df->ptr);
	n = get_unaligned_be16(df->ptr + 2);
	if (level >= ck->mp->m_bm_maxlevels[f->whichfork]) {
		if (!ck->sflag || (ip->flags & CKI_ILIST)) {
			printf("level for ino %lld %s fork bmap root too large "
			       "(%u)\n", (long long)ip->ino, forkname, level);
		}
		ck->error++;
		return;
	}
	maxrecs = level == 0 ? (df->size - 4) / 16 :
			       xfs_bmdr_maxrecs(df->size);
	if (n > maxrecs) {
		if (!ck->sflag || (ip->flags & CKI_ILIST)) {
			printf("numrecs for ino %lld %s fork bmap root too "
			       "large (%u)\n", (long long)ip->ino, forkname, n);
		}
		ck->error++;
		return;
	}
	if (level == 0) {
		process_reclist(f, df->ptr + 4, n);
		f->nex += n;
		return;
	}
	f->rootlevel = (int)level - 1;
	for (i = 0; i < n; i++) {
		scan_bmbt(f, get_unaligned_be64(df->ptr + 4 + maxrecs * 8 +
						i * 8), (int)level, 1);
	}
	if (f->nex <= df->size / 16) {
		ip = ck_ino(ck, f->id);
		if (!ck->sflag || (ip->flags & CKI_ILIST)) {
			printf("extent count for ino %lld %s fork too low (%d) "
			       "for file format\n", (long long)ip->ino,
			       forkname, (int)f->nex);
		}
		ck->error++;
	}
}

static void process_lclinode(struct ck_fork *f, const struct xfs_dinode *dip,
			     const struct db_dfork *df, bool v)
{
	struct db_check *ck = f->ck;
	struct ck_ino *ip = ck_ino(ck, f->id);

	if (f->whichfork == XFS_DATA_FORK) {
		if (be64_to_cpu(dip->di_size) > df->size) {
			if (v) {
				printf("local inode %lld data is too large "
				       "(size %lld)\n", (long long)ip->ino,
				       (long long)be64_to_cpu(dip->di_size));
			}
			ck->error++;
		}
	} else if (df->size >= 2 && get_unaligned_be16(df->ptr) > df->size) {
		if (v) {
			printf("local inode %lld attr is too large (size %d)\n",
			       (long long)ip->ino,
			       (int)get_unaligned_be16(df->ptr));
		}
		ck->error++;
	}
}

static void process_fork(struct ck_fork *f, const struct xfs_dinode *dip,
			 bool v)
{
	struct db_dfork df;

	db_dinode_fork(f->ck->ctx, dip, f->whichfork, &df);
	switch (df.format) {
	case XFS_DINODE_FMT_LOCAL:
		process_lclinode(f, dip, &df, v);
		break;
	case XFS_DINODE_FMT_EXTENTS:
		process_exinode(f, &df);
		break;
	case XFS_DINODE_FMT_BTREE:
		process_btinode(f, &df);
		break;
	}
}

/* Checks of a free inode slot. */
static void process_free_inode(struct db_check *ck, uint64_t ino,
			       const struct xfs_dinode *dip, bool v)
{
	if (be64_to_cpu(dip->di_nblocks)) {
		if (v) {
			printf("bad nblocks %lld for free inode %lld\n",
			       (long long)be64_to_cpu(dip->di_nblocks),
			       (long long)ino);
		}
		ck->error++;
	}
	if (dip->di_nlink) {
		if (v) {
			printf("bad nlink %d for free inode %lld\n",
			       (int)be32_to_cpu(dip->di_nlink), (long long)ino);
		}
		ck->error++;
	}
	if (dip->di_mode) {
		if (v) {
			printf("bad mode %#o for free inode %lld\n",
			       be16_to_cpu(dip->di_mode), (long long)ino);
		}
		ck->error++;
	}
}

/* The core checks before anything is claimed; false stops. */
static bool check_core(struct db_check *ck, uint64_t ino,
		       const struct xfs_dinode *dip, bool v)
{
	uint16_t mode = be16_to_cpu(dip->di_mode);
	unsigned int isize = ck->mp->m_sb.sb_inodesize;
	unsigned int lit;

	if (be32_to_cpu(dip->di_next_unlinked) != NULLAGINO) {
		if (v) {
			printf("bad next unlinked %#x for inode %lld\n",
			       be32_to_cpu(dip->di_next_unlinked),
			       (long long)ino);
		}
		ck->error++;
	}
	if (dip->di_format > 7 ||
	    !(okfmts[(mode & XFS_IFMT) >> 12] & (1U << dip->di_format))) {
		if (v) {
			printf("bad format %d for inode %lld type %#o\n",
			       dip->di_format, (long long)ino, mode & XFS_IFMT);
		}
		ck->error++;
		return false;
	}
	lit = xfs_dinode_litsize(isize, dip->di_version);
	if (xfs_dfork_boff(dip) > lit) {
		if (v) {
			printf("bad fork offset %d for inode %lld\n",
			       dip->di_forkoff, (long long)ino);
		}
		ck->error++;
		return false;
	}
	if ((unsigned int)(int)dip->di_aformat > XFS_DINODE_FMT_BTREE) {
		if (v) {
			printf("bad attribute format %d for inode %lld\n",
			       (int)dip->di_aformat, (long long)ino);
		}
		ck->error++;
		return false;
	}
	return true;
}

void ck_process_inode(struct db_check *ck, uint32_t agno, uint32_t agino,
		      struct xfs_dinode *dip, bool isfree)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;
	uint64_t ino = xfs_agino_to_ino(sb->sb_agblklog, sb->sb_inopblog, agno,
					agino);
	uint64_t ibno = ((uint64_t)agno << sb->sb_agblklog) |
			xfs_agino_to_agbno(sb->sb_inopblog, agino);
	struct ck_fork df = { .ck = ck, .whichfork = XFS_DATA_FORK };
	struct ck_fork af = { .ck = ck, .whichfork = XFS_ATTR_FORK,
			      .type = DBM_ATTR };
	struct ck_blkmap blkmap = { 0 };
	uint16_t mode = be16_to_cpu(dip->di_mode);
	uint16_t flags = be16_to_cpu(dip->di_flags);
	uint64_t nblocks = be64_to_cpu(dip->di_nblocks);
	bool security = false, v;
	struct ck_ino *ip;
	uint32_t id = 0;

	if (!isfree) {
		id = ck_find_inode(ck, ino, true);
		if (!id) {
			return;
		}
	}
	v = !ck->sflag || (id && (ck_ino(ck, id)->flags & CKI_ILIST)) ||
	    fsb_in_blist(ck, ibno);
	if (be16_to_cpu(dip->di_magic) != XFS_DINODE_MAGIC) {
		if (isfree || v) {
			printf("bad magic number %#x for inode %lld\n",
			       be16_to_cpu(dip->di_magic), (long long)ino);
		}
		ck->error++;
		return;
	}
	if (!xfs_dinode_good_version(dip->di_version)) {
		if (isfree || v) {
			printf("bad version number %#x for inode %lld\n",
			       dip->di_version, (long long)ino);
		}
		ck->error++;
		return;
	}
	if (isfree) {
		process_free_inode(ck, ino, dip, v);
		return;
	}
	if (!check_core(ck, ino, dip, v)) {
		return;
	}
	ip = ck_ino(ck, id);
	if (ck_traced(ck, ip) || fsb_in_blist(ck, ibno)) {
		printf("inode %lld mode %#o fmt %s afmt %s nex %d anex %d "
		       "nblk %lld sz %lld%s%s%s%s%s%s%s\n", (long long)ino,
		       mode, fmtnames[dip->di_format],
		       fmtnames[(uint8_t)dip->di_aformat],
		       (int)xfs_dinode_nextents(dip),
		       (int)xfs_dinode_anextents(dip), (long long)nblocks,
		       (long long)be64_to_cpu(dip->di_size),
		       flags & XFS_DIFLAG_REALTIME ? " rt" : "",
		       flags & XFS_DIFLAG_PREALLOC ? " pre" : "",
		       flags & XFS_DIFLAG_IMMUTABLE ? " imm" : "",
		       flags & XFS_DIFLAG_APPEND ? " app" : "",
		       flags & XFS_DIFLAG_SYNC ? " syn" : "",
		       flags & XFS_DIFLAG_NOATIME ? " noa" : "",
		       flags & XFS_DIFLAG_NODUMP ? " nod" : "");
	}
	switch (mode & XFS_IFMT) {
	case XFS_IFDIR:
		df.type = DBM_DIR;
		if (dip->di_format != XFS_DINODE_FMT_LOCAL) {
			df.blkmap = &blkmap;
		}
		break;
	case XFS_IFREG:
		if (flags & XFS_DIFLAG_REALTIME) {
			df.type = DBM_RTDATA;
		} else if (ino == sb->sb_rbmino) {
			df.type = DBM_RTBITMAP;
			ck_addlink(ck, id);
		} else if (ino == sb->sb_rsumino) {
			df.type = DBM_RTSUM;
			ck_addlink(ck, id);
		} else if (ino == sb->sb_uquotino || ino == sb->sb_gquotino ||
			   ino == sb->sb_pquotino) {
			df.type = DBM_QUOTA;
			ck_addlink(ck, id);
		} else {
			df.type = DBM_DATA;
		}
		if (mode & (04000 | 02000)) {
			security = true;
		}
		break;
	case XFS_IFLNK:
		df.type = DBM_SYMLINK;
		break;
	case XFS_IFSOCK:
	case XFS_IFCHR:
	case XFS_IFBLK:
	case XFS_IFIFO:
		df.type = DBM_UNKNOWN;
		security = true;
		break;
	default:
		df.type = DBM_UNKNOWN;
		break;
	}
	/* The reference sizes a block map by the claimed extent count. */
	if ((df.type == DBM_DIR && dip->di_format != XFS_DINODE_FMT_LOCAL) ||
	    df.type == DBM_RTBITMAP || df.type == DBM_RTSUM ||
	    df.type == DBM_QUOTA) {
		uint64_t nex = xfs_dinode_nextents(dip);

		if (nex > UINT64_MAX / 48 ||
		    db_alloc_would_fail(16 + nex * 24)) {
			db_out_of_memory(ck->ctx);
			ck->oom = true;
			return;
		}
	}
	ip = ck_ino(ck, id);
	if (dip->di_version >= 3 &&
	    (be64_to_cpu(dip->di_flags2) & XFS_DIFLAG2_REFLINK)) {
		ip->flags |= CKI_REFLINK;
	}
	ck_setlink(ck, id, be32_to_cpu(dip->di_nlink), df.type == DBM_DIR,
		   security);
	df.id = af.id = id;
	process_fork(&df, dip, v);
	if (dip->di_forkoff) {
		process_fork(&af, dip, v);
	}
	ip = ck_ino(ck, id);
	if (df.totd + df.toti + af.totd + af.toti != nblocks) {
		if (v) {
			printf("bad nblocks %lld for inode %lld, counted %lld\n",
			       (long long)nblocks, (long long)ino,
			       (long long)(df.totd + df.toti + af.totd +
					   af.toti));
		}
		ck->error++;
	}
	if (df.nex != xfs_dinode_nextents(dip)) {
		if (v) {
			printf("bad nextents %d for inode %lld, counted %d\n",
			       (int)xfs_dinode_nextents(dip), (long long)ino,
			       (int)df.nex);
		}
		ck->error++;
	}
	if (af.nex != xfs_dinode_anextents(dip)) {
		if (v) {
			printf("bad anextents %d for inode %lld, counted %d\n",
			       (int)xfs_dinode_anextents(dip), (long long)ino,
			       (int)af.nex);
		}
		ck->error++;
	}
	if (df.type == DBM_DIR) {
		ck_process_dir(ck, dip, id, &blkmap);
	}
	free(blkmap.ents);
}
