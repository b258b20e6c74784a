/*
 * test_libxfs_cache.c: the device layer and the buffer cache without a
 * filesystem -- a memory device with a known pattern, the fault-injecting
 * wrapper (EIO, short reads, lost and torn writes), cache hits and
 * reference counts, the memory bound and LRU eviction, dirty writeback and
 * its suppression under PF_FSTRANS, verifier / salvage semantics, and many
 * threads reading through a small cache at once.
 */
#include <pthread.h>

#include "test_libxfs_util.h"
#include "libfrog/task.h"

#define DEV_BYTES	(4U << 20)
#define LIMIT		(64U << 10)

/* Byte i of basic block bb holds (bb * 7 + i) & 0xff. */
static uint8_t pattern(uint64_t bb, size_t i)
{
	return (uint8_t)(bb * 7 + i);
}

static int check_pattern(const struct xfs_buf *bp)
{
	const uint8_t *p = bp->b_addr;
	size_t i;

	for (i = 0; i < BBTOB(bp->b_length); i++) {
		if (p[i] != pattern(bp->b_daddr + i / BBSIZE, i % BBSIZE)) {
			return 0;
		}
	}
	return 1;
}

static struct libxfs_dev *make_mem_dev(bool ro)
{
	uint8_t *img = malloc(DEV_BYTES);
	struct libxfs_dev *dev;
	size_t i;

	for (i = 0; i < DEV_BYTES; i++) {
		img[i] = pattern(i / BBSIZE, i % BBSIZE);
	}
	if (libxfs_dev_open_mem(img, DEV_BYTES, ro, &dev)) {
		dev = NULL;
	}
	free(img);
	return dev;
}

static void test_device(void)
{
	struct libxfs_dev *dev = make_mem_dev(true), *fdev;
	struct libxfs_fault_rule r = { 0 };
	struct libxfs_dev_stats st;
	uint8_t buf[4096], orig[4096];
	uint64_t size = 0;

	CHECK(dev != NULL, "memory device");
	CHECK(libxfs_dev_size(dev, &size) == 0 && size == DEV_BYTES,
	      "device size");
	CHECK(libxfs_dev_read(dev, buf, 4096, 8192) == 0 &&
	      buf[5] == pattern(16, 5), "read returns the pattern");
	CHECK(libxfs_dev_read(dev, buf, 1024, DEV_BYTES - 512) == -EIO,
	      "read past the end is -EIO");
	CHECK(libxfs_dev_write(dev, buf, 512, 0) == -EROFS,
	      "write on a read-only device is -EROFS");
	libxfs_dev_get_stats(dev, &st);
	CHECK(st.writes == 0 && st.reads == 1, "stats: 1 read, 0 writes");
	libxfs_dev_close(dev);

	dev = make_mem_dev(false);
	CHECK(libxfs_dev_fault_wrap(dev, &fdev) == 0, "fault wrapper");
	r.kind = LIBXFS_FAULT_SHORT_READ;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_dev_read(fdev, buf, 4096, 0) == 0 &&
	      buf[4095] == pattern(7, 511), "short reads are completed");
	CHECK(libxfs_dev_fault_hits(fdev) >= 2, "short reads happened (%llu)",
	      (unsigned long long)libxfs_dev_fault_hits(fdev));
	libxfs_dev_fault_clear(fdev);

	memcpy(orig, buf, sizeof(orig));
	memset(buf, 0xab, sizeof(buf));
	r.kind = LIBXFS_FAULT_LOST_WRITE;
	r.off = 0;
	r.len = 4096;
	r.count = 1;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_dev_write(fdev, buf, 4096, 0) == 0,
	      "lost write reports success");
	CHECK(libxfs_dev_read(fdev, buf, 4096, 0) == 0 &&
	      memcmp(buf, orig, 4096) == 0, "lost write stored nothing");
	libxfs_dev_fault_clear(fdev);

	memset(buf, 0xcd, sizeof(buf));
	r.kind = LIBXFS_FAULT_TORN_WRITE;
	r.count = 0;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_dev_write(fdev, buf, 4096, 0) == -EIO,
	      "torn write fails with -EIO");
	libxfs_dev_fault_clear(fdev);
	CHECK(libxfs_dev_read(fdev, buf, 4096, 0) == 0 && buf[0] == 0xcd &&
	      buf[2047] == 0xcd && buf[2048] == orig[2048],
	      "torn write stored the first half only");

	r.kind = LIBXFS_FAULT_SHORT_WRITE;
	libxfs_dev_fault_add(fdev, &r);
	memset(buf, 0xef, sizeof(buf));
	CHECK(libxfs_dev_write(fdev, buf, 4096, 0) == 0,
	      "short writes are completed");
	libxfs_dev_fault_clear(fdev);
	CHECK(libxfs_dev_read(fdev, buf, 4096, 0) == 0 && buf[4095] == 0xef,
	      "all of a short-written range arrived");

	r.kind = LIBXFS_FAULT_WRITE_ERROR;
	r.error = ENOSPC;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_dev_write(fdev, buf, 512, 0) == -ENOSPC,
	      "write error carries the rule's errno");
	libxfs_dev_fault_clear(fdev);
	r.kind = LIBXFS_FAULT_FLUSH_ERROR;
	r.error = 0;
	libxfs_dev_fault_add(fdev, &r);
	CHECK(libxfs_dev_flush(fdev) == -EIO, "flush error");
	libxfs_dev_close(fdev);
}

