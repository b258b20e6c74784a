/*
 * xfs_log_write.c: write a clean, empty journal (see xfs_log_write.h).
 *
 * The record at log block 0:
 *
 *   header BB 0        struct xlog_rec_header, cycle, lsn = tail = (cycle, 0)
 *   header BBs 1..n-1  struct xlog_rec_ext_header, when h_size > 32 KiB
 *   data BBs           one op header (client XFS_LOG, XLOG_UNMOUNT_TRANS)
 *                      and the unmount payload, then zero padding up to
 *                      the log stripe unit (or log sector)
 *
 * Each data BB's first word is saved in the cycle-data slots of the
 * headers and replaced by the cycle, so the whole record reads as cycle
 * `cycle` and everything after it as cycle 0: the head is right after
 * the record, and the record at the head is an unmount record.
 */
#include <stdlib.h>
#include <string.h>

#include "libfrog/crc32c.h"
#include "xfs_mount.h"
#include "xfs_log_format.h"
#include "xfs_log_write.h"

/* The unmount op's transaction id, as the reference mkfs writes it. */
#define LOG_CLEAR_TID	XLOG_MKFS_CYCLE_DATA

/* The op and its payload: all the data a clean record carries. */
#define LOG_CLEAR_DATA	(sizeof(struct xlog_op_header) + \
			 sizeof(struct xlog_unmount_payload))

static unsigned int round_up_u(unsigned int v, unsigned int a)
{
	return (v + a - 1) / a * a;
}

/* In-core log buffer size recorded in h_size: at least 32 KiB. */
static unsigned int rec_h_size(unsigned int logsunit)
{
	return logsunit > XLOG_HEADER_CYCLE_SIZE ? logsunit :
						   XLOG_HEADER_CYCLE_SIZE;
}

/* Records are padded to the stripe unit, else to the log sector. */
static unsigned int rec_round(unsigned int logsunit, unsigned int sectsize)
{
	unsigned int r = sectsize > BBSIZE ? sectsize : BBSIZE;

	if (logsunit > 1 && logsunit > r) {
		r = logsunit;
	}
	return r;
}

unsigned int libxfs_log_clear_record_bytes(unsigned int logsunit,
					   unsigned int sectsize)
{
	unsigned int hdr = xlog_rec_header_blocks(XLOG_VERSION_2,
						  rec_h_size(logsunit));

	return round_up_u(hdr * BBSIZE + round_up_u(LOG_CLEAR_DATA, BBSIZE),
			  rec_round(logsunit, sectsize));
}

/* Replace each data BB's first word by the cycle, saving it in a header. */
static void stamp_cycles(uint8_t *rec, unsigned int hdr_bbs,
			 unsigned int data_bbs, uint32_t cycle)
{
	struct xlog_rec_header *h = (struct xlog_rec_header *)rec;
	unsigned int i;

	for (i = 0; i < data_bbs; i++) {
		uint8_t *bb = rec + (size_t)(hdr_bbs + i) * BBSIZE;
		unsigned int hb = xlog_cycle_data_hblock(i);
		unsigned int slot = xlog_cycle_data_slot(i);
		xfs_be32_t saved;

		memcpy(&saved, bb, sizeof(saved));
		if (hb == 0) {
			h->h_cycle_data[slot] = saved;
		} else {
			struct xlog_rec_ext_header *xh =
				(struct xlog_rec_ext_header *)
				(rec + (size_t)hb * BBSIZE);

			xh->xh_cycle_data[slot] = saved;
		}
		put_unaligned_be32(cycle, bb);
	}
}

/* h_crc over the header, the extended headers h_len needs, the data. */
static void rec_checksum(uint8_t *rec, unsigned int hdr_bbs,
			 unsigned int h_len)
{
	struct xlog_rec_header *h = (struct xlog_rec_header *)rec;
	unsigned int i, xheads = xlog_rec_crc_xheads(h_len);
	uint32_t crc;

	h->h_crc = 0;
	crc = crc32c(CRC32C_SEED, rec, xlog_rec_crc_len());
	for (i = 1; i <= xheads; i++) {
		crc = crc32c(crc, rec + (size_t)i * BBSIZE,
			     sizeof(struct xlog_rec_ext_header));
	}
	crc = crc32c(crc, rec + (size_t)hdr_bbs * BBSIZE, h_len);
	h->h_crc = cpu_to_le32(~crc);
}

