/*
 * xfs_log.c: read-only look at the journal -- find the head of the log
 * and decide whether the last record is an unmount record (clean log) or
 * the log holds transactions that recovery would have to replay.
 *
 * Every 512-byte basic block of the log starts with the cycle number of
 * the pass that last wrote it.  Writes go round the log in order, so the
 * log reads as a run of cycle c followed by a run of cycle c - 1; the
 * head is where the cycle drops.  Log writes near the head may complete
 * out of order, so after the search a window of the most recent blocks
 * is scanned for stragglers and the head moved back to the first one.
 */
#include <stdlib.h>
#include <string.h>

#include "xfs_mount.h"
#include "xfs_log_format.h"

/* Window scanned for out-of-order writes: 8 in-flight 256 KiB buffers. */
#define LOG_SCAN_BBS	(8U * (XLOG_MAX_RECORD_BSIZE >> BBSHIFT))
#define LOG_CHUNK_BBS	128U		/* BBs per read while scanning */

struct log_ctx {
	struct libxfs_dev	*dev;
	uint64_t		start;	/* daddr of log block 0 */
	uint32_t		nblks;	/* log size in BBs */
	uint8_t			*buf;	/* LOG_CHUNK_BBS * BBSIZE */
};

static int log_read(struct log_ctx *lc, uint32_t blk, unsigned int nbbs,
		    void *buf)
{
	return libxfs_dev_read(lc->dev, buf, (size_t)BBTOB(nbbs),
			       BBTOB(lc->start + blk));
}

/*
 * Cycle of a basic block: the first word of a data block, or h_cycle
 * (the second word) of a record header block, whose first word is the
 * header magic.
 */
static uint32_t bb_cycle(const uint8_t *bb)
{
	uint32_t w = get_unaligned_be32(bb);

	return w == XLOG_HEADER_MAGIC_NUM ? get_unaligned_be32(bb + 4) : w;
}

static int log_cycle(struct log_ctx *lc, uint32_t blk, uint32_t *cycle)
{
	int error = log_read(lc, blk, 1, lc->buf);

	if (!error) {
		*cycle = bb_cycle(lc->buf);
	}
	return error;
}

/*
 * Smallest block in [lo, hi] whose cycle equals `want`, given that the
 * block hi has it and the cycles before the boundary do not.
 */
static int log_bsearch(struct log_ctx *lc, uint32_t lo, uint32_t hi,
		       uint32_t want, uint32_t *found)
{
	uint32_t c;
	int error;

	// Invariant: cycle(hi) == want; the answer lies in [lo, hi].
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		error = log_cycle(lc, mid, &c);
		if (error) {
			return error;
		}
		if (c == want) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	*found = hi;
	return 0;
}

/* First block in [lo, hi) whose cycle differs from `cycle`, or hi. */
static int log_scan_other(struct log_ctx *lc, uint32_t lo, uint32_t hi,
			  uint32_t cycle, uint32_t *found)
{
	uint32_t blk, i, n;
	int error;

	for (blk = lo; blk < hi; blk += n) {
		n = hi - blk < LOG_CHUNK_BBS ? hi - blk : LOG_CHUNK_BBS;
		error = log_read(lc, blk, n, lc->buf);
		if (error) {
			return error;
		}
		for (i = 0; i < n; i++) {
			if (bb_cycle(lc->buf + BBTOB(i)) != cycle) {
				*found = blk + i;
				return 0;
			}
		}
	}
	*found = hi;
	return 0;
}

/* Locate the head; *zeroed if the log was never written. */
static int log_find_head(struct log_ctx *lc, uint32_t *head,
			 uint32_t *head_cycle, bool *zeroed)
{
	uint32_t first, last, blk, lo;
	int error;

	*zeroed = false;
	error = log_cycle(lc, 0, &first);
	if (!error) {
		error = log_cycle(lc, lc->nblks - 1, &last);
	}
	if (error) {
		return error;
	}
	if (first == 0) {
		if (last != 0) {
			return -EFSCORRUPTED;	/* written, yet block 0 is not */
		}
		*zeroed = true;
		*head = 0;
		*head_cycle = 0;
		return 0;
	}
	if (last == 0) {
		// Written once since it was zeroed: head at the first zero.
		error = log_bsearch(lc, 0, lc->nblks - 1, 0, head);
		*head_cycle = first;
	} else if (first == last) {
		// One cycle throughout: the head is at the wrap point.
		*head = lc->nblks;
		*head_cycle = first;
	} else if (last == first - 1) {
		error = log_bsearch(lc, 0, lc->nblks - 1, last, head);
		*head_cycle = first;
	} else {
		return -EFSCORRUPTED;	/* cycles must differ by one */
	}
	if (error) {
		return error;
	}
	// Out-of-order completions: an older block just before the head
	// means the head really is there.
	lo = *head > LOG_SCAN_BBS ? *head - LOG_SCAN_BBS : 0;
	error = log_scan_other(lc, lo, *head, *head_cycle, &blk);
	if (error) {
		return error;
	}
	*head = blk % lc->nblks;
	return 0;
}

