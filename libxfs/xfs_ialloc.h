/*
 * xfs_ialloc.h: inode allocation -- picking a free inode for a new file
 * (from the free inode btree when there is one, else the inode btree),
 * allocating new inode chunks (full or, with sparse inodes, partial)
 * through the offloaded extent allocator, keeping the inobt, finobt,
 * AGI and superblock inode counters in step, and creating a new inode.
 *
 * AG choice: a new directory goes to the next AG of a per-mount rotor
 * (the first one made after mount to AG 0, the next to AG 1, ...), any
 * other inode to its parent's AG; when that AG has neither a free inode
 * nor room for a chunk the following AGs are tried in order.  Inside an
 * AG the free inode nearest the parent (when the parent lives there and
 * one lies within a few dozen chunk records either way) is taken, else
 * one in the most recently allocated chunk, else the first.
 *
 * Functions return 0 or a negative errno; -ENOSPC means no AG had a free
 * inode or room for a chunk (the transaction may be cancelled cleanly).
 */
#ifndef LIBXFS_XFS_IALLOC_H_
#define LIBXFS_XFS_IALLOC_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"
#include "xfs_inode.h"

struct xfs_mount;
struct xfs_trans;
struct xfs_btree_cur;
struct xfs_btree_ops;

/*
 * Allocate a free inode for a new file of the given mode whose parent
 * is parent_ino (0 or NULLFSINO-like values: no parent, AG 0).  The
 * inode is marked in use in the inode btrees and counted; its on-disk
 * slot is not touched (libxfs_inode_create writes it).
 */
int libxfs_dialloc(struct xfs_trans *tp, uint64_t parent_ino, uint16_t mode,
		   uint64_t *inop);

/*
 * Allocate a full inode chunk exactly at AG block agbno of agno (which
 * must be chunk-aligned): mkfs places the root's chunk where it
 * predicted.  -ENOSPC if those blocks are not free, -EINVAL if agbno is
 * not aligned.
 */
int libxfs_ialloc_chunk_at(struct xfs_trans *tp, uint32_t agno,
			   uint32_t agbno);

/* What a new inode is made of. */
struct xfs_icreate_args {
	uint16_t		mode;		/* type and permissions */
	uint32_t		uid, gid, projid;
	uint32_t		nlink;
	uint32_t		rdev;		/* on-disk device number
						   (xfs_dev_encode) */
	uint16_t		diflags;	/* XFS_DIFLAG_* */
	uint64_t		diflags2;	/* XFS_DIFLAG2_*; BIGTIME and
						   NREXT64 follow the fs */
	struct xfs_ictime	atime, mtime, ctime, crtime;
	bool			times_set;	/* false: all four now */
};

/*
 * Allocate an inode near dp (NULL: the root, or an inode without a
 * parent) and initialise it: V3 core from args, generation from
 * libxfs_inode_gen, data fork in extents format with no extents
 * (devices, fifos, sockets: device format holding rdev), no attr fork.
 * The inode is logged in tp; the caller releases it with libxfs_irele.
 */
int libxfs_inode_create(struct xfs_trans *tp, struct xfs_inode *dp,
			const struct xfs_icreate_args *args,
			struct xfs_inode **ipp);

/* ---- libxfs-internal: AGI and the inode btrees (xfs_ialloc_btree.c) ---- */

/* An inode btree record, host order (count/holemask filled in for
 * filesystems without sparse inodes too: 64 and 0). */
struct xfs_inobt_irec {
	uint32_t	ir_startino;
	uint16_t	ir_holemask;
	uint8_t		ir_count;
	uint8_t		ir_freecount;
	uint64_t	ir_free;
};

void xfs_inobt_get_irec(const struct xfs_mount *mp, const void *disk,
			struct xfs_inobt_irec *irec);
void xfs_inobt_put_irec(const struct xfs_mount *mp,
			const struct xfs_inobt_irec *irec, void *disk);

/* The 64-bit mask of inodes a holemask says are absent. */
uint64_t xfs_inobt_holes_to_mask(uint16_t holemask);

/* Read the AGI of agno through tp; log all of it. */
int xfs_ialloc_read_agi(struct xfs_mount *mp, struct xfs_trans *tp,
			uint32_t agno, struct xfs_buf **bpp);
void xfs_ialloc_log_agi(struct xfs_trans *tp, struct xfs_buf *agbp);

/*
 * An inobt or finobt cursor that can change the tree: blocks from the
 * allocator (owner XFS_RMAP_OWN_INOBT), counted in agi_iblocks /
 * agi_fblocks with the inobtcount feature, root and height in the AGI.
 */
int xfs_inobt_init_cursor(struct xfs_mount *mp, struct xfs_trans *tp,
			  struct xfs_buf *agbp,
			  const struct xfs_btree_ops *ops,
			  struct xfs_btree_cur **curp);

/* Look up the record with ir_startino == startino (*found 0: none). */
int xfs_inobt_lookup_irec(struct xfs_btree_cur *cur, uint32_t startino,
			  struct xfs_inobt_irec *irec, int *found);

#endif /* LIBXFS_XFS_IALLOC_H_ */
