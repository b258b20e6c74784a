/*
 * db/check_ag.c: blockget's walk of one AG -- superblock, AGF, AGI and
 * AGFL, the free list, the free space, reverse-mapping, reference count
 * and inode btrees -- claiming every block met and counting what the
 * headers count, then comparing.  Inode chunks found in the inobt are
 * read cluster by cluster and every inode in them is checked
 * (check_inode.c) before the walk goes on.
 */
#include "db/check.h"
#include "db/inode.h"
#include "db/io.h"
#include "db/scan.h"

/* What one btree walk needs to know besides the block. */
struct ck_tree;
typedef void (*ck_rec_fn)(struct db_check *ck, const struct ck_tree *t,
			  const uint8_t *block, unsigned int nrecs,
			  uint32_t bno);

struct ck_tree {
	const char		*name;		/* in messages */
	uint32_t		magic;
	enum ck_dbm		type;
	const struct xfs_buf_ops *ops;
	unsigned int		reclen;
	unsigned int		keylen;		/* node key slot */
	const unsigned int	*mxr;		/* [0] leaf, [1] node */
	const unsigned int	*mnr;
	int			btreeblks;	/* 0: no, 1: all, 2: not root */
	ck_rec_fn		recs;
};

struct ck_walk {
	struct db_check		*ck;
	const struct ck_tree	*tree;
	uint32_t		seqno;
	int			rootlevel;
};

static int ck_tree_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
			 uint32_t agno, uint32_t bno, void *priv);

static void scan_tree(struct db_check *ck, const struct ck_tree *t,
		      uint32_t seqno, uint32_t root, uint32_t levels)
{
	struct ck_walk w = { .ck = ck, .tree = t, .seqno = seqno };

	if (levels > DB_SCAN_MAXDEPTH) {
		levels = DB_SCAN_MAXDEPTH;
	}
	w.rootlevel = (int)levels - 1;
	if (db_scan_sbtree(ck->ctx, seqno, root, (int)levels, 0, t->ops,
			   ck_tree_block, &w) == -EIO) {
		if (!ck->sflag) {
			printf("can't read btree block %u/%u\n", seqno, root);
		}
		ck->error++;
	}
}

static int ck_tree_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
			 uint32_t agno, uint32_t bno, void *priv)
{
	struct ck_walk *w = priv;
	struct db_check *ck = w->ck;
	const struct ck_tree *t = w->tree;
	const uint8_t *blk = bp->b_addr;
	unsigned int hdr = XFS_BTREE_SBLOCK_CRC_LEN;
	unsigned int len = db_buf_len(bp);
	unsigned int n = db_bt_numrecs(bp), i, maxkeys;
	bool isroot = level == w->rootlevel;
	int leaf = level == 0 ? 0 : 1;

	if (db_bt_magic(bp) != t->magic) {
		printf("bad magic # %#x in %s block %u/%u\n", db_bt_magic(bp),
		       t->name, agno, bno);
		ck->serious_error++;
		return 0;
	}
	if (t->btreeblks == 1 || (t->btreeblks == 2 && !isroot)) {
		ck->agfbtreeblks++;
	}
	if ((int)db_bt_level(bp) != level) {
		if (!ck->sflag) {
			printf("expected level %d got %d in %s block %u/%u\n",
			       level, db_bt_level(bp), t->name, agno, bno);
		}
		ck->error++;
	}
	ck_set_dbmap(ck, agno, bno, 1, t->type, agno, bno);
	if (n > t->mxr[leaf] || (!isroot && n < t->mnr[leaf])) {
		printf("bad btree nrecs (%u, min=%u, max=%u) in %s block "
		       "%u/%u\n", n, t->mnr[leaf], t->mxr[leaf], t->name, agno,
		       bno);
		ck->serious_error++;
		return 0;
	}
	if (level == 0) {
		if (hdr + n * t->reclen <= len) {
			t->recs(ck, t, blk + hdr, n, bno);
		}
		return 0;
	}
	maxkeys = t->mxr[1];
	if (hdr + maxkeys * (t->keylen + 4) > len) {
		return 0;
	}
	for (i = 0; i < n && !ck->oom; i++) {
		uint32_t ptr = get_unaligned_be32(blk + hdr + maxkeys *
						  t->keylen + i * 4);

		if (db_scan_sbtree(ctx, agno, ptr, level,
				   w->rootlevel - level + 1, t->ops,
				   ck_tree_block, w) == -EIO) {
			if (!ck->sflag) {
				printf("can't read btree block %u/%u\n", agno,
				       ptr);
			}
			ck->error++;
		}
	}
	return 0;
}

