/*
 * mkfs/mkfs.h: the shared types of mkfs.xfs and the interfaces between its
 * stages.  mkfs runs as a pipeline:
 *
 *   options.c    command line  -> struct mkfs_cli      (parsed, range-checked)
 *   device.c     device names  -> struct mkfs_dev      (type, size, topology)
 *   geometry.c   cli + devices -> struct mkfs_geometry (validated layout)
 *   log_geom.c   log size and placement, root inode (part of the geometry)
 *   logres.c     minimum log size (transaction reservations)
 *   summary.c    geometry -> the "meta-data=..." report
 *   sb.c         geometry -> struct xfs_sb, for the writer stage
 *
 * Every stage returns an enum mkfs_status after printing its own message;
 * only main() turns a status into usage text and an exit code.
 */
#ifndef MKFS_MKFS_H_
#define MKFS_MKFS_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs.h"

extern const char *progname;

/* Result of a stage.  The message has already been printed. */
enum mkfs_status {
	MKFS_OK = 0,
	MKFS_FAIL,		/* exit 1 */
	MKFS_USAGE,		/* print the usage text, exit 1 */
};

/* ---- option table (options.c) ---- */

enum mkfs_opt {
	OPT_B, OPT_C, OPT_D, OPT_I, OPT_L, OPT_M, OPT_N, OPT_R, OPT_S,
	OPT_NR
};

#define MKFS_MAX_SUBOPTS	16

enum { B_SIZE };
enum { C_OPTFILE };
enum {
	D_AGCOUNT, D_FILE, D_NAME, D_SIZE, D_SUNIT, D_SWIDTH, D_AGSIZE,
	D_SU, D_SW, D_SECTSIZE, D_NOALIGN, D_RTINHERIT, D_PROJINHERIT,
	D_EXTSZINHERIT, D_COWEXTSIZE, D_DAXINHERIT,
};
enum {
	I_ALIGN, I_MAXPCT, I_PERBLOCK, I_SIZE, I_ATTR, I_PROJID32BIT,
	I_SPINODES, I_NREXT64,
};
enum {
	L_AGNUM, L_INTERNAL, L_SIZE, L_VERSION, L_SUNIT, L_SU, L_DEV,
	L_SECTSIZE, L_FILE, L_NAME, L_LAZYSBCNTR,
};
enum {
	M_CRC, M_FINOBT, M_UUID, M_RMAPBT, M_REFLINK, M_INOBTCNT, M_BIGTIME,
};
enum { N_SIZE, N_VERSION, N_FTYPE };
enum { R_EXTSIZE, R_SIZE, R_DEV, R_FILE, R_NAME, R_NOALIGN };
enum { S_SIZE, S_SECTSIZE };

/*
 * The parsed command line.  Numeric sub-options are range-checked as they
 * are parsed and kept in num[][]; size sub-options whose units depend on
 * the block or sector size ("10b", "8s") are kept as strings in str[][]
 * and converted by cli_convert() once those sizes are known.
 */
struct mkfs_cli {
	bool		seen[OPT_NR][MKFS_MAX_SUBOPTS];	/* value taken */
	bool		str_seen[OPT_NR][MKFS_MAX_SUBOPTS]; /* string taken */
	long long	num[OPT_NR][MKFS_MAX_SUBOPTS];
	const char	*str[OPT_NR][MKFS_MAX_SUBOPTS];

	/* Sizes the deferred conversions use ('b' and 's' suffixes). */
	unsigned int	conv_blocksize;
	unsigned int	conv_sectorsize;

	unsigned int	lsectorsize;	/* log sector: -l sectsize or -s */
	const char	*dname;		/* data device: -d name or argument */
	const char	*label;		/* -L */
	const char	*protofile;	/* -p */
	bool		nci;		/* -n version=ci */
	unsigned char	uuid[16];	/* -m uuid, all zero if not given */
	bool		dry_run;	/* -N */
	bool		quiet;		/* -q */
	bool		force;		/* -f */
	bool		discard;	/* cleared by -K */
	bool		show_version;	/* -V: print the version, stop */
	bool		unsupported;	/* --unsupported: allow tiny fs */
};

void cli_init(struct mkfs_cli *cli);
enum mkfs_status cli_parse(struct mkfs_cli *cli, int argc, char **argv);
void usage(void);

/* Was -X sub given (as a number or as a string)? */
static inline bool cli_set(const struct mkfs_cli *cli, int opt, int sub)
{
	return cli->seen[opt][sub] || cli->str_seen[opt][sub];
}

/* Numeric value of -X sub, or dflt if it was not given. */
static inline long long cli_num(const struct mkfs_cli *cli, int opt, int sub,
				long long dflt)
{
	return cli->seen[opt][sub] ? cli->num[opt][sub] : dflt;
}

