/*
 * xfs_da_verify.c: checks shared by every dabtree block (directory leaf
 * and node blocks, attribute leaf and node blocks) and by directory
 * data/free headers; the dabtree node verifier; the directory leaf and
 * attribute leaf body checks; and a verifier for "some dabtree block",
 * which picks the block type from its magic.
 */
#include <string.h>

#include "xfs_mount.h"
#include "xfs_da_format.h"
#include "xfs_shared.h"
#include "xfs_da_verify.h"

int xfs_da3_blkinfo_verify(struct xfs_buf *bp, uint16_t magic,
			   bool check_crc)
{
	const struct xfs_da3_blkinfo *info = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;
	uint32_t forw, back;

	if (BBTOB(bp->b_length) < sizeof(struct xfs_da3_blkinfo)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, XFS_DA3_BLKINFO_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (be16_to_cpu(info->hdr.magic) != magic) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, info->uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(info->blkno) != bp->b_daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (mp && !libxfs_verify_ino(mp, be64_to_cpu(info->owner))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	forw = be32_to_cpu(info->hdr.forw);
	back = be32_to_cpu(info->hdr.back);
	if (forw != 0 && forw == back) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "siblings are equal");
	}
	return 0;
}

int xfs_dir3_blkhdr_verify(struct xfs_buf *bp, bool check_crc)
{
	const struct xfs_dir3_blk_hdr *hdr = bp->b_addr;
	struct xfs_mount *mp = bp->b_mount;

	if (BBTOB(bp->b_length) < sizeof(struct xfs_dir3_data_hdr)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	if (check_crc && !xfs_buf_verify_cksum(bp, XFS_DIR3_DATA_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	if (!xfs_verify_magic(bp->b_ops, be32_to_cpu(hdr->magic))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	if (!xfs_verify_meta_uuid(mp, hdr->uuid)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad uuid");
	}
	if (be64_to_cpu(hdr->blkno) != bp->b_daddr) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad blkno");
	}
	if (mp && !libxfs_verify_ino(mp, be64_to_cpu(hdr->owner))) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad owner");
	}
	return 0;
}

/* ---- dabtree nodes ---- */

int xfs_da3_node_verify_body(struct xfs_buf *bp)
{
	struct xfs_da3_node_hdr *hdr = bp->b_addr;
	const struct xfs_da_node_entry *ents = xfs_da3_node_entries(hdr);
	size_t len = (size_t)BBTOB(bp->b_length);
	unsigned int count, level, i;

	if (len < sizeof(*hdr)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	count = be16_to_cpu(hdr->count);
	level = be16_to_cpu(hdr->level);
	if (level == 0 || level > XFS_DA_NODE_MAXDEPTH) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad node level");
	}
	if (count == 0) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "empty node");
	}
	if (count > xfs_da3_node_maxents((unsigned int)len)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "too many node entries");
	}
	for (i = 1; i < count; i++) {
		if (be32_to_cpu(ents[i].hashval) <
		    be32_to_cpu(ents[i - 1].hashval)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "node hashes out of order");
		}
	}
	return 0;
}

static int da3_node_verify(struct xfs_buf *bp, bool crc)
{
	int error = xfs_da3_blkinfo_verify(bp, XFS_DA3_NODE_MAGIC, crc);

	return error ? error : xfs_da3_node_verify_body(bp);
}

static int xfs_da3_node_read_verify(struct xfs_buf *bp)
{
	return da3_node_verify(bp, true);
}

static int xfs_da3_node_write_verify(struct xfs_buf *bp)
{
	int error = da3_node_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DA3_BLKINFO_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_da3_node_buf_ops = {
	.name		= "da3_node",
	.magic		= { XFS_DA_NODE_MAGIC, XFS_DA3_NODE_MAGIC },
	.verify_read	= xfs_da3_node_read_verify,
	.verify_write	= xfs_da3_node_write_verify,
};

/* ---- directory leaves ---- */

int xfs_dir3_leaf_verify_body(struct xfs_buf *bp, bool leaf1)
{
	struct xfs_dir3_leaf_hdr *hdr = bp->b_addr;
	const struct xfs_dir2_leaf_entry *ents = xfs_dir3_leaf_ents_p(hdr);
	size_t len = (size_t)BBTOB(bp->b_length);
	size_t limit = len;
	unsigned int count, stale, nstale = 0, i;

	if (len < sizeof(*hdr) + sizeof(struct xfs_dir2_leaf_tail)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	count = be16_to_cpu(hdr->count);
	stale = be16_to_cpu(hdr->stale);
	if (leaf1) {
		const struct xfs_dir2_leaf_tail *ltp =
			xfs_dir2_leaf_tail_p(bp->b_addr, (unsigned int)len);
		uint64_t bests = be32_to_cpu(ltp->bestcount);
		uint64_t room = len - sizeof(*hdr) - sizeof(*ltp);

		if (bests * sizeof(xfs_be16_t) > room) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bestcount too large");
		}
		limit = len - sizeof(*ltp) - bests * sizeof(xfs_be16_t);
	}
	if (sizeof(*hdr) + (size_t)count * sizeof(*ents) > limit) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "too many leaf entries");
	}
	if (stale > count) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "stale beyond count");
	}
	for (i = 0; i < count; i++) {
		if (i > 0 && be32_to_cpu(ents[i].hashval) <
			     be32_to_cpu(ents[i - 1].hashval)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "leaf hashes out of order");
		}
		if (be32_to_cpu(ents[i].address) ==
		    XFS_DIR2_NULL_LEAF_ADDRESS) {
			nstale++;
		}
	}
	if (nstale != stale) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad stale count");
	}
	return 0;
}

