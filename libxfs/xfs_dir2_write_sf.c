/*
 * xfs_dir2_write_sf.c: directory entry creation, front end and
 * shortform part -- an empty shortform directory, adding names to it
 * (switching every inode number to 8 bytes when one needs it), and the
 * conversion to a block-format directory when the entries outgrow the
 * data fork; libxfs_dir_createname dispatches on the directory format.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_inode_write.h"
#include "xfs_dir2_read.h"
#include "xfs_dir2_write.h"
#include "xfs_dir2_write_priv.h"

/* A shortform entry in host form. */
struct sf_ent {
	const uint8_t	*name;
	unsigned int	namelen;
	unsigned int	offset;
	uint8_t		ftype;
	uint64_t	ino;
};

/* Bytes a shortform dir of these entries needs, with 4 or 8-byte inums. */
static unsigned int sf_size(bool ftype, unsigned int i8, const struct sf_ent *e,
			    unsigned int count)
{
	unsigned int size = xfs_dir2_sf_hdr_size(i8), i;

	for (i = 0; i < count; i++) {
		size += xfs_dir2_sf_entsize(ftype, i8, e[i].namelen);
	}
	return size;
}

/* Encode a whole shortform directory into buf. */
static void sf_encode(bool ftype, uint8_t *buf, uint64_t parent,
		      unsigned int i8count, const struct sf_ent *e,
		      unsigned int count)
{
	struct xfs_dir2_sf_hdr *hdr = (void *)buf;
	struct xfs_dir2_sf_entry *sfep;
	unsigned int i;

	hdr->count = (uint8_t)count;
	hdr->i8count = (uint8_t)i8count;
	xfs_dir2_sf_put_parent(hdr, parent);
	sfep = xfs_dir2_sf_firstentry(hdr);
	for (i = 0; i < count; i++) {
		sfep->namelen = (uint8_t)e[i].namelen;
		xfs_dir2_sf_put_offset(sfep, e[i].offset);
		memcpy(sfep->name, e[i].name, e[i].namelen);
		xfs_dir2_sf_put_ftype(ftype, sfep, e[i].ftype);
		xfs_dir2_sf_put_ino(hdr, xfs_dir2_sf_inop(ftype, sfep),
				    e[i].ino);
		sfep = xfs_dir2_sf_nextentry(hdr, ftype, sfep);
	}
}

/* Decode the shortform dir of dp (i_size bytes) into an entry array. */
static int sf_decode(struct xfs_da_wargs *a, void *copy, struct sf_ent **ep,
		     unsigned int *countp, uint64_t *parent,
		     unsigned int *i8countp)
{
	bool ftype = xfs_dir_whas_ftype(a);
	struct xfs_dir2_sf_hdr *hdr = copy;
	struct xfs_dir2_sf_entry *sfep;
	uint64_t size = a->dp->i_size;
	struct sf_ent *e;
	unsigned int i;

	if (size < 6 || size > a->dp->i_df.if_size ||
	    size < xfs_dir2_sf_hdr_size(hdr->i8count)) {
		return -EFSCORRUPTED;
	}
	e = calloc(hdr->count + 1u, sizeof(*e));
	if (!e) {
		return -ENOMEM;
	}
	sfep = xfs_dir2_sf_firstentry(hdr);
	for (i = 0; i < hdr->count; i++) {
		if ((uint8_t *)sfep + 3 > (uint8_t *)hdr + size ||
		    (uint8_t *)sfep + xfs_dir2_sf_entsize(ftype, hdr->i8count,
							  sfep->namelen) >
		    (uint8_t *)hdr + size) {
			free(e);
			return -EFSCORRUPTED;
		}
		e[i].name = sfep->name;
		e[i].namelen = sfep->namelen;
		e[i].offset = xfs_dir2_sf_get_offset(sfep);
		e[i].ftype = xfs_dir2_sf_get_ftype(ftype, sfep);
		e[i].ino = xfs_dir2_sf_get_ino(hdr, xfs_dir2_sf_inop(ftype,
								     sfep));
		sfep = xfs_dir2_sf_nextentry(hdr, ftype, sfep);
	}
	*ep = e;
	*countp = hdr->count;
	*parent = xfs_dir2_sf_get_parent(hdr);
	*i8countp = hdr->i8count;
	return 0;
}

