/*
 * xfs_mount.h: the in-core filesystem -- the decoded superblock, the
 * geometry derived from it, and the mount / AG header entry points.
 *
 * struct xfs_sb is the superblock in host byte order, field for field
 * (the sb_ names of struct xfs_dsb).  struct xfs_mount holds it together
 * with everything computed from it once at mount time, so that no caller
 * recomputes shifts, masks or btree limits.
 */
#ifndef XFS_MOUNT_H_
#define XFS_MOUNT_H_

#include <stdbool.h>
#include <stdint.h>

#include "xfs_format.h"
#include "libxfs_io.h"

/* The superblock, host order.  Decoded exactly: no field is rewritten. */
struct xfs_sb {
	uint32_t	sb_magicnum;
	uint32_t	sb_blocksize;
	uint64_t	sb_dblocks;
	uint64_t	sb_rblocks;
	uint64_t	sb_rextents;
	uint8_t		sb_uuid[XFS_UUID_SIZE];
	uint64_t	sb_logstart;
	uint64_t	sb_rootino;
	uint64_t	sb_rbmino;
	uint64_t	sb_rsumino;
	uint32_t	sb_rextsize;
	uint32_t	sb_agblocks;
	uint32_t	sb_agcount;
	uint32_t	sb_rbmblocks;
	uint32_t	sb_logblocks;
	uint16_t	sb_versionnum;
	uint16_t	sb_sectsize;
	uint16_t	sb_inodesize;
	uint16_t	sb_inopblock;
	char		sb_fname[XFSLABEL_MAX];
	uint8_t		sb_blocklog;
	uint8_t		sb_sectlog;
	uint8_t		sb_inodelog;
	uint8_t		sb_inopblog;
	uint8_t		sb_agblklog;
	uint8_t		sb_rextslog;
	uint8_t		sb_inprogress;
	uint8_t		sb_imax_pct;
	uint64_t	sb_icount;
	uint64_t	sb_ifree;
	uint64_t	sb_fdblocks;
	uint64_t	sb_frextents;
	uint64_t	sb_uquotino;
	uint64_t	sb_gquotino;
	uint16_t	sb_qflags;
	uint8_t		sb_flags;
	uint8_t		sb_shared_vn;
	uint32_t	sb_inoalignmt;
	uint32_t	sb_unit;
	uint32_t	sb_width;
	uint8_t		sb_dirblklog;
	uint8_t		sb_logsectlog;
	uint16_t	sb_logsectsize;
	uint32_t	sb_logsunit;
	uint32_t	sb_features2;
	uint32_t	sb_bad_features2;
	uint32_t	sb_features_compat;
	uint32_t	sb_features_ro_compat;
	uint32_t	sb_features_incompat;
	uint32_t	sb_features_log_incompat;
	uint32_t	sb_crc;		/* host value of the little-endian field */
	uint32_t	sb_spino_align;
	uint64_t	sb_pquotino;
	uint64_t	sb_lsn;
	uint8_t		sb_meta_uuid[XFS_UUID_SIZE];	/* raw; see m_meta_uuid */
};

/* Decode / encode the whole superblock (struct xfs_dsb, 264 bytes). */
void libxfs_sb_from_disk(struct xfs_sb *to, const void *disk);
void libxfs_sb_to_disk(void *disk, const struct xfs_sb *from);

/*
 * Check that a decoded superblock describes a geometry we can work with
 * (sizes, logs, AG layout, log placement, V5 features).  Returns 0 or
 * -EFSCORRUPTED with *reason naming the first failing check.
 */
int libxfs_sb_validate(const struct xfs_sb *sb, const char **reason);

/* Directory / attribute block geometry. */
struct xfs_da_geometry {
	unsigned int	blksize;	/* bytes per dir (or attr) block */
	unsigned int	fsbcount;	/* fs blocks per dir block */
	uint8_t		fsblog;		/* log2(fs block size) */
	uint8_t		blklog;		/* log2(blksize) */
	unsigned int	node_hdr_size;	/* da3 node header, bytes */
	unsigned int	leaf_hdr_size;	/* dir3 leaf header, bytes */
	unsigned int	free_hdr_size;	/* dir3 free header, bytes */
	unsigned int	data_entry_offset; /* first entry in a data block */
	unsigned int	node_ents;	/* entries in a da node block */
	unsigned int	leaf_max_ents;	/* entries in a leaf block */
	unsigned int	free_max_bests;	/* bests in a free block */
	unsigned int	magicpct;	/* 37% of blksize */
	uint32_t	datablk;	/* file block of the first data block */
	uint32_t	leafblk;	/* file block of the first leaf block */
	uint32_t	freeblk;	/* file block of the first free block */
};

