/*
 * xfs_attr_write_priv.h: libxfs-internal interface between the
 * shortform part of the attribute writer (xfs_attr_write.c) and its
 * leaf/node/remote part (xfs_attr_write_leaf.c).
 */
#ifndef LIBXFS_XFS_ATTR_WRITE_PRIV_H_
#define LIBXFS_XFS_ATTR_WRITE_PRIV_H_

#include <stdint.h>

#include "xfs_da_write.h"

/* The attribute being added. */
struct xfs_attr_wname {
	unsigned int	ns;		/* XFS_ATTR_ROOT / XFS_ATTR_SECURE / 0 */
	const uint8_t	*name;
	unsigned int	namelen;
	const void	*value;
	unsigned int	valuelen;
	uint32_t	hash;
};

/*
 * Create leaf block 0 of an attribute fork that is in extents format
 * and empty, holding the given local entries (from a shortform fork).
 */
int xfs_attr_wleaf_create(struct xfs_da_wargs *a,
			  const struct xfs_attr_wname *ents, unsigned int n);

/* Add n to a leaf- or node-format attribute fork. */
int xfs_attr_wleaf_addname(struct xfs_da_wargs *a,
			   const struct xfs_attr_wname *n);

#endif /* LIBXFS_XFS_ATTR_WRITE_PRIV_H_ */
