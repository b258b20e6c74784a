/*
 * xfs_inode.h: read-only in-core inodes.  libxfs_iget locates an inode's
 * cluster, verifies the on-disk inode, decodes its core into host order
 * and copies its two forks; libxfs_bmap_walk lists the extents of a fork
 * whatever its format (extents in the inode, or a bmbt).
 */
#ifndef LIBXFS_XFS_INODE_H_
#define LIBXFS_XFS_INODE_H_

#include <stdbool.h>
#include <stdint.h>

struct xfs_mount;

/* A timestamp in host form. */
struct xfs_ictime {
	int64_t		sec;
	uint32_t	nsec;
};

/* One fork of an inode, as found in the inode's literal area. */
struct xfs_ifork {
	uint8_t		if_format;	/* XFS_DINODE_FMT_* */
	uint64_t	if_nextents;	/* extents claimed by the core */
	unsigned int	if_size;	/* bytes of the fork in the inode */
	void		*if_data;	/* copy of those bytes (NULL if none) */
};

struct xfs_inode {
	struct xfs_mount	*i_mount;
	uint64_t		i_ino;

	/* The core, host order. */
	uint16_t		i_mode;
	uint8_t			i_version;
	uint32_t		i_uid;
	uint32_t		i_gid;
	uint32_t		i_nlink;
	uint32_t		i_projid;
	uint64_t		i_size;
	uint64_t		i_nblocks;
	uint32_t		i_extsize;
	uint32_t		i_cowextsize;
	uint8_t			i_forkoff;	/* 8-byte units, 0 = no attr fork */
	uint16_t		i_flags;	/* XFS_DIFLAG_* */
	uint64_t		i_flags2;	/* XFS_DIFLAG2_* */
	uint32_t		i_gen;
	uint32_t		i_next_unlinked;
	uint64_t		i_changecount;
	uint64_t		i_lsn;
	struct xfs_ictime	i_atime;
	struct xfs_ictime	i_mtime;
	struct xfs_ictime	i_ctime;
	struct xfs_ictime	i_crtime;

	struct xfs_ifork	i_df;		/* data fork */
	struct xfs_ifork	i_af;		/* attr fork (if_size 0 if none) */

	/* Where it lives. */
	uint64_t		i_cluster_daddr; /* its cluster buffer */
	unsigned int		i_cluster_bbs;
	unsigned int		i_cluster_offset; /* byte offset in the cluster */
	void			*i_dinode;	/* copy of the on-disk inode */
};

/* Flags for libxfs_iget. */
#define LIBXFS_IGET_UNTRUSTED	(1U << 0)	/* check the inobt says the
						   inode is allocated */

/*
 * Read inode ino.  Errors: -EINVAL for an inode number outside the
 * filesystem, -ENOENT for a free inode (mode 0, or not allocated in the
 * inobt with LIBXFS_IGET_UNTRUSTED), -EFSCORRUPTED / -EFSBADCRC when the
 * on-disk inode fails its checks, -EIO on read errors.
 */
int libxfs_iget(struct xfs_mount *mp, uint64_t ino, unsigned int flags,
		struct xfs_inode **ipp);
/* Free the in-core inode (and fork buffers it owns, see xfs_inode_write.h). */
void libxfs_irele(struct xfs_inode *ip);

/*
 * Where inode ino lives: its cluster buffer (daddr, length in BBs) and
 * the byte offset of the inode inside it.  Uses the inobt when the
 * filesystem has no inode chunk alignment.
 */
int libxfs_imap(struct xfs_mount *mp, uint64_t ino, uint64_t *daddr,
		unsigned int *bbs, unsigned int *offset);

static inline struct xfs_ifork *xfs_ifork_ptr(struct xfs_inode *ip,
					      int whichfork)
{
	return whichfork == 0 ? &ip->i_df : &ip->i_af;
}

/* An extent of a file, host form. */
struct xfs_bmbt_irec {
	uint64_t	br_startoff;	/* file block */
	uint64_t	br_startblock;	/* fs block */
	uint64_t	br_blockcount;
	bool		br_unwritten;
};

void libxfs_bmbt_disk_get(const void *disk_rec, struct xfs_bmbt_irec *irec);

/*
 * Call fn on every extent of a fork in file-offset order (extents or btree
 * format; -EINVAL for other formats).  Each extent is checked: inside the
 * filesystem, not overlapping the previous one, offsets increasing; and
 * the count must match the core's.  A non-zero return from fn stops the
 * walk and is returned.
 */
typedef int (*xfs_bmap_fn)(struct xfs_inode *ip, int whichfork,
			   const struct xfs_bmbt_irec *irec, void *priv);
int libxfs_bmap_walk(struct xfs_inode *ip, int whichfork, xfs_bmap_fn fn,
		     void *priv);

/* ---- libxfs-internal: the same through a transaction (tp may be NULL) ---- */

struct xfs_trans;
int xfs_imap_tp(struct xfs_mount *mp, struct xfs_trans *tp, uint64_t ino,
		uint64_t *daddr, unsigned int *bbs, unsigned int *offset);
int xfs_iget_tp(struct xfs_mount *mp, struct xfs_trans *tp, uint64_t ino,
		unsigned int flags, struct xfs_inode **ipp);
/* Is the fork's if_data a heap buffer (freed by libxfs_irele)? */
bool xfs_ifork_data_is_heap(const struct xfs_inode *ip,
			    const struct xfs_ifork *ifp);

#endif /* LIBXFS_XFS_INODE_H_ */