/* ---- attribute leaves ---- */

int xfs_attr3_leaf_verify_body(struct xfs_buf *bp)
{
	struct xfs_attr3_leaf_hdr *hdr = bp->b_addr;
	const struct xfs_attr_leaf_entry *ents = xfs_attr3_leaf_entries_p(hdr);
	const uint8_t *base = bp->b_addr;
	size_t len = (size_t)BBTOB(bp->b_length);
	size_t ents_end, firstused;
	unsigned int count, i;

	if (len < sizeof(*hdr)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	count = be16_to_cpu(hdr->count);
	firstused = be16_to_cpu(hdr->firstused);
	if (firstused == 0 && len == 65536) {
		firstused = len;	/* 64k blocks store the end as 0 */
	}
	ents_end = sizeof(*hdr) + (size_t)count * sizeof(*ents);
	if (ents_end > len) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "too many attr entries");
	}
	if (firstused > len || (count && firstused < ents_end)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad firstused");
	}
	if (be16_to_cpu(hdr->usedbytes) > len) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad usedbytes");
	}
	for (i = 0; i < XFS_ATTR_LEAF_MAPSIZE; i++) {
		size_t mb = be16_to_cpu(hdr->freemap[i].base);
		size_t ms = be16_to_cpu(hdr->freemap[i].size);

		if (mb + ms > len || (ms && mb < sizeof(*hdr))) {
			return xfs_buf_fail(bp, -EFSCORRUPTED, "bad freemap");
		}
	}
	for (i = 0; i < count; i++) {
		const struct xfs_attr_leaf_entry *e = &ents[i];
		size_t idx = be16_to_cpu(e->nameidx), need;

		if (i > 0 && be32_to_cpu(e->hashval) <
			     be32_to_cpu(ents[i - 1].hashval)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "attr hashes out of order");
		}
		if (e->flags & ~(XFS_ATTR_LOCAL | XFS_ATTR_NSP_ONDISK_MASK |
				 XFS_ATTR_INCOMPLETE)) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "bad attr entry flags");
		}
		if (idx < firstused || idx >= len) {
			return xfs_buf_fail(bp, -EFSCORRUPTED, "bad nameidx");
		}
		// Name entries need not be aligned: read them bytewise.
		if (e->flags & XFS_ATTR_LOCAL) {
			size_t nlen = offsetof(struct xfs_attr_leaf_name_local,
					       nameval);

			if (idx + nlen > len) {
				return xfs_buf_fail(bp, -EFSCORRUPTED,
						    "attr name beyond block");
			}
			need = xfs_attr_leaf_entsize_local(
				base[idx + offsetof(struct xfs_attr_leaf_name_local,
						    namelen)],
				get_unaligned_be16(base + idx));
		} else {
			size_t nlen = offsetof(struct xfs_attr_leaf_name_remote,
					       name);

			if (idx + nlen > len) {
				return xfs_buf_fail(bp, -EFSCORRUPTED,
						    "attr name beyond block");
			}
			need = xfs_attr_leaf_entsize_remote(
				base[idx + offsetof(struct xfs_attr_leaf_name_remote,
						    namelen)]);
		}
		if (idx + need > len) {
			return xfs_buf_fail(bp, -EFSCORRUPTED,
					    "attr name beyond block");
		}
	}
	return 0;
}

/* ---- any dabtree block, typed by its magic ---- */

static int da3_any_verify(struct xfs_buf *bp, bool crc)
{
	const struct xfs_da_blkinfo *info = bp->b_addr;
	uint16_t magic;
	int error;

	if (BBTOB(bp->b_length) < sizeof(struct xfs_da3_blkinfo)) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "buffer too short");
	}
	// Every dabtree block keeps its CRC at the same place: check it
	// first, as the typed verifiers do.
	if (crc && !xfs_buf_verify_cksum(bp, XFS_DA3_BLKINFO_CRC_OFF)) {
		return xfs_buf_fail(bp, -EFSBADCRC, "bad crc");
	}
	magic = be16_to_cpu(info->magic);
	switch (magic) {
	case XFS_DA3_NODE_MAGIC:
	case XFS_DIR3_LEAF1_MAGIC:
	case XFS_DIR3_LEAFN_MAGIC:
	case XFS_ATTR3_LEAF_MAGIC:
		break;
	default:
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad magic");
	}
	error = xfs_da3_blkinfo_verify(bp, magic, false);
	if (error) {
		return error;
	}
	switch (magic) {
	case XFS_DA3_NODE_MAGIC:
		return xfs_da3_node_verify_body(bp);
	case XFS_DIR3_LEAF1_MAGIC:
		return xfs_dir3_leaf_verify_body(bp, true);
	case XFS_DIR3_LEAFN_MAGIC:
		return xfs_dir3_leaf_verify_body(bp, false);
	default:
		return xfs_attr3_leaf_verify_body(bp);
	}
}

static int xfs_da3_any_read_verify(struct xfs_buf *bp)
{
	return da3_any_verify(bp, true);
}

static int xfs_da3_any_write_verify(struct xfs_buf *bp)
{
	int error = da3_any_verify(bp, false);

	if (!error) {
		xfs_buf_update_cksum(bp, XFS_DA3_BLKINFO_CRC_OFF);
	}
	return error;
}

const struct xfs_buf_ops xfs_da3_anyblock_buf_ops = {
	.name		= "da3_any",
	.magic		= { 0, 0 },
	.verify_read	= xfs_da3_any_read_verify,
	.verify_write	= xfs_da3_any_write_verify,
};
