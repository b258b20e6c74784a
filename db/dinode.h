/*
 * db/dinode.h: reading on-disk inodes in place, for the whole-filesystem
 * scans (frag, blockget): the bounds of each fork inside the inode and
 * the walk over the inode chunks of an inobt record, one cluster buffer
 * at a time, as the reference reads them.
 */
#ifndef DB_DINODE_H_
#define DB_DINODE_H_

#include "db/db.h"

/* One fork of an on-disk inode, cut to the inode's bounds. */
struct db_dfork {
	const uint8_t	*ptr;		/* start of the fork */
	unsigned int	size;		/* bytes, never past the inode */
	uint8_t		format;		/* XFS_DINODE_FMT_* as stored */
	uint64_t	nextents;	/* extent count from the core */
};

void db_dinode_fork(const struct db_ctx *ctx, const struct xfs_dinode *dip,
		    int whichfork, struct db_dfork *f);

/*
 * Inode chunk walk: for an inobt record (startino, holemask as stored --
 * 0 without sparse inodes -- and free mask), read each cluster buffer that
 * is not a hole and call fn for every inode in it.  isfree is the record's
 * free bit.  fn returns non-zero to stop.  cluster_fn, when set, is called
 * first for every buffer read (agbno, blocks) -- before its inodes.
 */
struct db_chunk_walk {
	uint32_t	agno;
	uint32_t	startino;	/* agino */
	uint16_t	holemask;
	uint64_t	freemask;
	/* Called per buffer before its inodes; NULL to skip. */
	void		(*cluster_fn)(struct db_ctx *ctx,
				      struct db_chunk_walk *w,
				      uint32_t agbno, unsigned int blocks,
				      bool readable);
	/* Called per inode (free ones too when want_free). */
	int		(*inode_fn)(struct db_ctx *ctx,
				    struct db_chunk_walk *w, uint32_t agino,
				    struct xfs_dinode *dip, bool isfree);
	bool		want_free;
	void		*priv;
};

int db_walk_chunk(struct db_ctx *ctx, struct db_chunk_walk *w);

/* Is bit i (0..63) of the record's holemask a hole?  */
static inline bool db_chunk_is_hole(uint16_t holemask, unsigned int i)
{
	return (holemask >> (i / XFS_INODES_PER_HOLEMASK_BIT)) & 1;
}

/* Decode a bmbt record (16 bytes, big-endian). */
static inline void db_bmbt_get(const uint8_t *rec, uint64_t *startoff,
			       uint64_t *startblock, uint32_t *blockcount,
			       bool *unwritten)
{
	uint64_t l0 = get_unaligned_be64(rec);
	uint64_t l1 = get_unaligned_be64(rec + 8);

	*unwritten = l0 >> 63;
	*startoff = (l0 >> 9) & XFS_BMBT_MAX_STARTOFF;
	*startblock = ((l0 & 0x1ffULL) << 43) | (l1 >> 21);
	*blockcount = (uint32_t)(l1 & XFS_BMBT_MAX_BLOCKCOUNT);
}

#endif /* DB_DINODE_H_ */