/* Walk back from the head to the last record header. */
static int log_find_last_record(struct log_ctx *lc, uint32_t head,
				uint32_t *rec_blk)
{
	uint32_t blk = head, scanned;
	int error;

	for (scanned = 0; scanned < lc->nblks; scanned++) {
		blk = blk == 0 ? lc->nblks - 1 : blk - 1;
		error = log_read(lc, blk, 1, lc->buf);
		if (error) {
			return error;
		}
		if (get_unaligned_be32(lc->buf) == XLOG_HEADER_MAGIC_NUM) {
			*rec_blk = blk;
			return 0;
		}
	}
	return -EFSCORRUPTED;	/* cycles were written but no header found */
}

int libxfs_log_find_head(struct xfs_mount *mp, struct xfs_log_state *st)
{
	struct xlog_rec_header rh;
	struct xlog_op_header oh;
	struct log_ctx lc;
	uint32_t hblks, rec_end, version, h_len, h_size;
	int error;

	memset(st, 0, sizeof(*st));
	if (xfs_has_extlog(mp) && mp->m_logdev_targp == mp->m_ddev_targp) {
		return -ENODEV;		/* external log, no device */
	}
	if (mp->m_log_bbs < 2 || mp->m_log_bbs > UINT32_MAX) {
		return -EFSCORRUPTED;
	}
	lc.dev = mp->m_logdev_targp->bt_dev;
	lc.start = mp->m_log_daddr;
	lc.nblks = (uint32_t)mp->m_log_bbs;
	lc.buf = malloc(BBTOB(LOG_CHUNK_BBS));
	if (!lc.buf) {
		return -ENOMEM;
	}
	error = log_find_head(&lc, &st->head_blk, &st->head_cycle,
			      &st->zeroed);
	if (error || st->zeroed) {
		st->clean = !error;
		goto out_free;
	}
	error = log_find_last_record(&lc, st->head_blk, &st->last_rec_blk);
	if (error) {
		goto out_free;
	}
	error = log_read(&lc, st->last_rec_blk, 1, lc.buf);
	if (error) {
		goto out_free;
	}
	memcpy(&rh, lc.buf, sizeof(rh));
	version = be32_to_cpu(rh.h_version);
	h_len = be32_to_cpu(rh.h_len);
	h_size = be32_to_cpu(rh.h_size);
	if ((version != XLOG_VERSION_1 && version != XLOG_VERSION_2) ||
	    h_len > XLOG_MAX_RECORD_BSIZE || h_size > XLOG_MAX_RECORD_BSIZE) {
		error = -EFSCORRUPTED;
		goto out_free;
	}
	st->last_rec_lsn = be64_to_cpu(rh.h_lsn);
	st->tail_lsn = be64_to_cpu(rh.h_tail_lsn);
	hblks = xlog_rec_header_blocks(version, h_size);

	// Clean: the last record is complete, ends at the head, and is one
	// operation flagged as the unmount record.
	rec_end = (uint32_t)(((uint64_t)st->last_rec_blk + hblks +
			      BTOBB(h_len)) % lc.nblks);
	if (rec_end != st->head_blk || be32_to_cpu(rh.h_num_logops) != 1 ||
	    h_len < sizeof(oh)) {
		st->clean = false;
		goto out_free;
	}
	error = log_read(&lc, (st->last_rec_blk + hblks) % lc.nblks, 1,
			 lc.buf);
	if (error) {
		goto out_free;
	}
	memcpy(&oh, lc.buf, sizeof(oh));
	st->clean = (oh.oh_flags & XLOG_UNMOUNT_TRANS) != 0;
out_free:
	free(lc.buf);
	return error;
}

int libxfs_log_is_clean(struct xfs_mount *mp)
{
	struct xfs_log_state st;
	int error = libxfs_log_find_head(mp, &st);

	if (error) {
		return error;
	}
	return st.clean ? 1 : 0;
}