/* Byte offsets of the directory address-space segments. */
#define XFS_DIR2_DATA_OFFSET_BYTES	0ULL
#define XFS_DIR2_LEAF_OFFSET_BYTES	(1ULL << 35)	/* 32 GiB */
#define XFS_DIR2_FREE_OFFSET_BYTES	(2ULL << 35)	/* 64 GiB */

/* m_features: one bit per format feature, from versionnum and V5 words. */
#define XFS_FEAT_ATTR		(1ULL << 0)
#define XFS_FEAT_NLINK		(1ULL << 1)
#define XFS_FEAT_QUOTA		(1ULL << 2)
#define XFS_FEAT_ALIGN		(1ULL << 3)
#define XFS_FEAT_DALIGN		(1ULL << 4)
#define XFS_FEAT_LOGV2		(1ULL << 5)
#define XFS_FEAT_SECTOR		(1ULL << 6)
#define XFS_FEAT_EXTFLG		(1ULL << 7)
#define XFS_FEAT_ASCIICI	(1ULL << 8)
#define XFS_FEAT_LAZYSBCOUNT	(1ULL << 9)
#define XFS_FEAT_ATTR2		(1ULL << 10)
#define XFS_FEAT_PARENT		(1ULL << 11)
#define XFS_FEAT_PROJID32	(1ULL << 12)
#define XFS_FEAT_CRC		(1ULL << 13)
#define XFS_FEAT_V3INODES	(1ULL << 14)
#define XFS_FEAT_FTYPE		(1ULL << 15)
#define XFS_FEAT_FINOBT		(1ULL << 16)
#define XFS_FEAT_RMAPBT		(1ULL << 17)
#define XFS_FEAT_REFLINK	(1ULL << 18)
#define XFS_FEAT_INOBTCNT	(1ULL << 19)
#define XFS_FEAT_SPINODES	(1ULL << 20)
#define XFS_FEAT_META_UUID	(1ULL << 21)
#define XFS_FEAT_BIGTIME	(1ULL << 22)
#define XFS_FEAT_NEEDSREPAIR	(1ULL << 23)
#define XFS_FEAT_NREXT64	(1ULL << 24)
#define XFS_FEAT_LOG_XATTRS	(1ULL << 25)
#define XFS_FEAT_REALTIME	(1ULL << 26)	/* sb_rblocks != 0 */
#define XFS_FEAT_EXTLOG		(1ULL << 27)	/* sb_logstart == 0 */

/* Flags for libxfs_mount(). */
#define LIBXFS_MOUNT_RDONLY	(1U << 0)	/* open devices read-only */
#define LIBXFS_MOUNT_FORCE	(1U << 1)	/* mount even if the primary sb
						   fails verification (xfs_db -F) */
#define LIBXFS_MOUNT_QUIET	(1U << 2)	/* no messages on stderr */

struct xfs_mount {
	struct xfs_sb		m_sb;
	char			*m_fsname;	/* path of the data device */
	unsigned int		m_flags;	/* LIBXFS_MOUNT_* */
	uint64_t		m_features;	/* XFS_FEAT_* */
	int			m_sb_error;	/* primary sb verifier result */
	const char		*m_sb_fail_reason;

	/* Devices. For an internal log m_logdev_targp == m_ddev_targp. */
	struct libxfs_dev	*m_ddev;
	struct libxfs_dev	*m_logdev;	/* NULL for an internal log */
	struct xfs_buftarg	*m_ddev_targp;
	struct xfs_buftarg	*m_logdev_targp;

	/* UUID every V5 metadata block carries (sb_meta_uuid or sb_uuid). */
	uint8_t			m_meta_uuid[XFS_UUID_SIZE];

	/* Block and AG geometry. */
	uint32_t		m_blockmask;	/* sb_blocksize - 1 */
	unsigned int		m_blkbb_log;	/* log2(BBs per block) */
	unsigned int		m_sectbb_log;	/* log2(BBs per sector) */
	unsigned int		m_agno_log;	/* bits for an AG number */
	unsigned int		m_agino_log;	/* bits for an AG inode number */
	uint32_t		m_lastag_blocks; /* length of the last AG */
	unsigned int		m_agfl_size;	/* slots in an AGFL */
	uint64_t		m_log_daddr;	/* start of the log (BBs) */
	uint64_t		m_log_bbs;	/* length of the log (BBs) */