/* ---- records ---- */

static void bno_recs(struct db_check *ck, const struct ck_tree *t,
		     const uint8_t *r, unsigned int n, uint32_t bno)
{
	unsigned int i;

	ck->lastblock = 0;
	for (i = 0; i < n; i++, r += 8) {
		uint32_t start = get_unaligned_be32(r);
		uint32_t count = get_unaligned_be32(r + 4);

		ck_set_dbmap(ck, ck->seqno, start, count, DBM_FREE1,
			     ck->seqno, bno);
		if (start <= ck->lastblock) {
			printf("out-of-order bno btree record %d (%u %u) block "
			       "%u/%u\n", i, start, count, ck->seqno,
			       bno);
			ck->serious_error++;
		} else {
			ck->lastblock = start;
		}
	}
}

static void cnt_recs(struct db_check *ck, const struct ck_tree *t,
		     const uint8_t *r, unsigned int n, uint32_t bno)
{
	unsigned int i;

	ck->lastblock = 0;
	ck->lastcount = 0;
	for (i = 0; i < n; i++, r += 8) {
		uint32_t start = get_unaligned_be32(r);
		uint32_t count = get_unaligned_be32(r + 4);

		ck_check_set_dbmap(ck, ck->seqno, start, count,
				   DBM_FREE1, DBM_FREE2, ck->seqno,
				   bno);
		ck->agffreeblks += count;
		ck->fdblocks += count;
		if (count > ck->agflongest) {
			ck->agflongest = count;
		}
		if (count < ck->lastcount) {
			printf("out-of-order cnt btree record %d (%u %u) block "
			       "%u/%u\n", i, start, count, ck->seqno, bno);
		} else {
			ck->lastcount = count;
		}
	}
}

/* Reverse mappings are not cross-checked, only their order. */
static void rmap_recs(struct db_check *ck, const struct ck_tree *t,
		      const uint8_t *r, unsigned int n, uint32_t bno)
{
	uint32_t last = 0;
	unsigned int i;

	for (i = 0; i < n; i++, r += 24) {
		uint32_t start = get_unaligned_be32(r);

		if (start < last) {
			printf("out-of-order rmap btree record %d (%u %u) block "
			       "%u/%u\n", i, start, start, ck->seqno, bno);
		} else {
			last = start;
		}
	}
}

static void refc_recs(struct db_check *ck, const struct ck_tree *t,
		      const uint8_t *r, unsigned int n, uint32_t bno)
{
	uint32_t agno = ck->seqno;
	unsigned int i;

	for (i = 0; i < n; i++, r += 12) {
		uint32_t start = get_unaligned_be32(r);
		uint32_t count = get_unaligned_be32(r + 4);

		if (start & XFS_REFC_COWFLAG) {
			ck_set_dbmap(ck, agno, start & ~XFS_REFC_COWFLAG, count,
				     DBM_COWDATA, agno, bno);
		} else {
			ck_set_dbmap(ck, agno, start, count, DBM_RLDATA, agno,
				     bno);
		}
	}
}

/* ---- inode chunks ---- */

