/*
 * xfs_dir2_write_priv.h: libxfs-internal interfaces between the pieces
 * of the directory writer: shortform (xfs_dir2_write_sf.c), data and
 * block-format blocks (xfs_dir2_write_data.c), leaf and node formats
 * (xfs_dir2_write_node.c).
 */
#ifndef LIBXFS_XFS_DIR2_WRITE_PRIV_H_
#define LIBXFS_XFS_DIR2_WRITE_PRIV_H_

#include <stdbool.h>
#include <stdint.h>

#include "xfs_da_write.h"

/* The entry being added. */
struct xfs_dir_wname {
	const uint8_t	*name;
	unsigned int	namelen;
	uint64_t	ino;
	uint8_t		ftype;
	uint32_t	hash;
};

/* Does the filesystem keep file types in entries? */
bool xfs_dir_whas_ftype(const struct xfs_da_wargs *a);

/* Data entry size of a name of namelen bytes. */
unsigned int xfs_dir_wentsize(const struct xfs_da_wargs *a,
			      unsigned int namelen);

/* dataptr of offset off in directory block db. */
uint32_t xfs_dir_wdataptr(const struct xfs_da_wargs *a, uint32_t db,
			  unsigned int off);

/*
 * Turn the shortform directory dp into a block directory (the attribute
 * writer does this when a new attribute fork leaves it no room).
 */
int xfs_dir_wsf_to_block(struct xfs_trans *tp, struct xfs_inode *dp);

/* ---- data and block-format blocks (xfs_dir2_write_data.c) ---- */

/* Write an unused region [off, off + len) into a data block. */
void xfs_dir_wdata_set_unused(uint8_t *base, unsigned int off,
			      unsigned int len);

/*
 * Initialise a new data (or, with block, block-format) block: header,
 * one unused region up to the end (block: up to an empty leaf + tail).
 */
void xfs_dir_wdata_init(struct xfs_da_wargs *a, struct xfs_buf *bp,
			bool block);

/* End of the entry area: the leaf array of a block, else the block end. */
unsigned int xfs_dir_wdata_end(const struct xfs_da_wargs *a,
			       struct xfs_buf *bp);

/* Recompute the best-free table from the unused regions. */
void xfs_dir_wdata_freescan(struct xfs_da_wargs *a, struct xfs_buf *bp);

/* Largest unused region (best_free[0].length). */
unsigned int xfs_dir_wdata_best(struct xfs_buf *bp);

/*
 * Put an entry for n at offset off, the start of an unused region long
 * enough for it; refreshes the best-free table.
 */
void xfs_dir_wdata_put(struct xfs_da_wargs *a, struct xfs_buf *bp,
		       unsigned int off, const struct xfs_dir_wname *n);

/* Is name the same as n's (ASCII case folded on -n version=ci)? */
bool xfs_dir_wname_eq(const struct xfs_da_wargs *a, const uint8_t *name,
		      unsigned int namelen, const struct xfs_dir_wname *n);

/* Does the entry at dataptr addr of bp (block db) carry name n? */
bool xfs_dir_wdata_match(const struct xfs_da_wargs *a, struct xfs_buf *bp,
			 uint32_t addr, const struct xfs_dir_wname *n);

/* Add to a block-format directory (converting to leaf if full). */
int xfs_dir_wblock_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n);

/* ---- leaf and node formats (xfs_dir2_write_node.c) ---- */

int xfs_dir_wleaf_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n);
int xfs_dir_wnode_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n);

/*
 * Insert a leaf entry (hash, address) into the sorted array ents of
 * count entries (room for one more).
 */
void xfs_dir_wleaf_insert(struct xfs_dir2_leaf_entry *ents,
			  unsigned int count, uint32_t hash, uint32_t address);

/* Is there an entry for n among the leaf entries with n's hash? */
int xfs_dir_wleaf_dup(struct xfs_da_wargs *a, struct xfs_buf *dbp,
		      uint32_t dbno, const struct xfs_dir2_leaf_entry *ents,
		      unsigned int count, const struct xfs_dir_wname *n);

/* Grow i_size to cover data block db and log the inode. */
int xfs_dir_wsize_for_db(struct xfs_da_wargs *a, uint32_t db);

#endif /* LIBXFS_XFS_DIR2_WRITE_PRIV_H_ */
