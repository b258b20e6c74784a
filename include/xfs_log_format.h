/*
 * xfs_log_format.h: on-disk layout of the XFS journal (v2 logs) -- log
 * record headers, operation headers, the unmount record and the
 * transaction header -- enough to write a clean log and to recognise a
 * log that needs recovery.
 *
 * The log is a circular run of 512-byte basic blocks.  It holds records:
 * a record header (one basic block; more for records over 32 KiB of data,
 * see xlog_rec_ext_header) followed by BTOBB(h_len) data blocks.  Data
 * is a sequence of operations, each an xlog_op_header then oh_len bytes
 * of payload.  Before a record is written, the first 4 bytes of each of
 * its data basic blocks are saved in h_cycle_data[] and replaced with the
 * cycle number, so every basic block of the log starts with the cycle of
 * its last write; recovery finds the head where the cycle drops.
 *
 * A log is clean when the record at the head holds a single operation
 * (h_num_logops == 1) with XLOG_UNMOUNT_TRANS set: client XFS_LOG,
 * payload struct xlog_unmount_payload right after the op header.  The
 * reference mkfs writes oh_len = 8 there, Linux 6.x kernels write 0; the
 * record's h_tail_lsn may lag its h_lsn (recovery then takes the unmount
 * record itself as the tail).  h_len counts padding too: the ops end
 * before it, the rest of the record is junk.
 *
 * Record and op headers are big-endian; h_crc is little-endian.  Op
 * payloads (transaction headers, log items, the unmount magic) are in the
 * byte order of the machine that wrote them -- little-endian on Linux
 * x86, as h_fmt = XLOG_FMT_LINUX_LE records.
 */
#ifndef XFS_LOG_FORMAT_H_
#define XFS_LOG_FORMAT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xfs_endian.h"
#include "xfs_format.h"

#define XLOG_HEADER_MAGIC_NUM	0xfeedbabe	/* h_magicno */
#define XLOG_VERSION_1		1
#define XLOG_VERSION_2		2		/* V5 filesystems use v2 */

/* h_fmt: byte order of the op payloads. */
#define XLOG_FMT_UNKNOWN	0
#define XLOG_FMT_LINUX_LE	1
#define XLOG_FMT_LINUX_BE	2
#define XLOG_FMT_IRIX_BE	3

#define XLOG_HEADER_SIZE	512		/* a record header block */
#define XLOG_HEADER_CYCLE_SIZE	(32 * 1024)	/* data covered per header */
#define XLOG_CYCLE_DATA_SLOTS	(XLOG_HEADER_CYCLE_SIZE / BBSIZE)	/* 64 */
#define XLOG_MIN_RECORD_BSIZE	(16 * 1024)	/* h_size limits */
#define XLOG_BIG_RECORD_BSIZE	(32 * 1024)
#define XLOG_MAX_RECORD_BSIZE	(256 * 1024)

/* First word of h_cycle_data when mkfs writes the unmount record. */
#define XLOG_MKFS_CYCLE_DATA	0xb0c0d0d0

struct xlog_rec_header {
	xfs_be32_t	h_magicno;	/* XLOG_HEADER_MAGIC_NUM */
	xfs_be32_t	h_cycle;	/* log cycle of this write */
	xfs_be32_t	h_version;	/* XLOG_VERSION_2 */
	xfs_be32_t	h_len;		/* data bytes after the header(s) */
	xfs_be64_t	h_lsn;		/* cycle << 32 | block of this record */
	xfs_be64_t	h_tail_lsn;	/* oldest LSN still needed */
	xfs_le32_t	h_crc;		/* see xlog_rec_crc_len(); 0 = none */
	xfs_be32_t	h_prev_block;	/* previous record's block, or -1 */
	xfs_be32_t	h_num_logops;	/* operations started in this record */
	xfs_be32_t	h_cycle_data[XLOG_CYCLE_DATA_SLOTS];	/* saved words */
	xfs_be32_t	h_fmt;		/* XLOG_FMT_* */
	uint8_t		h_fs_uuid[XFS_UUID_SIZE];	/* sb_uuid */
	xfs_be32_t	h_size;		/* in-core log buffer size, bytes */
	/* natural alignment pads the struct to 328 bytes */
};

#define XLOG_REC_CRC_OFF	offsetof(struct xlog_rec_header, h_crc)

/*
 * Extra header blocks of a v2 record whose data exceeds 32 KiB: one per
 * further 32 KiB, each saving the cycle words of 64 more basic blocks.
 */
struct xlog_rec_ext_header {
	xfs_be32_t	xh_cycle;	/* same as h_cycle */
	xfs_be32_t	xh_cycle_data[XLOG_CYCLE_DATA_SLOTS];
};

/* Header basic blocks in front of a record's data. */
static inline unsigned int xlog_rec_header_blocks(unsigned int version,
						  unsigned int h_size)
{
	unsigned int n;

	if (version != XLOG_VERSION_2)
		return 1;
	n = (h_size + XLOG_HEADER_CYCLE_SIZE - 1) / XLOG_HEADER_CYCLE_SIZE;
	return n ? n : 1;
}