/* Replace the data fork with an encoded shortform dir and log dp. */
static int sf_store(struct xfs_da_wargs *a, uint64_t parent,
		    unsigned int i8count, const struct sf_ent *e,
		    unsigned int count)
{
	bool ftype = xfs_dir_whas_ftype(a);
	unsigned int size = sf_size(ftype, i8count, e, count);
	uint8_t *buf;
	int error;

	buf = malloc(size);
	if (!buf) {
		return -ENOMEM;
	}
	sf_encode(ftype, buf, parent, i8count, e, count);
	error = libxfs_ifork_realloc(a->dp, XFS_DATA_FORK, size);
	if (!error) {
		memcpy(a->dp->i_df.if_data, buf, size);
		a->dp->i_df.if_format = XFS_DINODE_FMT_LOCAL;
		a->dp->i_df.if_nextents = 0;
		a->dp->i_size = size;
		error = libxfs_trans_log_inode(a->tp, a->dp);
	}
	free(buf);
	return error;
}

int libxfs_dir_init(struct xfs_trans *tp, struct xfs_inode *dp,
		    uint64_t parent_ino)
{
	struct xfs_da_wargs a;

	if ((dp->i_mode & XFS_IFMT) != XFS_IFDIR) {
		return -ENOTDIR;
	}
	if (!libxfs_verify_ino(dp->i_mount, parent_ino)) {
		return -EINVAL;
	}
	xfs_da_wargs_init(&a, tp, dp, XFS_DATA_FORK);
	return sf_store(&a, parent_ino, parent_ino > XFS_DIR2_MAX_SHORT_INUM,
			NULL, 0);
}

/*
 * Shortform -> block: "." and ".." and every entry at its recorded
 * offset (gaps stay unused), the leaf array sorted by hash.
 */
static int sf_to_block(struct xfs_da_wargs *a, struct sf_ent *e,
		       unsigned int count, uint64_t parent)
{
	bool ftype = xfs_dir_whas_ftype(a);
	unsigned int blksize = a->geo->blksize, i, off, nleaf = 0, end;
	struct xfs_dir2_block_tail *btp;
	struct xfs_dir2_leaf_entry *lep;
	struct xfs_dir_wname n;
	struct xfs_buf *bp;
	uint8_t *base;
	int error;

	// The data fork becomes an (empty) extent list first.
	error = libxfs_ifork_realloc(a->dp, XFS_DATA_FORK, 0);
	if (error) {
		return error;
	}
	a->dp->i_df.if_format = XFS_DINODE_FMT_EXTENTS;
	a->dp->i_df.if_nextents = 0;
	a->dp->i_size = 0;
	error = xfs_da_wnew(a, 0, &xfs_dir3_block_buf_ops, &bp);
	if (error) {
		return error;
	}
	base = bp->b_addr;
	xfs_dir_wdata_init(a, bp, true);
	btp = xfs_dir2_block_tail_p(base, blksize);
	btp->count = cpu_to_be32(count + 2);
	btp->stale = 0;
	lep = xfs_dir2_block_leaf_p(btp);
	end = (unsigned int)((uint8_t *)lep - base);

	off = XFS_DIR3_DATA_ENTRY_OFFSET;
	for (i = 0; i < count + 2; i++) {
		unsigned int eoff, esz;

		if (i == 0) {
			n.name = (const uint8_t *)".";
			n.namelen = 1;
			n.ino = a->dp->i_ino;
			n.ftype = XFS_DIR3_FT_DIR;
			eoff = xfs_dir3_data_dot_offset();
		} else if (i == 1) {
			n.name = (const uint8_t *)"..";
			n.namelen = 2;
			n.ino = parent;
			n.ftype = XFS_DIR3_FT_DIR;
			eoff = xfs_dir3_data_dotdot_offset(ftype);
		} else {
			n.name = e[i - 2].name;
			n.namelen = e[i - 2].namelen;
			n.ino = e[i - 2].ino;
			n.ftype = e[i - 2].ftype;
			eoff = e[i - 2].offset;
		}
		esz = xfs_dir2_data_entsize(ftype, n.namelen);
		if (eoff < off || eoff % XFS_DIR2_DATA_ALIGN ||
		    eoff + esz > end) {
			xfs_da_wrelse(a, bp);
			return -EFSCORRUPTED;
		}
		// The region from off to the end is unused: carve eoff out.
		if (eoff > off) {
			xfs_dir_wdata_set_unused(base, off, eoff - off);
		}
		xfs_dir_wdata_set_unused(base, eoff, end - eoff);
		n.hash = libxfs_dir_hashname(a->mp, n.name, n.namelen);
		xfs_dir_wdata_put(a, bp, eoff, &n);
		xfs_dir_wleaf_insert(lep, nleaf++, n.hash,
				     xfs_dir_wdataptr(a, 0, eoff));
		off = eoff + esz;
	}
	xfs_dir_wdata_freescan(a, bp);
	xfs_da_wlog(a, bp);
	xfs_da_wrelse(a, bp);
	a->dp->i_size = blksize;
	return libxfs_trans_log_inode(a->tp, a->dp);
}

