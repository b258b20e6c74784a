/*
 * xfs_inode_write.c: inodes that change -- reading one through a
 * transaction with its forks in buffers of their own, encoding the
 * in-core inode back into its cluster buffer slot, and the time and
 * generation numbers new inodes take.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_trans.h"
#include "xfs_inode.h"
#include "xfs_inode_write.h"

/* ---- fork buffers ---- */

int libxfs_ifork_realloc(struct xfs_inode *ip, int whichfork,
			 unsigned int size)
{
	struct xfs_ifork *ifp = xfs_ifork_ptr(ip, whichfork);
	unsigned int keep = ifp->if_data ? ifp->if_size : 0;
	void *p;

	if (keep > size) {
		keep = size;
	}
	// Never a zero-byte malloc: a NULL if_data means "no data".
	p = calloc(1, size ? size : 1);
	if (!p) {
		return -ENOMEM;
	}
	if (keep) {
		memcpy(p, ifp->if_data, keep);
	}
	if (xfs_ifork_data_is_heap(ip, ifp)) {
		free(ifp->if_data);
	}
	ifp->if_data = p;
	ifp->if_size = size;
	return 0;
}

static unsigned int inode_litino(const struct xfs_inode *ip)
{
	return xfs_dinode_litsize(ip->i_mount->m_sb.sb_inodesize,
				  XFS_DINODE_VERSION_V3);
}

unsigned int libxfs_inode_data_fork_size(const struct xfs_inode *ip)
{
	if (ip->i_forkoff) {
		return (unsigned int)ip->i_forkoff << XFS_DINODE_FORKOFF_SHIFT;
	}
	return inode_litino(ip);
}

unsigned int libxfs_inode_attr_fork_size(const struct xfs_inode *ip)
{
	if (!ip->i_forkoff) {
		return 0;
	}
	return inode_litino(ip) -
	       ((unsigned int)ip->i_forkoff << XFS_DINODE_FORKOFF_SHIFT);
}

/* Bytes of a fork in use, as read from the inode (see the header). */
static unsigned int ifork_used_bytes(const struct xfs_inode *ip,
				     const struct xfs_ifork *ifp,
				     int whichfork)
{
	unsigned int used = ifp->if_size;

	switch (ifp->if_format) {
	case XFS_DINODE_FMT_DEV:
		used = sizeof(uint32_t);
		break;
	case XFS_DINODE_FMT_LOCAL:
		if (whichfork == XFS_DATA_FORK) {
			used = ip->i_size < ifp->if_size ?
			       (unsigned int)ip->i_size : ifp->if_size;
		} else if (ifp->if_size >= sizeof(struct xfs_attr_sf_hdr)) {
			const struct xfs_attr_sf_hdr *hdr = ifp->if_data;

			used = be16_to_cpu(hdr->totsize);
		}
		break;
	case XFS_DINODE_FMT_EXTENTS:
		if (ifp->if_nextents <= ifp->if_size /
		    sizeof(struct xfs_bmbt_rec)) {
			used = (unsigned int)ifp->if_nextents *
			       sizeof(struct xfs_bmbt_rec);
		}
		break;
	default:
		break;
	}
	return used < ifp->if_size ? used : ifp->if_size;
}

/* Give both forks heap buffers trimmed to the bytes in use. */
static int inode_own_forks(struct xfs_inode *ip)
{
	int w, error;

	for (w = XFS_DATA_FORK; w <= XFS_ATTR_FORK; w++) {
		struct xfs_ifork *ifp = xfs_ifork_ptr(ip, w);

		if (w == XFS_ATTR_FORK && !ip->i_forkoff) {
			continue;
		}
		if (xfs_ifork_data_is_heap(ip, ifp)) {
			continue;
		}
		error = libxfs_ifork_realloc(ip, w,
					     ifork_used_bytes(ip, ifp, w));
		if (error) {
			return error;
		}
	}
	return 0;
}

int libxfs_trans_iget(struct xfs_mount *mp, struct xfs_trans *tp,
		      uint64_t ino, struct xfs_inode **ipp)
{
	int error;

	error = xfs_iget_tp(mp, tp, ino, 0, ipp);
	if (error) {
		return error;
	}
	error = inode_own_forks(*ipp);
	if (error) {
		libxfs_irele(*ipp);
		*ipp = NULL;
	}
	return error;
}