static void ino_recs(struct db_check *ck, const struct ck_tree *t,
		     const uint8_t *r, unsigned int n, uint32_t bno)
{
	struct db_ctx *ctx = ck->ctx;
	struct xfs_mount *mp = ck->mp;
	const struct xfs_sb *sb = &mp->m_sb;
	uint32_t seqno = ck->seqno;
	unsigned int blks_per_buf, inodes_per_buf, i;

	blks_per_buf = xfs_has_sparseinodes(mp) ? mp->m_blocks_per_cluster :
						   mp->m_ialloc_blks;
	if (!blks_per_buf) {
		blks_per_buf = 1;
	}
	inodes_per_buf = blks_per_buf << sb->sb_inopblog;
	if (inodes_per_buf > XFS_INODES_PER_CHUNK) {
		inodes_per_buf = XFS_INODES_PER_CHUNK;
	}
	for (i = 0; i < n; i++, r += 16) {
		uint32_t agino = get_unaligned_be32(r);
		uint64_t freemask = get_unaligned_be64(r + 8);
		uint16_t holemask = 0;
		uint32_t agbno = xfs_agino_to_agbno(sb->sb_inopblog, agino);
		unsigned int off = xfs_agino_to_offset(sb->sb_inopblog, agino);
		uint32_t end = agbno + mp->m_ialloc_blks;
		unsigned int ioff, j, nfree = 0, freecount;

		if (xfs_has_sparseinodes(mp)) {
			holemask = get_unaligned_be16(r + 4);
			freecount = r[7];
		} else {
			freecount = get_unaligned_be32(r + 4);
		}
		if (off == 0 && (ck->sbversion & XFS_SB_VERSION_ALIGNBIT) &&
		    sb->sb_inoalignmt && agbno % sb->sb_inoalignmt) {
			ck->sbversion &= ~XFS_SB_VERSION_ALIGNBIT;
		}
		for (ioff = 0; agbno < end && ioff < XFS_INODES_PER_CHUNK;
		     agbno += blks_per_buf, ioff += inodes_per_buf) {
			struct xfs_buf *bp;
			unsigned int buflen;
			uint64_t daddr;

			if ((holemask >> (ioff / XFS_INODES_PER_HOLEMASK_BIT)) &
			    1) {
				continue;
			}
			if (off < XFS_INODES_PER_CHUNK) {
				ck_set_dbmap(ck, seqno, agbno, blks_per_buf,
					     DBM_INODE, seqno, bno);
			}
			ck->icount += inodes_per_buf;
			ck->agicount += inodes_per_buf;
			daddr = ((uint64_t)seqno * sb->sb_agblocks + agbno) <<
				db_blkbb_log(ctx);
			if (db_read_buf(ctx, daddr,
					blks_per_buf << db_blkbb_log(ctx),
					inode_type.ops, &bp, NULL)) {
				if (!ck->sflag) {
					printf("can't read inode block %u/%u\n",
					       seqno, agbno);
				}
				ck->error++;
				continue;
			}
			buflen = db_buf_len(bp);
			for (j = 0; j < inodes_per_buf; j++) {
				unsigned int boff = (off + j) <<
						    sb->sb_inodelog;
				bool isfree = (freemask >> ((ioff + j) & 63)) &
					      1;

				if (ioff + j >= XFS_INODES_PER_CHUNK ||
				    boff + sb->sb_inodesize > buflen) {
					break;
				}
				if (isfree) {
					nfree++;
				}
				ck_process_inode(ck, seqno,
						 agino + ioff + j,
						 (struct xfs_dinode *)
						 ((char *)bp->b_addr + boff),
						 isfree);
				if (ck->oom) {
					libxfs_buf_relse(bp);
					return;
				}
			}
			libxfs_buf_relse(bp);
		}
		ck->ifree += freecount;
		ck->agifreecount += freecount;
		if (nfree != freecount) {
			if (!ck->sflag) {
				printf("ir_freecount/free mismatch, inode chunk "
				       "%u/%u, freecount %d nfree %d\n", seqno,
				       agino, freecount, nfree);
			}
			ck->error++;
		}
	}
}

