/*
 * xfs_inode_create.c: making a new inode -- a free inode from
 * libxfs_dialloc, an in-core V3 inode built from the caller's
 * attributes (empty extents fork, or the device number for special
 * files), written into its slot through the transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_trans.h"
#include "xfs_inode.h"
#include "xfs_inode_write.h"
#include "xfs_ialloc.h"

static bool mode_is_special(uint16_t mode)
{
	switch (mode & XFS_IFMT) {
	case XFS_IFCHR:
	case XFS_IFBLK:
	case XFS_IFIFO:
	case XFS_IFSOCK:
		return true;
	default:
		return false;
	}
}

static int inode_init(struct xfs_mount *mp, uint64_t ino,
		      const struct xfs_icreate_args *args,
		      struct xfs_inode **ipp)
{
	struct xfs_inode *ip;
	struct xfs_ictime now;

	ip = calloc(1, sizeof(*ip));
	if (!ip) {
		return -ENOMEM;
	}
	ip->i_dinode = calloc(1, mp->m_sb.sb_inodesize);
	if (!ip->i_dinode) {
		free(ip);
		return -ENOMEM;
	}
	ip->i_mount = mp;
	ip->i_ino = ino;
	ip->i_mode = args->mode;
	ip->i_version = XFS_DINODE_VERSION_V3;
	ip->i_uid = args->uid;
	ip->i_gid = args->gid;
	ip->i_nlink = args->nlink;
	ip->i_projid = args->projid;
	ip->i_flags = args->diflags;
	ip->i_flags2 = args->diflags2 & ~(XFS_DIFLAG2_BIGTIME |
					  XFS_DIFLAG2_NREXT64);
	if (xfs_has_bigtime(mp)) {
		ip->i_flags2 |= XFS_DIFLAG2_BIGTIME;
	}
	if (xfs_has_large_extent_counts(mp)) {
		ip->i_flags2 |= XFS_DIFLAG2_NREXT64;
	}
	ip->i_gen = libxfs_inode_gen();
	ip->i_next_unlinked = NULLAGINO;
	// The change counter a new inode shows in the reference's images.
	ip->i_changecount = 2;
	if (args->times_set) {
		ip->i_atime = args->atime;
		ip->i_mtime = args->mtime;
		ip->i_ctime = args->ctime;
		ip->i_crtime = args->crtime;
	} else {
		libxfs_current_time(&now);
		ip->i_atime = ip->i_mtime = ip->i_ctime = ip->i_crtime = now;
	}
	ip->i_af.if_format = XFS_DINODE_FMT_EXTENTS;
	if (mode_is_special(args->mode)) {
		uint32_t dev = cpu_to_be32(args->rdev);

		ip->i_df.if_format = XFS_DINODE_FMT_DEV;
		if (libxfs_ifork_realloc(ip, XFS_DATA_FORK, sizeof(dev))) {
			libxfs_irele(ip);
			return -ENOMEM;
		}
		memcpy(ip->i_df.if_data, &dev, sizeof(dev));
	} else {
		ip->i_df.if_format = XFS_DINODE_FMT_EXTENTS;
	}
	*ipp = ip;
	return 0;
}

int libxfs_inode_create(struct xfs_trans *tp, struct xfs_inode *dp,
			const struct xfs_icreate_args *args,
			struct xfs_inode **ipp)
{
	struct xfs_mount *mp = tp->t_mountp;
	struct xfs_inode *ip;
	uint64_t ino;
	int error;

	*ipp = NULL;
	if (xfs_mode_to_ftype(args->mode) == XFS_DIR3_FT_UNKNOWN) {
		return -EINVAL;
	}
	error = libxfs_dialloc(tp, dp ? dp->i_ino : 0, args->mode, &ino);
	if (error) {
		return error;
	}
	error = inode_init(mp, ino, args, &ip);
	if (error) {
		return error;
	}
	error = libxfs_trans_log_inode(tp, ip);
	if (error) {
		libxfs_irele(ip);
		return error;
	}
	*ipp = ip;
	return 0;
}
