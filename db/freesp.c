/*
 * db/freesp.c: the `freesp` command -- a histogram of free extents, read
 * from each AG's by-block (or, with -c, by-size) free space btree.
 *
 * Bins: powers of two by default (-b), equal widths (-e N), powers of N
 * (-m N) or explicit lower bounds (-h N, repeatable; 1 is always a bound).
 * Each bin runs from its lower bound to one below the next; the last one
 * to the AG size.  An extent goes to the first bin whose upper bound is
 * not below its length.  -d lists every extent, -s adds a summary, -a
 * limits the scan to some AGs, -A to extents whose first block number is
 * a multiple of the given alignment.
 *
 * Arithmetic on the bounds is 32-bit and wraps, numbers are parsed like
 * atoi(): odd arguments give the reference's odd bins.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/io.h"
#include "db/scan.h"

/* Bins beyond this many are not built (the reference runs out of memory). */
#define FREESP_MAXBINS	(1U << 22)

struct freesp_bin {
	int		low;
	int		high;
	long long	count;
	long long	blocks;
};

struct freesp {
	struct freesp_bin *bins;
	unsigned int	nbins;
	unsigned int	cap;
	bool		too_many;	/* bin list exhausted memory */
	bool		dump;		/* -d */
	uint64_t	align;		/* -A, 0 = any */
	long long	totexts;
	long long	totblocks;
	unsigned int	agblklog;
};

static bool add_bin(struct freesp *fs, int low)
{
	if (fs->nbins == fs->cap) {
		unsigned int cap = fs->cap ? fs->cap * 2 : 64;
		struct freesp_bin *n;

		if (cap > FREESP_MAXBINS) {
			fs->too_many = true;
			return false;
		}
		n = realloc(fs->bins, sizeof(*n) * cap);
		if (!n) {
			fs->too_many = true;
			return false;
		}
		fs->bins = n;
		fs->cap = cap;
	}
	memset(&fs->bins[fs->nbins], 0, sizeof(fs->bins[0]));
	fs->bins[fs->nbins++].low = low;
	return true;
}

static int cmp_bin(const void *a, const void *b)
{
	int la = ((const struct freesp_bin *)a)->low;
	int lb = ((const struct freesp_bin *)b)->low;

	return la < lb ? -1 : la > lb;
}

/* 32-bit wrapping arithmetic, as the reference's int loops behave. */
static int wrap_add(int a, int b)
{
	return (int)(uint32_t)((uint32_t)a + (uint32_t)b);
}

static int wrap_mul(int a, int b)
{
	return (int)(uint32_t)((uint32_t)a * (uint32_t)b);
}

enum binmode { BIN_POW2, BIN_EQUAL, BIN_MULT, BIN_LIST };

/* Lower bounds for the chosen scheme, then every bin's upper bound. */
static bool build_bins(struct freesp *fs, enum binmode mode, int arg,
		       bool seen1, int maxlen)
{
	unsigned int i;
	int b;

	switch (mode) {
	case BIN_LIST:
		if (!seen1 && !add_bin(fs, 1)) {
			return false;
		}
		qsort(fs->bins, fs->nbins, sizeof(fs->bins[0]), cmp_bin);
		break;
	case BIN_EQUAL:
		/*
		 * A negative width makes the first bin end below its start:
		 * compared unsigned, that bin takes every extent, and the
		 * reference's long walk down to the wrap adds only empty
		 * bins.  The second bound stands for all of them.
		 */
		add_bin(fs, 1);
		if (arg == 0) {
			break;
		}
		if (arg < 0) {
			add_bin(fs, wrap_add(1, arg));
			break;
		}
		for (b = wrap_add(1, arg); b < maxlen; b = wrap_add(b, arg)) {
			if (!add_bin(fs, b)) {
				return false;
			}
		}
		break;
	case BIN_MULT:
		/* Factors 1 and -1 never get anywhere: no output at all. */
		if (arg == 1 || arg == -1) {
			return false;
		}
		for (b = 1; b < maxlen; b = wrap_mul(b, arg)) {
			if (!add_bin(fs, b)) {
				if (arg > 0) {
					return false;
				}
				/* As above: the first bin takes everything. */
				fs->nbins = 0;
				fs->too_many = false;
				add_bin(fs, 1);
				add_bin(fs, arg);
				break;
			}
			if (wrap_mul(b, arg) == 0) {
				break;
			}
		}
		break;
	case BIN_POW2:
		for (b = 1; b < maxlen; b = wrap_mul(b, 2)) {
			if (!add_bin(fs, b) || b > INT_MAX / 2) {
				break;
			}
		}
		break;
	}
	for (i = 0; i + 1 < fs->nbins; i++) {
		fs->bins[i].high = wrap_add(fs->bins[i + 1].low, -1);
	}
	if (fs->nbins) {
		fs->bins[fs->nbins - 1].high = maxlen;
	}
	return true;
}