static void fino_recs(struct db_check *ck, const struct ck_tree *t,
		      const uint8_t *r, unsigned int n, uint32_t bno)
{
	struct xfs_mount *mp = ck->mp;
	const struct xfs_sb *sb = &mp->m_sb;
	uint32_t seqno = ck->seqno;
	unsigned int blks_per_buf, inodes_per_buf, i;

	blks_per_buf = xfs_has_sparseinodes(mp) ? mp->m_blocks_per_cluster :
						   mp->m_ialloc_blks;
	if (!blks_per_buf) {
		blks_per_buf = 1;
	}
	inodes_per_buf = blks_per_buf << sb->sb_inopblog;
	if (inodes_per_buf > XFS_INODES_PER_CHUNK) {
		inodes_per_buf = XFS_INODES_PER_CHUNK;
	}
	for (i = 0; i < n; i++, r += 16) {
		uint32_t agino = get_unaligned_be32(r);
		uint16_t holemask = xfs_has_sparseinodes(mp) ?
				    get_unaligned_be16(r + 4) : 0;
		uint32_t agbno = xfs_agino_to_agbno(sb->sb_inopblog, agino);
		unsigned int off = xfs_agino_to_offset(sb->sb_inopblog, agino);
		uint32_t end = agbno + mp->m_ialloc_blks;
		unsigned int ioff;

		if (off >= XFS_INODES_PER_CHUNK) {
			continue;
		}
		for (ioff = 0; agbno < end && ioff < XFS_INODES_PER_CHUNK;
		     agbno += blks_per_buf, ioff += inodes_per_buf) {
			if ((holemask >> (ioff / XFS_INODES_PER_HOLEMASK_BIT)) &
			    1) {
				continue;
			}
			ck_check_set_dbmap(ck, seqno, agbno, blks_per_buf,
					   DBM_INODE, DBM_INODE, seqno, bno);
		}
	}
}

/* ---- the trees ---- */

static const struct ck_tree *tree_of(const struct db_check *ck, int which,
				     struct ck_tree *t)
{
	const struct xfs_mount *mp = ck->mp;

	switch (which) {
	case 0:
		*t = (struct ck_tree){ "btbno", XFS_ABTB_CRC_MAGIC, DBM_BTBNO,
			&xfs_bnobt_buf_ops, 8, 8, mp->m_alloc_mxr,
			mp->m_alloc_mnr, 1, bno_recs };
		break;
	case 1:
		*t = (struct ck_tree){ "btcnt", XFS_ABTC_CRC_MAGIC, DBM_BTCNT,
			&xfs_cntbt_buf_ops, 8, 8, mp->m_alloc_mxr,
			mp->m_alloc_mnr, 1, cnt_recs };
		break;
	case 2:
		*t = (struct ck_tree){ "rmapbt", XFS_RMAP_CRC_MAGIC,
			DBM_BTRMAP, &xfs_rmapbt_buf_ops, 24, 40,
			mp->m_rmap_mxr, mp->m_rmap_mnr, 2, rmap_recs };
		break;
	case 3:
		*t = (struct ck_tree){ "refcntbt", XFS_REFC_CRC_MAGIC,
			DBM_BTREFC, &xfs_refcountbt_buf_ops, 12, 4,
			mp->m_refc_mxr, mp->m_refc_mnr, 0, refc_recs };
		break;
	case 4:
		*t = (struct ck_tree){ "inobt", XFS_IBT_CRC_MAGIC, DBM_BTINO,
			&xfs_inobt_buf_ops, 16, 4, mp->m_inobt_mxr,
			mp->m_inobt_mnr, 0, ino_recs };
		break;
	default:
		*t = (struct ck_tree){ "finobt", XFS_FIBT_CRC_MAGIC,
			DBM_BTFINO, &xfs_finobt_buf_ops, 16, 4,
			mp->m_inobt_mxr, mp->m_inobt_mnr, 0, fino_recs };
		break;
	}
	return t;
}

