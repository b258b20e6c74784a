/*
 * test_log_write.c: unit test for libxfs_log_clear (libxfs/xfs_log_write.c).
 *
 * For several log stripe units and sector sizes, clears a log that was
 * full of junk on a memory device and checks what recovery relies on:
 * the record header fields, the record length (padded to the stripe
 * unit / sector), the extended headers, that every block of the record
 * carries the cycle and every block after it reads as zero, that undoing
 * the cycle stamps gives back the unmount op, and the CRC.  Also checks
 * that a log too small for the record is refused, and that a write
 * error on the device is reported.  Prints "ok - ..." / "not ok - ..."
 * and exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxfs.h"
#include "libfrog/crc32c.h"

static int failures;

static void check(bool cond, const char *what, const char *cfg)
{
	printf("%s - %s (%s)\n", cond ? "ok" : "not ok", what, cfg);
	if (!cond) {
		failures++;
	}
}

#define LOG_DADDR	64ULL		/* the log starts 32 KiB in */
#define LOG_BBS		4096ULL		/* 2 MiB log */
#define DEV_BYTES	(BBTOB(LOG_DADDR + LOG_BBS) + 65536)

static const uint8_t uuid[16] = {
	0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
	0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
};

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

static void test_config(unsigned int logsunit, unsigned int sectsize)
{
	struct xfs_log_clear_args args = {
		.daddr = LOG_DADDR, .bbs = LOG_BBS, .uuid = uuid,
		.logsunit = logsunit, .sectsize = sectsize, .cycle = 1,
	};
	unsigned int rec_bytes, hdr_bbs, h_size, h_len, i;
	struct xlog_rec_header *h;
	struct xlog_op_header *op;
	struct libxfs_dev *dev;
	uint8_t *img, *log;
	uint32_t crc;
	char cfg[64];
	bool ok;

	snprintf(cfg, sizeof(cfg), "logsunit %u, sector %u", logsunit,
		 sectsize);
	img = malloc(DEV_BYTES);
	memset(img, 0xa5, DEV_BYTES);
	if (libxfs_dev_open_mem(img, DEV_BYTES, false, &dev) != 0) {
		check(false, "memory device", cfg);
		free(img);
		return;
	}
	check(libxfs_log_clear(dev, &args) == 0, "log cleared", cfg);
	libxfs_dev_read(dev, img, DEV_BYTES, 0);
	libxfs_dev_close(dev);
	log = img + BBTOB(LOG_DADDR);

	h_size = logsunit > 32768 ? logsunit : 32768;
	hdr_bbs = (h_size + 32767) / 32768;
	rec_bytes = libxfs_log_clear_record_bytes(logsunit, sectsize);
	h = (struct xlog_rec_header *)log;
	h_len = be32_to_cpu(h->h_len);
	check(rec_bytes % (logsunit > 1 ? logsunit : 512) == 0 &&
	      rec_bytes % sectsize == 0, "record padded to unit", cfg);
	check(h_len == rec_bytes - hdr_bbs * BBSIZE, "h_len", cfg);
	check(be32_to_cpu(h->h_magicno) == XLOG_HEADER_MAGIC_NUM &&
	      be32_to_cpu(h->h_cycle) == 1 &&
	      be32_to_cpu(h->h_version) == XLOG_VERSION_2 &&
	      be64_to_cpu(h->h_lsn) == xfs_lsn_make(1, 0) &&
	      be64_to_cpu(h->h_tail_lsn) == xfs_lsn_make(1, 0) &&
	      be32_to_cpu(h->h_prev_block) == UINT32_MAX &&
	      be32_to_cpu(h->h_num_logops) == 1 &&
	      be32_to_cpu(h->h_fmt) == XLOG_FMT_LINUX_LE &&
	      be32_to_cpu(h->h_size) == h_size &&
	      memcmp(h->h_fs_uuid, uuid, 16) == 0, "header fields", cfg);

	ok = true;
	for (i = 1; i < hdr_bbs; i++) {
		ok &= get_unaligned_be32(log + i * BBSIZE) == 1;
	}
	check(ok, "extended headers carry the cycle", cfg);
	ok = true;
	for (i = hdr_bbs; i < rec_bytes / BBSIZE; i++) {
		ok &= get_unaligned_be32(log + i * BBSIZE) == 1;
	}
	check(ok, "every record block stamped with cycle 1", cfg);
	check(all_zero(log + rec_bytes, BBTOB(LOG_BBS) - rec_bytes),
	      "rest of the log zeroed", cfg);
	check(img[BBTOB(LOG_DADDR) - 1] == 0xa5 &&
	      img[BBTOB(LOG_DADDR + LOG_BBS)] == 0xa5,
	      "nothing outside the log touched", cfg);

	// CRC over the header, the extended headers, the data as written.
	{
		struct xlog_rec_header copy = *h;
		unsigned int xh = (h_len + 32767) / 32768 - 1;

		copy.h_crc = 0;
		crc = crc32c(CRC32C_SEED, &copy, sizeof(copy));
		for (i = 1; i <= xh; i++) {
			crc = crc32c(crc, log + i * BBSIZE,
				     sizeof(struct xlog_rec_ext_header));
		}
		crc = crc32c(crc, log + hdr_bbs * BBSIZE, h_len);
		check(le32_to_cpu(h->h_crc) == ~crc, "record crc", cfg);
	}

	// Undo the stamp of the first data block: the unmount op.
	put_unaligned_be32(be32_to_cpu(h->h_cycle_data[0]),
			   log + hdr_bbs * BBSIZE);
	op = (struct xlog_op_header *)(log + hdr_bbs * BBSIZE);
	check(be32_to_cpu(op->oh_tid) == XLOG_MKFS_CYCLE_DATA &&
	      be32_to_cpu(op->oh_len) == sizeof(struct xlog_unmount_payload) &&
	      op->oh_clientid == XFS_LOG &&
	      op->oh_flags == XLOG_UNMOUNT_TRANS &&
	      ((struct xlog_unmount_payload *)(op + 1))->magic ==
	      XLOG_UNMOUNT_TYPE, "unmount op", cfg);
	free(img);
}

