/*
 * test_libxfs_trans.c: transactions on an image made by the reference
 * mkfs.xfs -- reservations failing cleanly with -ENOSPC, buffer
 * ownership by transaction (the same buffer again, from another thread
 * too; another transaction waits or gets -EAGAIN; clean buffers leave on
 * release; a read from outside checks the bytes as they stand), commit as delayed write (nothing on disk before a sync, a
 * good CRC after), cancel (restoring committed-but-unwritten contents or
 * re-reading), a failing write verifier stopping the whole commit,
 * writeback leaving owned buffers alone, invalidated blocks never
 * written, superblock counters applied at commit and written at
 * unmount, deferred work.  The image must stay clean for the reference
 * xfs_repair -n.
 */
#include <pthread.h>
#include <time.h>

#include "test_libxfs_util.h"

static struct xfs_mount *mp;
static const char *img;

static uint64_t agf_offset(uint32_t agno)
{
	return BBTOB(libxfs_ag_daddr(mp, agno, XFS_AGF_SECTOR));
}

/* The AGF of agno as it is on disk now. */
static int disk_agf(uint32_t agno, struct xfs_agf *agf, bool *crc_ok)
{
	uint8_t sect[4096];
	unsigned int len = mp->m_sb.sb_sectsize;

	if (t_pread(img, sect, len, (off_t)agf_offset(agno))) {
		return -1;
	}
	memcpy(agf, sect, sizeof(*agf));
	*crc_ok = libxfs_verify_cksum(sect, len, XFS_AGF_CRC_OFF);
	return 0;
}

static uint32_t buf_freeblks(struct xfs_buf *bp)
{
	return be32_to_cpu(((struct xfs_agf *)bp->b_addr)->agf_freeblks);
}

/* ---- reservations ---- */

static void test_reservations(void)
{
	int64_t avail = mp->m_fdblocks_avail;
	struct xfs_trans *tp;

	CHECK(xfs_trans_alloc(mp, (unsigned int)mp->m_sb.sb_fdblocks + 1,
			      &tp) == -ENOSPC && !tp &&
	      mp->m_fdblocks_avail == avail,
	      "reserving more than is free: -ENOSPC, nothing taken");
	CHECK(xfs_trans_alloc(mp, (unsigned int)(mp->m_sb.sb_fdblocks -
				mp->m_alloc_set_aside + 1), &tp) == -ENOSPC,
	      "the free-list set-aside (%llu blocks) cannot be reserved",
	      (unsigned long long)mp->m_alloc_set_aside);
	CHECK(xfs_trans_alloc(mp, 100, &tp) == 0 &&
	      mp->m_fdblocks_avail == avail - 100 &&
	      xfs_trans_blocks_left(tp) == 100,
	      "reserve 100 blocks: available %lld -> %lld",
	      (long long)avail, (long long)mp->m_fdblocks_avail);
	CHECK(xfs_trans_reserve_more(tp, 10) == 0 &&
	      xfs_trans_blocks_left(tp) == 110, "reserve 10 more");
	xfs_trans_cancel(tp);
	CHECK(mp->m_fdblocks_avail == avail,
	      "cancel gives the reservation back");
}

/* ---- ownership ---- */

struct reader {
	struct xfs_trans	*tp;
	uint32_t		agno;
	unsigned int		flags;
	struct xfs_buf		*bp;
	int			error;
	volatile int		done;
};