/* ---- headers and the free list ---- */

static uint32_t sector_block(const struct db_check *ck, unsigned int sector)
{
	const struct xfs_sb *sb = &ck->mp->m_sb;

	return (uint32_t)(((uint64_t)sector << sb->sb_sectlog) >>
			  sb->sb_blocklog);
}

static void scan_freelist(struct db_check *ck, const struct xfs_agf *agf,
			  uint32_t *countp)
{
	struct db_ctx *ctx = ck->ctx;
	uint32_t seqno = be32_to_cpu(agf->agf_seqno);
	uint32_t sbb = sector_block(ck, 0), agfb = sector_block(ck, 1);
	uint32_t agib = sector_block(ck, 2), agflb = sector_block(ck, 3);
	uint32_t first = be32_to_cpu(agf->agf_flfirst);
	uint32_t last = be32_to_cpu(agf->agf_fllast);
	unsigned int size = ck->mp->m_agfl_size;
	const uint8_t *bno;
	struct xfs_buf *bp;
	uint32_t i, count = 0;

	*countp = 0;
	if (agflb != sbb && agflb != agfb && agflb != agib) {
		ck_set_dbmap(ck, seqno, agflb, 1, DBM_AGFL, seqno, sbb);
	}
	if (!be32_to_cpu(agf->agf_flcount)) {
		return;
	}
	if (db_read_buf(ctx, db_ag_daddr(ctx, seqno, XFS_AGFL_SECTOR),
			(unsigned int)BTOBB(ck->mp->m_sb.sb_sectsize),
			&xfs_agfl_buf_ops, &bp, NULL)) {
		printf("can't read agfl block for ag %u\n", seqno);
		ck->serious_error++;
		return;
	}
	if (first >= size || last >= size) {
		printf("agf %d freelist blocks bad, skipping freelist scan\n",
		       (int)seqno);
		libxfs_buf_relse(bp);
		return;
	}
	bno = (const uint8_t *)bp->b_addr + sizeof(struct xfs_agfl);
	for (i = first;;) {
		ck_set_dbmap(ck, seqno, get_unaligned_be32(bno + i * 4), 1,
			     DBM_FREELIST, seqno, agflb);
		count++;
		if (i == last) {
			break;
		}
		if (++i == size) {
			i = 0;
		}
	}
	libxfs_buf_relse(bp);
	if (count != be32_to_cpu(agf->agf_flcount)) {
		if (!ck->sflag) {
			printf("freeblk count %d != flcount %d in ag %u\n",
			       (int)count, (int)be32_to_cpu(agf->agf_flcount),
			       seqno);
		}
		ck->error++;
	}
	*countp = count;
}

/* Read one header sector; NULL (reported) if it cannot be read. */
static struct xfs_buf *read_hdr(struct db_check *ck, uint32_t agno,
				unsigned int sector,
				const struct xfs_buf_ops *ops)
{
	struct xfs_buf *bp;

	if (db_read_buf(ck->ctx, db_ag_daddr(ck->ctx, agno, sector),
			(unsigned int)BTOBB(ck->mp->m_sb.sb_sectsize), ops, &bp,
			NULL)) {
		return NULL;
	}
	return bp;
}

/* Feature bits a superblock may carry, and those V5 requires. */
#define SB_VERSION_OKBITS	0xbdffU		/* all but SHARED, BORG */
#define SB_VERSION2_OKBITS	(XFS_SB_VERSION2_LAZYSBCOUNTBIT | \
				 XFS_SB_VERSION2_ATTR2BIT | \
				 XFS_SB_VERSION2_PROJID32BIT | \
				 XFS_SB_VERSION2_FTYPE)