	/* Inode geometry. */
	unsigned int		m_inodes_per_block;
	uint32_t		m_inoalign_mask; /* chunk alignment mask, blocks */
	unsigned int		m_inode_cluster_size; /* bytes read at once */
	unsigned int		m_blocks_per_cluster;
	unsigned int		m_inodes_per_cluster;
	unsigned int		m_cluster_align; /* blocks */
	unsigned int		m_ialloc_blks;	/* blocks per inode chunk */
	unsigned int		m_ialloc_min_blks; /* sparse: smallest chunk */
	unsigned int		m_litino;	/* literal area bytes */
	uint64_t		m_maxicount;	/* inode count limit, 0 = none */

	struct xfs_da_geometry	m_dir_geo;
	struct xfs_da_geometry	m_attr_geo;

	/* Btree records per block: [0] leaves, [1] nodes; mnr = mxr / 2. */
	unsigned int		m_alloc_mxr[2];
	unsigned int		m_alloc_mnr[2];
	unsigned int		m_inobt_mxr[2];
	unsigned int		m_inobt_mnr[2];
	unsigned int		m_rmap_mxr[2];
	unsigned int		m_rmap_mnr[2];
	unsigned int		m_refc_mxr[2];
	unsigned int		m_refc_mnr[2];
	unsigned int		m_bmap_dmxr[2];
	unsigned int		m_bmap_dmnr[2];

	/* Maximum btree heights. */
	unsigned int		m_ag_maxlevels;	/* bnobt / cntbt */
	unsigned int		m_in_maxlevels;	/* inobt / finobt */
	unsigned int		m_rmap_maxlevels;
	unsigned int		m_refc_maxlevels;
	unsigned int		m_bm_maxlevels[2]; /* data, attr fork */

	/*
	 * Write half (libxfs/xfs_trans.c).  m_sb_lock protects the in-core
	 * free-space and inode counters: m_sb's sb_fdblocks / sb_icount /
	 * sb_ifree change only when a transaction commits, and
	 * m_fdblocks_avail is sb_fdblocks less what running transactions
	 * have reserved.  m_sb_dirty: the counters must be written to the
	 * primary superblock at unmount (lazy superblock counters).
	 */
	pthread_mutex_t		m_sb_lock;
	int64_t			m_fdblocks_avail;
	uint64_t		m_alloc_set_aside; /* never reservable (AGFLs) */
	bool			m_sb_dirty;
	uint32_t		m_agirotor;	/* AG for the next new directory
						   (xfs_ialloc.c, m_sb_lock) */
};

#define XFS_FEAT_TEST(name, bit)					\
static inline bool xfs_has_##name(const struct xfs_mount *mp)	\
{								\
	return (mp->m_features & (bit)) != 0;			\
}
XFS_FEAT_TEST(crc, XFS_FEAT_CRC)
XFS_FEAT_TEST(finobt, XFS_FEAT_FINOBT)
XFS_FEAT_TEST(rmapbt, XFS_FEAT_RMAPBT)
XFS_FEAT_TEST(reflink, XFS_FEAT_REFLINK)
XFS_FEAT_TEST(inobtcounts, XFS_FEAT_INOBTCNT)
XFS_FEAT_TEST(ftype, XFS_FEAT_FTYPE)
XFS_FEAT_TEST(sparseinodes, XFS_FEAT_SPINODES)
XFS_FEAT_TEST(metauuid, XFS_FEAT_META_UUID)
XFS_FEAT_TEST(bigtime, XFS_FEAT_BIGTIME)
XFS_FEAT_TEST(needsrepair, XFS_FEAT_NEEDSREPAIR)
XFS_FEAT_TEST(large_extent_counts, XFS_FEAT_NREXT64)
XFS_FEAT_TEST(lazysbcount, XFS_FEAT_LAZYSBCOUNT)
XFS_FEAT_TEST(attr2, XFS_FEAT_ATTR2)
XFS_FEAT_TEST(projid32, XFS_FEAT_PROJID32)
XFS_FEAT_TEST(quota, XFS_FEAT_QUOTA)
XFS_FEAT_TEST(align, XFS_FEAT_ALIGN)
XFS_FEAT_TEST(dalign, XFS_FEAT_DALIGN)
XFS_FEAT_TEST(logv2, XFS_FEAT_LOGV2)
XFS_FEAT_TEST(sector, XFS_FEAT_SECTOR)
XFS_FEAT_TEST(asciici, XFS_FEAT_ASCIICI)
XFS_FEAT_TEST(realtime, XFS_FEAT_REALTIME)
XFS_FEAT_TEST(extlog, XFS_FEAT_EXTLOG)
#undef XFS_FEAT_TEST

/* Feature bits implied by a decoded superblock. */
uint64_t libxfs_sb_features(const struct xfs_sb *sb);

/*
 * Compute every derived field of mp from mp->m_sb (which must have passed
 * libxfs_sb_validate, or at least its basic size checks).  Returns 0 or
 * -EFSCORRUPTED when the geometry is unusable.
 */
