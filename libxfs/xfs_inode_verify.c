/*
 * xfs_inode_verify.c: checks on on-disk inodes -- the inode cluster
 * buffer verifier (every inode's magic, version, CRC, number, uuid and
 * unlinked pointer) and the full dinode check run when an inode is read
 * (mode, fork formats and sizes, extent counts, feature flags).
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"

#define DI_BAD(why)	do { *reason = (why); return -EFSCORRUPTED; } while (0)

/* Checks that hold for every inode slot of an allocated chunk. */
static int dinode_verify_hdr(struct xfs_mount *mp, uint64_t ino,
			     const struct xfs_dinode *dip, bool check_crc,
			     const char **reason)
{
	uint32_t next;

	if (be16_to_cpu(dip->di_magic) != XFS_DINODE_MAGIC) {
		DI_BAD("bad inode magic");
	}
	if (dip->di_version != XFS_DINODE_VERSION_V3) {
		DI_BAD("bad inode version");
	}
	if (check_crc &&
	    !libxfs_verify_cksum(dip, mp->m_sb.sb_inodesize,
				 XFS_DINODE_CRC_OFF)) {
		*reason = "bad inode crc";
		return -EFSBADCRC;
	}
	if (be64_to_cpu(dip->di_ino) != ino) {
		DI_BAD("bad inode number");
	}
	if (!xfs_verify_meta_uuid(mp, dip->di_uuid)) {
		DI_BAD("bad inode uuid");
	}
	next = be32_to_cpu(dip->di_next_unlinked);
	if (next != NULLAGINO &&
	    !libxfs_verify_agino(mp, xfs_ino_to_agno(mp->m_sb.sb_agblklog,
						     mp->m_sb.sb_inopblog, ino),
				 next)) {
		DI_BAD("bad next_unlinked");
	}
	return 0;
}

/* Largest extent count a fork may claim in the given format. */
static uint64_t fork_max_extents(struct xfs_mount *mp,
				 const struct xfs_dinode *dip, int whichfork)
{
	bool big = xfs_dinode_has_nrext64(dip);

	if (whichfork == XFS_DATA_FORK) {
		return big ? XFS_MAX_EXTCNT_DATA_FORK_LARGE :
			     XFS_MAX_EXTCNT_DATA_FORK_SMALL;
	}
	return big ? XFS_MAX_EXTCNT_ATTR_FORK_LARGE :
		     XFS_MAX_EXTCNT_ATTR_FORK_SMALL;
}

static int dinode_verify_fork(struct xfs_mount *mp,
			      const struct xfs_dinode *dip, int whichfork,
			      const char **reason)
{
	unsigned int size = xfs_dfork_size(dip, mp->m_sb.sb_inodesize,
					   whichfork);
	uint64_t nextents = whichfork == XFS_DATA_FORK ?
			    xfs_dinode_nextents(dip) :
			    xfs_dinode_anextents(dip);
	uint16_t mode = be16_to_cpu(dip->di_mode);

	switch (xfs_dfork_format(dip, whichfork)) {
	case XFS_DINODE_FMT_LOCAL:
		if (whichfork == XFS_DATA_FORK) {
			if ((mode & XFS_IFMT) == XFS_IFREG) {
				DI_BAD("regular file in local format");
			}
			if (be64_to_cpu(dip->di_size) > size) {
				DI_BAD("local data larger than its fork");
			}
		}
		if (nextents) {
			DI_BAD("local fork with extents");
		}
		break;
	case XFS_DINODE_FMT_EXTENTS:
		if (nextents > size / sizeof(struct xfs_bmbt_rec)) {
			DI_BAD("more extents than fit in the fork");
		}
		break;
	case XFS_DINODE_FMT_BTREE:
		if (nextents > fork_max_extents(mp, dip, whichfork)) {
			DI_BAD("too many extents");
		}
		if (size < sizeof(struct xfs_bmdr_block)) {
			DI_BAD("btree fork too small");
		}
		break;
	default:
		DI_BAD(whichfork == XFS_DATA_FORK ? "bad data fork format" :
						    "bad attr fork format");
	}
	return 0;
}

static int dinode_verify_forkoff(struct xfs_mount *mp,
				 const struct xfs_dinode *dip,
				 const char **reason)
{
	unsigned int litino = mp->m_litino;

	if (!dip->di_forkoff) {
		return 0;
	}
	switch (dip->di_format) {
	case XFS_DINODE_FMT_DEV:
		// A device number takes 4 bytes, rounded to 8.
		if (dip->di_forkoff != 1) {
			DI_BAD("bad forkoff for a device");
		}
		break;
	case XFS_DINODE_FMT_LOCAL:
	case XFS_DINODE_FMT_EXTENTS:
	case XFS_DINODE_FMT_BTREE:
		if ((unsigned int)dip->di_forkoff >= (litino >> 3)) {
			DI_BAD("forkoff beyond the literal area");
		}
		break;
	default:
		DI_BAD("bad data fork format");
	}
	return 0;
}

