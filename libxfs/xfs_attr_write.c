/*
 * xfs_attr_write.c: adding extended attributes, front end and shortform
 * part.  The attribute fork is created at the offset the kernel would
 * give it and, while shortform, its offset moves down into a data fork
 * that leaves room (never past what the data fork holds, and never for
 * a btree data fork once set); when the entries no longer fit, or a
 * name or value is 255 bytes or more, the fork becomes a leaf block.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_inode.h"
#include "xfs_trans.h"
#include "xfs_inode_write.h"
#include "xfs_bmap_write.h"
#include "xfs_attr_write.h"
#include "xfs_attr_write_priv.h"
#include "xfs_dir2_write_priv.h"
#include "xfs_symlink_write.h"

/* Space of an inode-rooted bmbt with n key/pointer pairs. */
#define BMDR_SPACE(n)	(4u + (n) * 16u)
#define MIN_DATA_BTPTRS	3	/* a data fork root keeps room for these */
#define MIN_ATTR_BTPTRS	2	/* an attr fork root keeps room for these */
#define SF_ENT_MAX	255	/* shortform name and value lengths below */

/* Default attribute fork offset (bytes) for a new fork. */
static unsigned int default_attroffset(const struct xfs_mount *mp)
{
	if (mp->m_sb.sb_inodesize == 256) {
		return mp->m_litino - BMDR_SPACE(MIN_ATTR_BTPTRS);
	}
	return BMDR_SPACE(6 * MIN_ATTR_BTPTRS);
}

/* Bytes the data fork holds now (its root, for a btree). */
static unsigned int data_fork_used(const struct xfs_inode *ip)
{
	const struct xfs_ifork *df = &ip->i_df;

	switch (df->if_format) {
	case XFS_DINODE_FMT_DEV:
		return 4;
	case XFS_DINODE_FMT_LOCAL:
		return (unsigned int)ip->i_size;
	case XFS_DINODE_FMT_EXTENTS:
		return (unsigned int)(16 * df->if_nextents);
	case XFS_DINODE_FMT_BTREE:
		if (!df->if_data || df->if_size < 4) {
			return 0;
		}
		return BMDR_SPACE(get_unaligned_be16((uint8_t *)df->if_data +
						     2));
	}
	return 0;
}

/*
 * The attribute fork offset (8-byte units) that gives a shortform fork
 * of `bytes` room, or 0 if no offset does.
 */
static unsigned int sf_bytesfit(const struct xfs_inode *ip, unsigned int bytes)
{
	const struct xfs_mount *mp = ip->i_mount;
	unsigned int litino = mp->m_litino, offset, minoff, maxoff, dsize;

	if (ip->i_forkoff && bytes <= litino - ip->i_forkoff * 8u) {
		return ip->i_forkoff;
	}
	if (bytes > litino) {
		return 0;
	}
	offset = (litino - bytes) >> 3;
	if (ip->i_df.if_format == XFS_DINODE_FMT_DEV) {
		return offset >= 1 ? 1 : 0;
	}
	dsize = data_fork_used(ip);
	if (ip->i_df.if_format == XFS_DINODE_FMT_BTREE && ip->i_forkoff) {
		return offset >= ip->i_forkoff ? ip->i_forkoff : 0;
	}
	// A new attr fork may turn a long extent list into a bmbt: then
	// the data fork only needs room for the root.
	if (ip->i_df.if_format == XFS_DINODE_FMT_EXTENTS && !ip->i_forkoff &&
	    dsize > default_attroffset(mp)) {
		dsize = BMDR_SPACE(MIN_DATA_BTPTRS);
	}
	minoff = dsize > BMDR_SPACE(MIN_DATA_BTPTRS) ? dsize :
						       BMDR_SPACE(MIN_DATA_BTPTRS);
	minoff = (minoff + 7) >> 3;
	maxoff = (litino - BMDR_SPACE(MIN_ATTR_BTPTRS)) >> 3;
	if (offset >= maxoff) {
		return maxoff;
	}
	return offset >= minoff ? offset : 0;
}

/*
 * Set the attribute fork offset.  An extent list or bmbt root the new
 * offset leaves too little room for is made to fit (a list becomes a
 * bmbt, a root is relaid out or pushed down a level).
 */
static int set_forkoff(struct xfs_trans *tp, struct xfs_inode *ip,
		       unsigned int forkoff)
{
	uint8_t fmt = ip->i_df.if_format;

	if (forkoff == ip->i_forkoff) {
		return 0;
	}
	if (fmt != XFS_DINODE_FMT_EXTENTS && fmt != XFS_DINODE_FMT_BTREE &&
	    data_fork_used(ip) > forkoff * 8u) {
		return -ENOSPC;
	}
	ip->i_forkoff = (uint8_t)forkoff;
	if (fmt == XFS_DINODE_FMT_EXTENTS || fmt == XFS_DINODE_FMT_BTREE) {
		return libxfs_bmap_fork_fit(tp, ip, XFS_DATA_FORK);
	}
	return 0;
}