/* ---- encoding ---- */

/* Check that both forks fit the sizes i_forkoff gives them. */
static int inode_check_fit(const struct xfs_inode *ip)
{
	unsigned int dsize = libxfs_inode_data_fork_size(ip);
	unsigned int asize = libxfs_inode_attr_fork_size(ip);
	const struct xfs_ifork *df = &ip->i_df, *af = &ip->i_af;

	if (ip->i_forkoff &&
	    ((unsigned int)ip->i_forkoff << XFS_DINODE_FORKOFF_SHIFT) >=
	    inode_litino(ip)) {
		return -EINVAL;
	}
	if (df->if_format == XFS_DINODE_FMT_DEV) {
		if (!df->if_data || df->if_size < sizeof(uint32_t)) {
			return -EINVAL;
		}
	} else if (df->if_data && df->if_size > dsize) {
		return -EINVAL;
	}
	if (df->if_format == XFS_DINODE_FMT_EXTENTS &&
	    df->if_nextents * sizeof(struct xfs_bmbt_rec) > dsize) {
		return -EINVAL;
	}
	if (ip->i_forkoff) {
		if (af->if_data && af->if_size > asize) {
			return -EINVAL;
		}
		if (af->if_format == XFS_DINODE_FMT_EXTENTS &&
		    af->if_nextents * sizeof(struct xfs_bmbt_rec) > asize) {
			return -EINVAL;
		}
	}
	return 0;
}

static void encode_core(const struct xfs_inode *ip, struct xfs_dinode *dip)
{
	struct xfs_mount *mp = ip->i_mount;
	bool bigtime = (ip->i_flags2 & XFS_DIFLAG2_BIGTIME) != 0;
	const struct xfs_ifork *af = &ip->i_af;

	dip->di_magic = cpu_to_be16(XFS_DINODE_MAGIC);
	dip->di_mode = cpu_to_be16(ip->i_mode);
	dip->di_version = XFS_DINODE_VERSION_V3;
	dip->di_format = ip->i_df.if_format;
	dip->di_onlink = 0;
	dip->di_uid = cpu_to_be32(ip->i_uid);
	dip->di_gid = cpu_to_be32(ip->i_gid);
	dip->di_nlink = cpu_to_be32(ip->i_nlink);
	dip->di_projid_lo = cpu_to_be16((uint16_t)ip->i_projid);
	dip->di_projid_hi = cpu_to_be16((uint16_t)(ip->i_projid >> 16));
	dip->di_atime = xfs_timestamp_encode(ip->i_atime.sec, ip->i_atime.nsec,
					     bigtime);
	dip->di_mtime = xfs_timestamp_encode(ip->i_mtime.sec, ip->i_mtime.nsec,
					     bigtime);
	dip->di_ctime = xfs_timestamp_encode(ip->i_ctime.sec, ip->i_ctime.nsec,
					     bigtime);
	dip->di_crtime = xfs_timestamp_encode(ip->i_crtime.sec,
					      ip->i_crtime.nsec, bigtime);
	dip->di_size = cpu_to_be64(ip->i_size);
	dip->di_nblocks = cpu_to_be64(ip->i_nblocks);
	dip->di_extsize = cpu_to_be32(ip->i_extsize);
	dip->di_forkoff = ip->i_forkoff;
	// Without an attr fork the format stays what the fork says (the
	// reference leaves "extents" there).
	dip->di_aformat = (int8_t)af->if_format;
	dip->di_dmevmask = 0;
	dip->di_dmstate = 0;
	dip->di_flags = cpu_to_be16(ip->i_flags);
	dip->di_gen = cpu_to_be32(ip->i_gen);
	dip->di_next_unlinked = cpu_to_be32(ip->i_next_unlinked);
	dip->di_changecount = cpu_to_be64(ip->i_changecount);
	dip->di_lsn = cpu_to_be64(ip->i_lsn);
	dip->di_flags2 = cpu_to_be64(ip->i_flags2);
	dip->di_cowextsize = cpu_to_be32(ip->i_cowextsize);
	memset(dip->di_pad2, 0, sizeof(dip->di_pad2));
	dip->di_ino = cpu_to_be64(ip->i_ino);
	memcpy(dip->di_uuid, mp->m_meta_uuid, XFS_UUID_SIZE);
	// After di_flags2: the counters' layout depends on NREXT64.
	xfs_dinode_set_nextents(dip, ip->i_df.if_nextents,
				ip->i_forkoff ?
				(uint32_t)af->if_nextents : 0);
}