/* ---- a toy verifier: the first word is 0xfeedface ---- */

static int toy_verify(struct xfs_buf *bp)
{
	if (get_unaligned_be32(bp->b_addr) != 0xfeedface) {
		return xfs_buf_fail(bp, -EFSCORRUPTED, "bad toy magic");
	}
	return 0;
}

static const struct xfs_buf_ops toy_ops = {
	.name = "toy", .magic = { 0, 0xfeedface },
	.verify_read = toy_verify, .verify_write = toy_verify,
};

static int any_verify(struct xfs_buf *bp)
{
	return 0;
}

static const struct xfs_buf_ops any_ops = {
	.name = "any", .verify_read = any_verify,
};

static void test_cache_basics(void)
{
	struct libxfs_dev *dev = make_mem_dev(false);
	struct xfs_bcache_stats cs;
	struct xfs_buftarg *btp;
	struct xfs_buf *a, *b, *c;
	uint8_t word[4];
	int error, i;

	CHECK(libxfs_buftarg_alloc(dev, LIMIT, NULL, &btp) == 0, "buftarg");
	error = libxfs_buf_read_target(btp, 16, 8, 0, NULL, &a);
	CHECK(error == 0 && check_pattern(a), "read 8 BBs at 16");
	error = libxfs_buf_read_target(btp, 16, 8, 0, NULL, &b);
	CHECK(error == 0 && a == b, "second read is the same buffer");
	libxfs_buf_relse(b);
	libxfs_buf_relse(a);
	error = libxfs_buf_read_target(btp, 16, 4, 0, NULL, &c);
	CHECK(error == 0 && c != a && check_pattern(c),
	      "same daddr, other length: its own buffer");
	libxfs_buf_relse(c);
	libxfs_bcache_get_stats(btp->bt_cache, &cs);
	CHECK(cs.hits == 1 && cs.misses == 2 && cs.count == 2,
	      "stats: %llu hits, %llu misses, %zu buffers",
	      (unsigned long long)cs.hits, (unsigned long long)cs.misses,
	      cs.count);

	CHECK(libxfs_buf_read_target(btp, 0, 0, 0, NULL, &a) == -EINVAL,
	      "zero length: -EINVAL");
	CHECK(libxfs_buf_read_target(btp, UINT64_MAX - 2, 8, 0, NULL, &a) ==
	      -EINVAL, "address overflow: -EINVAL");
	CHECK(libxfs_buf_read_target(btp, BTOBB(DEV_BYTES) - 4, 8, 0, NULL,
				     &a) == -EIO && a == NULL,
	      "read past the device end: -EIO");
	libxfs_bcache_get_stats(btp->bt_cache, &cs);
	CHECK(cs.count == 2, "failed reads leave nothing cached");

	// Verifiers: salvage keeps a failing buffer, plain reads do not.
	error = libxfs_buf_read_target(btp, 64, 8, 0, &toy_ops, &a);
	CHECK(error == -EFSCORRUPTED && a == NULL, "toy verifier fails");
	error = libxfs_buf_read_target(btp, 64, 8, LIBXFS_BUF_SALVAGE,
				       &toy_ops, &a);
	CHECK(error == 0 && a->b_error == -EFSCORRUPTED &&
	      strcmp(a->b_fail_reason, "bad toy magic") == 0 &&
	      a->b_ops == &toy_ops, "salvaged buffer carries the failure");
	libxfs_buf_relse(a);
	error = libxfs_buf_read_target(btp, 64, 8, 0, &any_ops, &a);
	CHECK(error == 0 && a->b_error == 0 && a->b_ops == &any_ops,
	      "other ops re-verify the cached buffer");
	libxfs_buf_relse(a);
	error = libxfs_buf_read_target(btp, 64, 8, 0, NULL, &a);
	CHECK(error == 0 && a->b_ops == &any_ops, "NULL ops: no verification");
	libxfs_buf_relse(a);

	// The device changes underneath: REREAD sees it, a plain read not.
	put_unaligned_be32(0xfeedface, word);
	CHECK(libxfs_dev_write(dev, word, 4, BBTOB(64)) == 0, "device poke");
	error = libxfs_buf_read_target(btp, 64, 8, 0, &toy_ops, &a);
	CHECK(error == -EFSCORRUPTED, "cached contents are used");
	error = libxfs_buf_read_target(btp, 64, 8, LIBXFS_BUF_REREAD,
				       &toy_ops, &a);
	CHECK(error == 0 && a->b_error == 0, "REREAD reads the device again");
	libxfs_buf_relse(a);

	error = libxfs_buf_read_uncached(btp, 64, 8, 0, &toy_ops, &a);
	CHECK(error == 0 && (a->b_flags & XBF_UNCACHED), "uncached read");
	libxfs_buf_hold(a);
	libxfs_buf_relse(a);
	libxfs_buf_relse(a);

	// Bounded memory: stream many buffers through a 64 KiB cache.
	for (i = 0; i < 200; i++) {
		if (libxfs_buf_read_target(btp, (uint64_t)i * 8, 8, 0, NULL,
					   &a) == 0) {
			libxfs_buf_relse(a);
		}
		libxfs_bcache_get_stats(btp->bt_cache, &cs);
		if (cs.bytes > LIMIT) {
			break;
		}
	}
	CHECK(i == 200 && cs.reclaimed > 0,
	      "cache stays within %u bytes (%zu now, %llu reclaimed)",
	      LIMIT, cs.bytes, (unsigned long long)cs.reclaimed);

	// Referenced buffers are never reclaimed: the bound is soft.
	{
		struct xfs_buf *held[32];
		int ok = 1;

		for (i = 0; i < 32; i++) {
			if (libxfs_buf_read_target(btp, 4096 + (uint64_t)i * 8,
						   8, 0, NULL, &held[i])) {
				held[i] = NULL;
				ok = 0;
			}
		}
		libxfs_bcache_get_stats(btp->bt_cache, &cs);
		CHECK(ok && cs.bytes >= 32 * 4096 && cs.over_limit > 0,
		      "32 held buffers exceed the limit (%zu bytes)", cs.bytes);
		for (i = 0; i < 32; i++) {
			ok &= held[i] && check_pattern(held[i]);
			libxfs_buf_relse(held[i]);
		}
		CHECK(ok, "held buffers kept their contents");
		libxfs_bcache_get_stats(btp->bt_cache, &cs);
		CHECK(cs.bytes <= LIMIT, "released buffers shrink it back "
		      "(%zu bytes)", cs.bytes);
	}
	CHECK(libxfs_buftarg_free(btp) == 0, "free buftarg");
	libxfs_dev_close(dev);
}

