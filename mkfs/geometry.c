/*
 * mkfs/geometry.c: from the parsed command line and the devices to a
 * validated struct mkfs_geometry.  This file owns the order of the checks
 * (which decides which message a user sees first when several things are
 * wrong) and the size and feature rules: block, sector, log sector,
 * directory block and inode sizes, the feature set and its V4/V5
 * constraints, and the sizes of the data, log and realtime sections.  The
 * layout rules that follow (stripes, AGs, the log, support limits) live in
 * layout.c and log_geom.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mkfs/layout.h"
#include "mkfs/mkfs.h"

#define DFL_BLOCKSIZE		4096U
#define DFL_DIRBLOCK_LOG	12U	/* smallest default directory block */
#define DFL_INODE_LOG		8U	/* V4 */
#define DFL_CRC_INODE_LOG	9U	/* V5 */

static void init_features(const struct mkfs_cli *cli, struct mkfs_features *f)
{
	*f = (struct mkfs_features){
		.crc = cli_num(cli, OPT_M, M_CRC, 1),
		.finobt = cli_num(cli, OPT_M, M_FINOBT, 1),
		.spinodes = cli_num(cli, OPT_I, I_SPINODES, 1),
		.rmapbt = cli_num(cli, OPT_M, M_RMAPBT, 0),
		.reflink = cli_num(cli, OPT_M, M_REFLINK, 1),
		.inobtcnt = cli_num(cli, OPT_M, M_INOBTCNT, 1),
		.bigtime = cli_num(cli, OPT_M, M_BIGTIME, 1),
		.nrext64 = cli_num(cli, OPT_I, I_NREXT64, 0),
		.dirftype = cli_num(cli, OPT_N, N_FTYPE, 1),
		.lazy_sb_counters = cli_num(cli, OPT_L, L_LAZYSBCNTR, 1),
		.projid32bit = cli_num(cli, OPT_I, I_PROJID32BIT, 1),
		.inode_align = cli_num(cli, OPT_I, I_ALIGN, 1),
		.nci = cli->nci,
		.nodalign = cli_num(cli, OPT_D, D_NOALIGN, 0),
		.nortalign = cli_num(cli, OPT_R, R_NOALIGN, 0),
		.attr_version = (unsigned int)cli_num(cli, OPT_I, I_ATTR, 2),
		.log_version = (unsigned int)cli_num(cli, OPT_L, L_VERSION, 2),
		.dir_version = (unsigned int)cli_num(cli, OPT_N, N_VERSION, 2),
	};
}