#define SB_V5_VERSION_BITS	(XFS_SB_VERSION_NLINKBIT | \
				 XFS_SB_VERSION_ALIGNBIT | \
				 XFS_SB_VERSION_LOGV2BIT | \
				 XFS_SB_VERSION_EXTFLGBIT | \
				 XFS_SB_VERSION_DIRV2BIT | \
				 XFS_SB_VERSION_MOREBITSBIT)
#define SB_V5_VERSION2_BITS	(XFS_SB_VERSION2_LAZYSBCOUNTBIT | \
				 XFS_SB_VERSION2_ATTR2BIT | \
				 XFS_SB_VERSION2_PROJID32BIT | \
				 XFS_SB_VERSION2_CRCBIT)

/* Could the version and feature words belong to a usable superblock? */
static bool sb_good_version(const struct xfs_sb *sb)
{
	unsigned int v = sb->sb_versionnum;

	if ((v & XFS_SB_VERSION_NUMBITS) == XFS_SB_VERSION_5) {
		return !(v & ~SB_VERSION_OKBITS) &&
		       !(sb->sb_features2 & ~(SB_VERSION2_OKBITS |
					      XFS_SB_VERSION2_CRCBIT)) &&
		       (v & SB_V5_VERSION_BITS) == SB_V5_VERSION_BITS &&
		       (sb->sb_features2 & SB_V5_VERSION2_BITS) ==
		       SB_V5_VERSION2_BITS;
	}
	if ((v & ~SB_VERSION_OKBITS) ||
	    ((v & XFS_SB_VERSION_MOREBITSBIT) &&
	     (sb->sb_features2 & ~SB_VERSION2_OKBITS))) {
		return false;
	}
	if (!(v & XFS_SB_VERSION_DIRV2BIT) || !(v & XFS_SB_VERSION_EXTFLGBIT)) {
		return false;
	}
	return (v & XFS_SB_VERSION_NUMBITS) == XFS_SB_VERSION_4;
}

static void check_sb(struct db_check *ck, uint32_t agno,
		     const struct xfs_sb *sb)
{
	if (sb->sb_magicnum != XFS_SB_MAGIC) {
		if (!ck->sflag) {
			printf("bad sb magic # %#x in ag %u\n",
			       sb->sb_magicnum, agno);
		}
		ck->error++;
	}
	if (!sb_good_version(sb)) {
		if (!ck->sflag) {
			printf("bad sb version # %#x in ag %u\n",
			       sb->sb_versionnum, agno);
		}
		ck->error++;
	}
	if (sb->sb_features2 & XFS_SB_VERSION2_LAZYSBCOUNTBIT ||
	    (sb->sb_versionnum & XFS_SB_VERSION_NUMBITS) == XFS_SB_VERSION_5) {
		ck->lazycount = true;
	}
	if (agno == 0 && sb->sb_inprogress) {
		if (!ck->sflag) {
			printf("mkfs not completed successfully\n");
		}
		ck->error++;
	}
	if (sb->sb_features_incompat & XFS_SB_FEAT_INCOMPAT_NEEDSREPAIR) {
		if (!ck->sflag) {
			printf("filesystem needs xfs_repair\n");
		}
		ck->error++;
	}
}

/* An AG header's magic or version number against what it must be. */
static void check_hdr_number(struct db_check *ck, const char *hdr,
			     const char *what, uint32_t val, uint32_t want,
			     uint32_t agno)
{
	if (val == want) {
		return;
	}
	if (!ck->sflag) {
		printf("bad %s %s # %#x in ag %u\n", hdr, what, val, agno);
	}
	ck->error++;
}

static void check_agf(struct db_check *ck, uint32_t agno,
		      const struct xfs_agf *agf)
{
	check_hdr_number(ck, "agf", "magic", be32_to_cpu(agf->agf_magicnum),
			 XFS_AGF_MAGIC, agno);
	check_hdr_number(ck, "agf", "version",
			 be32_to_cpu(agf->agf_versionnum), XFS_AGF_VERSION,
			 agno);
}

