/*
 * test_libxfs_inode_write.c: changing existing inodes through
 * transactions on an image the reference mkfs.xfs populated from a
 * prototype file (directories, regular files, a symlink, a device, a
 * fifo, in two AGs).  Logging every inode unchanged leaves the image
 * byte for byte as it was; chmod, owner, size, timestamps, flags and a
 * device number written through libxfs_trans_log_inode read back with
 * the reference xfs_db, and the reference xfs_repair -n stays clean;
 * a fork that does not fit is refused with nothing changed; cancel
 * leaves the disk alone.  Also the time source (SOURCE_DATE_EPOCH) and
 * the generation numbers (a fixed sequence with DETERMINISTIC_SEED=1).
 */
#include <time.h>

#include "test_libxfs_util.h"

static struct xfs_mount *mp;
static const char *img;

/* Inodes the prototype makes (4 AGs of 32768 4k blocks, 512-byte inodes). */
#define INO_ROOT	128ULL
#define INO_FILE1	131ULL
#define INO_BIG		132ULL
#define INO_SYM		133ULL
#define INO_CDEV	134ULL
#define INO_FIFO	135ULL
#define INO_SUB		262272ULL

static const uint64_t all_inos[] = {
	INO_ROOT, 129, 130, INO_FILE1, INO_BIG, INO_SYM, INO_CDEV, INO_FIFO,
	INO_SUB,
};

static int make_image(void)
{
	FILE *f = fopen(t_path("proto"), "w");
	char opts[600];

	if (!f) {
		return -1;
	}
	fprintf(f, "/dev/null\n0 0\nd--755 0 0\n"
		"file1 ---644 0 0 /etc/hostname\n"
		"big ---644 0 0 %s\n"
		"sub d--755 0 0\n$\n"
		"sym l--777 0 0 /some/target\n"
		"cdev c--644 0 0 1 3\n"
		"fifo p--644 0 0\n$\n", REF_DB);
	fclose(f);
	snprintf(opts, sizeof(opts), "-p '%s'", t_path("proto"));
	return t_mkfs(img, "512m", opts);
}

static uint64_t db_u64(uint64_t ino, const char *field)
{
	char cmds[256];

	snprintf(cmds, sizeof(cmds), "-c 'inode %llu' -c 'p %s'",
		 (unsigned long long)ino, field);
	return t_db_u64(img, cmds, field);
}

static int db_str(uint64_t ino, const char *field, char *buf, size_t len)
{
	char cmds[256];

	snprintf(cmds, sizeof(cmds), "-c 'inode %llu' -c 'p %s'",
		 (unsigned long long)ino, field);
	return t_db_field(img, cmds, field, buf, len);
}

static int repair_clean(void)
{
	if (t_run("/usr/sbin/xfs_repair -n '%s' >%s 2>&1", img,
		  t_path("repair.log")) == 0) {
		return 1;
	}
	t_run("sed 's/^/# /' %s", t_path("repair.log"));
	return 0;
}

static int remount(void)
{
	int error = libxfs_umount(mp);

	mp = NULL;
	if (error) {
		return error;
	}
	return libxfs_mount(img, 0, &mp);
}

/* ---- logging unchanged inodes is exact ---- */

static void test_roundtrip(void)
{
	struct t_fileprint before, after;
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	unsigned int i, logged = 0;
	int error = 0;

	libxfs_umount(mp);
	t_fingerprint(img, &before);
	libxfs_mount(img, 0, &mp);
	xfs_trans_alloc(mp, 0, &tp);
	for (i = 0; i < sizeof(all_inos) / sizeof(all_inos[0]); i++) {
		error = libxfs_trans_iget(mp, tp, all_inos[i], &ip);
		if (error) {
			break;
		}
		error = libxfs_trans_log_inode(tp, ip);
		libxfs_irele(ip);
		if (error) {
			break;
		}
		logged++;
	}
	CHECK(!error && logged == sizeof(all_inos) / sizeof(all_inos[0]),
	      "read and log %u inodes of every type through one "
	      "transaction (error %d)", logged, error);
	CHECK(xfs_trans_commit(tp) == 0, "commit");
	CHECK(remount() == 0, "unmount and mount again");
	libxfs_umount(mp);
	t_fingerprint(img, &after);
	CHECK(before.crc == after.crc,
	      "the image is byte for byte what it was (crc %08x / %08x)",
	      before.crc, after.crc);
	libxfs_mount(img, 0, &mp);
}

/* ---- changes the reference sees ---- */

static const struct xfs_ictime t_a = { 1000000000, 123456789 };
static const struct xfs_ictime t_m = { 1234567890, 5 };
static const struct xfs_ictime t_c = { 1500000000, 999999999 };
static const struct xfs_ictime t_cr = { 946684800, 42 };