static void *reader_main(void *p)
{
	struct reader *r = p;

	r->error = xfs_trans_read_buf(mp, r->tp,
				      libxfs_ag_daddr(mp, r->agno,
						      XFS_AGF_SECTOR),
				      1U << mp->m_sectbb_log, r->flags,
				      &xfs_agf_buf_ops, &r->bp);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int read_agf(struct xfs_trans *tp, uint32_t agno, unsigned int flags,
		    struct xfs_buf **bpp)
{
	return xfs_trans_read_buf(mp, tp, libxfs_ag_daddr(mp, agno,
							  XFS_AGF_SECTOR),
				  1U << mp->m_sectbb_log, flags,
				  &xfs_agf_buf_ops, bpp);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Free blocks of agno read without a transaction, and the error. */
static uint32_t cached_freeblks_err(uint32_t agno, int *error)
{
	struct xfs_buf *bp;
	uint32_t v = 0;

	*error = libxfs_read_agf(mp, agno, 0, &bp);
	if (*error == 0) {
		v = buf_freeblks(bp);
		libxfs_buf_relse(bp);
	}
	return v;
}

static void test_ownership(void)
{
	struct xfs_trans *tp, *tp2;
	struct xfs_buf *bp, *bp2;
	struct reader r = { 0 };
	pthread_t th;
	int i;

	xfs_trans_alloc(mp, 0, &tp);
	CHECK(read_agf(tp, 0, 0, &bp) == 0 && read_agf(tp, 0, 0, &bp2) == 0 &&
	      bp == bp2 && xfs_trans_buf_is_joined(tp, bp),
	      "a second read through the transaction: the same buffer");
	xfs_trans_brelse(tp, bp2);

	// Another thread acting for the same transaction (as a worker).
	r.tp = tp;
	pthread_create(&th, NULL, reader_main, &r);
	for (i = 0; i < 500 && !__atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
	     i++) {
		sleep_ms(10);
	}
	CHECK(r.done && r.error == 0 && r.bp == bp,
	      "another thread, same transaction: the same buffer at once");
	pthread_join(th, NULL);
	if (r.done && !r.error) {
		xfs_trans_brelse(tp, r.bp);
	}

	// Another transaction: -EAGAIN when trying, waits otherwise.
	xfs_trans_alloc(mp, 0, &tp2);
	CHECK(read_agf(tp2, 0, XFS_TRANS_BUF_TRYLOCK, &bp2) == -EAGAIN,
	      "another transaction, trylock: -EAGAIN");
	memset(&r, 0, sizeof(r));
	r.tp = tp2;
	pthread_create(&th, NULL, reader_main, &r);
	sleep_ms(200);
	CHECK(!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE),
	      "another transaction waits while the owner runs");
	xfs_trans_brelse(tp, bp);
	CHECK(!xfs_trans_buf_is_joined(tp, bp),
	      "an unchanged buffer leaves the transaction on release");
	pthread_join(th, NULL);
	CHECK(r.error == 0 && r.bp == bp && xfs_trans_buf_is_joined(tp2, bp),
	      "... and the waiter gets it then");
	xfs_trans_brelse(tp2, r.bp);
	xfs_trans_cancel(tp2);
	xfs_trans_cancel(tp);
}

/*
 * A plain read (no transaction) of a block a running transaction holds:
 * checked as it stands -- it reads while unchanged, fails its CRC once
 * changed (the CRC is only set at commit) -- while the transaction
 * itself still gets it as it stands.
 */
static void test_outside_read(void)
{
	struct xfs_trans *tp;
	struct xfs_buf *bp, *bp2;
	uint32_t orig;
	int error;

	xfs_trans_alloc(mp, 0, &tp);
	if (read_agf(tp, 0, 0, &bp)) {
		CHECK(0, "read AGF 0 through a transaction");
		xfs_trans_cancel(tp);
		return;
	}
	orig = buf_freeblks(bp);
	error = libxfs_read_agf(mp, 0, 0, &bp2);
	CHECK(error == 0 && bp2 == bp,
	      "a block a transaction holds unchanged reads outside it (%d)",
	      error);
	if (!error) {
		libxfs_buf_relse(bp2);
	}
	((struct xfs_agf *)bp->b_addr)->agf_freeblks = cpu_to_be32(orig - 1);
	xfs_trans_log_buf(tp, bp, offsetof(struct xfs_agf, agf_freeblks),
			  offsetof(struct xfs_agf, agf_freeblks) + 3);
	error = libxfs_read_agf(mp, 0, 0, &bp2);
	CHECK(error == -EFSBADCRC,
	      "changed, it fails its CRC read outside the transaction (%d)",
	      error);
	if (!error) {
		libxfs_buf_relse(bp2);
	}
	error = read_agf(tp, 0, 0, &bp2);
	CHECK(error == 0 && bp2 == bp && buf_freeblks(bp2) == orig - 1,
	      "... and comes as it stands through the transaction (%d)",
	      error);
	if (!error) {
		xfs_trans_brelse(tp, bp2);
	}
	xfs_trans_brelse(tp, bp);
	xfs_trans_cancel(tp);
	CHECK(cached_freeblks_err(0, &error) == orig && error == 0,
	      "after cancel a plain read gets the old block (%d)", error);
}

/* ---- commit, cancel, verifiers, writeback ---- */

static int set_freeblks(uint32_t agno, uint32_t v, bool commit)
{
	struct xfs_trans *tp;
	struct xfs_buf *bp;
	int error;

	xfs_trans_alloc(mp, 0, &tp);
	error = read_agf(tp, agno, 0, &bp);
	if (error) {
		xfs_trans_cancel(tp);
		return error;
	}
	((struct xfs_agf *)bp->b_addr)->agf_freeblks = cpu_to_be32(v);
	xfs_trans_log_buf(tp, bp, offsetof(struct xfs_agf, agf_freeblks),
			  offsetof(struct xfs_agf, agf_freeblks) + 3);
	xfs_trans_brelse(tp, bp);
	if (!commit) {
		xfs_trans_cancel(tp);
		return 0;
	}
	return xfs_trans_commit(tp);
}

static uint32_t cached_freeblks(uint32_t agno)
{
	int error;

	return cached_freeblks_err(agno, &error);
}

static void test_commit_cancel(void)
{
	struct xfs_agf dagf;
	struct xfs_trans *tp;
	struct xfs_buf *bp;
	uint32_t orig = cached_freeblks(1);
	bool crc_ok;

	CHECK(set_freeblks(1, orig + 1, true) == 0 &&
	      cached_freeblks(1) == orig + 1,
	      "commit: the cached AGF holds the change");
	CHECK(disk_agf(1, &dagf, &crc_ok) == 0 &&
	      be32_to_cpu(dagf.agf_freeblks) == orig,
	      "delayed write: nothing on disk yet");
	CHECK(set_freeblks(1, orig + 5, false) == 0 &&
	      cached_freeblks(1) == orig + 1,
	      "cancel over committed, unwritten contents restores them");
	CHECK(xfs_trans_sync(mp) == 0 && disk_agf(1, &dagf, &crc_ok) == 0 &&
	      be32_to_cpu(dagf.agf_freeblks) == orig + 1 && crc_ok,
	      "sync writes it, with a good CRC");
	CHECK(set_freeblks(1, orig + 7, false) == 0 &&
	      cached_freeblks(1) == orig + 1,
	      "cancel over clean contents: read back from disk");

	// A write verifier failure stops the whole commit.
	xfs_trans_alloc(mp, 0, &tp);
	read_agf(tp, 1, 0, &bp);
	((struct xfs_agf *)bp->b_addr)->agf_freeblks = cpu_to_be32(orig);
	xfs_trans_log_buf(tp, bp, 0, sizeof(struct xfs_agf) - 1);
	xfs_trans_brelse(tp, bp);
	read_agf(tp, 2, 0, &bp);
	((struct xfs_agf *)bp->b_addr)->agf_magicnum = cpu_to_be32(0xdeadbeef);
	xfs_trans_log_buf(tp, bp, 0, 3);
	xfs_trans_brelse(tp, bp);
	fprintf(stderr, "# (a verifier complaint is expected next)\n");
	CHECK(xfs_trans_commit(tp) == -EFSCORRUPTED,
	      "commit with a corrupt AGF: -EFSCORRUPTED");
	bp = NULL;
	CHECK(cached_freeblks(1) == orig + 1 &&
	      libxfs_read_agf(mp, 2, 0, &bp) == 0,
	      "nothing of it was kept (AG 1 unchanged, AG 2 readable)");
	libxfs_buf_relse(bp);
	CHECK(xfs_trans_sync(mp) == 0 && disk_agf(2, &dagf, &crc_ok) == 0 &&
	      be32_to_cpu(dagf.agf_magicnum) == XFS_AGF_MAGIC && crc_ok,
	      "and nothing of it was written");

	// Writeback leaves a buffer a transaction owns alone.
	xfs_trans_alloc(mp, 0, &tp);
	read_agf(tp, 1, 0, &bp);
	((struct xfs_agf *)bp->b_addr)->agf_freeblks = cpu_to_be32(orig);
	xfs_trans_log_buf(tp, bp, 0, sizeof(struct xfs_agf) - 1);
	CHECK(libxfs_bcache_flush(mp->m_ddev_targp->bt_cache) == 0 &&
	      disk_agf(1, &dagf, &crc_ok) == 0 &&
	      be32_to_cpu(dagf.agf_freeblks) == orig + 1,
	      "a cache flush does not write a buffer being changed");
	xfs_trans_brelse(tp, bp);
	CHECK(xfs_trans_commit(tp) == 0 && xfs_trans_sync(mp) == 0 &&
	      disk_agf(1, &dagf, &crc_ok) == 0 &&
	      be32_to_cpu(dagf.agf_freeblks) == orig && crc_ok,
	      "after commit it is written (AG 1 back to %u)", orig);
}

/* ---- invalidated blocks, counters, deferred work ---- */

static int deferred_ran;

static int defer_fn(struct xfs_trans *tp, struct xfs_defer_item *di)
{
	deferred_ran += tp != NULL;
	return 0;
}

static void test_binval_counters_defer(void)
{
	struct xfs_agf *agf;
	struct xfs_trans *tp;
	struct xfs_buf *bp, *agbp;
	struct xfs_defer_item *di;
	uint8_t before[1024], after[1024];
	uint64_t daddr, icount = mp->m_sb.sb_icount;
	int64_t avail;

	// A free block of AG 3: the last one of its longest extent.
	libxfs_read_agf(mp, 3, 0, &agbp);
	agf = agbp->b_addr;
	daddr = xfs_mp_agbno_to_daddr(mp, 3, be32_to_cpu(agf->agf_length) - 1);
	libxfs_buf_relse(agbp);
	t_pread(img, before, sizeof(before), (off_t)BBTOB(daddr));
	xfs_trans_alloc(mp, 0, &tp);
	CHECK(xfs_trans_get_buf(tp, daddr, 1U << mp->m_blkbb_log, NULL, &bp)
	      == 0, "get a buffer for a block, contents unread");
	memset(bp->b_addr, 0x5a, 1024);
	xfs_trans_log_buf(tp, bp, 0, 1023);
	xfs_trans_binval(tp, bp);
	xfs_trans_brelse(tp, bp);
	CHECK(xfs_trans_commit(tp) == 0 && xfs_trans_sync(mp) == 0 &&
	      t_pread(img, after, sizeof(after), (off_t)BBTOB(daddr)) == 0 &&
	      memcmp(before, after, sizeof(before)) == 0,
	      "an invalidated block is never written");

	avail = mp->m_fdblocks_avail;
	xfs_trans_alloc(mp, 0, &tp);
	xfs_trans_mod_sb(tp, XFS_TRANS_SB_ICOUNT, 64);
	xfs_trans_mod_sb(tp, XFS_TRANS_SB_IFREE, 64);
	CHECK(mp->m_sb.sb_icount == icount, "counters wait for the commit");
	CHECK(xfs_trans_commit(tp) == 0 && mp->m_sb.sb_icount == icount + 64 &&
	      mp->m_sb_dirty && mp->m_fdblocks_avail == avail,
	      "commit applies icount %llu -> %llu",
	      (unsigned long long)icount,
	      (unsigned long long)mp->m_sb.sb_icount);

	deferred_ran = 0;
	xfs_trans_alloc(mp, 0, &tp);
	di = malloc(sizeof(*di));
	di->di_fn = defer_fn;
	xfs_trans_defer(tp, di);
	di = malloc(sizeof(*di));
	di->di_fn = defer_fn;
	xfs_trans_defer(tp, di);
	CHECK(xfs_trans_commit(tp) == 0 && deferred_ran == 2,
	      "deferred work runs in follow-up transactions at commit");
	xfs_trans_alloc(mp, 0, &tp);
	di = malloc(sizeof(*di));
	di->di_fn = defer_fn;
	xfs_trans_defer(tp, di);
	xfs_trans_cancel(tp);
	CHECK(deferred_ran == 2, "and is dropped on cancel");
}

int main(void)
{
	uint64_t icount;
	struct xfs_trans *tp;

	t_require_reference();
	t_setup_dir();
	setvbuf(stdout, NULL, _IOLBF, 0);
	img = t_path("trans.img");
	if (t_mkfs(img, "512m", "-b size=1024") != 0 ||
	    libxfs_mount(img, 0, &mp) != 0) {
		CHECK(0, "make and mount an image");
		return 1;
	}
	icount = mp->m_sb.sb_icount;
	test_reservations();
	test_ownership();
	test_outside_read();
	test_commit_cancel();
	test_binval_counters_defer();
	CHECK(libxfs_umount(mp) == 0, "unmount");
	CHECK(t_db_u64(img, "-c 'sb 0' -c 'p icount'", "icount") ==
	      icount + 64, "the superblock counters were written at unmount");

	// Put icount back so that the image is clean again.
	if (libxfs_mount(img, 0, &mp) == 0) {
		xfs_trans_alloc(mp, 0, &tp);
		xfs_trans_mod_sb(tp, XFS_TRANS_SB_ICOUNT, -64);
		xfs_trans_mod_sb(tp, XFS_TRANS_SB_IFREE, -64);
		xfs_trans_commit(tp);
		libxfs_umount(mp);
	}
	CHECK(t_run("/usr/sbin/xfs_repair -n '%s' >%s 2>&1", img,
		    t_path("repair.log")) == 0,
	      "reference xfs_repair -n finds nothing");
	printf("%s\n", t_failures ? "FAILED" : "all passed");
	return t_failures ? 1 : 0;
}