static void check_agi(struct db_check *ck, uint32_t agno,
		      const struct xfs_agi *agi)
{
	check_hdr_number(ck, "agi", "magic", be32_to_cpu(agi->agi_magicnum),
			 XFS_AGI_MAGIC, agno);
	check_hdr_number(ck, "agi", "version",
			 be32_to_cpu(agi->agi_versionnum), XFS_AGI_VERSION,
			 agno);
}

/* The AG's counters against what the walk counted. */
static void check_ag_counts(struct db_check *ck, uint32_t agno,
			    const struct xfs_agf *agf,
			    const struct xfs_agi *agi)
{
	unsigned int i;

	if (be32_to_cpu(agf->agf_freeblks) != ck->agffreeblks) {
		if (!ck->sflag) {
			printf("agf_freeblks %u, counted %u in ag %u\n",
			       be32_to_cpu(agf->agf_freeblks), ck->agffreeblks,
			       agno);
		}
		ck->error++;
	}
	if (be32_to_cpu(agf->agf_longest) != ck->agflongest) {
		if (!ck->sflag) {
			printf("agf_longest %u, counted %u in ag %u\n",
			       be32_to_cpu(agf->agf_longest), ck->agflongest,
			       agno);
		}
		ck->error++;
	}
	if (ck->lazycount &&
	    be32_to_cpu(agf->agf_btreeblks) != (uint32_t)ck->agfbtreeblks) {
		if (!ck->sflag) {
			printf("agf_btreeblks %u, counted %u in ag %u\n",
			       be32_to_cpu(agf->agf_btreeblks),
			       (uint32_t)ck->agfbtreeblks, agno);
		}
		ck->error++;
	}
	if (be32_to_cpu(agi->agi_count) != ck->agicount) {
		if (!ck->sflag) {
			printf("agi_count %u, counted %u in ag %u\n",
			       be32_to_cpu(agi->agi_count), ck->agicount, agno);
		}
		ck->error++;
	}
	if (be32_to_cpu(agi->agi_freecount) != ck->agifreecount) {
		if (!ck->sflag) {
			printf("agi_freecount %u, counted %u in ag %u\n",
			       be32_to_cpu(agi->agi_freecount),
			       ck->agifreecount, agno);
		}
		ck->error++;
	}
	for (i = 0; i < XFS_AGI_UNLINKED_BUCKETS; i++) {
		uint32_t agino = be32_to_cpu(agi->agi_unlinked[i]);

		if (agino == NULLAGINO) {
			continue;
		}
		if (!ck->sflag) {
			const struct xfs_sb *sb = &ck->mp->m_sb;

			printf("agi unlinked bucket %d is %u in ag %u "
			       "(inode=%lld)\n", (int)i, agino, agno,
			       (long long)xfs_agino_to_ino(sb->sb_agblklog,
							   sb->sb_inopblog,
							   agno, agino));
		}
		ck->error++;
	}
}

