/*
 * xfs_symlink_write.c: symlink targets -- inline (local data fork) or
 * remote (at most XFS_SYMLINK_MAPS extents, one XSLM header at the start
 * of each, the rest of the extent holding the next piece of the target).
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_bmap_write.h"
#include "xfs_inode_write.h"
#include "xfs_symlink_write.h"

static int symlink_remote(struct xfs_trans *tp, struct xfs_inode *ip,
			  const char *target, unsigned int len)
{
	struct xfs_mount *mp = ip->i_mount;
	struct xfs_bmbt_irec maps[XFS_SYMLINK_MAPS];
	unsigned int space = xfs_symlink_buf_space(mp->m_sb.sb_blocksize);
	unsigned int blocks = (len + space - 1) / space, done = 0;
	int nmap = XFS_SYMLINK_MAPS, i, error;

	error = libxfs_bmapi_write(tp, ip, 0, blocks, XFS_BMAPI_METADATA, maps,
				   &nmap);
	if (error) {
		return error;
	}
	for (i = 0; i < nmap && done < len; i++) {
		struct xfs_dsymlink_hdr *dsl;
		struct xfs_buf *bp;
		unsigned int bytes, cap;

		if (xfs_bmap_is_hole(&maps[i])) {
			return -ENOSPC;
		}
		cap = (unsigned int)(maps[i].br_blockcount <<
				     mp->m_sb.sb_blocklog) - sizeof(*dsl);
		bytes = len - done < cap ? len - done : cap;
		error = xfs_trans_get_buf(tp,
				xfs_mp_fsb_to_daddr(mp, maps[i].br_startblock),
				xfs_mp_fsb_to_bb(mp,
					(unsigned int)maps[i].br_blockcount),
				&xfs_symlink_buf_ops, &bp);
		if (error) {
			return error;
		}
		memset(bp->b_addr, 0, BBTOB(bp->b_length));
		dsl = bp->b_addr;
		dsl->sl_magic = cpu_to_be32(XFS_SYMLINK_MAGIC);
		dsl->sl_offset = cpu_to_be32(done);
		dsl->sl_bytes = cpu_to_be32(bytes);
		memcpy(dsl->sl_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
		dsl->sl_owner = cpu_to_be64(ip->i_ino);
		dsl->sl_blkno = cpu_to_be64(bp->b_daddr);
		memcpy(dsl + 1, target + done, bytes);
		bp->b_ops = &xfs_symlink_buf_ops;
		xfs_trans_log_buf(tp, bp, 0,
				  (unsigned int)BBTOB(bp->b_length) - 1);
		xfs_trans_brelse(tp, bp);
		done += bytes;
	}
	return done == len ? 0 : -ENOSPC;
}

int xfs_symlink_wlocal_to_remote(struct xfs_trans *tp, struct xfs_inode *ip)
{
	unsigned int len = (unsigned int)ip->i_size;
	char target[XFS_SYMLINK_MAXLEN];
	int error;

	if (ip->i_df.if_format != XFS_DINODE_FMT_LOCAL || !ip->i_df.if_data ||
	    len == 0 || len >= XFS_SYMLINK_MAXLEN || len > ip->i_df.if_size) {
		return -EFSCORRUPTED;
	}
	memcpy(target, ip->i_df.if_data, len);
	error = libxfs_ifork_realloc(ip, XFS_DATA_FORK, 0);
	if (error) {
		return error;
	}
	ip->i_df.if_format = XFS_DINODE_FMT_EXTENTS;
	ip->i_df.if_nextents = 0;
	error = symlink_remote(tp, ip, target, len);
	return error ? error : libxfs_trans_log_inode(tp, ip);
}

int libxfs_symlink_write(struct xfs_trans *tp, struct xfs_inode *ip,
			 const char *target, unsigned int len)
{
	int error;

	// The kernel and repair take targets shorter than MAXLEN only.
	if (len >= XFS_SYMLINK_MAXLEN) {
		return -ENAMETOOLONG;
	}
	if (len == 0 || memchr(target, 0, len)) {
		return -EINVAL;
	}
	if ((ip->i_mode & XFS_IFMT) != XFS_IFLNK) {
		return -EINVAL;
	}
	if (len <= libxfs_inode_data_fork_size(ip)) {
		error = libxfs_ifork_realloc(ip, XFS_DATA_FORK, len);
		if (error) {
			return error;
		}
		memcpy(ip->i_df.if_data, target, len);
		ip->i_df.if_format = XFS_DINODE_FMT_LOCAL;
		ip->i_df.if_nextents = 0;
	} else {
		ip->i_df.if_format = XFS_DINODE_FMT_EXTENTS;
		ip->i_df.if_nextents = 0;
		ip->i_df.if_size = 0;
		error = symlink_remote(tp, ip, target, len);
		if (error) {
			return error;
		}
	}
	ip->i_size = len;
	return libxfs_trans_log_inode(tp, ip);
}