/* Dirty buffers: written back by reclaim, but never under PF_FSTRANS. */
static void test_dirty_reclaim(void)
{
	struct libxfs_dev *dev = make_mem_dev(false);
	struct libxfs_dev_stats st0, st1;
	struct xfs_bcache_stats cs;
	struct xfs_buftarg *btp;
	struct xfs_buf *bp;
	unsigned int saved;
	uint8_t buf[4096];
	int i;

	CHECK(libxfs_buftarg_alloc(dev, LIMIT, NULL, &btp) == 0, "buftarg");
	libxfs_dev_get_stats(dev, &st0);

	// Inside a transaction: more dirty buffers than the cache may hold
	// (96 KiB in 64), then pressure from reads.
	saved = memalloc_nofs_save();
	CHECK(!current_may_fs_reclaim(), "PF_FSTRANS set on this thread");
	for (i = 0; i < 24; i++) {
		if (libxfs_buf_get_target(btp, 2048 + (uint64_t)i * 8, 8,
					  &bp) == 0) {
			memset(bp->b_addr, 0x11 * (i % 8 + 1), 4096);
			libxfs_buf_mark_dirty(bp);
			libxfs_buf_relse(bp);
		}
	}
	for (i = 0; i < 64; i++) {
		if (libxfs_buf_read_target(btp, (uint64_t)i * 8, 8, 0, NULL,
					   &bp) == 0) {
			libxfs_buf_relse(bp);
		}
	}
	libxfs_dev_get_stats(dev, &st1);
	libxfs_bcache_get_stats(btp->bt_cache, &cs);
	CHECK(st1.writes == st0.writes && cs.written_back == 0,
	      "NOFS reclaim wrote nothing");
	CHECK(cs.nofs_skipped > 0 && cs.reclaimed > 0,
	      "NOFS reclaim dropped clean buffers, skipped %llu dirty",
	      (unsigned long long)cs.nofs_skipped);
	CHECK(cs.count >= 24 && cs.bytes > LIMIT,
	      "all dirty buffers are still cached, over the limit");
	memalloc_nofs_restore(saved);

	// Outside: shrinking writes them back and drops them.
	CHECK(current_may_fs_reclaim(), "PF_FSTRANS cleared");
	libxfs_bcache_shrink(btp->bt_cache, 0);
	libxfs_dev_get_stats(dev, &st1);
	libxfs_bcache_get_stats(btp->bt_cache, &cs);
	CHECK(st1.writes == st0.writes + 24 && cs.written_back == 24 &&
	      cs.count == 0, "shrink outside NOFS wrote 24 and emptied the "
	      "cache (%zu left)", cs.count);
	CHECK(libxfs_dev_read(dev, buf, 4096, BBTOB(2048 + 3 * 8)) == 0 &&
	      buf[100] == 0x44, "written-back data is on the device");

	// A failing write verifier keeps the buffer dirty.
	if (libxfs_buf_get_target(btp, 3000, 8, &bp) == 0) {
		memset(bp->b_addr, 0, 4096);
		bp->b_ops = &toy_ops;
		libxfs_buf_mark_dirty(bp);
		CHECK(libxfs_bwrite(bp) == -EFSCORRUPTED &&
		      (bp->b_flags & XBF_DIRTY),
		      "write verifier failure: not written, still dirty");
		put_unaligned_be32(0xfeedface, bp->b_addr);
		CHECK(libxfs_bwrite(bp) == 0 && !(bp->b_flags & XBF_DIRTY),
		      "fixed buffer writes");
		libxfs_buf_relse(bp);
	}
	CHECK(libxfs_buftarg_free(btp) == 0, "free buftarg");
	libxfs_dev_close(dev);
}