void ck_scan_ag(struct db_check *ck, uint32_t agno)
{
	struct db_ctx *ctx = ck->ctx;
	struct xfs_buf *sbp, *agfbp = NULL, *agibp = NULL;
	const struct xfs_agf *agf;
	const struct xfs_agi *agi;
	struct ck_tree t;
	struct xfs_sb sb;
	uint32_t sbb = sector_block(ck, 0), agfb = sector_block(ck, 1);
	uint32_t agib = sector_block(ck, 2), seqno, flcount;

	ck->agffreeblks = ck->agflongest = 0;
	ck->agfbtreeblks = -2;
	ck->agicount = ck->agifreecount = 0;

	sbp = read_hdr(ck, agno, 0, &xfs_sb_buf_ops);
	if (!sbp) {
		printf("can't read superblock for ag %u\n", agno);
		ck->serious_error++;
		return;
	}
	libxfs_sb_from_disk(&sb, sbp->b_addr);
	libxfs_buf_relse(sbp);
	check_sb(ck, agno, &sb);
	ck_set_dbmap(ck, agno, sbb, 1, DBM_SB, agno, sbb);
	if (sb.sb_logstart &&
	    (sb.sb_logstart >> ck->mp->m_sb.sb_agblklog) == agno) {
		ck_set_dbmap(ck, agno,
			     (uint32_t)(sb.sb_logstart &
					((1ULL << ck->mp->m_sb.sb_agblklog) -
					 1)),
			     sb.sb_logblocks, DBM_LOG, agno, sbb);
	}

	agfbp = read_hdr(ck, agno, XFS_AGF_SECTOR, &xfs_agf_buf_ops);
	if (!agfbp) {
		printf("can't read agf block for ag %u\n", agno);
		ck->serious_error++;
		return;
	}
	agf = agfbp->b_addr;
	check_agf(ck, agno, agf);
	if (agfb != sbb) {
		ck_set_dbmap(ck, agno, agfb, 1, DBM_AGF, agno, sbb);
	}
	if (sb.sb_agblocks > be32_to_cpu(agf->agf_length)) {
		ck_set_dbmap(ck, agno, be32_to_cpu(agf->agf_length),
			     sb.sb_agblocks - be32_to_cpu(agf->agf_length),
			     DBM_MISSING, agno, sbb);
	}

	agibp = read_hdr(ck, agno, XFS_AGI_SECTOR, &xfs_agi_buf_ops);
	if (!agibp) {
		printf("can't read agi block for ag %u\n", agno);
		ck->serious_error++;
		libxfs_buf_relse(agfbp);
		return;
	}
	agi = agibp->b_addr;
	check_agi(ck, agno, agi);
	if (agib != sbb && agib != agfb) {
		ck_set_dbmap(ck, agno, agib, 1, DBM_AGI, agno, sbb);
	}

	/* The trees are found in the AG the AGF names, as the reference. */
	seqno = be32_to_cpu(agf->agf_seqno);
	ck->seqno = seqno;
	scan_freelist(ck, agf, &flcount);
	scan_tree(ck, tree_of(ck, 0, &t), seqno,
		  be32_to_cpu(agf->agf_roots[XFS_AGF_BNO]),
		  be32_to_cpu(agf->agf_levels[XFS_AGF_BNO]));
	scan_tree(ck, tree_of(ck, 1, &t), seqno,
		  be32_to_cpu(agf->agf_roots[XFS_AGF_CNT]),
		  be32_to_cpu(agf->agf_levels[XFS_AGF_CNT]));
	if (agf->agf_roots[XFS_AGF_RMAP]) {
		scan_tree(ck, tree_of(ck, 2, &t), seqno,
			  be32_to_cpu(agf->agf_roots[XFS_AGF_RMAP]),
			  be32_to_cpu(agf->agf_levels[XFS_AGF_RMAP]));
	}
	if (agf->agf_refcount_root) {
		scan_tree(ck, tree_of(ck, 3, &t), seqno,
			  be32_to_cpu(agf->agf_refcount_root),
			  be32_to_cpu(agf->agf_refcount_level));
	}
	scan_tree(ck, tree_of(ck, 4, &t), seqno, be32_to_cpu(agi->agi_root),
		  be32_to_cpu(agi->agi_level));
	if (ck->oom) {
		goto out;
	}
	if (agi->agi_free_root) {
		scan_tree(ck, tree_of(ck, 5, &t), seqno,
			  be32_to_cpu(agi->agi_free_root),
			  be32_to_cpu(agi->agi_free_level));
	}
	check_ag_counts(ck, agno, agf, agi);
	ck->fdblocks += flcount + ck->agfbtreeblks;
	ctx->check_agf_aggr += ck->agffreeblks + flcount + ck->agfbtreeblks;
out:
	libxfs_buf_relse(agibp);
	libxfs_buf_relse(agfbp);
}
