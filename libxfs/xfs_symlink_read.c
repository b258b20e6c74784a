/*
 * xfs_symlink_read.c: read-only symbolic links.  A short target lives in
 * the inode's data fork; a longer one in at most XFS_SYMLINK_MAPS extents,
 * each read as one buffer that starts with an XSLM header giving the
 * owner, the byte offset of its piece and the piece's length.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_bmap_read.h"
#include "xfs_symlink_read.h"

/* Copy the piece held by one verified remote buffer; returns its length. */
static int remote_piece(struct xfs_inode *ip, struct xfs_buf *bp,
			size_t done, size_t size, char *buf)
{
	const struct xfs_dsymlink_hdr *dsl = bp->b_addr;
	size_t space = (size_t)BBTOB(bp->b_length) - sizeof(*dsl);
	size_t want = size - done < space ? size - done : space;

	if (BBTOB(bp->b_length) <= sizeof(*dsl) ||
	    be32_to_cpu(dsl->sl_magic) != XFS_SYMLINK_MAGIC ||
	    be64_to_cpu(dsl->sl_owner) != ip->i_ino ||
	    be32_to_cpu(dsl->sl_offset) != done ||
	    be32_to_cpu(dsl->sl_bytes) != want) {
		return -EFSCORRUPTED;
	}
	memcpy(buf + done, dsl + 1, want);
	return (int)want;
}

static int readlink_remote(struct xfs_mount *mp, struct xfs_inode *ip,
			   char *buf, size_t size)
{
	struct xfs_bmbt_irec maps[XFS_SYMLINK_MAPS];
	unsigned int space = xfs_symlink_buf_space(mp->m_sb.sb_blocksize);
	unsigned int nmaps = XFS_SYMLINK_MAPS, i;
	uint64_t fsblocks = (size + space - 1) / space, mapped = 0;
	struct xfs_buf *bp;
	size_t done = 0;
	int ret;

	ret = libxfs_bmapi_read(ip, XFS_DATA_FORK, 0, fsblocks, maps, &nmaps);
	if (ret) {
		return ret == -EINVAL ? -EFSCORRUPTED : ret;
	}
	for (i = 0; i < nmaps; i++) {
		if (xfs_bmap_is_hole(&maps[i]) || maps[i].br_unwritten) {
			return -EFSCORRUPTED;
		}
		mapped += maps[i].br_blockcount;
	}
	if (mapped != fsblocks) {
		return -EFSCORRUPTED;	/* needs more than XFS_SYMLINK_MAPS */
	}
	for (i = 0; i < nmaps && done < size; i++) {
		ret = libxfs_buf_read(mp,
				xfs_mp_fsb_to_daddr(mp, maps[i].br_startblock),
				xfs_mp_fsb_to_bb(mp,
					(unsigned int)maps[i].br_blockcount),
				0, &xfs_symlink_buf_ops, &bp);
		if (ret) {
			return ret;
		}
		ret = remote_piece(ip, bp, done, size, buf);
		libxfs_buf_relse(bp);
		if (ret < 0) {
			return ret;
		}
		done += (size_t)ret;
	}
	return done == size ? 0 : -EFSCORRUPTED;
}

int libxfs_readlink(struct xfs_mount *mp, struct xfs_inode *ip, char *buf,
		    size_t bufsize)
{
	struct xfs_ifork *ifp = &ip->i_df;
	size_t size = ip->i_size;
	int error;

	if ((ip->i_mode & XFS_IFMT) != XFS_IFLNK) {
		return -EINVAL;
	}
	if (size == 0 || size > XFS_SYMLINK_MAXLEN) {
		return -EFSCORRUPTED;
	}
	if (bufsize <= size) {
		return -ERANGE;
	}
	switch (ifp->if_format) {
	case XFS_DINODE_FMT_LOCAL:
		if (!ifp->if_data || size > ifp->if_size) {
			return -EFSCORRUPTED;
		}
		memcpy(buf, ifp->if_data, size);
		break;
	case XFS_DINODE_FMT_EXTENTS:
	case XFS_DINODE_FMT_BTREE:
		error = readlink_remote(mp, ip, buf, size);
		if (error) {
			return error;
		}
		break;
	default:
		return -EFSCORRUPTED;
	}
	if (memchr(buf, 0, size)) {
		return -EFSCORRUPTED;
	}
	buf[size] = 0;
	return (int)size;
}