/*
 * Convert a deferred (string) sub-option now that the block and sector
 * sizes are known; range-checks as the parser would have.  MKFS_OK with
 * *val set, or the status to stop with.
 */
enum mkfs_status cli_convert(struct mkfs_cli *cli, int opt, int sub,
			     long long *val);

/* The parser's message for a bad value of -X sub ("... too small."). */
enum mkfs_status cli_bad_value(const struct mkfs_cli *cli, int opt, int sub,
			       const char *value, const char *reason);

/* ---- size strings (cvtnum.c) ---- */

/*
 * Parse a size: a number (C syntax: decimal, 0x hex, 0 octal) with an
 * optional unit suffix, in either case: b (fs blocks of blocksize bytes),
 * s (sectors of sectsize bytes), k, m, g, t, p, e (powers of 1024).  A
 * zero blocksize or sectsize makes that suffix invalid.  Returns -1 for
 * anything else.
 */
long long mkfs_cvtnum(unsigned int blocksize, unsigned int sectsize,
		      const char *s);

/* ---- devices (device.c) ---- */

struct mkfs_dev {
	const char	*name;		/* NULL: no such device */
	bool		isfile;		/* regular file (-X file or by stat) */
	bool		create;		/* -X file naming a missing file */
	uint64_t	size_bb;	/* size in 512-byte units, 0 unknown */
	unsigned int	lsectorsize;	/* logical sector size, 0 unknown */
	unsigned int	psectorsize;	/* physical sector size, 0 unknown */
	unsigned int	sunit_bb;	/* stripe unit from the device, BBs */
	unsigned int	swidth_bb;	/* stripe width from the device, BBs */
};

enum mkfs_status dev_check_type(struct mkfs_dev *dev, bool size_given,
				bool dry_run, const char *optname);
void dev_get_topology(struct mkfs_dev *dev);
enum mkfs_status dev_open_size(struct mkfs_dev *dev);
enum mkfs_status dev_check_overwrite(const struct mkfs_dev *dev, bool force);

/* ---- the geometry (geometry.c, log_geom.c) ---- */

/* Format features, as chosen by defaults and -m/-i/-l/-n options. */
struct mkfs_features {
	bool		crc;		/* V5 superblock, metadata CRCs */
	bool		finobt;
	bool		spinodes;	/* sparse inode chunks */
	bool		rmapbt;
	bool		reflink;
	bool		inobtcnt;
	bool		bigtime;
	bool		nrext64;
	bool		dirftype;	/* file type in directory entries */
	bool		lazy_sb_counters;
	bool		projid32bit;
	bool		inode_align;
	bool		nci;		/* ASCII case-insensitive names */
	bool		nodalign;	/* no data stripe alignment */
	bool		nortalign;
	unsigned int	attr_version;	/* 0, 1 or 2 */
	unsigned int	log_version;	/* 1 or 2 */
	unsigned int	dir_version;	/* 2 */
};

/*
 * Everything the writer needs to lay out a new filesystem.  All block
 * counts are in filesystem blocks unless the name says otherwise.
 */
struct mkfs_geometry {
	const char	*dname;		/* data device path */
	const char	*logname;	/* external log device, NULL internal */
	const char	*rtname;	/* realtime device, NULL none */

	unsigned int	blocksize;
	unsigned int	blocklog;
	unsigned int	sectorsize;	/* data device sector */
	unsigned int	sectorlog;
	unsigned int	lsectorsize;	/* log sector */
	unsigned int	lsectorlog;
	unsigned int	dirblocksize;	/* directory block, bytes */
	unsigned int	dirblocklog;
	unsigned int	inodesize;
	unsigned int	inodelog;
	unsigned int	inopblock;	/* inodes per block */
	unsigned int	inopblog;

	/* Data section. */
	uint64_t	dblocks;	/* data section length */
	uint64_t	agsize;		/* blocks per AG (last may be short) */
	uint64_t	agcount;
	unsigned int	agblklog;	/* log2(agsize) rounded up */
	unsigned int	dsunit;		/* stripe unit, blocks (0: none) */
	unsigned int	dswidth;	/* stripe width, blocks */
	unsigned int	imaxpct;	/* max % of space for inodes */

	/* Log. */
	bool		loginternal;
	uint64_t	logblocks;
	uint64_t	logstart;	/* fsbno of an internal log, else 0 */
	uint64_t	logagno;	/* AG of an internal log */
	unsigned int	lsunit;		/* log stripe unit, blocks */
	unsigned int	min_logblocks;	/* smallest valid log */

	/* Realtime (not supported yet: always empty). */
	uint64_t	rtblocks;
	uint64_t	rtextents;
	uint64_t	rtextblocks;	/* rt extent size, blocks */
	uint64_t	rtbmblocks;