int libxfs_mount_geometry(struct xfs_mount *mp);

/*
 * Mount: open path (read-only with LIBXFS_MOUNT_RDONLY), read and verify
 * the primary superblock, compute the geometry and set up the buffer
 * cache.  Errors: the device's errno, -EOPNOTSUPP for V4 filesystems or
 * unknown incompatible features, -EROFS for unknown read-only-compatible
 * features without RDONLY, -EFSCORRUPTED / -EFSBADCRC for a bad primary
 * superblock (unless LIBXFS_MOUNT_FORCE and the geometry is still usable).
 */
int libxfs_mount(const char *path, unsigned int flags,
		 struct xfs_mount **mpp);

/*
 * Same, over devices the caller opened (for instance a fault-injecting
 * wrapper).  logdev is the external log device or NULL.  On success the
 * mount owns the devices and closes them at unmount; on failure the
 * caller still owns them.
 */
int libxfs_mount_dev(struct libxfs_dev *ddev, struct libxfs_dev *logdev,
		     unsigned int flags, struct xfs_mount **mpp);

/* Flush dirty buffers, free the caches, close the devices. */
int libxfs_umount(struct xfs_mount *mp);

/* Blocks in AG agno (the last AG may be short); 0 if agno is out of range. */
uint32_t libxfs_ag_block_count(const struct xfs_mount *mp, uint32_t agno);

/* daddr of sector `sector` of AG agno. */
uint64_t libxfs_ag_daddr(const struct xfs_mount *mp, uint32_t agno,
			 unsigned int sector);

/* Address conversions with the mount's geometry. */
static inline uint64_t xfs_mp_fsb_to_daddr(const struct xfs_mount *mp,
					   uint64_t fsbno)
{
	return xfs_fsbno_to_daddr(mp->m_sb.sb_blocklog, mp->m_sb.sb_agblklog,
				  mp->m_sb.sb_agblocks, fsbno);
}

static inline uint64_t xfs_mp_agbno_to_daddr(const struct xfs_mount *mp,
					     uint32_t agno, uint32_t agbno)
{
	return xfs_agbno_to_daddr(mp->m_sb.sb_blocklog, mp->m_sb.sb_agblocks,
				  agno, agbno);
}

static inline unsigned int xfs_mp_fsb_to_bb(const struct xfs_mount *mp,
					    unsigned int blocks)
{
	return blocks << mp->m_blkbb_log;
}

/*
 * Validity of addresses against the geometry: AG numbers below
 * sb_agcount, AG blocks inside that AG, inode numbers whose AG, block and
 * offset fit.
 */
bool libxfs_verify_agno(const struct xfs_mount *mp, uint32_t agno);
bool libxfs_verify_agbno(const struct xfs_mount *mp, uint32_t agno,
			 uint32_t agbno);
bool libxfs_verify_fsbno(const struct xfs_mount *mp, uint64_t fsbno);
bool libxfs_verify_agino(const struct xfs_mount *mp, uint32_t agno,
			 uint32_t agino);
bool libxfs_verify_ino(const struct xfs_mount *mp, uint64_t ino);

/*
 * AG header reads, verified (flags as for libxfs_buf_read; with
 * LIBXFS_BUF_SALVAGE a failing header is returned with b_error set).
 * -EINVAL for an AG number out of range.
 */
int libxfs_read_agf(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		    struct xfs_buf **bpp);
int libxfs_read_agi(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		    struct xfs_buf **bpp);
int libxfs_read_agfl(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		     struct xfs_buf **bpp);

/* Superblock of AG agno (0 = primary), one sector, verified. */
int libxfs_read_sb(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		   struct xfs_buf **bpp);

/*
 * Is the log clean?  Finds the head of the log and looks at the last
 * record: 1 if it is an unmount record (or the log was never written),
 * 0 if the log holds transactions to replay, negative errno if it cannot
 * be read or makes no sense.
 */
int libxfs_log_is_clean(struct xfs_mount *mp);

/* Where the log head is and what the last record says. */
struct xfs_log_state {
	uint32_t	head_blk;	/* BB offset in the log of the head */
	uint32_t	head_cycle;	/* cycle of the last written block */
	uint32_t	last_rec_blk;	/* BB offset of the last record header */
	uint64_t	last_rec_lsn;
	uint64_t	tail_lsn;	/* from the last record */
	bool		zeroed;		/* log never written (all cycle 0) */
	bool		clean;		/* last record is an unmount record */
};
int libxfs_log_find_head(struct xfs_mount *mp, struct xfs_log_state *state);

#endif /* XFS_MOUNT_H_ */
