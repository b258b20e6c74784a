/*
 * mkfs/proto_acl.c: POSIX ACLs of a host directory tree, in XFS's form.
 *
 * Linux hands ACLs out as the system.posix_acl_access and
 * system.posix_acl_default attributes: a little-endian version word (2)
 * and 8-byte entries (16-bit tag, 16-bit permissions, 32-bit id).  XFS
 * keeps them as the root-namespace attributes SGI_ACL_FILE and
 * SGI_ACL_DEFAULT: a big-endian entry count and 12-byte entries
 * (32-bit tag, 32-bit id, 16-bit permissions, 16 bits of padding), the
 * tags having the same values.  This turns the first into the second.
 * (An XFS source also lists the SGI_ACL_* attributes themselves, as
 * trusted ones; the walker copies the system.* form and skips those.)
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "mkfs/mkfs.h"
#include "mkfs/proto.h"

#define HOST_ACL_VERSION	2
#define HOST_HDR_SIZE		4
#define HOST_ENTRY_SIZE		8
#define XFS_HDR_SIZE		4
#define XFS_ENTRY_SIZE		12

/* The tags Linux and XFS agree on. */
#define ACL_TAG_USER_OBJ	0x01
#define ACL_TAG_USER		0x02
#define ACL_TAG_GROUP_OBJ	0x04
#define ACL_TAG_GROUP		0x08
#define ACL_TAG_MASK		0x10
#define ACL_TAG_OTHER		0x20

static bool tag_known(uint32_t tag)
{
	switch (tag) {
	case ACL_TAG_USER_OBJ:
	case ACL_TAG_USER:
	case ACL_TAG_GROUP_OBJ:
	case ACL_TAG_GROUP:
	case ACL_TAG_MASK:
	case ACL_TAG_OTHER:
		return true;
	default:
		return false;
	}
}

const char *proto_acl_xfs_name(const char *host_name)
{
	if (!strcmp(host_name, "system.posix_acl_access")) {
		return "SGI_ACL_FILE";
	}
	if (!strcmp(host_name, "system.posix_acl_default")) {
		return "SGI_ACL_DEFAULT";
	}
	return NULL;
}

int proto_acl_to_xfs(const unsigned char *in, size_t inlen,
		     unsigned char *out, size_t outcap, size_t *outlen)
{
	size_t n, i;

	if (inlen < HOST_HDR_SIZE ||
	    get_unaligned_le32(in) != HOST_ACL_VERSION ||
	    (inlen - HOST_HDR_SIZE) % HOST_ENTRY_SIZE) {
		return -EINVAL;
	}
	n = (inlen - HOST_HDR_SIZE) / HOST_ENTRY_SIZE;
	if (XFS_HDR_SIZE + n * XFS_ENTRY_SIZE > outcap) {
		return -E2BIG;
	}
	put_unaligned_be32((uint32_t)n, out);
	for (i = 0; i < n; i++) {
		const unsigned char *e = in + HOST_HDR_SIZE +
					 i * HOST_ENTRY_SIZE;
		unsigned char *x = out + XFS_HDR_SIZE + i * XFS_ENTRY_SIZE;
		uint32_t tag = get_unaligned_le16(e);

		if (!tag_known(tag)) {
			return -EINVAL;
		}
		put_unaligned_be32(tag, x);
		put_unaligned_be32(get_unaligned_le32(e + 4), x + 4);	// id
		put_unaligned_be16(get_unaligned_le16(e + 2), x + 8);	// perms
		put_unaligned_be16(0, x + 10);
	}
	*outlen = XFS_HDR_SIZE + n * XFS_ENTRY_SIZE;
	return 0;
}
