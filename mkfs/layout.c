/*
 * mkfs/layout.c: the layout half of the geometry.  With sizes and
 * features settled, this sizes the devices and checks each section fits
 * its device, derives the data and log stripe units, chooses the AG size
 * and count (by filesystem size, single-disk or striped, rounded to the
 * stripe and dropping a runt last AG), the inode space limit and inode
 * alignment, then hands over to log_geom.c for the log, and finally
 * enforces the limits of supported configurations (300 MB, 64 MB log,
 * two AGs).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "mkfs/layout.h"

#define DFL_IMAXPCT		25
#define NOMULTIDISK_AGLOG	2	/* 4 AGs */
#define MULTIDISK_AGLOG		5	/* up to 32 AGs */
#define MAX_BMBT_EXTLEN		((1U << 21) - 1)

/* Blocks of a device given in 512-byte units. */
static uint64_t bb_to_blocks(uint64_t bb, unsigned int blocklog)
{
	return bb >> (blocklog - BBSHIFT);
}

static enum mkfs_status validate_datadev(struct mkfs_cli *cli,
					 struct mkfs_devices *devs,
					 struct mkfs_geometry *g)
{
	uint64_t devblocks = bb_to_blocks(devs->data.size_bb, g->blocklog);

	if (!devs->data.size_bb) {
		// A file that does not exist yet gets the size asked for.
		if (!devs->data.isfile) {
			fprintf(stderr, "can't get size of data subvolume\n");
			return MKFS_USAGE;
		}
	} else if (g->dblocks) {
		if (g->dblocks > devblocks) {
			fprintf(stderr,
				"size %s specified for data subvolume is too large, maximum is %llu blocks\n",
				cli->str[OPT_D][D_SIZE],
				(unsigned long long)devblocks);
			return MKFS_USAGE;
		}
	} else {
		g->dblocks = devblocks;
	}
	if (g->dblocks < MKFS_AG_MIN_BLOCKS(g->blocklog)) {
		fprintf(stderr,
			"size %llu of data subvolume is too small, minimum %llu blocks\n",
			(unsigned long long)g->dblocks,
			(unsigned long long)MKFS_AG_MIN_BLOCKS(g->blocklog));
		return MKFS_USAGE;
	}
	if (devs->data.lsectorsize > g->sectorsize) {
		fprintf(stderr,
			"Warning: the data subvolume sector size %u is less than the sector size \n"
			"reported by the device (%u).\n",
			g->sectorsize, devs->data.lsectorsize);
	}
	return MKFS_OK;
}

static enum mkfs_status validate_logdev(struct mkfs_cli *cli,
					struct mkfs_devices *devs,
					struct mkfs_geometry *g)
{
	uint64_t devblocks;

