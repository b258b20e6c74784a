/*
 * init.c: mounting and unmounting -- open the devices, read and verify
 * the primary superblock, refuse what we cannot handle (V4, unknown
 * incompatible features), compute the geometry, set up the buffer caches
 * -- and the verified reads of the superblocks and AG headers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"

static void mount_msg(unsigned int flags, const char *name, const char *fmt,
		      ...)
{
	va_list ap;

	if (flags & LIBXFS_MOUNT_QUIET) {
		return;
	}
	fprintf(stderr, "libxfs: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Read the primary superblock: first one basic block to learn the sector
 * size, then the whole sector through the verifier.  On return *sbp holds
 * the decoded superblock; the verifier's verdict is in mp->m_sb_error.
 */
static int mount_read_sb(struct xfs_mount *mp, unsigned int flags)
{
	const char *name = mp->m_ddev->name;
	struct xfs_buf *bp;
	struct xfs_dsb *dsb;
	unsigned int sectsize, version;
	int error;

	error = libxfs_buf_read_uncached(mp->m_ddev_targp, XFS_SB_DADDR, 1, 0,
					 NULL, &bp);
	if (error) {
		mount_msg(flags, name, "cannot read superblock: %s",
			  strerror(-error));
		return error;
	}
	dsb = bp->b_addr;
	if (be32_to_cpu(dsb->sb_magicnum) != XFS_SB_MAGIC) {
		mount_msg(flags, name, "not an XFS filesystem (bad magic)");
		libxfs_buf_relse(bp);
		return -EFSCORRUPTED;
	}
	version = be16_to_cpu(dsb->sb_versionnum) & XFS_SB_VERSION_NUMBITS;
	sectsize = be16_to_cpu(dsb->sb_sectsize);
	libxfs_buf_relse(bp);
	if (version != XFS_SB_VERSION_5) {
		mount_msg(flags, name,
			  "V%u filesystems are not supported, only V5 (crc=1)",
			  version);
		return -EOPNOTSUPP;
	}
	if (sectsize < BBSIZE || sectsize > (1U << XFS_MAX_SECTORSIZE_LOG) ||
	    (sectsize & (sectsize - 1))) {
		mount_msg(flags, name, "bad sector size %u in superblock",
			  sectsize);
		return -EFSCORRUPTED;
	}
	error = libxfs_buf_read_uncached(mp->m_ddev_targp, XFS_SB_DADDR,
					 (unsigned int)BTOBB(sectsize),
					 LIBXFS_BUF_SALVAGE, &xfs_sb_buf_ops,
					 &bp);
	if (error) {
		mount_msg(flags, name, "cannot read superblock: %s",
			  strerror(-error));
		return error;
	}
	libxfs_sb_from_disk(&mp->m_sb, bp->b_addr);
	mp->m_sb_error = bp->b_error;
	mp->m_sb_fail_reason = bp->b_fail_reason;
	libxfs_buf_relse(bp);
	return 0;
}

/* Feature gates: what we refuse even when the sb is otherwise sane. */
static int mount_check_features(struct xfs_mount *mp, unsigned int flags)
{
	const struct xfs_sb *sb = &mp->m_sb;
	const char *name = mp->m_ddev->name;
	uint32_t unknown;

	unknown = sb->sb_features_incompat & ~XFS_SB_FEAT_INCOMPAT_ALL;
	if (unknown) {
		mount_msg(flags, name,
			  "unknown incompatible features (0x%x)", unknown);
		return -EOPNOTSUPP;
	}
	unknown = sb->sb_features_ro_compat & ~XFS_SB_FEAT_RO_COMPAT_ALL;
	if (unknown && !(flags & LIBXFS_MOUNT_RDONLY)) {
		mount_msg(flags, name,
			  "unknown read-only compatible features (0x%x); "
			  "only read-only access is possible", unknown);
		return -EROFS;
	}
	unknown = sb->sb_features_log_incompat & ~XFS_SB_FEAT_INCOMPAT_LOG_ALL;
	if (unknown) {
		mount_msg(flags, name,
			  "unknown log incompatible features (0x%x)", unknown);
	}
	return 0;
}