static void test_errors(void)
{
	struct xfs_log_clear_args args = {
		.daddr = 0, .bbs = 8, .uuid = uuid, .logsunit = 32768,
		.sectsize = 512,
	};
	struct libxfs_fault_rule rule = {
		.kind = LIBXFS_FAULT_WRITE_ERROR, .off = 0, .len = 0,
		.error = 5,
	};
	struct libxfs_dev *mem, *dev;

	if (libxfs_dev_open_mem(NULL, 1 << 20, false, &mem) != 0) {
		check(false, "memory device", "errors");
		return;
	}
	check(libxfs_log_clear(mem, &args) == -EINVAL,
	      "a log smaller than the record is refused", "errors");
	args.bbs = 512;
	args.logsunit = 1;
	if (libxfs_dev_fault_wrap(mem, &dev) != 0) {
		libxfs_dev_close(mem);
		check(false, "fault device", "errors");
		return;
	}
	libxfs_dev_fault_add(dev, &rule);
	check(libxfs_log_clear(dev, &args) == -EIO,
	      "a write error is reported", "errors");
	libxfs_dev_close(dev);
}

int main(void)
{
	static const unsigned int cfgs[][2] = {
		{ 1, 512 }, { 0, 512 }, { 4096, 4096 }, { 32768, 512 },
		{ 65536, 512 }, { 262144, 512 }, { 262144, 4096 },
		{ 16384, 512 },
	};
	size_t i;

	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		test_config(cfgs[i][0], cfgs[i][1]);
	}
	test_errors();
	if (failures) {
		printf("%d failures\n", failures);
		return 1;
	}
	printf("all passed\n");
	return 0;
}
