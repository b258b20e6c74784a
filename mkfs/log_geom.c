/*
 * mkfs/log_geom.c: the log and the first inodes, the last parts of the
 * geometry.  Given the AG layout, size the log (default 1/2048 of the
 * data section, never below 64 MiB or the minimum the transaction
 * reservations need, never beyond what one AG can hold), place an internal
 * log after the AG headers of the middle AG, align it to the log or data
 * stripe unit, and work out which inode the root directory will get.
 */
#include <stdio.h>

#include "mkfs/mkfs.h"

#define AGFL_RESERVE	4	/* blocks kept back for the free list */

unsigned int ag_prealloc_blocks(const struct mkfs_geometry *g)
{
	// The four header sectors, then one root block for each btree.
	unsigned int blk = (3 * g->sectorsize) >> g->blocklog; /* AGFL */

	blk += 3;			/* bnobt, cntbt, inobt roots */
	if (g->feat.finobt) {
		blk++;
	}
	if (g->feat.rmapbt) {
		blk++;
	}
	if (g->feat.reflink) {
		blk++;
	}
	return blk + 1;
}

/* Blocks of an AG the allocator may ever hand out. */
static uint64_t ag_max_usable(const struct mkfs_geometry *g)
{
	uint64_t hdr = (4ULL * g->sectorsize + g->blocksize - 1) >> g->blocklog;
	uint64_t blocks = hdr + AGFL_RESERVE + 3;

	if (g->feat.finobt) {
		blocks++;
	}
	if (g->feat.rmapbt) {
		blocks++;
	}
	if (g->feat.reflink) {
		blocks++;
	}
	return g->agsize - blocks;
}

static uint64_t agb_to_fsb(const struct mkfs_geometry *g, uint64_t agno,
			   uint64_t agbno)
{
	return (agno << g->agblklog) | agbno;
}

static uint64_t fsb_to_agno(const struct mkfs_geometry *g, uint64_t fsb)
{
	return fsb >> g->agblklog;
}

