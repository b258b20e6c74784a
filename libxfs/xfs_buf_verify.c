/*
 * xfs_buf_verify.c: helpers every metadata verifier uses -- checksums,
 * magic, uuid and address checks -- and the table of all verifier ops
 * (lookup by name for xfs_db's `type` command).
 */
#include <string.h>

#include "libfrog/crc32c.h"
#include "xfs_mount.h"
#include "xfs_shared.h"

bool libxfs_verify_cksum(const void *buf, size_t len, size_t off)
{
	if (off + 4 > len) {
		return false;
	}
	return crc32c_verify(buf, len, off);
}

void libxfs_update_cksum(void *buf, size_t len, size_t off)
{
	if (off + 4 <= len) {
		crc32c_update(buf, len, off);
	}
}

bool xfs_buf_verify_cksum(struct xfs_buf *bp, size_t off)
{
	return libxfs_verify_cksum(bp->b_addr, (size_t)BBTOB(bp->b_length),
				   off);
}

void xfs_buf_update_cksum(struct xfs_buf *bp, size_t off)
{
	libxfs_update_cksum(bp->b_addr, (size_t)BBTOB(bp->b_length), off);
}

/*
 * We only read V5 filesystems, so the V5 magic (slot 1) is the one that
 * counts; slot 0 alone is used by types whose magic never changed.
 */
bool xfs_verify_magic(const struct xfs_buf_ops *ops, uint32_t magic)
{
	uint32_t want = ops->magic[1] ? ops->magic[1] : ops->magic[0];

	return magic != 0 && magic == want;
}

bool xfs_verify_meta_uuid(const struct xfs_mount *mp, const uint8_t *uuid)
{
	if (!mp) {
		return true;
	}
	return memcmp(uuid, mp->m_meta_uuid, XFS_UUID_SIZE) == 0;
}

bool xfs_buf_daddr_to_agbno(const struct xfs_buf *bp, uint32_t *agno,
			    uint32_t *agbno)
{
	const struct xfs_mount *mp = bp->b_mount;
	uint64_t fsbt;

	if (!mp || mp->m_sb.sb_agblocks == 0) {
		return false;
	}
	fsbt = bp->b_daddr >> mp->m_blkbb_log;
	if (fsbt >= mp->m_sb.sb_dblocks) {
		return false;
	}
	*agno = (uint32_t)(fsbt / mp->m_sb.sb_agblocks);
	*agbno = (uint32_t)(fsbt % mp->m_sb.sb_agblocks);
	return true;
}

const struct xfs_buf_ops *const xfs_all_buf_ops[] = {
	&xfs_sb_buf_ops,
	&xfs_agf_buf_ops,
	&xfs_agi_buf_ops,
	&xfs_agfl_buf_ops,
	&xfs_bnobt_buf_ops,
	&xfs_cntbt_buf_ops,
	&xfs_inobt_buf_ops,
	&xfs_finobt_buf_ops,
	&xfs_rmapbt_buf_ops,
	&xfs_refcountbt_buf_ops,
	&xfs_bmbt_buf_ops,
	&xfs_inode_buf_ops,
	&xfs_dir3_block_buf_ops,
	&xfs_dir3_data_buf_ops,
	&xfs_dir3_leaf1_buf_ops,
	&xfs_dir3_leafn_buf_ops,
	&xfs_dir3_free_buf_ops,
	&xfs_da3_node_buf_ops,
	&xfs_attr3_leaf_buf_ops,
	&xfs_attr3_rmt_buf_ops,
	&xfs_symlink_buf_ops,
	&xfs_da3_anyblock_buf_ops,
	NULL,
};

const struct xfs_buf_ops *libxfs_buf_ops_by_name(const char *name)
{
	size_t i;

	for (i = 0; xfs_all_buf_ops[i]; i++) {
		if (strcmp(xfs_all_buf_ops[i]->name, name) == 0) {
			return xfs_all_buf_ops[i];
		}
	}
	return NULL;
}