/* Decoded shortform entries point into a private copy of the fork. */
static int sf_decode(struct xfs_inode *ip, uint8_t **copyp,
		     struct xfs_attr_wname **ep, unsigned int *np)
{
	struct xfs_attr_sf_hdr *hdr;
	struct xfs_attr_sf_entry *sfe;
	struct xfs_attr_wname *e;
	unsigned int size, i, pos;
	uint8_t *copy;

	if (!ip->i_af.if_data || ip->i_af.if_size < sizeof(*hdr)) {
		return -EFSCORRUPTED;
	}
	size = get_unaligned_be16(ip->i_af.if_data);
	if (size < sizeof(*hdr) || size > ip->i_af.if_size) {
		return -EFSCORRUPTED;
	}
	copy = malloc(size);
	if (!copy) {
		return -ENOMEM;
	}
	memcpy(copy, ip->i_af.if_data, size);
	hdr = (void *)copy;
	e = calloc(hdr->count + 1u, sizeof(*e));
	if (!e) {
		free(copy);
		return -ENOMEM;
	}
	pos = sizeof(*hdr);
	for (i = 0; i < hdr->count; i++) {
		sfe = (void *)(copy + pos);
		if (pos + sizeof(*sfe) > size ||
		    pos + xfs_attr_sf_entsize(sfe) > size) {
			free(e);
			free(copy);
			return -EFSCORRUPTED;
		}
		e[i].ns = sfe->flags & XFS_ATTR_NSP_ONDISK_MASK;
		e[i].name = sfe->nameval;
		e[i].namelen = sfe->namelen;
		e[i].value = sfe->nameval + sfe->namelen;
		e[i].valuelen = sfe->valuelen;
		e[i].hash = xfs_da_hashname(sfe->nameval, sfe->namelen);
		pos += xfs_attr_sf_entsize(sfe);
	}
	*copyp = copy;
	*ep = e;
	*np = hdr->count;
	return 0;
}

/* Shortform -> one leaf block holding the old entries. */
static int sf_to_leaf(struct xfs_da_wargs *a)
{
	struct xfs_inode *ip = a->dp;
	struct xfs_attr_wname *e;
	unsigned int n, def;
	uint8_t *copy;
	int error;

	error = sf_decode(ip, &copy, &e, &n);
	if (error) {
		return error;
	}
	error = libxfs_ifork_realloc(ip, XFS_ATTR_FORK, 0);
	if (error) {
		goto out;
	}
	ip->i_af.if_format = XFS_DINODE_FMT_EXTENTS;
	ip->i_af.if_nextents = 0;
	// A non-local fork needs little room: back to the default offset
	// when the data fork is not a btree and fits in front of it.
	def = default_attroffset(ip->i_mount) >> 3;
	if (ip->i_df.if_format != XFS_DINODE_FMT_BTREE &&
	    data_fork_used(ip) <= def * 8u) {
		ip->i_forkoff = (uint8_t)def;
	}
	error = libxfs_trans_log_inode(a->tp, ip);
	if (!error) {
		error = xfs_attr_wleaf_create(a, e, n);
	}
out:
	free(e);
	free(copy);
	return error;
}

/*
 * Give ip an empty shortform attribute fork sized for `bytes`.  A local
 * data fork the new offset leaves too small moves out of the inode, as
 * the kernel does it: a directory becomes a block, a symlink remote.
 */
static int attr_fork_create(struct xfs_trans *tp, struct xfs_inode *ip,
			    unsigned int bytes)
{
	unsigned int forkoff = sf_bytesfit(ip, bytes);
	int error;

	if (!forkoff) {
		forkoff = default_attroffset(ip->i_mount) >> 3;
	}
	if (ip->i_df.if_format == XFS_DINODE_FMT_LOCAL &&
	    data_fork_used(ip) > forkoff * 8u) {
		switch (ip->i_mode & XFS_IFMT) {
		case XFS_IFDIR:
			error = xfs_dir_wsf_to_block(tp, ip);
			break;
		case XFS_IFLNK:
			error = xfs_symlink_wlocal_to_remote(tp, ip);
			break;
		default:
			error = -ENOSPC;
			break;
		}
		if (error) {
			return error;
		}
	}
	error = set_forkoff(tp, ip, forkoff);
	if (error) {
		return error;
	}
	error = libxfs_ifork_realloc(ip, XFS_ATTR_FORK,
				     sizeof(struct xfs_attr_sf_hdr));
	if (error) {
		return error;
	}
	ip->i_af.if_format = XFS_DINODE_FMT_LOCAL;
	ip->i_af.if_nextents = 0;
	memset(ip->i_af.if_data, 0, sizeof(struct xfs_attr_sf_hdr));
	put_unaligned_be16(sizeof(struct xfs_attr_sf_hdr), ip->i_af.if_data);
	return 0;
}

