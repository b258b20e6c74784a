/*
 * xfs_attr_read.h: read-only extended attributes -- listing the attr fork
 * (shortform, leaf and node formats) and fetching one value, local or
 * remote (XARM blocks, each checked for owner, offset and length).
 */
#ifndef LIBXFS_XFS_ATTR_READ_H_
#define LIBXFS_XFS_ATTR_READ_H_

#include <stdbool.h>
#include <stdint.h>

struct xfs_mount;
struct xfs_inode;
struct xfs_trans;

/* One attribute as handed to an iterator. */
struct xfs_attr_ent {
	unsigned int	flags;		/* on-disk flags: XFS_ATTR_ROOT
					   ("trusted."), XFS_ATTR_SECURE
					   ("security."), neither = "user.";
					   XFS_ATTR_INCOMPLETE; XFS_ATTR_LOCAL
					   (leaf entries) */
	const uint8_t	*name;		/* not NUL-terminated */
	unsigned int	namelen;
	const void	*value;		/* local value; NULL when remote */
	unsigned int	valuelen;
	bool		remote;		/* value in remote blocks */
	uint32_t	valueblk;	/* remote: first attr fork block */
	uint32_t	hashval;	/* hash of the name */
};

/* Return non-zero to stop the walk; that value is returned. */
typedef int (*xfs_attr_iterate_fn)(struct xfs_inode *ip,
				   const struct xfs_attr_ent *ae, void *priv);

/*
 * Call fn on every attribute of ip, incomplete ones included (flag
 * XFS_ATTR_INCOMPLETE; the kernel hides them): shortform in inode order,
 * leaf and node forms leaf by leaf in hash order.  0 if ip has no attr
 * fork.  Remote values are not read (see libxfs_attr_rmtval_get).
 */
int libxfs_attr_iterate(struct xfs_mount *mp, struct xfs_inode *ip,
			xfs_attr_iterate_fn fn, void *priv);

/*
 * Get the value of attribute name in namespace ns (0 = user,
 * XFS_ATTR_ROOT = trusted, XFS_ATTR_SECURE = security).  *len is the size
 * of buf on entry and the value's length on return.  buf NULL only
 * measures.  -ENODATA if there is no such attribute, -ERANGE (with *len
 * set) if buf is too small, -EINVAL for a bad name or namespace.
 */
int libxfs_attr_get(struct xfs_mount *mp, struct xfs_inode *ip,
		    unsigned int ns, const uint8_t *name, unsigned int namelen,
		    void *buf, unsigned int *len);

/*
 * The same inside transaction tp (NULL: libxfs_attr_get): the fork's
 * blocks are read through tp, so attributes tp added are found.  A
 * plain read of blocks a running transaction changed fails (their CRC
 * is only set at commit).
 */
int libxfs_attr_get_tp(struct xfs_trans *tp, struct xfs_inode *ip,
		       unsigned int ns, const uint8_t *name,
		       unsigned int namelen, void *buf, unsigned int *len);

/*
 * Read a remote value of valuelen bytes starting at attr fork block
 * valueblk into buf (valuelen bytes): every fs block is verified (XARM
 * header, CRC) and must belong to ip and carry the expected offset and
 * byte count.
 */
int libxfs_attr_rmtval_get(struct xfs_mount *mp, struct xfs_inode *ip,
			   uint32_t valueblk, unsigned int valuelen,
			   void *buf);

#endif /* LIBXFS_XFS_ATTR_READ_H_ */