/* Build the unmount record in rec (rec_bytes long, zeroed). */
static void build_record(uint8_t *rec, unsigned int rec_bytes,
			 const struct xfs_log_clear_args *args,
			 uint32_t cycle)
{
	unsigned int h_size = rec_h_size(args->logsunit);
	unsigned int hdr_bbs = xlog_rec_header_blocks(XLOG_VERSION_2, h_size);
	unsigned int h_len = rec_bytes - hdr_bbs * BBSIZE;
	struct xlog_rec_header *h = (struct xlog_rec_header *)rec;
	struct xlog_op_header *op;
	struct xlog_unmount_payload *um;
	unsigned int i;

	h->h_magicno = cpu_to_be32(XLOG_HEADER_MAGIC_NUM);
	h->h_cycle = cpu_to_be32(cycle);
	h->h_version = cpu_to_be32(XLOG_VERSION_2);
	h->h_len = cpu_to_be32(h_len);
	h->h_lsn = cpu_to_be64(xfs_lsn_make(cycle, 0));
	h->h_tail_lsn = cpu_to_be64(xfs_lsn_make(cycle, 0));
	h->h_prev_block = cpu_to_be32(UINT32_MAX);
	h->h_num_logops = cpu_to_be32(1);
	h->h_fmt = cpu_to_be32(XLOG_FMT_LINUX_LE);
	memcpy(h->h_fs_uuid, args->uuid, XFS_UUID_SIZE);
	h->h_size = cpu_to_be32(h_size);
	for (i = 1; i < hdr_bbs; i++) {
		struct xlog_rec_ext_header *xh = (struct xlog_rec_ext_header *)
			(rec + (size_t)i * BBSIZE);

		xh->xh_cycle = cpu_to_be32(cycle);
	}

	op = (struct xlog_op_header *)(rec + (size_t)hdr_bbs * BBSIZE);
	op->oh_tid = cpu_to_be32(LOG_CLEAR_TID);
	op->oh_len = cpu_to_be32(sizeof(*um));
	op->oh_clientid = XFS_LOG;
	op->oh_flags = XLOG_UNMOUNT_TRANS;
	// The payload is in the writer's byte order (h_fmt says which).
	um = (struct xlog_unmount_payload *)(op + 1);
	um->magic = XLOG_UNMOUNT_TYPE;

	stamp_cycles(rec, hdr_bbs, h_len / BBSIZE, cycle);
	rec_checksum(rec, hdr_bbs, h_len);
}

int libxfs_log_clear(struct libxfs_dev *dev,
		     const struct xfs_log_clear_args *args)
{
	unsigned int sectsize = args->sectsize ? args->sectsize : BBSIZE;
	unsigned int rec_bytes;
	uint32_t cycle = args->cycle ? args->cycle : 1;
	uint8_t *rec;
	int error;

	if (!args->uuid || sectsize % BBSIZE) {
		return -EINVAL;
	}
	rec_bytes = libxfs_log_clear_record_bytes(args->logsunit, sectsize);
	if (BBTOB(args->bbs) < rec_bytes) {
		return -EINVAL;
	}
	if (!args->nozero) {
		error = libxfs_dev_zero(dev, BBTOB(args->daddr),
					BBTOB(args->bbs));
		if (error) {
			return error;
		}
	}
	rec = calloc(1, rec_bytes);
	if (!rec) {
		return -ENOMEM;
	}
	build_record(rec, rec_bytes, args, cycle);
	error = libxfs_dev_write(dev, rec, rec_bytes, BBTOB(args->daddr));
	free(rec);
	return error;
}

int libxfs_log_clear_mount(struct xfs_mount *mp)
{
	struct xfs_log_clear_args args = {
		.daddr		= mp->m_log_daddr,
		.bbs		= mp->m_log_bbs,
		.uuid		= mp->m_sb.sb_uuid,
		.logsunit	= mp->m_sb.sb_logsunit,
		.sectsize	= mp->m_sb.sb_logsectsize ?
				  mp->m_sb.sb_logsectsize : BBSIZE,
		.cycle		= 1,
	};

	return libxfs_log_clear(mp->m_logdev ? mp->m_logdev : mp->m_ddev,
				&args);
}
