/*
 * xfs_shared.h: the metadata verifiers of libxfs -- one struct xfs_buf_ops
 * per metadata type -- and the helpers they share (checksums, magic,
 * uuid, owner and block-number checks).  Tools get this through libxfs.h;
 * xfs_db uses the ops tables to type a block, repair and mkfs pass them
 * to libxfs_buf_read.
 *
 * Every verifier checks, in the reference's order: the CRC first
 * (-EFSBADCRC "bad crc"; so a block of another type usually fails here),
 * then the magic number (-EFSCORRUPTED "bad magic"), the V5
 * self-describing fields (uuid, blkno == daddr, owner) and the structure
 * (-EFSCORRUPTED), and names the failing check in b_fail_reason.  The
 * superblock checks its magic before its CRC, and its CRC only for a V5
 * version or a non-zero CRC field; inodes check magic and version, then
 * the CRC.
 */
#ifndef LIBXFS_XFS_SHARED_H_
#define LIBXFS_XFS_SHARED_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libxfs_io.h"

struct xfs_mount;

/* Superblock and AG headers. */
extern const struct xfs_buf_ops xfs_sb_buf_ops;
extern const struct xfs_buf_ops xfs_agf_buf_ops;
extern const struct xfs_buf_ops xfs_agi_buf_ops;
extern const struct xfs_buf_ops xfs_agfl_buf_ops;

/* Per-AG btrees. */
extern const struct xfs_buf_ops xfs_bnobt_buf_ops;
extern const struct xfs_buf_ops xfs_cntbt_buf_ops;
extern const struct xfs_buf_ops xfs_inobt_buf_ops;
extern const struct xfs_buf_ops xfs_finobt_buf_ops;
extern const struct xfs_buf_ops xfs_rmapbt_buf_ops;
extern const struct xfs_buf_ops xfs_refcountbt_buf_ops;

/* Inode fork block map btree (long pointers). */
extern const struct xfs_buf_ops xfs_bmbt_buf_ops;

/* Inode cluster buffers. */
extern const struct xfs_buf_ops xfs_inode_buf_ops;

/* Directories. */
extern const struct xfs_buf_ops xfs_dir3_block_buf_ops;	/* XDB3 */
extern const struct xfs_buf_ops xfs_dir3_data_buf_ops;	/* XDD3 */
extern const struct xfs_buf_ops xfs_dir3_leaf1_buf_ops;
extern const struct xfs_buf_ops xfs_dir3_leafn_buf_ops;
extern const struct xfs_buf_ops xfs_dir3_free_buf_ops;	/* XDF3 */
extern const struct xfs_buf_ops xfs_da3_node_buf_ops;

/* Attributes and symlinks. */
extern const struct xfs_buf_ops xfs_attr3_leaf_buf_ops;
extern const struct xfs_buf_ops xfs_attr3_rmt_buf_ops;
extern const struct xfs_buf_ops xfs_symlink_buf_ops;

/*
 * Dabtree blocks whose type is only known once read: node, dir leafn or
 * attr leaf, chosen by the magic (as when walking a dabtree from its root).
 */
extern const struct xfs_buf_ops xfs_da3_anyblock_buf_ops;

/* All of the above, NULL-terminated, for lookups by name (xfs_db). */
extern const struct xfs_buf_ops *const xfs_all_buf_ops[];
const struct xfs_buf_ops *libxfs_buf_ops_by_name(const char *name);

/* ---- helpers for verifiers ---- */

/* CRC of the whole buffer with the field at off taken as zero. */
bool xfs_buf_verify_cksum(struct xfs_buf *bp, size_t off);
void xfs_buf_update_cksum(struct xfs_buf *bp, size_t off);

/* The same on an arbitrary range (inodes, dquots, remote blocks). */
bool libxfs_verify_cksum(const void *buf, size_t len, size_t off);
void libxfs_update_cksum(void *buf, size_t len, size_t off);

/* Is the (host-order) magic the V5 magic of ops (magic[1], else [0])? */
bool xfs_verify_magic(const struct xfs_buf_ops *ops, uint32_t magic);

/* Does uuid equal the mount's metadata uuid?  True without a mount. */
bool xfs_verify_meta_uuid(const struct xfs_mount *mp, const uint8_t *uuid);

/*
 * The AG a buffer's daddr lies in and its AG block, with the mount's
 * geometry; false if the daddr is beyond the data device.
 */
bool xfs_buf_daddr_to_agbno(const struct xfs_buf *bp, uint32_t *agno,
			    uint32_t *agbno);

/*
 * Does a single inode (inodesize bytes at dip) pass the dinode checks?
 * ino is its expected number.  Returns 0 or -EFSCORRUPTED/-EFSBADCRC with
 * *reason set.  check_crc false skips the checksum.
 */
int libxfs_dinode_verify(struct xfs_mount *mp, uint64_t ino,
			 const void *dip, bool check_crc, const char **reason);

#endif /* LIBXFS_XFS_SHARED_H_ */
