/*
 * mkfs/write.h: the writer stage of mkfs.xfs -- it consumes the
 * validated struct mkfs_geometry and puts the filesystem on disk:
 *
 *   write.c     devices (create / size an image file, discard, zero the
 *               start and end and any old XFS headers), the order of the
 *               steps, the superblock template
 *   write_ag.c  every AG's headers and btree roots, built in memory
 *   write_agfl.c  mounted: each AG's free list filled by the allocator
 *               in the cache, then the AG's region written in one I/O
 *   write_fs.c  mounted: the root inode chunk, the root directory and
 *               the realtime inodes, the final primary superblock
 *
 * Before the mount only the edges are zeroed, the log cleared and the
 * primary superblock written (the mount reads it).
 */
#ifndef MKFS_WRITE_H_
#define MKFS_WRITE_H_

#include "mkfs/mkfs.h"

/* Block numbers inside every AG of the static metadata. */
struct ag_layout {
	uint32_t	hdr_blocks;	/* blocks the four header sectors use */
	uint32_t	bno_root;
	uint32_t	cnt_root;
	uint32_t	ino_root;
	uint32_t	fino_root;	/* 0: no finobt */
	uint32_t	rmap_root;	/* 0: no rmapbt */
	uint32_t	refc_root;	/* 0: no refcountbt */
	uint32_t	prealloc;	/* first block after them */
};

void ag_layout(const struct mkfs_geometry *g, struct ag_layout *l);

/* Length of AG agno (the last one may be short). */
uint32_t ag_length(const struct mkfs_geometry *g, uint32_t agno);

/* Free blocks of AG agno right after the headers are written. */
uint64_t ag_free_blocks(const struct mkfs_geometry *g, uint32_t agno);

/*
 * Build AG agno's header region (ag_layout().prealloc blocks) in region:
 * the superblock (dsb: an encoded struct xfs_dsb, stamped with a CRC
 * here), AGF, AGI, AGFL and the btree roots, every CRC set.
 */
void ag_build_headers(const struct mkfs_geometry *g, const void *dsb,
		      uint32_t agno, uint8_t *region);

/*
 * Callers' steps inside the writer.  populate runs once the root
 * directory exists (its transaction committed), with rootip referenced,
 * before the final counters are written; it prints its own message and
 * returns a negative errno to fail mkfs.  NULL: nothing to add.
 */
struct mkfs_write_hooks {
	int	(*populate)(struct xfs_mount *mp, struct xfs_inode *rootip,
			    void *arg);
	void	*arg;
};

/*
 * write_fs.c: the mounted part.  mp was mounted over the freshly written
 * headers; fills the AGFLs, makes the root directory and the realtime
 * inodes, writes the final primary superblock.  Prints its own message.
 */
enum mkfs_status write_fs_contents(const struct mkfs_geometry *g,
				   struct xfs_mount *mp, const void *dsb,
				   const struct mkfs_write_hooks *hooks);

/*
 * write_agfl.c: every AG's header region (superblock dsb, an encoded
 * struct xfs_dsb), its free list filled by the allocator, one write per
 * AG.  Returns 0 or a negative errno.
 */
int write_ags(struct xfs_mount *mp, const struct mkfs_geometry *g,
	      const void *dsb);

/* Everything: write.c. */
enum mkfs_status write_filesystem(const struct mkfs_cli *cli,
				  const struct mkfs_devices *devs,
				  const struct mkfs_geometry *g,
				  const struct mkfs_write_hooks *hooks);

#endif /* MKFS_WRITE_H_ */