/*
 * h_crc: CRC32C (seed ~0, inverted, stored little-endian) over
 *  - the first xlog_rec_crc_len() bytes of the header block, h_crc
 *    taken as zero,
 *  - then, for the extended header blocks that h_len needs (see
 *    xlog_rec_crc_xheads(); h_size may have reserved more), each one's
 *    sizeof(struct xlog_rec_ext_header) bytes,
 *  - then the h_len data bytes as written (cycle-stamped).
 * mkfs writes 0 here, which recovery accepts.
 */
static inline size_t xlog_rec_crc_len(void)
{
	return sizeof(struct xlog_rec_header);
}

static inline unsigned int xlog_rec_crc_xheads(unsigned int h_len)
{
	unsigned int n = (h_len + XLOG_HEADER_CYCLE_SIZE - 1) /
			 XLOG_HEADER_CYCLE_SIZE;

	return n ? n - 1 : 0;
}

/*
 * Where the saved first word of data basic block i (0-based) of a record
 * lives: h_cycle_data[i % 64] of the header itself when i < 64, else
 * xh_cycle_data[i % 64] of extended header block i / 64.
 */
static inline unsigned int xlog_cycle_data_hblock(unsigned int i)
{
	return i / XLOG_CYCLE_DATA_SLOTS;
}

static inline unsigned int xlog_cycle_data_slot(unsigned int i)
{
	return i % XLOG_CYCLE_DATA_SLOTS;
}

/* Operation header in the record data; not aligned to anything. */
struct xlog_op_header {
	xfs_be32_t	oh_tid;		/* transaction id */
	xfs_be32_t	oh_len;		/* payload bytes that follow */
	uint8_t		oh_clientid;	/* XFS_TRANSACTION or XFS_LOG */
	uint8_t		oh_flags;	/* XLOG_*_TRANS */
	xfs_be16_t	oh_res2;	/* zero */
};

/* oh_clientid */
#define XFS_TRANSACTION		0x69
#define XFS_VOLUME		0x02
#define XFS_LOG			0xaa

/* oh_flags */
#define XLOG_START_TRANS	0x01	/* first op of a transaction */
#define XLOG_COMMIT_TRANS	0x02	/* commit record */
#define XLOG_CONTINUE_TRANS	0x04	/* payload continues in next record */
#define XLOG_WAS_CONT_TRANS	0x08	/* continued from previous record */
#define XLOG_END_TRANS		0x10	/* end of a continued payload */
#define XLOG_UNMOUNT_TRANS	0x20	/* clean unmount record */

/* Payload of the unmount op: host-endian magic, then padding. */
#define XLOG_UNMOUNT_TYPE	0x556e

struct xlog_unmount_payload {
	uint16_t	magic;		/* XLOG_UNMOUNT_TYPE, host order */
	uint16_t	pad1;
	uint32_t	pad2;
};

/* Transaction header (payload of the XLOG_START_TRANS op's successor). */
#define XFS_TRANS_HEADER_MAGIC	0x5452414e	/* "TRAN", host order */

struct xfs_trans_header {
	uint32_t	th_magic;	/* XFS_TRANS_HEADER_MAGIC */
	uint32_t	th_type;	/* transaction type, informational */
	int32_t		th_tid;		/* transaction id */
	uint32_t	th_num_items;	/* log items that follow */
};

/* Log item types (first 16 bits of each item's format payload). */
#define XFS_LI_EFI		0x1236	/* extent free intent */
#define XFS_LI_EFD		0x1237	/* extent free done */
#define XFS_LI_IUNLINK		0x1238
#define XFS_LI_INODE		0x123b
#define XFS_LI_BUF		0x123c
#define XFS_LI_DQUOT		0x123d
#define XFS_LI_QUOTAOFF		0x123e
#define XFS_LI_ICREATE		0x123f
#define XFS_LI_RUI		0x1240	/* rmap update intent */
#define XFS_LI_RUD		0x1241
#define XFS_LI_CUI		0x1242	/* refcount update intent */
#define XFS_LI_CUD		0x1243
#define XFS_LI_BUI		0x1244	/* bmap update intent */
#define XFS_LI_BUD		0x1245
#define XFS_LI_ATTRI		0x1246	/* attr intent */
#define XFS_LI_ATTRD		0x1247

/* Record header fields in host order, for readers. */
static inline bool xlog_rec_is_header(const struct xlog_rec_header *h)
{
	return be32_to_cpu(h->h_magicno) == XLOG_HEADER_MAGIC_NUM;
}

XFS_CHECK_SIZE(struct xlog_rec_header, 328);
XFS_CHECK_SIZE(struct xlog_rec_ext_header, 260);
XFS_CHECK_SIZE(struct xlog_op_header, 12);
XFS_CHECK_SIZE(struct xlog_unmount_payload, 8);
XFS_CHECK_SIZE(struct xfs_trans_header, 16);
_Static_assert(sizeof(struct xlog_rec_header) <= XLOG_HEADER_SIZE,
	       "record header fits its block");
_Static_assert(XLOG_REC_CRC_OFF == 32, "log record crc offset");

#endif /* XFS_LOG_FORMAT_H_ */