/* Try to add n to a shortform fork; 1 if it must become a leaf. */
static int sf_addname(struct xfs_da_wargs *a, const struct xfs_attr_wname *n)
{
	struct xfs_inode *ip = a->dp;
	struct xfs_attr_sf_entry *sfe;
	struct xfs_attr_wname *e;
	unsigned int count, i, size, newsize, forkoff;
	uint8_t *copy;
	int error;

	error = sf_decode(ip, &copy, &e, &count);
	if (error) {
		return error;
	}
	for (i = 0; i < count; i++) {
		if (e[i].ns == n->ns && e[i].namelen == n->namelen &&
		    memcmp(e[i].name, n->name, n->namelen) == 0) {
			free(e);
			free(copy);
			return -EEXIST;
		}
	}
	free(e);
	size = get_unaligned_be16(copy);
	free(copy);
	if (n->namelen >= SF_ENT_MAX || n->valuelen >= SF_ENT_MAX ||
	    count >= 255) {
		return 1;
	}
	newsize = size + xfs_attr_sf_entsize_byname(n->namelen, n->valuelen);
	forkoff = sf_bytesfit(ip, newsize);
	if (!forkoff) {
		return 1;
	}
	error = set_forkoff(a->tp, ip, forkoff);
	if (error) {
		return error == -ENOSPC ? 1 : error;
	}
	error = libxfs_ifork_realloc(ip, XFS_ATTR_FORK, newsize);
	if (error) {
		return error;
	}
	sfe = (void *)((uint8_t *)ip->i_af.if_data + size);
	sfe->namelen = (uint8_t)n->namelen;
	sfe->valuelen = (uint8_t)n->valuelen;
	sfe->flags = (uint8_t)n->ns;
	memcpy(sfe->nameval, n->name, n->namelen);
	if (n->valuelen) {
		memcpy(sfe->nameval + n->namelen, n->value, n->valuelen);
	}
	put_unaligned_be16((uint16_t)newsize, ip->i_af.if_data);
	((struct xfs_attr_sf_hdr *)ip->i_af.if_data)->count++;
	return libxfs_trans_log_inode(a->tp, ip);
}

int libxfs_attr_set(struct xfs_trans *tp, struct xfs_inode *ip,
		    unsigned int ns, const unsigned char *name,
		    unsigned int namelen, const void *value,
		    unsigned int valuelen)
{
	struct xfs_attr_wname n;
	struct xfs_da_wargs a;
	int error;

	if (ns != 0 && ns != XFS_ATTR_ROOT && ns != XFS_ATTR_SECURE) {
		return -EINVAL;
	}
	if (namelen == 0 || namelen > XFS_XATTR_NAME_MAX) {
		return -EINVAL;
	}
	if (valuelen > XFS_XATTR_SIZE_MAX) {
		return -ERANGE;
	}
	if (valuelen && !value) {
		return -EINVAL;
	}
	xfs_da_wargs_init(&a, tp, ip, XFS_ATTR_FORK);
	n.ns = ns;
	n.name = name;
	n.namelen = namelen;
	n.value = value;
	n.valuelen = valuelen;
	n.hash = xfs_da_hashname(name, (int)namelen);

	if (ip->i_forkoff == 0) {
		error = attr_fork_create(tp, ip, sizeof(struct xfs_attr_sf_hdr) +
				xfs_attr_sf_entsize_byname(namelen, valuelen));
		if (error) {
			return error;
		}
	}
	if (ip->i_af.if_format == XFS_DINODE_FMT_EXTENTS &&
	    ip->i_af.if_nextents == 0) {
		// An empty extents fork (the kernel makes those) counts as
		// shortform: give it an empty shortform header.
		error = libxfs_ifork_realloc(ip, XFS_ATTR_FORK,
					     sizeof(struct xfs_attr_sf_hdr));
		if (error) {
			return error;
		}
		ip->i_af.if_format = XFS_DINODE_FMT_LOCAL;
		memset(ip->i_af.if_data, 0, sizeof(struct xfs_attr_sf_hdr));
		put_unaligned_be16(sizeof(struct xfs_attr_sf_hdr),
				   ip->i_af.if_data);
	}
	if (ip->i_af.if_format == XFS_DINODE_FMT_LOCAL) {
		error = sf_addname(&a, &n);
		if (error <= 0) {
			return error;
		}
		error = sf_to_leaf(&a);
		if (error) {
			return error;
		}
	}
	return xfs_attr_wleaf_addname(&a, &n);
}
