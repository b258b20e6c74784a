/*
 * xfs_file_write.c: writing regular file data (libxfs_file_write).
 * Blocks the data needs are mapped in transactions of their own through
 * libxfs_bmapi_write; the data then goes straight to the device, block
 * runs that are contiguous on disk in one write.  Zero blocks that fall
 * in holes are not allocated, so sparse files stay sparse.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_shared.h"
#include "xfs_trans.h"
#include "xfs_bmap_read.h"
#include "xfs_bmap_write.h"
#include "xfs_inode_write.h"

#define FW_BATCH	1024	/* file blocks per allocation transaction */
#define FW_MAPS		64

static bool all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

/* State of one batch of file blocks [first, first + n). */
struct fw_batch {
	struct xfs_inode	*ip;
	uint64_t		offset;		/* the write's byte range */
	const uint8_t		*buf;
	size_t			len;
	uint64_t		first;
	unsigned int		n;
	bool			need[FW_BATCH];	/* gets data */
	bool			was_hole[FW_BATCH];
};

/* Bytes of block fb covered by the write: [*boff, *boff + *blen) of it. */
static const uint8_t *fw_slice(const struct fw_batch *b, uint64_t fb,
			       size_t *boff, size_t *blen)
{
	unsigned int blocklog = b->ip->i_mount->m_sb.sb_blocklog;
	uint64_t bstart = fb << blocklog, bend = bstart + (1ULL << blocklog);
	uint64_t s = b->offset > bstart ? b->offset : bstart;
	uint64_t e = b->offset + b->len < bend ? b->offset + b->len : bend;

	*boff = (size_t)(s - bstart);
	*blen = (size_t)(e - s);
	return b->buf + (s - b->offset);
}

/* Which blocks of the batch are holes, and which need a block. */
static int fw_classify(struct fw_batch *b)
{
	struct xfs_bmbt_irec maps[FW_MAPS];
	uint64_t fb = b->first, end = b->first + b->n;
	int error, nmap, i;

	while (fb < end) {
		nmap = FW_MAPS;
		error = libxfs_bmapi_read_fork(b->ip, XFS_DATA_FORK, fb,
					       end - fb, maps, &nmap);
		if (error) {
			return error;
		}
		for (i = 0; i < nmap; i++) {
			uint64_t k;

			for (k = 0; k < maps[i].br_blockcount; k++, fb++) {
				unsigned int j = (unsigned int)(fb - b->first);
				const uint8_t *p;
				size_t boff, blen;

				p = fw_slice(b, fb, &boff, &blen);
				b->was_hole[j] = xfs_bmap_is_hole(&maps[i]);
				b->need[j] = !b->was_hole[j] ||
					     !all_zero(p, blen);
			}
		}
	}
	return 0;
}

/* Map the batch's needed holes, in one transaction. */
static int fw_allocate(struct fw_batch *b)
{
	struct xfs_mount *mp = b->ip->i_mount;
	struct xfs_bmbt_irec maps[FW_MAPS];
	struct xfs_trans *tp;
	unsigned int j = 0, k, want = 0;
	int error, nmap;

	for (k = 0; k < b->n; k++) {
		want += b->need[k] && b->was_hole[k];
	}
	if (!want) {
		return 0;
	}
	error = xfs_trans_alloc(mp, want + 16, &tp);
	if (error) {
		return error;
	}
	while (j < b->n) {
		uint64_t off;

		if (!(b->need[j] && b->was_hole[j])) {
			j++;
			continue;
		}
		for (k = j; k < b->n && b->need[k] && b->was_hole[k]; k++) {
		}
		// Map [j, k); a call may map less when its maps run out.
		off = b->first + j;
		while (off < b->first + k) {
			nmap = FW_MAPS;
			error = libxfs_bmapi_write(tp, b->ip, off,
						   b->first + k - off, 0, maps,
						   &nmap);
			if (error) {
				xfs_trans_cancel(tp);
				return error;
			}
			off = maps[nmap - 1].br_startoff +
			      maps[nmap - 1].br_blockcount;
		}
		j = k;
	}
	return xfs_trans_commit(tp);
}

/* Write one partial block: merged with what is there, or with zeros. */
static int fw_write_partial(struct fw_batch *b, unsigned int j,
			    const uint8_t *p, size_t boff, size_t blen,
			    uint64_t dev_off, uint8_t *blk)
{
	struct xfs_mount *mp = b->ip->i_mount;
	unsigned int bsize = mp->m_sb.sb_blocksize;
	int error = 0;

	if (b->was_hole[j]) {
		memset(blk, 0, bsize);
	} else {
		error = libxfs_dev_read(mp->m_ddev, blk, bsize, dev_off);
	}
	if (!error) {
		memcpy(blk + boff, p, blen);
		error = libxfs_dev_write(mp->m_ddev, blk, bsize, dev_off);
	}
	return error;
}

/*
 * Write the data of the batch's blocks that map covers (a mapping that
 * starts inside the batch): runs of whole blocks straight from buf.
 */