int xfs_dir_wsf_to_block(struct xfs_trans *tp, struct xfs_inode *dp)
{
	struct xfs_da_wargs a;
	unsigned int count, i8count;
	struct sf_ent *e;
	uint64_t parent;
	void *copy;
	int error;

	xfs_da_wargs_init(&a, tp, dp, XFS_DATA_FORK);
	if (dp->i_df.if_format != XFS_DINODE_FMT_LOCAL || !dp->i_df.if_data ||
	    dp->i_size > dp->i_df.if_size) {
		return -EFSCORRUPTED;
	}
	copy = malloc(dp->i_df.if_size);
	if (!copy) {
		return -ENOMEM;
	}
	memcpy(copy, dp->i_df.if_data, dp->i_df.if_size);
	error = sf_decode(&a, copy, &e, &count, &parent, &i8count);
	if (!error) {
		error = sf_to_block(&a, e, count, parent);
		free(e);
	}
	free(copy);
	return error;
}

static int sf_addname(struct xfs_da_wargs *a, struct xfs_dir_wname *n)
{
	bool ftype = xfs_dir_whas_ftype(a);
	unsigned int count, i8count, i, newi8, off, size;
	struct sf_ent *e;
	uint64_t parent;
	void *copy;
	int error;

	// Decode from a copy: the fork is replaced while entries are used.
	if (!a->dp->i_df.if_data || a->dp->i_size > a->dp->i_df.if_size) {
		return -EFSCORRUPTED;
	}
	copy = malloc(a->dp->i_df.if_size);
	if (!copy) {
		return -ENOMEM;
	}
	memcpy(copy, a->dp->i_df.if_data, a->dp->i_df.if_size);
	error = sf_decode(a, copy, &e, &count, &parent, &i8count);
	if (error) {
		free(copy);
		return error;
	}
	for (i = 0; i < count; i++) {
		if (xfs_dir_wname_eq(a, e[i].name, e[i].namelen, n)) {
			error = -EEXIST;
			goto out;
		}
	}
	off = count ? e[count - 1].offset +
		      xfs_dir2_data_entsize(ftype, e[count - 1].namelen) :
		      xfs_dir3_data_first_offset(ftype);
	e[count].name = n->name;
	e[count].namelen = n->namelen;
	e[count].offset = off;
	e[count].ftype = n->ftype;
	e[count].ino = n->ino;
	newi8 = i8count + (n->ino > XFS_DIR2_MAX_SHORT_INUM);
	size = sf_size(ftype, newi8, e, count + 1);
	// Too big for the fork, too many entries for the count byte, or
	// no room in a block at this offset: go to block format.
	if (size > libxfs_inode_data_fork_size(a->dp) || count + 1 > 255 ||
	    off + xfs_dir2_data_entsize(ftype, n->namelen) +
	    (count + 3) * sizeof(struct xfs_dir2_leaf_entry) +
	    sizeof(struct xfs_dir2_block_tail) > a->geo->blksize) {
		error = sf_to_block(a, e, count, parent);
		if (!error) {
			error = xfs_dir_wblock_addname(a, n);
		}
		goto out;
	}
	error = sf_store(a, parent, newi8, e, count + 1);
out:
	free(e);
	free(copy);
	return error;
}