int libxfs_dinode_verify(struct xfs_mount *mp, uint64_t ino, const void *buf,
			 bool check_crc, const char **reason)
{
	const struct xfs_dinode *dip = buf;
	uint16_t mode, flags;
	uint64_t flags2, size, nblocks;
	int error;

	*reason = NULL;
	error = dinode_verify_hdr(mp, ino, dip, check_crc, reason);
	if (error) {
		return error;
	}
	mode = be16_to_cpu(dip->di_mode);
	size = be64_to_cpu(dip->di_size);
	nblocks = be64_to_cpu(dip->di_nblocks);
	flags = be16_to_cpu(dip->di_flags);
	flags2 = be64_to_cpu(dip->di_flags2);

	if (size & (1ULL << 63)) {
		DI_BAD("negative size");
	}
	if (mode && xfs_mode_to_ftype(mode) == XFS_DIR3_FT_UNKNOWN) {
		DI_BAD("bad file type");
	}
	if (((mode & XFS_IFMT) == XFS_IFLNK || (mode & XFS_IFMT) == XFS_IFDIR) &&
	    size == 0) {
		DI_BAD("zero-length directory or symlink");
	}
	if (mode && !(flags & XFS_DIFLAG_REALTIME) &&
	    xfs_dinode_nextents(dip) + xfs_dinode_anextents(dip) > nblocks) {
		DI_BAD("more extents than blocks");
	}
	if (mode && (flags & XFS_DIFLAG_REALTIME) && !xfs_has_realtime(mp)) {
		DI_BAD("realtime file without a realtime device");
	}
	if ((flags2 & XFS_DIFLAG2_NREXT64) && !xfs_has_large_extent_counts(mp)) {
		DI_BAD("nrext64 inode without the feature");
	}
	if ((flags2 & XFS_DIFLAG2_BIGTIME) && !xfs_has_bigtime(mp)) {
		DI_BAD("bigtime inode without the feature");
	}
	if (flags2 & ~XFS_DIFLAG2_ANY) {
		DI_BAD("unknown flags2 bits");
	}
	if ((flags2 & (XFS_DIFLAG2_REFLINK | XFS_DIFLAG2_COWEXTSIZE)) &&
	    !xfs_has_reflink(mp)) {
		DI_BAD("reflink flags without the feature");
	}
	if ((flags2 & XFS_DIFLAG2_REFLINK) && (mode & XFS_IFMT) != XFS_IFREG) {
		DI_BAD("reflink flag on a non-regular file");
	}
	if ((flags2 & XFS_DIFLAG2_REFLINK) && (flags & XFS_DIFLAG_REALTIME)) {
		DI_BAD("reflink and realtime together");
	}
	error = dinode_verify_forkoff(mp, dip, reason);
	if (error) {
		return error;
	}
	switch (mode & XFS_IFMT) {
	case XFS_IFIFO:
	case XFS_IFCHR:
	case XFS_IFBLK:
	case XFS_IFSOCK:
		if (dip->di_format != XFS_DINODE_FMT_DEV) {
			DI_BAD("special file not in device format");
		}
		break;
	case XFS_IFREG:
	case XFS_IFLNK:
	case XFS_IFDIR:
		error = dinode_verify_fork(mp, dip, XFS_DATA_FORK, reason);
		if (error) {
			return error;
		}
		break;
	default:
		break;	/* mode 0: a free inode */
	}
	if (dip->di_forkoff) {
		error = dinode_verify_fork(mp, dip, XFS_ATTR_FORK, reason);
		if (error) {
			return error;
		}
	} else {
		// No attr fork: aformat is 0 (never used) or extents (freed).
		if (dip->di_aformat != 0 &&
		    dip->di_aformat != XFS_DINODE_FMT_EXTENTS) {
			DI_BAD("attr format without an attr fork");
		}
		if (xfs_dinode_anextents(dip)) {
			DI_BAD("attr extents without an attr fork");
		}
	}
	return 0;
}

/* ---- inode cluster buffers ---- */

static int inode_buf_verify(struct xfs_buf *bp, bool check_crc)
{
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length);
	unsigned int inodesize, ni, i, first;
	uint32_t agno, agbno, agino;
	const char *reason = NULL;
	int error;

	if (!mp) {
		return 0;
	}
	inodesize = mp->m_sb.sb_inodesize;
	if (len < inodesize || len % inodesize) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "buffer is not whole inodes");
	}
	if (!xfs_buf_daddr_to_agbno(bp, &agno, &agbno)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED,
				    "buffer beyond the data device");
	}
	// Index of the first inode of the buffer within its fs block.
	first = (unsigned int)(BBTOB(bp->b_daddr &
				     ((1U << mp->m_blkbb_log) - 1)) >>
			       mp->m_sb.sb_inodelog);
	ni = (unsigned int)(len >> mp->m_sb.sb_inodelog);
	for (i = 0; i < ni; i++) {
		const struct xfs_dinode *dip = (const struct xfs_dinode *)
			((const char *)bp->b_addr + (size_t)i * inodesize);
		uint64_t ino;

		agino = (agbno << mp->m_sb.sb_inopblog) + first + i;
		ino = xfs_agino_to_ino(mp->m_sb.sb_agblklog,
				       mp->m_sb.sb_inopblog, agno, agino);
		error = dinode_verify_hdr(mp, ino, dip, check_crc, &reason);
		if (error) {
			return xfs_buf_fail(bp, error, reason);
		}
	}
	return 0;
}

static int xfs_inode_buf_read_verify(struct xfs_buf *bp)
{
	return inode_buf_verify(bp, true);
}

static int xfs_inode_buf_write_verify(struct xfs_buf *bp)
{
	struct xfs_mount *mp = bp->b_mount;
	size_t len = (size_t)BBTOB(bp->b_length), off;
	int error = inode_buf_verify(bp, false);

	if (error || !mp) {
		return error;
	}
	for (off = 0; off + mp->m_sb.sb_inodesize <= len;
	     off += mp->m_sb.sb_inodesize) {
		libxfs_update_cksum((char *)bp->b_addr + off,
				    mp->m_sb.sb_inodesize, XFS_DINODE_CRC_OFF);
	}
	return 0;
}

const struct xfs_buf_ops xfs_inode_buf_ops = {
	.name		= "inode",
	.magic		= { XFS_DINODE_MAGIC, XFS_DINODE_MAGIC },
	.verify_read	= xfs_inode_buf_read_verify,
	.verify_write	= xfs_inode_buf_write_verify,
};