static void add_extent(struct freesp *fs, uint32_t agno, uint32_t agbno,
		       uint32_t len)
{
	uint64_t fsbno = ((uint64_t)agno << fs->agblklog) | agbno;
	unsigned int i;

	if (fs->align && fsbno % fs->align) {
		return;
	}
	if (fs->dump) {
		printf("%8d %8d %8d\n", (int)agno, (int)agbno, (int)len);
	}
	fs->totexts++;
	fs->totblocks += len;
	for (i = 0; i < fs->nbins; i++) {
		if ((uint32_t)fs->bins[i].high >= len) {
			fs->bins[i].count++;
			fs->bins[i].blocks += len;
			break;
		}
	}
}

/* Per-walk state: which AG the AGF says this is. */
struct freesp_walk {
	struct freesp	*fs;
	uint32_t	seqno;
	int		rootlevel;
	uint32_t	magic;
	const struct xfs_buf_ops *ops;
};

static int freesp_block(struct db_ctx *ctx, struct xfs_buf *bp, int level,
			uint32_t agno, uint32_t agbno, void *priv)
{
	struct freesp_walk *w = priv;
	const char *blk = bp->b_addr;
	unsigned int len = db_buf_len(bp);
	unsigned int hdr = XFS_BTREE_SBLOCK_CRC_LEN;
	unsigned int n = db_bt_numrecs(bp), i, maxkeys;

	if (db_bt_magic(bp) != w->magic) {
		return 0;
	}
	if (level == 0) {
		for (i = 0; i < n && hdr + (i + 1) * 8 <= len; i++) {
			const char *r = blk + hdr + i * 8;

			add_extent(w->fs, w->seqno, get_unaligned_be32(r),
				   get_unaligned_be32(r + 4));
		}
		return 0;
	}
	maxkeys = xfs_btree_maxkeys(len, hdr, 8, 4);
	for (i = 0; i < n && i < maxkeys; i++) {
		uint32_t ptr = get_unaligned_be32(blk + hdr + maxkeys * 8 +
						  i * 4);

		if (db_scan_sbtree(ctx, agno, ptr, level,
				   w->rootlevel - level + 1, w->ops,
				   freesp_block, priv) == -EIO) {
			printf("can't read btree block %u/%u\n", agno, ptr);
		}
	}
	return 0;
}

/* The AGFL blocks count as free space, one-block extents, listed first. */
static void scan_freelist(struct db_ctx *ctx, struct freesp *fs,
			  const struct xfs_agf *agf)
{
	uint32_t seqno = be32_to_cpu(agf->agf_seqno);
	uint32_t first = be32_to_cpu(agf->agf_flfirst);
	uint32_t last = be32_to_cpu(agf->agf_fllast);
	unsigned int size = ctx->mp->m_agfl_size;
	const uint8_t *bno;
	struct xfs_buf *bp;
	uint32_t i;

	if (!be32_to_cpu(agf->agf_flcount)) {
		return;
	}
	if (db_read_buf(ctx, db_ag_daddr(ctx, seqno, XFS_AGFL_SECTOR),
			(unsigned int)BTOBB(db_sb(ctx)->sb_sectsize),
			&xfs_agfl_buf_ops, &bp, NULL)) {
		bp = NULL;
	}
	if (first >= size || last >= size) {
		printf("agf %d freelist blocks bad, skipping freelist scan\n",
		       (int)seqno);
		if (bp) {
			libxfs_buf_relse(bp);
		}
		return;
	}
	if (!bp) {
		return;
	}
	bno = (const uint8_t *)bp->b_addr + sizeof(struct xfs_agfl);
	for (i = first;;) {
		add_extent(fs, seqno, get_unaligned_be32(bno + i * 4), 1);
		if (i == last) {
			break;
		}
		if (++i == size) {
			i = 0;
		}
	}
	libxfs_buf_relse(bp);
}