/*
 * The format of the directory, read through the transaction (the read
 * side's libxfs_dir_format walks a bmbt this transaction may have
 * changed): a free index block makes it node, a leaf block leaf, else
 * it is one block.
 */
static int dir_wformat(struct xfs_da_wargs *a, enum xfs_dir_fmt *fmt)
{
	const struct xfs_da_geometry *geo = a->geo;
	uint64_t daddr;
	int error;

	if ((a->dp->i_mode & XFS_IFMT) != XFS_IFDIR) {
		return -ENOTDIR;
	}
	if (a->dp->i_df.if_format == XFS_DINODE_FMT_LOCAL) {
		*fmt = XFS_DIR_FMT_SF;
		return 0;
	}
	if (a->dp->i_df.if_format != XFS_DINODE_FMT_EXTENTS &&
	    a->dp->i_df.if_format != XFS_DINODE_FMT_BTREE) {
		return -EFSCORRUPTED;
	}
	// Node form always has the free index block of data block 0.
	error = xfs_da_wmap(a, geo->freeblk, &daddr);
	if (!error) {
		*fmt = XFS_DIR_FMT_NODE;
		return 0;
	}
	if (error != -ENOENT) {
		return error;
	}
	error = xfs_da_wmap(a, geo->leafblk, &daddr);
	if (!error) {
		*fmt = XFS_DIR_FMT_LEAF;
		return 0;
	}
	if (error != -ENOENT) {
		return error;
	}
	if (a->dp->i_size != geo->blksize) {
		return -EFSCORRUPTED;
	}
	*fmt = XFS_DIR_FMT_BLOCK;
	return 0;
}

int libxfs_dir_createname(struct xfs_trans *tp, struct xfs_inode *dp,
			  const unsigned char *name, unsigned int namelen,
			  uint64_t ino, uint8_t ftype)
{
	struct xfs_mount *mp = dp->i_mount;
	enum xfs_dir_fmt fmt;
	struct xfs_da_wargs a;
	struct xfs_dir_wname n;
	int error;

	if (namelen == 0 || memchr(name, '/', namelen) ||
	    memchr(name, 0, namelen)) {
		return -EINVAL;
	}
	if (namelen > 255) {
		return -ENAMETOOLONG;
	}
	if ((namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.')) {
		return -EEXIST;
	}
	if (ftype >= XFS_DIR3_FT_MAX || !libxfs_verify_ino(mp, ino)) {
		return -EINVAL;
	}
	xfs_da_wargs_init(&a, tp, dp, XFS_DATA_FORK);
	error = dir_wformat(&a, &fmt);
	if (error) {
		return error;
	}
	n.name = name;
	n.namelen = namelen;
	n.ino = ino;
	n.ftype = xfs_has_ftype(mp) ? ftype : XFS_DIR3_FT_UNKNOWN;
	n.hash = libxfs_dir_hashname(mp, name, namelen);
	switch (fmt) {
	case XFS_DIR_FMT_SF:
		return sf_addname(&a, &n);
	case XFS_DIR_FMT_BLOCK:
		return xfs_dir_wblock_addname(&a, &n);
	case XFS_DIR_FMT_LEAF:
		return xfs_dir_wleaf_addname(&a, &n);
	case XFS_DIR_FMT_NODE:
		return xfs_dir_wnode_addname(&a, &n);
	}
	return -EFSCORRUPTED;
}
