/*
 * xfs_btree_iroot.c: the root of an inode-rooted btree (the bmbt) while
 * the tree changes.  In the inode the root is a struct xfs_bmdr_block
 * followed by keys and pointers whose position depends on the fork's
 * size; the generic modification code (xfs_btree_mod.c) works on blocks.
 * So a write cursor stages the root as an in-memory buffer in long-block
 * layout that never reaches the transaction or the device, and the
 * caller flushes it back into the fork when it is done.  What differs
 * for such a root -- its capacity, growing by moving its entries down
 * into a new block, shrinking by taking a lone child's entries back --
 * is handled in xfs_btree_mod.c.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_btree.h"

unsigned int xfs_btree_iroot_maxrecs(const struct xfs_btree_cur *cur)
{
	return xfs_bmdr_maxrecs(cur->bc_iroot_size);
}

/* Pointer i (1-based) of a long-layout node block of this tree. */
static uint8_t *blk_ptr(const struct xfs_btree_cur *cur, void *block,
			unsigned int i)
{
	return (uint8_t *)block + XFS_BTREE_LBLOCK_CRC_LEN +
	       (size_t)cur->bc_ops->maxrecs(cur->bc_mp, 0) *
	       cur->bc_ops->key_slot +
	       (size_t)(i - 1) * cur->bc_ops->ptr_len;
}

static uint8_t *blk_key(const struct xfs_btree_cur *cur, void *block,
			unsigned int i)
{
	return (uint8_t *)block + XFS_BTREE_LBLOCK_CRC_LEN +
	       (size_t)(i - 1) * cur->bc_ops->key_slot;
}

/* Pointer / key i of an inode root of size bytes. */
static uint8_t *dr_ptr(const struct xfs_btree_cur *cur, void *dr,
		       unsigned int size, unsigned int i)
{
	return (uint8_t *)dr + sizeof(struct xfs_bmdr_block) +
	       (size_t)xfs_bmdr_maxrecs(size) * cur->bc_ops->key_slot +
	       (size_t)(i - 1) * cur->bc_ops->ptr_len;
}

static uint8_t *dr_key(const struct xfs_btree_cur *cur, void *dr,
		       unsigned int i)
{
	return (uint8_t *)dr + sizeof(struct xfs_bmdr_block) +
	       (size_t)(i - 1) * cur->bc_ops->key_slot;
}

int xfs_btree_iroot_stage(struct xfs_btree_cur *cur)
{
	const struct xfs_bmdr_block *dr = cur->bc_iroot;
	struct xfs_mount *mp = cur->bc_mp;
	struct xfs_btree_block *b;
	struct xfs_buf *bp;
	unsigned int n, i, top = cur->bc_nlevels - 1;

	if (!dr || cur->bc_iroot_bp) {
		return -EINVAL;
	}
	n = be16_to_cpu(dr->bb_numrecs);
	if (n > xfs_btree_iroot_maxrecs(cur) ||
	    be16_to_cpu(dr->bb_level) != top) {
		return -EFSCORRUPTED;
	}
	bp = calloc(1, sizeof(*bp));
	if (!bp) {
		return -ENOMEM;
	}
	bp->b_length = 1U << mp->m_blkbb_log;
	bp->b_addr = calloc(1, mp->m_sb.sb_blocksize);
	if (!bp->b_addr) {
		free(bp);
		return -ENOMEM;
	}
	bp->b_daddr = (uint64_t)-1;	/* names no block */
	bp->b_mount = mp;
	bp->b_ops = cur->bc_ops->buf_ops;
	b = bp->b_addr;
	b->bb_magic = cpu_to_be32(cur->bc_ops->buf_ops->magic[1]);
	b->bb_level = dr->bb_level;
	b->bb_numrecs = dr->bb_numrecs;
	b->bb_u.l.bb_leftsib = cpu_to_be64(NULLFSBLOCK);
	b->bb_u.l.bb_rightsib = cpu_to_be64(NULLFSBLOCK);
	b->bb_u.l.bb_owner = cpu_to_be64(cur->bc_ino);
	for (i = 1; i <= n; i++) {
		memcpy(blk_key(cur, b, i), dr_key(cur, (void *)dr, i),
		       cur->bc_ops->key_slot);
		memcpy(blk_ptr(cur, b, i),
		       dr_ptr(cur, (void *)dr, cur->bc_iroot_size, i),
		       cur->bc_ops->ptr_len);
	}
	// From now on the read side sees the root as the block at the top.
	cur->bc_iroot = NULL;
	cur->bc_iroot_bp = bp;
	cur->bc_iroot_dirty = false;
	cur->bc_levels[top].bp = bp;
	cur->bc_levels[top].ptr = 0;
	return 0;
}

void xfs_btree_iroot_flush(struct xfs_btree_cur *cur, void *dst,
			   unsigned int size)
{
	struct xfs_btree_block *b = cur->bc_iroot_bp->b_addr;
	struct xfs_bmdr_block *dr = dst;
	unsigned int n = be16_to_cpu(b->bb_numrecs), i;

	memset(dst, 0, size);
	dr->bb_level = b->bb_level;
	dr->bb_numrecs = b->bb_numrecs;
	for (i = 1; i <= n && i <= xfs_bmdr_maxrecs(size); i++) {
		memcpy(dr_key(cur, dst, i), blk_key(cur, b, i),
		       cur->bc_ops->key_slot);
		memcpy(dr_ptr(cur, dst, size, i), blk_ptr(cur, b, i),
		       cur->bc_ops->ptr_len);
	}
	cur->bc_iroot_dirty = false;
}