static void scan_ag(struct db_ctx *ctx, struct freesp *fs, uint32_t agno,
		    bool bycnt)
{
	const struct xfs_agf *agf;
	struct freesp_walk w = { .fs = fs };
	struct xfs_buf *bp;
	int which = bycnt ? XFS_AGF_CNT : XFS_AGF_BNO;
	uint32_t root, levels;

	if (db_read_buf(ctx, db_ag_daddr(ctx, agno, XFS_AGF_SECTOR),
			(unsigned int)BTOBB(db_sb(ctx)->sb_sectsize),
			&xfs_agf_buf_ops, &bp, NULL)) {
		return;
	}
	agf = bp->b_addr;
	w.seqno = be32_to_cpu(agf->agf_seqno);
	root = be32_to_cpu(agf->agf_roots[which]);
	levels = be32_to_cpu(agf->agf_levels[which]);
	scan_freelist(ctx, fs, agf);
	libxfs_buf_relse(bp);
	w.magic = bycnt ? XFS_ABTC_CRC_MAGIC : XFS_ABTB_CRC_MAGIC;
	w.ops = bycnt ? &xfs_cntbt_buf_ops : &xfs_bnobt_buf_ops;
	if (levels > DB_SCAN_MAXDEPTH) {
		levels = DB_SCAN_MAXDEPTH;
	}
	w.rootlevel = (int)levels - 1;
	/* The reference finds the tree in the AG the AGF names. */
	if (db_scan_sbtree(ctx, w.seqno, root, (int)levels, 0, w.ops,
			   freesp_block, &w) == -EIO) {
		printf("can't read btree block %u/%u\n", w.seqno, root);
	}
}

static void freesp_usage(void)
{
	printf("freesp arguments: [-bcds] [-a agno] [-e binsize] [-h h1]... "
	       "[-m binmult]\n");
}

static int freesp_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct xfs_sb *sb = db_sb(ctx);
	struct freesp fs = { .agblklog = sb->sb_agblklog };
	enum binmode mode = BIN_POW2;
	bool bflag = false, eflag = false, hflag = false, mflag = false;
	bool bycnt = false, summary = false, seen1 = false;
	bool *aglist = NULL, any_ag = false;
	int c, binarg = 0, v;
	unsigned int i;
	uint32_t agno;

	aglist = calloc(sb->sb_agcount ? sb->sb_agcount : 1, sizeof(bool));
	if (!aglist) {
		return -ENOMEM;
	}
	optind = 0;
	while ((c = getopt(argc, argv, "A:a:bcde:h:m:s")) != -1) {
		switch (c) {
		case 'A':
			fs.align = (uint64_t)(int64_t)db_atoi(optarg);
			break;
		case 'a':
			v = db_atoi(optarg);
			any_ag = true;
			if (v >= 0 && (uint32_t)v < sb->sb_agcount) {
				aglist[v] = true;
			}
			break;
		case 'b':
			if (eflag || hflag || mflag) {
				goto usage;
			}
			bflag = true;
			break;
		case 'c':
			bycnt = true;
			break;
		case 'd':
			fs.dump = true;
			break;
		case 'e':
			if (bflag || hflag || mflag) {
				goto usage;
			}
			eflag = true;
			mode = BIN_EQUAL;
			binarg = db_atoi(optarg);
			break;
		case 'h':
			if (bflag || eflag || mflag) {
				goto usage;
			}
			hflag = true;
			mode = BIN_LIST;
			v = db_atoi(optarg);
			if (v == 1) {
				seen1 = true;
			}
			if (!add_bin(&fs, v)) {
				goto out;
			}
			break;
		case 'm':
			if (bflag || eflag || hflag) {
				goto usage;
			}
			mflag = true;
			mode = BIN_MULT;
			binarg = db_atoi(optarg);
			break;
		case 's':
			summary = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc) {
		goto usage;
	}
	if (!build_bins(&fs, mode, binarg, seen1,
			(int)sb->sb_agblocks)) {
		if (mode == BIN_MULT) {
			/* The reference never comes back from these. */
			goto out;
		}
		fs.nbins = 0;
	}
	if (fs.dump) {
		printf("%8s %8s %8s\n", "agno", "agbno", "len");
	}
	for (agno = 0; agno < sb->sb_agcount; agno++) {
		if (!any_ag || aglist[agno]) {
			scan_ag(ctx, &fs, agno, bycnt);
		}
	}
	printf("%7s %7s %7s %7s %6s\n", "from", "to", "extents", "blocks",
	       "pct");
	for (i = 0; i < fs.nbins; i++) {
		if (fs.bins[i].count) {
			printf("%7d %7d %7lld %7lld %6.2f\n", fs.bins[i].low,
			       fs.bins[i].high, fs.bins[i].count,
			       fs.bins[i].blocks,
			       (double)fs.bins[i].blocks * 100.0 /
			       (double)fs.totblocks);
		}
	}
	if (summary) {
		double avg = (double)fs.totblocks / (double)fs.totexts;

		printf("total free extents %lld\n", fs.totexts);
		printf("total free blocks %lld\n", fs.totblocks);
		printf("average free extent size %g\n", avg);
	}
	goto out;
usage:
	freesp_usage();
out:
	free(fs.bins);
	free(aglist);
	return 0;
}

const struct db_command freesp_cmd = {
	.name = "freesp",
	.func = freesp_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[-bcdfs] [-A alignment] [-a agno]... [-e binsize] [-h h1]... "
		"[-m binmult]",
	.oneline = "summarize free space for filesystem",
};