/* ---- many threads, small cache ---- */

struct reader_arg {
	struct xfs_buftarg	*btp;
	unsigned int		seed;
	int			bad;
	bool			nofs;
};

static void *reader(void *p)
{
	struct reader_arg *ra = p;
	unsigned int saved = 0;
	int i;

	if (ra->nofs) {
		saved = memalloc_nofs_save();
	}
	for (i = 0; i < 4000; i++) {
		struct xfs_buf *a, *b = NULL;
		uint64_t d = (uint64_t)(rand_r(&ra->seed) % 96) * 8;
		unsigned int len = (rand_r(&ra->seed) & 1) ? 8 : 16;

		if (libxfs_buf_read_target(ra->btp, d, len, 0, &any_ops, &a)) {
			ra->bad++;
			continue;
		}
		if (!check_pattern(a)) {
			ra->bad++;
		}
		// Sometimes hold two at once.
		if (rand_r(&ra->seed) % 4 == 0 &&
		    libxfs_buf_read_target(ra->btp, d + 8, 8, 0, NULL, &b) == 0) {
			ra->bad += !check_pattern(b);
			libxfs_buf_relse(b);
		}
		libxfs_buf_relse(a);
	}
	if (ra->nofs) {
		memalloc_nofs_restore(saved);
	}
	return NULL;
}

static void test_threads(void)
{
	struct libxfs_dev *dev = make_mem_dev(true);
	struct reader_arg ra[8];
	pthread_t th[8];
	struct xfs_bcache_stats cs;
	struct xfs_buftarg *btp;
	int i, bad = 0;

	CHECK(libxfs_buftarg_alloc(dev, 32 * 4096, NULL, &btp) == 0,
	      "buftarg for threads");
	for (i = 0; i < 8; i++) {
		ra[i].btp = btp;
		ra[i].seed = (unsigned int)i * 7919 + 1;
		ra[i].bad = 0;
		ra[i].nofs = i % 2;
		pthread_create(&th[i], NULL, reader, &ra[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		bad += ra[i].bad;
	}
	libxfs_bcache_get_stats(btp->bt_cache, &cs);
	CHECK(bad == 0, "8 threads x 4000 reads: every buffer correct");
	CHECK(cs.hits > 0 && cs.reclaimed > 0 && cs.bytes <= 32 * 4096,
	      "threads: %llu hits, %llu misses, %llu reclaimed, %zu bytes",
	      (unsigned long long)cs.hits, (unsigned long long)cs.misses,
	      (unsigned long long)cs.reclaimed, cs.bytes);
	CHECK(libxfs_buftarg_free(btp) == 0, "free buftarg");
	libxfs_dev_close(dev);
}

int main(void)
{
	test_device();
	test_cache_basics();
	test_dirty_reclaim();
	test_threads();
	printf("# %d failure(s)\n", t_failures);
	return t_failures ? 1 : 0;
}