int libxfs_mount_dev(struct libxfs_dev *ddev, struct libxfs_dev *logdev,
		     unsigned int flags, struct xfs_mount **mpp)
{
	struct xfs_mount *mp;
	const char *name = ddev->name;
	int error;

	*mpp = NULL;
	mp = calloc(1, sizeof(*mp));
	if (!mp) {
		return -ENOMEM;
	}
	mp->m_flags = flags;
	mp->m_ddev = ddev;
	mp->m_logdev = logdev;
	mp->m_fsname = strdup(name);
	if (!mp->m_fsname) {
		error = -ENOMEM;
		goto out_free;
	}
	error = libxfs_buftarg_alloc(ddev, 0, mp, &mp->m_ddev_targp);
	if (error) {
		goto out_free;
	}
	if (logdev) {
		error = libxfs_buftarg_alloc(logdev, 16UL << 20, mp,
					     &mp->m_logdev_targp);
		if (error) {
			goto out_free_targ;
		}
	} else {
		mp->m_logdev_targp = mp->m_ddev_targp;
	}

	error = mount_read_sb(mp, flags);
	if (error) {
		goto out_free_targ;
	}
	if (mp->m_sb_error) {
		mount_msg(flags, name, "primary superblock is %s (%s)%s",
			  mp->m_sb_error == -EFSBADCRC ? "damaged (bad CRC)" :
							 "corrupt",
			  mp->m_sb_fail_reason ? mp->m_sb_fail_reason : "?",
			  (flags & LIBXFS_MOUNT_FORCE) ? ", continuing" : "");
		if (!(flags & LIBXFS_MOUNT_FORCE)) {
			error = mp->m_sb_error;
			goto out_free_targ;
		}
	}
	error = mount_check_features(mp, flags);
	if (error) {
		goto out_free_targ;
	}
	error = libxfs_mount_geometry(mp);
	if (error) {
		mount_msg(flags, name, "superblock geometry is unusable");
		goto out_free_targ;
	}
	if (xfs_has_extlog(mp) && !logdev) {
		mount_msg(flags, name,
			  "filesystem has an external log; no log device given");
	}
	xfs_trans_mount_init(mp);
	// A writable mount may allocate: start the allocation workers.
	if (!ddev->readonly) {
		xfs_alloc_offload_init();
	}
	*mpp = mp;
	return 0;

out_free_targ:
	if (mp->m_logdev_targp && mp->m_logdev_targp != mp->m_ddev_targp) {
		libxfs_buftarg_free(mp->m_logdev_targp);
	}
	libxfs_buftarg_free(mp->m_ddev_targp);
out_free:
	free(mp->m_fsname);
	free(mp);
	return error;
}

int libxfs_mount(const char *path, unsigned int flags, struct xfs_mount **mpp)
{
	struct libxfs_dev *dev;
	int error;

	*mpp = NULL;
	error = libxfs_dev_open(path, (flags & LIBXFS_MOUNT_RDONLY) ?
				LIBXFS_DEV_RDONLY : 0, &dev);
	if (error) {
		mount_msg(flags, path, "cannot open: %s", strerror(-error));
		return error;
	}
	error = libxfs_mount_dev(dev, NULL, flags, mpp);
	if (error) {
		libxfs_dev_close(dev);
	}
	return error;
}

int libxfs_umount(struct xfs_mount *mp)
{
	int error = 0, err;

	if (!mp) {
		return 0;
	}
	if (!mp->m_ddev->readonly) {
		error = xfs_trans_sync_sb(mp);
	}
	if (mp->m_logdev_targp && mp->m_logdev_targp != mp->m_ddev_targp) {
		err = libxfs_buftarg_free(mp->m_logdev_targp);
		if (err && !error) {
			error = err;
		}
	}
	err = libxfs_buftarg_free(mp->m_ddev_targp);
	if (err && !error) {
		error = err;
	}
	err = libxfs_dev_flush(mp->m_ddev);
	if (err && !error) {
		error = err;
	}
	if (mp->m_logdev) {
		err = libxfs_dev_flush(mp->m_logdev);
		if (err && !error) {
			error = err;
		}
		libxfs_dev_close(mp->m_logdev);
	}
	libxfs_dev_close(mp->m_ddev);
	xfs_trans_mount_destroy(mp);
	free(mp->m_fsname);
	free(mp);
	return error;
}

/* ---- AG header reads ---- */

static int read_ag_hdr(struct xfs_mount *mp, uint32_t agno,
		       unsigned int sector, unsigned int flags,
		       const struct xfs_buf_ops *ops, struct xfs_buf **bpp)
{
	*bpp = NULL;
	if (agno >= mp->m_sb.sb_agcount) {
		return -EINVAL;
	}
	return libxfs_buf_read(mp, libxfs_ag_daddr(mp, agno, sector),
			       1U << mp->m_sectbb_log, flags, ops, bpp);
}

int libxfs_read_sb(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		   struct xfs_buf **bpp)
{
	return read_ag_hdr(mp, agno, 0, flags, &xfs_sb_buf_ops, bpp);
}

int libxfs_read_agf(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		    struct xfs_buf **bpp)
{
	return read_ag_hdr(mp, agno, XFS_AGF_SECTOR, flags, &xfs_agf_buf_ops,
			   bpp);
}

int libxfs_read_agi(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		    struct xfs_buf **bpp)
{
	return read_ag_hdr(mp, agno, XFS_AGI_SECTOR, flags, &xfs_agi_buf_ops,
			   bpp);
}

int libxfs_read_agfl(struct xfs_mount *mp, uint32_t agno, unsigned int flags,
		     struct xfs_buf **bpp)
{
	return read_ag_hdr(mp, agno, XFS_AGFL_SECTOR, flags,
			   &xfs_agfl_buf_ops, bpp);
}