static int change(uint64_t ino, void (*fn)(struct xfs_inode *ip))
{
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	int error;

	error = xfs_trans_alloc(mp, 0, &tp);
	if (error) {
		return error;
	}
	error = libxfs_trans_iget(mp, tp, ino, &ip);
	if (error) {
		xfs_trans_cancel(tp);
		return error;
	}
	fn(ip);
	error = libxfs_trans_log_inode(tp, ip);
	libxfs_irele(ip);
	if (error) {
		xfs_trans_cancel(tp);
		return error;
	}
	return xfs_trans_commit(tp);
}

static void chg_root(struct xfs_inode *ip)
{
	ip->i_mode = XFS_IFDIR | 0700;
	ip->i_uid = 1000;
	ip->i_gid = 100;
	ip->i_atime = t_a;
	ip->i_mtime = t_m;
	ip->i_ctime = t_c;
	ip->i_crtime = t_cr;
}

static void chg_big(struct xfs_inode *ip)
{
	ip->i_size += 1000000;	/* a hole at the end: still consistent */
	ip->i_flags |= XFS_DIFLAG_NODUMP;
	ip->i_projid = 0x12345;
}

static void chg_cdev(struct xfs_inode *ip)
{
	uint32_t dev = cpu_to_be32(xfs_dev_encode(8, 17));

	memcpy(ip->i_df.if_data, &dev, sizeof(dev));
	ip->i_nlink = 1;
}

static void chg_sub_legacy_time(struct xfs_inode *ip)
{
	// Drop bigtime: legacy seconds/nanoseconds encoding.
	ip->i_flags2 &= ~XFS_DIFLAG2_BIGTIME;
	ip->i_mtime = t_m;
}

static void fmt_time(int64_t sec, char *buf, size_t len)
{
	time_t t = (time_t)sec;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}

static void check_time(uint64_t ino, const char *name,
		       const struct xfs_ictime *want)
{
	char field[64], got[128], exp[128];

	snprintf(field, sizeof(field), "%s.sec", name);
	fmt_time(want->sec, exp, sizeof(exp));
	CHECK(db_str(ino, field, got, sizeof(got)) == 0 &&
	      strcmp(got, exp) == 0, "%s = %s (want %s)", field, got, exp);
	snprintf(field, sizeof(field), "%s.nsec", name);
	CHECK(db_u64(ino, field) == want->nsec, "%s = %u", field,
	      want->nsec);
}

static void test_changes(void)
{
	uint64_t big_size = db_u64(INO_BIG, "core.size");
	char buf[64];

	CHECK(change(INO_ROOT, chg_root) == 0, "chmod, chown, timestamps "
	      "of the root directory");
	CHECK(change(INO_BIG, chg_big) == 0, "size, flags, project id of a "
	      "regular file with extents");
	CHECK(change(INO_CDEV, chg_cdev) == 0, "device number of a char "
	      "device");
	CHECK(change(INO_SUB, chg_sub_legacy_time) == 0, "legacy "
	      "timestamps on a directory in AG 1");
	CHECK(remount() == 0, "unmount (write back) and mount");

	CHECK(db_str(INO_ROOT, "core.mode", buf, sizeof(buf)) == 0 &&
	      strcmp(buf, "040700") == 0, "xfs_db: root mode %s", buf);
	CHECK(db_u64(INO_ROOT, "core.uid") == 1000 &&
	      db_u64(INO_ROOT, "core.gid") == 100, "xfs_db: root owner");
	check_time(INO_ROOT, "core.atime", &t_a);
	check_time(INO_ROOT, "core.mtime", &t_m);
	check_time(INO_ROOT, "core.ctime", &t_c);
	check_time(INO_ROOT, "v3.crtime", &t_cr);
	CHECK(db_str(INO_ROOT, "u3.sfdir3.list[0].name", buf,
		     sizeof(buf)) == 0 && strcmp(buf, "\"file1\"") == 0,
	      "xfs_db: the root's shortform entries are intact (%s)", buf);
	CHECK(db_u64(INO_BIG, "core.size") == big_size + 1000000,
	      "xfs_db: size %llu", (unsigned long long)big_size + 1000000);
	CHECK(db_u64(INO_BIG, "core.nodump") == 1 &&
	      db_u64(INO_BIG, "core.projid_lo") == 0x2345 &&
	      db_u64(INO_BIG, "core.projid_hi") == 1,
	      "xfs_db: nodump flag, project id split in two halves");
	CHECK(db_u64(INO_CDEV, "u3.dev") == xfs_dev_encode(8, 17),
	      "xfs_db: u3.dev = 0x%x", xfs_dev_encode(8, 17));
	CHECK(db_u64(INO_SUB, "v3.bigtime") == 0,
	      "xfs_db: bigtime cleared");
	check_time(INO_SUB, "core.mtime", &t_m);
	CHECK(db_str(INO_BIG, "v3.crc", buf, sizeof(buf)) == 0 &&
	      strstr(buf, "(correct)"), "xfs_db: inode crc %s", buf);
	CHECK(repair_clean(), "reference xfs_repair -n finds nothing");
}

/* ---- refusals and cancel ---- */