static enum mkfs_status validate_blocksize(struct mkfs_geometry *g)
{
	if (g->feat.crc && g->blocksize < MKFS_MIN_CRC_BLOCKSIZE) {
		fprintf(stderr,
			"Minimum block size for CRC enabled filesystems is %u bytes.\n",
			MKFS_MIN_CRC_BLOCKSIZE);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

/* The sector size given with -s size, -s sectsize or -d sectsize. */
static unsigned int cli_sectorsize(const struct mkfs_cli *cli)
{
	if (cli_set(cli, OPT_S, S_SIZE)) {
		return (unsigned int)cli->num[OPT_S][S_SIZE];
	}
	if (cli_set(cli, OPT_S, S_SECTSIZE)) {
		return (unsigned int)cli->num[OPT_S][S_SECTSIZE];
	}
	if (cli_set(cli, OPT_D, D_SECTSIZE)) {
		return (unsigned int)cli->num[OPT_D][D_SECTSIZE];
	}
	return 0;
}

/*
 * Check what each named device is, probe the data device, and choose the
 * sector size: the device's physical sector unless the block size is
 * smaller, then its logical sector.
 */
static enum mkfs_status validate_sectorsize(struct mkfs_cli *cli,
					    struct mkfs_devices *devs,
					    struct mkfs_geometry *g)
{
	unsigned int lsect, psect;
	enum mkfs_status st;

	st = dev_check_type(&devs->data, cli_set(cli, OPT_D, D_SIZE),
			    cli->dry_run, "d");
	if (st != MKFS_OK) {
		return st;
	}
	if (!g->loginternal) {
		st = dev_check_type(&devs->log, cli_set(cli, OPT_L, L_SIZE),
				    cli->dry_run, "l");
		if (st != MKFS_OK) {
			return st;
		}
	}
	if (devs->rt.name) {
		st = dev_check_type(&devs->rt, cli_set(cli, OPT_R, R_SIZE),
				    cli->dry_run, "r");
		if (st != MKFS_OK) {
			return st;
		}
	}

	dev_get_topology(&devs->data);
	lsect = devs->data.lsectorsize ? devs->data.lsectorsize : BBSIZE;
	psect = devs->data.psectorsize ? devs->data.psectorsize : BBSIZE;

	g->sectorsize = cli_sectorsize(cli);
	if (!g->sectorsize) {
		g->sectorsize = psect;
		if (g->blocksize < g->sectorsize && g->blocksize >= lsect) {
			fprintf(stderr,
				"specified blocksize %u is less than device physical sector size %u\n"
				"switching to logical sector size %u\n",
				g->blocksize, psect, lsect);
			g->sectorsize = lsect;
		}
	}
	g->sectorlog = mkfs_highbit64(g->sectorsize);
	if (g->sectorsize < MKFS_MIN_SECTORSIZE ||
	    g->sectorsize > MKFS_MAX_SECTORSIZE) {
		fprintf(stderr, "illegal sector size %u\n", g->sectorsize);
		return MKFS_USAGE;
	}
	if (g->blocksize < g->sectorsize) {
		fprintf(stderr,
			"block size %u cannot be smaller than sector size %u\n",
			g->blocksize, g->sectorsize);
		return MKFS_USAGE;
	}
	if (g->sectorsize < lsect) {
		fprintf(stderr, "illegal sector size %u; hw sector is %u\n",
			g->sectorsize, lsect);
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

static enum mkfs_status validate_log_sectorsize(struct mkfs_cli *cli,
						struct mkfs_geometry *g)
{
	unsigned int lss = cli->lsectorsize;
	bool given = lss != 0;

	if (g->loginternal && given && lss != g->sectorsize) {
		fprintf(stderr, "Can't change sector size on internal log!\n");
		return MKFS_USAGE;
	}
	if (given) {
		g->lsectorsize = lss;
	} else if (g->loginternal) {
		g->lsectorsize = g->sectorsize;
	} else {
		g->lsectorsize = BBSIZE;
	}
	g->lsectorlog = mkfs_highbit64(g->lsectorsize);
	if (g->lsectorsize < MKFS_MIN_SECTORSIZE ||
	    g->lsectorsize > MKFS_MAX_SECTORSIZE ||
	    g->lsectorsize > g->blocksize) {
		fprintf(stderr, "illegal log sector size %u\n", g->lsectorsize);
		return MKFS_USAGE;
	}
	if (g->lsectorsize > BBSIZE && g->feat.log_version < 2) {
		fprintf(stderr, "Version 1 logs do not support sector size %u\n",
			g->lsectorsize);
		return MKFS_USAGE;
	}
	if ((cli_set(cli, OPT_L, L_SU) || cli_set(cli, OPT_L, L_SUNIT)) &&
	    g->feat.log_version == 1) {
		fprintf(stderr, "log stripe unit specified, using v2 logs\n");
		g->feat.log_version = 2;
	}
	return MKFS_OK;
}

/*
 * Features a format rules out: silently off by default, an error when
 * asked for on the command line.
 */
struct feature_rule {
	size_t		feat;		/* offsetof a bool in mkfs_features */
	int		opt, sub;	/* the option that asks for it */
	const char	*msg;
};

#define FEAT(f)		offsetof(struct mkfs_features, f)

static const struct feature_rule v4_rules[] = {
	{ FEAT(finobt), OPT_M, M_FINOBT,
	  "finobt not supported without CRC support" },
	{ FEAT(spinodes), OPT_I, I_SPINODES,
	  "sparse inodes not supported without CRC support" },
	{ FEAT(rmapbt), OPT_M, M_RMAPBT,
	  "rmapbt not supported without CRC support" },
	{ FEAT(reflink), OPT_M, M_REFLINK,
	  "reflink not supported without CRC support" },
	{ FEAT(inobtcnt), OPT_M, M_INOBTCNT,
	  "inode btree counters not supported without CRC support" },
	{ FEAT(bigtime), OPT_M, M_BIGTIME,
	  "timestamps later than 2038 not supported without CRC support" },
	{ FEAT(nrext64), OPT_I, I_NREXT64,
	  "64 bit extent count not supported without CRC support" },
};

static const struct feature_rule nofinobt_rules[] = {
	{ FEAT(inobtcnt), OPT_M, M_INOBTCNT,
	  "inode btree counters not supported without finobt support" },
};

static const struct feature_rule rt_rules[] = {
	{ FEAT(reflink), OPT_M, M_REFLINK,
	  "reflink not supported with realtime devices" },
	{ FEAT(rmapbt), OPT_M, M_RMAPBT,
	  "rmapbt not supported with realtime devices" },
};

static enum mkfs_status apply_rules(const struct mkfs_cli *cli,
				    struct mkfs_features *f,
				    const struct feature_rule *rules,
				    size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		bool *feat = (bool *)((char *)f + rules[i].feat);

		if (*feat && cli_set(cli, rules[i].opt, rules[i].sub)) {
			fprintf(stderr, "%s\n", rules[i].msg);
			return MKFS_USAGE;
		}
		*feat = false;
	}
	return MKFS_OK;
}

#define APPLY(cli, f, rules) \
	apply_rules(cli, f, rules, sizeof(rules) / sizeof(rules[0]))

static enum mkfs_status validate_features(struct mkfs_cli *cli,
					  struct mkfs_geometry *g)
{
	struct mkfs_features *f = &g->feat;
	enum mkfs_status st;

	if (f->crc) {
		if (cli_set(cli, OPT_I, I_SIZE) &&
		    cli->num[OPT_I][I_SIZE] < (1 << DFL_CRC_INODE_LOG)) {
			fprintf(stderr, "Minimum inode size for CRCs is %d bytes\n",
				1 << DFL_CRC_INODE_LOG);
			return MKFS_USAGE;
		}
		if (!f->inode_align) {
			fprintf(stderr,
				"Inodes always aligned for CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
		if (!f->lazy_sb_counters) {
			fprintf(stderr,
				"Lazy superblock counters always enabled for CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
		if (f->log_version != 2) {
			fprintf(stderr,
				"V2 logs always enabled for CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
		if (f->attr_version != 2) {
			fprintf(stderr,
				"V2 attribute format always enabled on CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
		if (!f->projid32bit) {
			fprintf(stderr,
				"32 bit Project IDs always enabled on CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
		if (!f->dirftype) {
			fprintf(stderr,
				"Directory ftype field always enabled on CRC enabled filesystems\n");
			return MKFS_USAGE;
		}
	} else {
		// V4 is on its way out; say so on stdout, as the reference.
		printf("V4 filesystems are deprecated and will not be supported by future versions.\n");
		st = APPLY(cli, f, v4_rules);
		if (st != MKFS_OK) {
			return st;
		}
	}
	if (!f->finobt) {
		st = APPLY(cli, f, nofinobt_rules);
		if (st != MKFS_OK) {
			return st;
		}
	}
	if (g->rtname) {
		st = APPLY(cli, f, rt_rules);
		if (st != MKFS_OK) {
			return st;
		}
	}
	if (g->cowextsize && !f->reflink) {
		fprintf(stderr, "cowextsize not supported without reflink support\n");
		return MKFS_USAGE;
	}
	return MKFS_OK;
}

static enum mkfs_status validate_dirblocksize(struct mkfs_cli *cli,
					      struct mkfs_geometry *g)
{
	enum mkfs_status st;
	long long v;

	if (cli_set(cli, OPT_N, N_SIZE)) {
		st = cli_convert(cli, OPT_N, N_SIZE, &v);
		if (st != MKFS_OK) {
			return st;
		}
		if (v < g->blocksize || v > MKFS_MAX_BLOCKSIZE) {
			fprintf(stderr, "illegal directory block size %lld\n", v);
			return MKFS_USAGE;
		}
		g->dirblocksize = (unsigned int)v;
		g->dirblocklog = mkfs_highbit64(g->dirblocksize);
		return MKFS_OK;
	}
	if (g->blocksize < (1U << DFL_DIRBLOCK_LOG)) {
		g->dirblocklog = DFL_DIRBLOCK_LOG;
	} else {
		g->dirblocklog = g->blocklog;
	}
	g->dirblocksize = 1U << g->dirblocklog;
	return MKFS_OK;
}

static enum mkfs_status validate_inodesize(struct mkfs_cli *cli,
					   struct mkfs_geometry *g)
{
	unsigned int maxsz;

	if (cli_set(cli, OPT_I, I_PERBLOCK)) {
		unsigned int l = mkfs_highbit64(cli->num[OPT_I][I_PERBLOCK]);

		// More inodes per block than bytes: no valid inode size.
		g->inodelog = l > g->blocklog ? 0 : g->blocklog - l;
	} else if (cli_set(cli, OPT_I, I_SIZE)) {
		g->inodelog = mkfs_highbit64(cli->num[OPT_I][I_SIZE]);
	} else if (g->feat.crc) {
		g->inodelog = DFL_CRC_INODE_LOG;
	} else {
		g->inodelog = DFL_INODE_LOG;
	}
	g->inodesize = 1U << g->inodelog;
	g->inopblock = g->blocksize / g->inodesize;
	g->inopblog = g->blocklog - g->inodelog;

	if (g->feat.crc && g->inodelog < DFL_CRC_INODE_LOG) {
		fprintf(stderr, "Minimum inode size for CRCs is %d bytes\n",
			1 << DFL_CRC_INODE_LOG);
		return MKFS_USAGE;
	}
	if (g->inodesize > g->blocksize / MKFS_MIN_INODE_PERBLOCK ||
	    g->inopblock < MKFS_MIN_INODE_PERBLOCK ||
	    g->inodesize < MKFS_DINODE_MIN_SIZE ||
	    g->inodesize > MKFS_DINODE_MAX_SIZE) {
		fprintf(stderr, "illegal inode size %u\n", g->inodesize);
		maxsz = g->blocksize / MKFS_MIN_INODE_PERBLOCK;
		if (maxsz > MKFS_DINODE_MAX_SIZE) {
			maxsz = MKFS_DINODE_MAX_SIZE;
		}
		if (maxsz == MKFS_DINODE_MIN_SIZE) {
			fprintf(stderr,
				"allowable inode size with %u byte blocks is %u\n",
				g->blocksize, MKFS_DINODE_MIN_SIZE);
		} else {
			fprintf(stderr,
				"allowable inode size with %u byte blocks is between %u and %u\n",
				g->blocksize, MKFS_DINODE_MIN_SIZE, maxsz);
		}
		return MKFS_FAIL;
	}
	return MKFS_OK;
}

/* A section size option in blocks (0 when not given). */
static enum mkfs_status calc_dev_size(struct mkfs_cli *cli,
				      struct mkfs_geometry *g, int opt,
				      int sub, const char *type,
				      uint64_t *blocks)
{
	enum mkfs_status st;
	long long bytes;

	*blocks = 0;
	if (!cli_set(cli, opt, sub)) {
		return MKFS_OK;
	}
	st = cli_convert(cli, opt, sub, &bytes);
	if (st != MKFS_OK) {
		return st;
	}
	if (bytes % MKFS_MIN_BLOCKSIZE) {
		fprintf(stderr, "illegal %s length %lld, not a multiple of %u\n",
			type, bytes, MKFS_MIN_BLOCKSIZE);
		return MKFS_USAGE;
	}
	*blocks = (uint64_t)bytes >> g->blocklog;
	if (bytes % g->blocksize) {
		fprintf(stderr,
			"warning: %s length %lld not a multiple of %u, truncated to %llu\n",
			type, bytes, g->blocksize,
			(unsigned long long)(*blocks << g->blocklog));
	}
	return MKFS_OK;
}

static enum mkfs_status validate_rtextsize(struct mkfs_cli *cli,
					   struct mkfs_geometry *g)
{
	enum mkfs_status st;
	long long bytes;

	if (cli_set(cli, OPT_R, R_EXTSIZE)) {
		st = cli_convert(cli, OPT_R, R_EXTSIZE, &bytes);
		if (st != MKFS_OK) {
			return st;
		}
		if (bytes % g->blocksize) {
			fprintf(stderr,
				"illegal rt extent size %lld, not a multiple of %u\n",
				bytes, g->blocksize);
			return MKFS_USAGE;
		}
		g->rtextblocks = (uint64_t)bytes >> g->blocklog;
		return MKFS_OK;
	}
	// The default is one block, and at least 4 KiB.  (A striped rt
	// block device could suggest its stripe width; not probed yet.)
	g->rtextblocks = g->blocksize < MKFS_MIN_RTEXTSIZE ?
			 MKFS_MIN_RTEXTSIZE >> g->blocklog : 1;
	return MKFS_OK;
}

/* The -d inheritance flags for the root directory. */
static void init_inherit(const struct mkfs_cli *cli, struct mkfs_geometry *g)
{
	g->rtinherit = cli_num(cli, OPT_D, D_RTINHERIT, 0) != 0;
	g->daxinherit = cli_num(cli, OPT_D, D_DAXINHERIT, 0) != 0;
	g->projinherit_set = cli_set(cli, OPT_D, D_PROJINHERIT);
	g->projinherit = (uint32_t)cli_num(cli, OPT_D, D_PROJINHERIT, 0);
	g->extszinherit = (uint32_t)cli_num(cli, OPT_D, D_EXTSZINHERIT, 0);
	g->cowextsize = (uint32_t)cli_num(cli, OPT_D, D_COWEXTSIZE, 0);
}

/* Which log and realtime devices were named, and is the log internal? */
static void init_devices(struct mkfs_cli *cli, struct mkfs_devices *devs,
			 struct mkfs_geometry *g)
{
	memset(devs, 0, sizeof(*devs));
	devs->data.name = cli->dname;
	devs->data.isfile = cli_num(cli, OPT_D, D_FILE, 0) != 0;

	devs->log.name = cli->str[OPT_L][L_DEV] ? cli->str[OPT_L][L_DEV] :
						  cli->str[OPT_L][L_NAME];
	devs->log.isfile = cli_num(cli, OPT_L, L_FILE, 0) != 0;
	if (devs->log.name) {
		g->loginternal = false;
	} else {
		g->loginternal = cli_num(cli, OPT_L, L_INTERNAL, 1) != 0;
	}

	devs->rt.name = cli->str[OPT_R][R_DEV] ? cli->str[OPT_R][R_DEV] :
						 cli->str[OPT_R][R_NAME];
	devs->rt.isfile = cli_num(cli, OPT_R, R_FILE, 0) != 0;

	g->dname = devs->data.name;
	g->logname = g->loginternal ? NULL : devs->log.name;
	g->rtname = devs->rt.name;
}

enum mkfs_status compute_geometry(struct mkfs_cli *cli,
				  struct mkfs_devices *devs,
				  struct mkfs_geometry *g)
{
	enum mkfs_status st;

	memset(g, 0, sizeof(*g));
	init_features(cli, &g->feat);
	init_inherit(cli, g);
	init_devices(cli, devs, g);
	memcpy(g->uuid, cli->uuid, sizeof(g->uuid));
	if (cli->label) {
		strncpy(g->label, cli->label, XFSLABEL_MAX);
	}

	g->blocksize = (unsigned int)cli_num(cli, OPT_B, B_SIZE, DFL_BLOCKSIZE);
	g->blocklog = mkfs_highbit64(g->blocksize);
	st = validate_blocksize(g);
	if (st == MKFS_OK) {
		st = validate_sectorsize(cli, devs, g);
	}
	if (st != MKFS_OK) {
		return st;
	}
	// From here on 'b' and 's' suffixes mean these sizes.
	cli->conv_blocksize = g->blocksize;
	cli->conv_sectorsize = g->sectorsize;

	st = validate_log_sectorsize(cli, g);
	if (st == MKFS_OK) {
		st = validate_features(cli, g);
	}
	if (st == MKFS_OK) {
		st = validate_dirblocksize(cli, g);
	}
	if (st == MKFS_OK) {
		st = validate_inodesize(cli, g);
	}
	if (st == MKFS_OK) {
		st = calc_dev_size(cli, g, OPT_D, D_SIZE, "data", &g->dblocks);
	}
	if (st == MKFS_OK) {
		st = calc_dev_size(cli, g, OPT_L, L_SIZE, "log", &g->logblocks);
	}
	if (st == MKFS_OK) {
		st = calc_dev_size(cli, g, OPT_R, R_SIZE, "rt", &g->rtblocks);
	}
	if (st == MKFS_OK) {
		st = validate_rtextsize(cli, g);
	}
	if (st != MKFS_OK) {
		return st;
	}

	return compute_layout(cli, devs, g);
}