static void encode_fork(const struct xfs_ifork *ifp, void *dst,
			unsigned int area)
{
	unsigned int n = 0;

	if (ifp->if_data) {
		n = ifp->if_size < area ? ifp->if_size : area;
		memcpy(dst, ifp->if_data, n);
	}
	memset((char *)dst + n, 0, area - n);
}

int libxfs_trans_log_inode(struct xfs_trans *tp, struct xfs_inode *ip)
{
	struct xfs_mount *mp = ip->i_mount;
	unsigned int isize = mp->m_sb.sb_inodesize;
	struct xfs_dinode *dip;
	struct xfs_buf *bp;
	char *slot;
	int error;

	// i_dinode is about to be rewritten: forks must not point into it.
	error = inode_own_forks(ip);
	if (error) {
		return error;
	}
	error = inode_check_fit(ip);
	if (error) {
		return error;
	}
	if (!ip->i_cluster_bbs) {
		error = xfs_imap_tp(mp, tp, ip->i_ino, &ip->i_cluster_daddr,
				    &ip->i_cluster_bbs,
				    &ip->i_cluster_offset);
		if (error) {
			return error;
		}
	}
	error = xfs_trans_read_buf(mp, tp, ip->i_cluster_daddr,
				   ip->i_cluster_bbs, 0, &xfs_inode_buf_ops,
				   &bp);
	if (error) {
		return error;
	}
	if ((size_t)ip->i_cluster_offset + isize > BBTOB(bp->b_length)) {
		xfs_trans_brelse(tp, bp);
		return -EFSCORRUPTED;
	}
	slot = (char *)bp->b_addr + ip->i_cluster_offset;
	dip = (struct xfs_dinode *)slot;
	encode_core(ip, dip);
	encode_fork(&ip->i_df, slot + XFS_DINODE_CORE_V3_SIZE,
		    libxfs_inode_data_fork_size(ip));
	if (ip->i_forkoff) {
		encode_fork(&ip->i_af, slot + XFS_DINODE_CORE_V3_SIZE +
			    libxfs_inode_data_fork_size(ip),
			    libxfs_inode_attr_fork_size(ip));
	}
	// The CRC is the write verifier's business (at commit).
	dip->di_crc = 0;
	xfs_trans_log_buf(tp, bp, ip->i_cluster_offset,
			  ip->i_cluster_offset + isize - 1);
	if (ip->i_dinode) {
		memcpy(ip->i_dinode, slot, isize);
	}
	ip->i_version = XFS_DINODE_VERSION_V3;
	xfs_trans_brelse(tp, bp);
	return 0;
}

/* ---- time and generation numbers ---- */

void libxfs_current_time(struct xfs_ictime *t)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	struct timespec ts;
	char *end;

	if (s && *s) {
		long long v = strtoll(s, &end, 10);

		if (*end == 0) {
			t->sec = v;
			t->nsec = 0;
			return;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	t->sec = ts.tv_sec;
	t->nsec = (uint32_t)ts.tv_nsec;
}

static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t gen_state;
static bool gen_seeded;

/* splitmix64: a small, well-mixed generator for the fixed sequence. */
static uint64_t gen_next(void)
{
	uint64_t z = (gen_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t libxfs_inode_gen(void)
{
	uint32_t v;

	pthread_mutex_lock(&gen_lock);
	if (!gen_seeded) {
		const char *s = getenv("DETERMINISTIC_SEED");

		if (s && strcmp(s, "1") == 0) {
			gen_state = 1;
		} else if (getrandom(&gen_state, sizeof(gen_state), 0) !=
			   (ssize_t)sizeof(gen_state)) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			gen_state = ((uint64_t)ts.tv_sec << 30) ^
				    (uint64_t)ts.tv_nsec ^
				    ((uint64_t)getpid() << 16);
		}
		gen_seeded = true;
	}
	v = (uint32_t)gen_next();
	pthread_mutex_unlock(&gen_lock);
	return v;
}