static enum mkfs_status validate_log_size(const struct mkfs_geometry *g,
					  uint64_t min_logblocks)
{
	if (g->logblocks < min_logblocks) {
		fprintf(stderr,
			"log size %llu blocks too small, minimum size is %llu blocks\n",
			(unsigned long long)g->logblocks,
			(unsigned long long)min_logblocks);
		return MKFS_USAGE;
	}
	if (g->logblocks > MKFS_MAX_LOG_BLOCKS) {
		fprintf(stderr,
			"log size %llu blocks too large, maximum size is %llu blocks\n",
			(unsigned long long)g->logblocks,
			(unsigned long long)MKFS_MAX_LOG_BLOCKS);
		return MKFS_USAGE;
	}
	if ((g->logblocks << g->blocklog) > MKFS_MAX_LOG_BYTES) {
		fprintf(stderr,
			"log size %llu bytes too large, maximum size is %llu bytes\n",
			(unsigned long long)(g->logblocks << g->blocklog),
			(unsigned long long)MKFS_MAX_LOG_BYTES);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

/*
 * Round the log size to the stripe unit: up, unless that would pass a
 * limit, then down.  A size the user gave must already be aligned.
 */
static enum mkfs_status align_log_size(const struct mkfs_cli *cli,
				       struct mkfs_geometry *g,
				       unsigned int sunit,
				       uint64_t max_logblocks)
{
	uint64_t tmp;

	if (g->logblocks % sunit == 0) {
		return MKFS_OK;
	}
	if (cli_set(cli, OPT_L, L_SIZE)) {
		fprintf(stderr,
			"log size %llu is not a multiple of the log stripe unit %u\n",
			(unsigned long long)g->logblocks, sunit);
		return MKFS_USAGE;
	}
	tmp = (g->logblocks + sunit - 1) / sunit * sunit;
	if (tmp > MKFS_MAX_LOG_BLOCKS ||
	    (tmp << g->blocklog) > MKFS_MAX_LOG_BYTES ||
	    tmp > max_logblocks) {
		tmp = g->logblocks / sunit * sunit;
	}
	g->logblocks = tmp;
	return MKFS_OK;
}

/*
 * Is fsb a block an extent may use: inside its AG (the last one may be
 * short) and past the AG header sectors?
 */
static bool fsbno_valid(const struct mkfs_geometry *g, uint64_t fsb)
{
	uint64_t agno = fsb_to_agno(g, fsb);
	uint32_t agbno = (uint32_t)(fsb & ((1ULL << g->agblklog) - 1));
	uint32_t len = (uint32_t)g->agsize;

	if (agno >= g->agcount) {
		return false;
	}
	if (agno == g->agcount - 1) {
		len = (uint32_t)(g->dblocks - agno * g->agsize);
	}
	return agbno < len && agbno > ((3 * g->sectorsize) >> g->blocklog);
}

static enum mkfs_status align_internal_log(const struct mkfs_cli *cli,
					   struct mkfs_geometry *g,
					   unsigned int sunit,
					   uint64_t max_logblocks)
{
	enum mkfs_status st;
	uint64_t logend;

	if (g->logstart % sunit) {
		g->logstart = (g->logstart + sunit - 1) / sunit * sunit;
	}
	if (!fsbno_valid(g, g->logstart)) {
		fprintf(stderr,
			"Due to stripe alignment, the internal log start (%llu) cannot be aligned\n"
			"within an allocation group.\n",
			(unsigned long long)g->logstart);
		return MKFS_USAGE;
	}
	st = align_log_size(cli, g, sunit, max_logblocks);
	if (st != MKFS_OK) {
		return st;
	}
	// Moving the start up may push the end out of the AG: give back
	// one stripe unit, once.
	logend = g->logstart + g->logblocks - 1;
	if (!fsbno_valid(g, logend)) {
		g->logblocks -= sunit;
		logend = g->logstart + g->logblocks - 1;
	}
	if (!fsbno_valid(g, logend) ||
	    fsb_to_agno(g, g->logstart) != fsb_to_agno(g, logend)) {
		fprintf(stderr,
			"Due to stripe alignment, the internal log size (%llu) is too large.\n"
			"Must fit within an allocation group.\n",
			(unsigned long long)g->logblocks);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

enum mkfs_status calculate_log(struct mkfs_cli *cli, struct mkfs_geometry *g)
{
	enum mkfs_status st;
	uint64_t min_logblocks, max_logblocks;

	min_logblocks = max_u64(log_min_blocks(g), MKFS_MIN_LOG_BLOCKS);
	if (!cli_set(cli, OPT_L, L_SIZE) &&
	    g->dblocks >= (1ULL << 30) >> g->blocklog) {
		min_logblocks = max_u64(min_logblocks,
					MKFS_MIN_LOG_BYTES >> g->blocklog);
	}
	g->min_logblocks = (unsigned int)min_logblocks;

	if (!g->loginternal) {
		if (min_logblocks > g->logblocks) {
			fprintf(stderr,
				"external log device size %llu blocks too small, must be at least %llu blocks\n",
				(unsigned long long)g->logblocks,
				(unsigned long long)min_logblocks);
			return MKFS_USAGE;
		}
		g->logstart = 0;
		g->logagno = 0;
		if (g->lsunit) {
			st = align_log_size(cli, g, g->lsunit,
					    MKFS_MAX_LOG_BLOCKS);
			if (st != MKFS_OK) {
				return st;
			}
		}
		return validate_log_size(g, min_logblocks);
	}

	max_logblocks = ag_max_usable(g) - 1;
	if (max_logblocks < min_logblocks) {
		fprintf(stderr,
			"max log size %llu smaller than min log size %llu, filesystem is too small\n",
			(unsigned long long)max_logblocks,
			(unsigned long long)min_logblocks);
		return MKFS_USAGE;
	}
	if (!g->logblocks) {
		// 1/2048 of the data, at least 64 MiB, the minimum for tiny
		// filesystems, and no more than an AG or the format allow.
		g->logblocks = ((g->dblocks << g->blocklog) / 2048) >>
			       g->blocklog;
		g->logblocks = max_u64(g->logblocks, MEGABYTES(64, g->blocklog));
		if (g->dblocks < MEGABYTES(300, g->blocklog)) {
			g->logblocks = min_logblocks;
		}
		g->logblocks = max_u64(g->logblocks, min_logblocks);
		g->logblocks = min_u64(g->logblocks, max_logblocks);
		g->logblocks = min_u64(g->logblocks, MKFS_MAX_LOG_BLOCKS);
		if ((g->logblocks << g->blocklog) > MKFS_MAX_LOG_BYTES) {
			g->logblocks = MKFS_MAX_LOG_BYTES >> g->blocklog;
		}
		st = validate_log_size(g, min_logblocks);
		if (st != MKFS_OK) {
			return st;
		}
	}

	if (g->logblocks > max_logblocks) {
		fprintf(stderr,
			"internal log size %llu too large, must be less than %llu\n",
			(unsigned long long)g->logblocks,
			(unsigned long long)max_logblocks);
		return MKFS_USAGE;
	}

	if (cli_set(cli, OPT_L, L_AGNUM)) {
		uint64_t agnum = (uint64_t)cli_num(cli, OPT_L, L_AGNUM, 0);

		if (agnum >= g->agcount) {
			fprintf(stderr,
				"log ag number %llu too large, must be less than %llu\n",
				(unsigned long long)agnum,
				(unsigned long long)g->agcount);
			return MKFS_USAGE;
		}
		g->logagno = agnum;
	} else {
		g->logagno = g->agcount / 2;
	}
	g->logstart = agb_to_fsb(g, g->logagno, ag_prealloc_blocks(g));

	if (g->lsunit) {
		st = align_internal_log(cli, g, g->lsunit, max_logblocks);
	} else if (g->dsunit) {
		st = align_internal_log(cli, g, g->dsunit, max_logblocks);
	} else {
		st = MKFS_OK;
	}
	if (st != MKFS_OK) {
		return st;
	}
	return validate_log_size(g, min_logblocks);
}

uint64_t calc_rootino(const struct mkfs_geometry *g)
{
	unsigned int levels, first_bno;
	unsigned int cluster, bpc, inoalign_mask = 0, ialloc_align = 0;

	// AG 0 holds its headers, the btree roots and the initial free
	// list before the first inode chunk can be allocated.
	first_bno = (4 * g->sectorsize + g->blocksize - 1) >> g->blocklog;
	first_bno += 2 + 1;
	levels = alloc_maxlevels(g);
	first_bno += 2 * (levels < 2 ? levels : 2);
	if (g->feat.rmapbt) {
		levels = rmap_maxlevels(g);
		first_bno += levels < 2 ? levels : 2;
	}
	if (g->feat.finobt) {
		first_bno++;
	}
	if (g->feat.rmapbt) {
		first_bno++;
	}
	if (g->feat.reflink) {
		first_bno++;
	}
	if (g->loginternal && g->logstart && fsb_to_agno(g, g->logstart) == 0) {
		first_bno += (unsigned int)g->logblocks;
	}

	// Inode chunk alignment: the stripe unit when it is a multiple of
	// the inode alignment, else the inode alignment.
	cluster = MKFS_INODE_CLUSTER;
	if (g->feat.crc) {
		unsigned int sz = cluster * (g->inodesize / MKFS_DINODE_MIN_SIZE);

		if (g->inoalignmt >= (sz >> g->blocklog)) {
			cluster = sz;
		}
	}
	bpc = cluster > g->blocksize ? cluster >> g->blocklog : 1;
	if (g->feat.inode_align && g->inoalignmt >= bpc) {
		inoalign_mask = g->inoalignmt - 1;
	}
	if (g->dsunit && inoalign_mask && !(g->dsunit & inoalign_mask)) {
		ialloc_align = g->dsunit;
	}
	if (g->dsunit && ialloc_align > 0) {
		first_bno = (first_bno + g->dsunit - 1) / g->dsunit * g->dsunit;
	} else if (g->feat.inode_align && g->inoalignmt > 1) {
		first_bno = (first_bno + g->inoalignmt - 1) / g->inoalignmt *
			    g->inoalignmt;
	}
	return (uint64_t)first_bno << g->inopblog;
}