	if (g->loginternal) {
		if (g->logblocks >= g->dblocks) {
			fprintf(stderr, "log size %llu too large for internal log\n",
				(unsigned long long)g->logblocks);
			return MKFS_USAGE;
		}
		return MKFS_OK;
	}
	if (!devs->log.size_bb) {
		fprintf(stderr, "can't get size of log subvolume\n");
		return MKFS_USAGE;
	}
	devblocks = bb_to_blocks(devs->log.size_bb, g->blocklog);
	if (g->logblocks) {
		if (g->logblocks > devblocks) {
			fprintf(stderr,
				"size %s specified for log subvolume is too large, maximum is %llu blocks\n",
				cli->str[OPT_L][L_SIZE],
				(unsigned long long)devblocks);
			return MKFS_USAGE;
		}
	} else {
		g->logblocks = devblocks;
	}
	if (g->logblocks < MKFS_MIN_LOG_BLOCKS) {
		fprintf(stderr, "log size %llu too small, minimum is %u blocks\n",
			(unsigned long long)g->logblocks, MKFS_MIN_LOG_BLOCKS);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

static enum mkfs_status validate_rtdev(struct mkfs_cli *cli,
				       struct mkfs_devices *devs,
				       struct mkfs_geometry *g)
{
	uint64_t devblocks;

	if (!devs->rt.name) {
		if (cli_set(cli, OPT_R, R_SIZE)) {
			fprintf(stderr,
				"size specified for non-existent rt subvolume\n");
			return MKFS_USAGE;
		}
		g->rtblocks = g->rtextents = g->rtbmblocks = 0;
		return MKFS_OK;
	}
	if (!devs->rt.size_bb) {
		fprintf(stderr, "Invalid zero length rt subvolume found\n");
		return MKFS_USAGE;
	}
	devblocks = bb_to_blocks(devs->rt.size_bb, g->blocklog);
	if (g->rtblocks) {
		if (g->rtblocks > devblocks) {
			// The reference's message has this typo; scripts
			// matching it should keep working.
			fprintf(stderr,
				"size %s specified for rt subvolume is too large, maxi->um is %llu blocks\n",
				cli->str[OPT_R][R_SIZE],
				(unsigned long long)devblocks);
			return MKFS_USAGE;
		}
	} else {
		g->rtblocks = devblocks;
	}
	g->rtextents = g->rtblocks / g->rtextblocks;
	g->rtbmblocks = (g->rtextents + 8ULL * g->blocksize - 1) /
			(8ULL * g->blocksize);
	return MKFS_OK;
}

/*
 * The stripe rules for a proposed unit and width in bytes; the 32-bit
 * arithmetic of the reference is kept so that absurd values fail the
 * same way.
 */
static bool valid_stripe(long long sunit, long long swidth,
			 unsigned int sectsize)
{
	if (swidth > INT_MAX) {
		fprintf(stderr, "stripe width (%lld) is too large\n", swidth);
		return false;
	}
	if (sunit > swidth) {
		fprintf(stderr,
			"stripe unit (%lld) is larger than the stripe width (%lld)\n",
			sunit, swidth);
		return false;
	}
	if (sectsize && (int)sunit % (int)sectsize) {
		fprintf(stderr,
			"stripe unit (%lld) must be a multiple of the sector size (%u)\n",
			sunit, sectsize);
		return false;
	}
	if (sunit && !swidth) {
		fprintf(stderr,
			"invalid stripe unit (%lld) and stripe width of 0\n",
			sunit);
		return false;
	}
	if (!sunit && swidth) {
		fprintf(stderr,
			"invalid stripe width (%lld) and stripe unit of 0\n",
			swidth);
		return false;
	}
	if (sunit && (int)swidth % (int)sunit) {
		fprintf(stderr,
			"stripe width (%lld) must be a multiple of the stripe unit (%lld)\n",
			swidth, sunit);
		return false;
	}
	return true;
}

static int bb_to_bytes_int(int bb)
{
	return (int)((unsigned int)bb << BBSHIFT);
}

static enum mkfs_status calc_stripe_factors(struct mkfs_cli *cli,
					    struct mkfs_devices *devs,
					    struct mkfs_geometry *g)
{
	int dsunit = 0, dswidth = 0, dsu = 0, dsw = 0, lsunit = 0, lsu = 0;
	bool use_dev = false;
	enum mkfs_status st;
	long long v;

	if (cli_set(cli, OPT_D, D_SUNIT)) {
		dsunit = (int)cli->num[OPT_D][D_SUNIT];
	}
	if (cli_set(cli, OPT_D, D_SWIDTH)) {
		dswidth = (int)cli->num[OPT_D][D_SWIDTH];
	}
	if (cli_set(cli, OPT_D, D_SU)) {
		st = cli_convert(cli, OPT_D, D_SU, &v);
		if (st != MKFS_OK) {
			return st;
		}
		dsu = (int)v;
	}
	if (cli_set(cli, OPT_D, D_SW)) {
		dsw = (int)cli->num[OPT_D][D_SW];
	}

	if (cli_set(cli, OPT_D, D_SUNIT) != cli_set(cli, OPT_D, D_SWIDTH)) {
		fprintf(stderr,
			"both data sunit and data swidth options must be specified\n");
		return MKFS_USAGE;
	}
	if (dsu || dsw) {
		long long big;

		if (cli_set(cli, OPT_D, D_SU) != cli_set(cli, OPT_D, D_SW)) {
			fprintf(stderr,
				"both data su and data sw options must be specified\n");
			return MKFS_USAGE;
		}
		big = (long long)dsu * dsw;
		if (BTOBBT(big) > INT_MAX) {
			fprintf(stderr,
				"data stripe width (%lld) is too large of a multiple of the data stripe unit (%d)\n",
				big, dsu);
			return MKFS_USAGE;
		}
		if (!valid_stripe(dsu, big, g->sectorsize)) {
			return MKFS_USAGE;
		}
		dsunit = (int)BTOBBT(dsu);
		dswidth = (int)BTOBBT(big);
	} else if (!valid_stripe(bb_to_bytes_int(dsunit),
				 bb_to_bytes_int(dswidth), g->sectorsize)) {
		return MKFS_USAGE;
	}

	// A stripe given as zero means no alignment at all.
	if ((cli_set(cli, OPT_D, D_SUNIT) || cli_set(cli, OPT_D, D_SU)) &&
	    !dsunit && !dswidth) {
		g->feat.nodalign = true;
	}

	if (g->feat.nodalign) {
		g->dsunit = g->dswidth = 0;
	} else {
		if (!dsunit) {
			dsunit = (int)devs->data.sunit_bb;
			dswidth = (int)devs->data.swidth_bb;
			use_dev = true;
		}
		if (bb_to_bytes_int(dsunit) % (int)g->blocksize ||
		    bb_to_bytes_int(dswidth) % (int)g->blocksize) {
			if (!use_dev) {
				fprintf(stderr,
					"%s: Stripe unit(%d) or stripe width(%d) is not a multiple of the block size(%u)\n",
					progname, bb_to_bytes_int(dsunit),
					bb_to_bytes_int(dswidth), g->blocksize);
				return MKFS_FAIL;
			}
			dsunit = dswidth = 0;
			g->feat.nodalign = true;
		}
		g->dsunit = (unsigned int)dsunit >> (g->blocklog - BBSHIFT);
		g->dswidth = (unsigned int)dswidth >> (g->blocklog - BBSHIFT);
	}

	// Log stripe unit: given, or one block for big log sectors, or
	// the data stripe unit for an internal v2 log.
	if (cli_set(cli, OPT_L, L_SUNIT)) {
		lsunit = (int)cli->num[OPT_L][L_SUNIT];
	} else if (cli_set(cli, OPT_L, L_SU)) {
		st = cli_convert(cli, OPT_L, L_SU, &v);
		if (st != MKFS_OK) {
			return st;
		}
		lsu = (int)v;
	} else if (g->lsectorsize > BBSIZE) {
		lsu = (int)g->blocksize;
	}
	if (lsu) {
		if (lsu % (int)g->blocksize) {
			fprintf(stderr,
				"log stripe unit (%d) must be a multiple of the block size (%u)\n",
				lsu, g->blocksize);
			return MKFS_USAGE;
		}
		lsunit = (int)BTOBBT(lsu);
	}
	if (bb_to_bytes_int(lsunit) % (int)g->blocksize) {
		fprintf(stderr,
			"log stripe unit (%d) must be a multiple of the block size (%u)\n",
			bb_to_bytes_int(lsunit), g->blocksize);
		return MKFS_USAGE;
	}
	if (lsunit) {
		g->lsunit = (unsigned int)lsunit >> (g->blocklog - BBSHIFT);
	} else if (g->feat.log_version == 2 && g->loginternal && g->dsunit) {
		g->lsunit = g->dsunit;
	}
	// The size is computed in 32-bit signed arithmetic, as the
	// reference does: a 2 GiB unit wraps negative and passes.
	lsu = (int)(g->lsunit * g->blocksize);
	if (g->feat.log_version == 2 && lsu > (int)MKFS_LOG_MAX_RECORD) {
		fprintf(stderr,
			"log stripe unit (%d bytes) is too large (maximum is 256KiB)\n"
			"log stripe unit adjusted to 32KiB\n", lsu);
		g->lsunit = (32 * 1024) >> g->blocklog;
	}
	return MKFS_OK;
}

/*
 * Default AG size: single disks between 128 MB and 4 TB get 4 AGs; larger
 * or striped filesystems more, up to 32; from 4 TB (single disk) or 32 TB
 * (any) every AG is as large as the format allows.
 */
static void default_ag_geometry(struct mkfs_geometry *g, bool multidisk)
{
	uint64_t dblocks = g->dblocks, blocks;
	unsigned int blog = g->blocklog;
	int shift = MULTIDISK_AGLOG;

	if (dblocks >= TERABYTES(32, blog)) {
		blocks = MKFS_AG_MAX_BLOCKS(blog);
		goto done;
	}
	if (!multidisk) {
		if (dblocks >= TERABYTES(4, blog)) {
			blocks = MKFS_AG_MAX_BLOCKS(blog);
			goto done;
		}
		if (dblocks >= MEGABYTES(128, blog)) {
			shift = NOMULTIDISK_AGLOG;
			goto calc;
		}
	}
	if (dblocks <= GIGABYTES(512, blog)) {
		shift--;
	}
	if (dblocks <= GIGABYTES(8, blog)) {
		shift--;
	}
	if (dblocks <= MEGABYTES(128, blog)) {
		shift--;
	}
	if (dblocks <= MEGABYTES(64, blog)) {
		shift--;
	}
	if (dblocks <= MEGABYTES(32, blog)) {
		shift--;
	}
calc:
	// Round up so the last bit of the device is not lost.
	blocks = dblocks >> shift;
	if ((dblocks & ((1ULL << shift) - 1)) &&
	    blocks < MKFS_AG_MAX_BLOCKS(blog)) {
		blocks++;
	}
done:
	g->agsize = blocks;
	g->agcount = dblocks / blocks + (dblocks % blocks != 0);
}

static enum mkfs_status initial_ag_geometry(struct mkfs_cli *cli,
					    struct mkfs_geometry *g)
{
	enum mkfs_status st;
	long long v;

	if (cli_set(cli, OPT_D, D_AGSIZE)) {
		st = cli_convert(cli, OPT_D, D_AGSIZE, &v);
		if (st != MKFS_OK) {
			return st;
		}
		if (v % g->blocksize) {
			fprintf(stderr,
				"agsize (%s) not a multiple of fs blk size (%u)\n",
				cli->str[OPT_D][D_AGSIZE], g->blocksize);
			return MKFS_USAGE;
		}
		g->agsize = (uint64_t)v / g->blocksize;
		g->agcount = g->dblocks / g->agsize +
			     (g->dblocks % g->agsize != 0);
	} else if (cli_set(cli, OPT_D, D_AGCOUNT)) {
		g->agcount = (uint64_t)cli->num[OPT_D][D_AGCOUNT];
		g->agsize = g->dblocks / g->agcount +
			    (g->dblocks % g->agcount != 0);
	} else {
		default_ag_geometry(g, g->dsunit != 0);
	}
	return MKFS_OK;
}

static enum mkfs_status validate_ag_geometry(const struct mkfs_geometry *g)
{
	unsigned int blog = g->blocklog;

	if (g->agsize < MKFS_AG_MIN_BLOCKS(blog)) {
		fprintf(stderr,
			"agsize (%llu blocks) too small, need at least %llu blocks\n",
			(unsigned long long)g->agsize,
			(unsigned long long)MKFS_AG_MIN_BLOCKS(blog));
		return MKFS_USAGE;
	}
	if (g->agsize > MKFS_AG_MAX_BLOCKS(blog)) {
		fprintf(stderr,
			"agsize (%llu blocks) too big, maximum is %llu blocks\n",
			(unsigned long long)g->agsize,
			(unsigned long long)MKFS_AG_MAX_BLOCKS(blog));
		return MKFS_USAGE;
	}
	if (g->agsize > g->dblocks) {
		fprintf(stderr,
			"agsize (%llu blocks) too big, data area is %llu blocks\n",
			(unsigned long long)g->agsize,
			(unsigned long long)g->dblocks);
		return MKFS_USAGE;
	}
	if (g->dblocks % g->agsize &&
	    g->dblocks % g->agsize < MKFS_AG_MIN_BLOCKS(blog)) {
		fprintf(stderr,
			"last AG size %llu blocks too small, minimum size is %llu blocks\n",
			(unsigned long long)(g->dblocks % g->agsize),
			(unsigned long long)MKFS_AG_MIN_BLOCKS(blog));
		return MKFS_USAGE;
	}
	if (g->agcount > MKFS_MAX_AGNUMBER + 1) {
		fprintf(stderr,
			"%llu allocation groups is too many, maximum is %llu\n",
			(unsigned long long)g->agcount,
			(unsigned long long)MKFS_MAX_AGNUMBER + 1);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

/*
 * Fit the AG size to the stripe: a multiple of the stripe unit, and not
 * a multiple of the stripe width (or every AG header lands on the same
 * disk).  Then drop a last AG too small to be useful.
 */
static enum mkfs_status align_ag_geometry(struct mkfs_cli *cli,
					  struct mkfs_geometry *g)
{
	uint64_t dsunit = g->dsunit, tmp;
	unsigned int blog = g->blocklog;

	if (!dsunit) {
		goto validate;
	}
	if (g->agsize % dsunit) {
		tmp = (g->agsize + dsunit - 1) / dsunit * dsunit;
		if (tmp > MKFS_AG_MAX_BLOCKS(blog)) {
			tmp = g->agsize / dsunit * dsunit;
		}
		// Out of range sizes are caught by validate_ag_geometry.
		g->agsize = tmp;
		if (!cli_set(cli, OPT_D, D_AGCOUNT)) {
			g->agcount = g->dblocks / g->agsize +
				     (g->dblocks % g->agsize != 0);
		}
		if (cli_set(cli, OPT_D, D_AGSIZE)) {
			fprintf(stderr, "agsize rounded to %llu, sunit = %llu\n",
				(unsigned long long)g->agsize,
				(unsigned long long)dsunit);
		}
	}
	if (g->dswidth && g->agsize % g->dswidth == 0 &&
	    g->dsunit != g->dswidth && g->agcount > 1) {
		tmp = g->agsize - dsunit;
		if (!cli_set(cli, OPT_D, D_AGCOUNT) &&
		    !cli_set(cli, OPT_D, D_AGSIZE)) {
			g->agsize = tmp;
			g->agcount = g->dblocks / g->agsize +
				     (g->dblocks % g->agsize != 0);
		} else {
			fprintf(stderr,
				"Warning: AG size is a multiple of stripe width.  This can cause performance\n"
				"problems by aligning all AGs on the same disk.  To avoid this, run mkfs with\n"
				"an AG size that is one stripe unit smaller or larger, for example %llu.\n",
				(unsigned long long)tmp);
		}
	}
validate:
	if (g->dblocks % g->agsize &&
	    g->dblocks % g->agsize < MKFS_AG_MIN_BLOCKS(blog)) {
		g->dblocks = (g->agcount - 1) * g->agsize;
		g->agcount--;
	}
	return validate_ag_geometry(g);
}

static void calculate_imaxpct(struct mkfs_cli *cli, struct mkfs_geometry *g)
{
	g->imaxpct = (unsigned int)cli_num(cli, OPT_I, I_MAXPCT, 0);
	if (g->imaxpct) {
		return;
	}
	// Less of the space for inodes as filesystems grow.
	if (g->dblocks < TERABYTES(1, g->blocklog)) {
		g->imaxpct = DFL_IMAXPCT;
	} else if (g->dblocks < TERABYTES(50, g->blocklog)) {
		g->imaxpct = 5;
	} else {
		g->imaxpct = 1;
	}
}

/* Inode chunk alignment as the superblock records it. */
static void calc_inode_alignment(struct mkfs_geometry *g)
{
	unsigned int cluster = MKFS_INODE_CLUSTER;

	g->inoalignmt = 0;
	g->spino_align = 0;
	if (!g->feat.inode_align) {
		return;
	}
	if (g->feat.crc) {
		cluster *= g->inodesize / MKFS_DINODE_MIN_SIZE;
	}
	g->inoalignmt = cluster >> g->blocklog;
	// Sparse chunks: a cluster is the sparse unit, a whole chunk the
	// full alignment.
	if (g->feat.crc && g->feat.spinodes) {
		g->spino_align = g->inoalignmt;
		g->inoalignmt = (64 * g->inodesize) >> g->blocklog;
	}
}

/* The limits of the extent size hints the root directory will carry. */
static enum mkfs_status validate_hints(struct mkfs_geometry *g)
{
	unsigned int lim = MAX_BMBT_EXTLEN;

	if (g->agsize / 2 < lim) {
		lim = (unsigned int)(g->agsize / 2);
	}
	if (g->extszinherit > MAX_BMBT_EXTLEN ||
	    g->extszinherit > g->agsize / 2) {
		fprintf(stderr,
			"illegal extent size hint %lld, must be less than %u.\n",
			(long long)g->extszinherit, lim);
		return MKFS_USAGE;
	}
	if (g->rtinherit && g->extszinherit &&
	    g->extszinherit % g->rtextblocks) {
		fprintf(stderr,
			"illegal extent size hint %lld, must be less than %u and a multiple of %u.\n",
			(long long)g->extszinherit, lim,
			(unsigned int)g->rtextblocks);
		return MKFS_USAGE;
	}
	if (g->cowextsize > MAX_BMBT_EXTLEN ||
	    g->cowextsize > g->agsize / 2) {
		fprintf(stderr,
			"illegal CoW extent size hint %lld, must be less than %u.\n",
			(long long)g->cowextsize, lim);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

/*
 * Configurations the reference refuses as unsupported; fstests may still
 * make them by setting TEST_DIR, TEST_DEV and QA_CHECK_FS, and so may
 * --unsupported.
 */
static enum mkfs_status validate_supported(struct mkfs_cli *cli,
					   const struct mkfs_geometry *g)
{
	if (cli->unsupported) {
		printf("Filesystems formatted with --unsupported are not supported!!\n");
		return MKFS_OK;
	}
	if (getenv("TEST_DIR") && getenv("TEST_DEV") && getenv("QA_CHECK_FS")) {
		return MKFS_OK;
	}
	if (g->dblocks < MEGABYTES(300, g->blocklog)) {
		fprintf(stderr, "Filesystem must be larger than 300MB.\n");
		return MKFS_USAGE;
	}
	if (g->logblocks < MEGABYTES(64, g->blocklog)) {
		fprintf(stderr, "Log size must be at least 64MB.\n");
		return MKFS_USAGE;
	}
	if (g->agcount < 2) {
		fprintf(stderr,
			"Filesystem must have at least 2 superblocks for redundancy!\n");
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

enum mkfs_status compute_layout(struct mkfs_cli *cli,
				struct mkfs_devices *devs,
				struct mkfs_geometry *g)
{
	enum mkfs_status st;

	st = dev_open_size(&devs->data);
	if (st == MKFS_OK && !g->loginternal) {
		st = dev_open_size(&devs->log);
	}
	if (st == MKFS_OK && devs->rt.name) {
		st = dev_open_size(&devs->rt);
	}
	if (st == MKFS_OK) {
		st = dev_check_overwrite(&devs->data, cli->force);
	}
	if (st == MKFS_OK) {
		st = validate_datadev(cli, devs, g);
	}
	if (st == MKFS_OK) {
		st = validate_logdev(cli, devs, g);
	}
	if (st == MKFS_OK) {
		st = validate_rtdev(cli, devs, g);
	}
	if (st == MKFS_OK) {
		st = calc_stripe_factors(cli, devs, g);
	}
	if (st == MKFS_OK) {
		st = initial_ag_geometry(cli, g);
	}
	if (st == MKFS_OK) {
		st = align_ag_geometry(cli, g);
	}
	if (st != MKFS_OK) {
		return st;
	}

	calculate_imaxpct(cli, g);
	g->agblklog = mkfs_log2_roundup(g->agsize);
	calc_inode_alignment(g);

	st = calculate_log(cli, g);
	if (st != MKFS_OK) {
		return st;
	}
	g->rootino = calc_rootino(g);

	st = validate_hints(g);
	if (st != MKFS_OK) {
		return st;
	}
	return validate_supported(cli, g);
}