	/* Inode placement. */
	unsigned int	inoalignmt;	/* sb_inoalignmt, blocks */
	unsigned int	spino_align;	/* sb_spino_align, blocks */
	uint64_t	rootino;	/* root dir; rbmino, rsumino follow */

	struct mkfs_features feat;
	unsigned char	uuid[16];
	char		label[XFSLABEL_MAX + 1];

	/* Root directory inheritance flags from -d *inherit options. */
	bool		rtinherit;
	bool		daxinherit;
	bool		projinherit_set;
	uint32_t	projinherit;
	uint32_t	extszinherit;	/* 0: none */
	uint32_t	cowextsize;	/* 0: none */
};

/* All devices taking part, filled by compute_geometry. */
struct mkfs_devices {
	struct mkfs_dev	data;
	struct mkfs_dev	log;
	struct mkfs_dev	rt;
};

enum mkfs_status compute_geometry(struct mkfs_cli *cli,
				  struct mkfs_devices *devs,
				  struct mkfs_geometry *g);

/* log_geom.c: size and place the log (needs the AG geometry). */
enum mkfs_status calculate_log(struct mkfs_cli *cli, struct mkfs_geometry *g);

/* log_geom.c: inode number of the root directory. */
uint64_t calc_rootino(const struct mkfs_geometry *g);

/* log_geom.c: blocks at the start of every AG used by headers and roots. */
unsigned int ag_prealloc_blocks(const struct mkfs_geometry *g);

/* logres.c: minimum log size in blocks for this geometry. */
unsigned int log_min_blocks(const struct mkfs_geometry *g);

/* logres.c: worst-case heights of the AG free space btrees. */
unsigned int alloc_maxlevels(const struct mkfs_geometry *g);
unsigned int rmap_maxlevels(const struct mkfs_geometry *g);

/* summary.c */
void print_summary(const struct mkfs_geometry *g);

/* sb.c: the primary superblock the geometry describes (no counters). */
void geometry_to_sb(const struct mkfs_geometry *g, struct xfs_sb *sb);

/* Small helpers. */
static inline unsigned int mkfs_highbit64(uint64_t v)
{
	return v ? 63 - (unsigned int)__builtin_clzll(v) : 0;
}

static inline unsigned int mkfs_log2_roundup(uint64_t v)
{
	unsigned int l = mkfs_highbit64(v);

	return (v > (1ULL << l)) ? l + 1 : l;
}

static inline bool mkfs_ispow2(unsigned long long v)
{
	return v && !(v & (v - 1));
}

#define MEGABYTES(count, blog)	((uint64_t)(count) << (20 - (blog)))
#define GIGABYTES(count, blog)	((uint64_t)(count) << (30 - (blog)))
#define TERABYTES(count, blog)	((uint64_t)(count) << (40 - (blog)))

/* Limits of the format that mkfs enforces. */
#define MKFS_AG_MIN_BYTES	(1ULL << 24)		/* 16 MiB */
#define MKFS_AG_MAX_BYTES	(1ULL << 40)		/* 1 TiB */
#define MKFS_AG_MIN_BLOCKS(blog) (MKFS_AG_MIN_BYTES >> (blog))
#define MKFS_AG_MAX_BLOCKS(blog) ((MKFS_AG_MAX_BYTES - 1) >> (blog))
#define MKFS_MAX_AGNUMBER	0xfffffffeULL
#define MKFS_MIN_LOG_BLOCKS	512U
#define MKFS_MIN_LOG_BYTES	(10ULL << 20)
#define MKFS_MAX_LOG_BLOCKS	(1024ULL * 1024)
#define MKFS_MAX_LOG_BYTES	((2ULL << 30) - MKFS_MIN_LOG_BYTES)
#define MKFS_MIN_SECTORSIZE	512U
#define MKFS_MAX_SECTORSIZE	32768U
#define MKFS_MIN_BLOCKSIZE	512U
#define MKFS_MAX_BLOCKSIZE	65536U
#define MKFS_MIN_CRC_BLOCKSIZE	1024U
#define MKFS_MIN_RTEXTSIZE	4096ULL
#define MKFS_MAX_RTEXTSIZE	(1ULL << 30)
#define MKFS_DINODE_MIN_SIZE	256U
#define MKFS_DINODE_MAX_SIZE	2048U
#define MKFS_MIN_INODE_PERBLOCK	2U
#define MKFS_INODE_CLUSTER	8192U	/* bytes of 256-byte inodes */
#define MKFS_LOG_MAX_RECORD	(256U * 1024)	/* largest log record */

#endif /* MKFS_MKFS_H_ */