static void test_refusals(void)
{
	struct t_fileprint before, after;
	struct xfs_trans *tp;
	struct xfs_inode *ip;
	unsigned int litino;
	int error;

	libxfs_umount(mp);
	t_fingerprint(img, &before);
	libxfs_mount(img, 0, &mp);
	litino = mp->m_litino;

	xfs_trans_alloc(mp, 0, &tp);
	error = libxfs_trans_iget(mp, tp, INO_BIG, &ip);
	CHECK(!error && ip->i_df.if_format == XFS_DINODE_FMT_EXTENTS &&
	      ip->i_df.if_size == ip->i_df.if_nextents * 16,
	      "trans_iget: extents fork trimmed to 16 * %llu bytes",
	      (unsigned long long)(ip ? ip->i_df.if_nextents : 0));
	if (!error) {
		ip->i_df.if_nextents = litino / 16 + 1;
		CHECK(libxfs_trans_log_inode(tp, ip) == -EINVAL,
		      "more extents than the fork holds: -EINVAL");
		ip->i_df.if_nextents = 1;
		CHECK(libxfs_ifork_realloc(ip, XFS_DATA_FORK, litino + 8) ==
		      0 && libxfs_trans_log_inode(tp, ip) == -EINVAL,
		      "fork data larger than the literal area: -EINVAL");
		ip->i_forkoff = (uint8_t)(litino >> 3);
		CHECK(libxfs_trans_log_inode(tp, ip) == -EINVAL,
		      "forkoff beyond the literal area: -EINVAL");
		libxfs_irele(ip);
	}
	xfs_trans_cancel(tp);

	// A real change, cancelled.
	xfs_trans_alloc(mp, 0, &tp);
	if (libxfs_trans_iget(mp, tp, INO_FILE1, &ip) == 0) {
		ip->i_mode = XFS_IFREG | 0600;
		CHECK(libxfs_trans_log_inode(tp, ip) == 0, "log a chmod");
		libxfs_irele(ip);
		// Read again through the transaction: the change is there.
		CHECK(libxfs_trans_iget(mp, tp, INO_FILE1, &ip) == 0 &&
		      ip->i_mode == (XFS_IFREG | 0600),
		      "the transaction sees its own change");
		libxfs_irele(ip);
	}
	xfs_trans_cancel(tp);
	CHECK(libxfs_iget(mp, INO_FILE1, 0, &ip) == 0 &&
	      ip->i_mode == (XFS_IFREG | 0644),
	      "after cancel the inode is as it was");
	libxfs_irele(ip);
	libxfs_umount(mp);
	t_fingerprint(img, &after);
	CHECK(before.crc == after.crc, "refused and cancelled changes left "
	      "the image untouched");
	libxfs_mount(img, 0, &mp);
}

/* ---- time and generation numbers ---- */

static void test_time_gen(const char *self)
{
	struct xfs_ictime t;
	char a[1200], b[1200];
	uint32_t g1, g2;

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	libxfs_current_time(&t);
	CHECK(t.sec == 1700000000 && t.nsec == 0,
	      "SOURCE_DATE_EPOCH gives the time");
	unsetenv("SOURCE_DATE_EPOCH");
	libxfs_current_time(&t);
	CHECK(t.sec > 1700000000, "otherwise the clock");

	g1 = libxfs_inode_gen();
	g2 = libxfs_inode_gen();
	CHECK(g1 != g2, "generation numbers differ (%08x %08x)", g1, g2);
	snprintf(a, sizeof(a), "DETERMINISTIC_SEED=1 '%s' gen >%s", self,
		 t_path("gen1"));
	snprintf(b, sizeof(b), "DETERMINISTIC_SEED=1 '%s' gen >%s", self,
		 t_path("gen2"));
	CHECK(t_run("%s", a) == 0 && t_run("%s", b) == 0 &&
	      t_run("cmp -s %s %s", t_path("gen1"), t_path("gen2")) == 0,
	      "DETERMINISTIC_SEED=1: the same sequence on every run");
	CHECK(t_run("'%s' gen >%s", self, t_path("gen3")) == 0 &&
	      t_run("cmp -s %s %s", t_path("gen1"), t_path("gen3")) != 0,
	      "without it: another sequence");
}

int main(int argc, char **argv)
{
	char self[400];
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "gen") == 0) {
		int i;

		for (i = 0; i < 8; i++) {
			printf("%08x\n", libxfs_inode_gen());
		}
		return 0;
	}
	t_require_reference();
	t_setup_dir();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("TZ", "UTC", 1);
	tzset();
	// t_path rotates its buffers: keep a copy.
	img = strdup(t_path("inode.img"));
	if (make_image() != 0 || libxfs_mount(img, 0, &mp) != 0) {
		CHECK(0, "make and mount an image");
		return 1;
	}
	test_roundtrip();
	test_changes();
	test_refusals();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	test_time_gen(self);
	CHECK(libxfs_umount(mp) == 0, "unmount");
	CHECK(repair_clean(), "reference xfs_repair -n finds nothing at the "
	      "end");
	printf("%s\n", t_failures ? "FAILED" : "all passed");
	return t_failures ? 1 : 0;
}