static int fw_write_map(struct fw_batch *b, const struct xfs_bmbt_irec *map,
			uint8_t *blk)
{
	struct xfs_mount *mp = b->ip->i_mount;
	unsigned int bsize = mp->m_sb.sb_blocksize;
	uint64_t k, run;
	int error = 0;

	if (xfs_bmap_is_hole(map)) {
		return 0;
	}
	for (k = 0; !error && k < map->br_blockcount; k += run) {
		uint64_t fb = map->br_startoff + k;
		unsigned int j = (unsigned int)(fb - b->first);
		uint64_t dev_off = BBTOB(xfs_mp_fsb_to_daddr(mp,
						map->br_startblock + k));
		size_t boff, blen, b2, l2;
		const uint8_t *p = fw_slice(b, fb, &boff, &blen);

		run = 1;
		if (!b->need[j]) {
			continue;
		}
		if (blen != bsize) {
			error = fw_write_partial(b, j, p, boff, blen, dev_off,
						 blk);
			continue;
		}
		// Extend over the following whole blocks that get data.
		while (k + run < map->br_blockcount && b->need[j + run]) {
			fw_slice(b, fb + run, &b2, &l2);
			if (l2 != bsize) {
				break;
			}
			run++;
		}
		error = libxfs_dev_write(mp->m_ddev, p,
					 (size_t)(run * bsize), dev_off);
	}
	return error;
}

/* Write the batch's data: whole runs from buf, partial blocks merged. */
static int fw_write_data(struct fw_batch *b)
{
	struct xfs_mount *mp = b->ip->i_mount;
	struct xfs_bmbt_irec maps[FW_MAPS];
	uint64_t fb = b->first, end = b->first + b->n;
	uint8_t *blk = malloc(mp->m_sb.sb_blocksize);
	int error = 0, nmap, i;

	if (!blk) {
		return -ENOMEM;
	}
	while (fb < end && !error) {
		nmap = FW_MAPS;
		error = libxfs_bmapi_read_fork(b->ip, XFS_DATA_FORK, fb,
					       end - fb, maps, &nmap);
		for (i = 0; !error && i < nmap; i++) {
			error = fw_write_map(b, &maps[i], blk);
			fb = maps[i].br_startoff + maps[i].br_blockcount;
		}
	}
	free(blk);
	return error;
}

int libxfs_file_prealloc(struct xfs_inode *ip, uint64_t bno, uint64_t len,
			 unsigned int flags)
{
	struct xfs_mount *mp = ip->i_mount;
	struct xfs_bmbt_irec maps[FW_MAPS];
	uint64_t off = bno, end = bno + len;
	struct xfs_trans *tp;
	int error = 0, nmap;

	if (end < bno || (flags & XFS_BMAPI_ATTRFORK)) {
		return -EINVAL;
	}
	while (off < end && !error) {
		uint64_t n = end - off < FW_BATCH * 16 ? end - off :
							 FW_BATCH * 16;

		error = xfs_trans_alloc(mp, (unsigned int)n + 16, &tp);
		if (error) {
			break;
		}
		nmap = FW_MAPS;
		error = libxfs_bmapi_write(tp, ip, off, n, flags, maps, &nmap);
		if (error) {
			xfs_trans_cancel(tp);
			break;
		}
		error = xfs_trans_commit(tp);
		off = maps[nmap - 1].br_startoff + maps[nmap - 1].br_blockcount;
	}
	return error;
}

int libxfs_file_write(struct xfs_inode *ip, uint64_t offset, const void *buf,
		      size_t len)
{
	struct xfs_mount *mp = ip->i_mount;
	unsigned int blocklog = mp->m_sb.sb_blocklog;
	struct fw_batch *b;
	struct xfs_trans *tp;
	uint64_t fb, last;
	int error = 0;

	if (len == 0) {
		return 0;
	}
	if (offset + len < offset) {
		return -EINVAL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		return -ENOMEM;
	}
	b->ip = ip;
	b->offset = offset;
	b->buf = buf;
	b->len = len;
	last = (offset + len - 1) >> blocklog;
	for (fb = offset >> blocklog; fb <= last && !error; fb += b->n) {
		b->first = fb;
		b->n = last - fb + 1 < FW_BATCH ?
		       (unsigned int)(last - fb + 1) : FW_BATCH;
		error = fw_classify(b);
		if (!error) {
			error = fw_allocate(b);
		}
		if (!error) {
			error = fw_write_data(b);
		}
	}
	free(b);
	if (error || offset + len <= ip->i_size) {
		return error;
	}
	// The new size, in a transaction of its own.
	error = xfs_trans_alloc(mp, 0, &tp);
	if (error) {
		return error;
	}
	ip->i_size = offset + len;
	error = libxfs_trans_log_inode(tp, ip);
	if (error) {
		xfs_trans_cancel(tp);
		return error;
	}
	return xfs_trans_commit(tp);
}
