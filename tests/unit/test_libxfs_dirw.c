/*
 * test_libxfs_dirw.c: the directory, symlink and xattr writers on an
 * image made by the reference mkfs.xfs.  Directories of 0, 5, 20, 100,
 * 1,000 and 20,000 entries (every format: shortform, block, leaf, node
 * with a multi-leaf dabtree), names of 1..255 bytes pointing at inodes of
 * every file type (hard links, plus real subdirectories); symlinks of
 * every length 1..1023 (inline and remote; 1024 is refused, as the
 * kernel does); xattrs in the three namespaces in shortform, leaf and
 * node forks, remote values up to 64 KiB; 8-byte inode numbers in
 * shortform directories (a 4 TiB sparse image).  Twice: 4 KiB blocks,
 * and 1 KiB blocks with 8 KiB directory blocks (multi-block dir blocks,
 * multi-block remote symlinks and values).  Then: our read side finds
 * it all, the reference xfs_repair -n is clean, the reference xfs_db
 * agrees on formats and listings, the kernel sees exactly those names,
 * targets and values and can change them, after which repair is clean
 * again (the kernel part is skipped with a message when loop mounts are
 * impossible).
 */
#include <time.h>

#include "test_libxfs_util.h"
#include "libxfs/xfs_inode_write.h"
#include "libxfs/xfs_ialloc.h"
#include "libxfs/xfs_dir2_write.h"
#include "libxfs/xfs_symlink_write.h"
#include "libxfs/xfs_attr_write.h"

#define REF_REPAIR	"/usr/sbin/xfs_repair"

static struct xfs_mount *mp;
static const char *img;
static FILE *man;
static struct xfs_trans *tp;

/* ---- helpers ---- */

static int tx_begin(unsigned int blocks)
{
	return xfs_trans_alloc(mp, blocks, &tp);
}

static int tx_commit(void)
{
	int error = xfs_trans_commit(tp);

	tp = NULL;
	return error;
}

static void put_hex(const void *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = p;
	char buf[256];
	size_t i, n = 0;

	if (len == 0) {
		fputs("-", man);
	}
	for (i = 0; i < len; i++) {
		buf[n++] = hex[b[i] >> 4];
		buf[n++] = hex[b[i] & 15];
		if (n == sizeof(buf)) {
			fwrite(buf, 1, n, man);
			n = 0;
		}
	}
	fwrite(buf, 1, n, man);
}

/* Name number i, len bytes (at least as long as i's base-36 digits). */
static unsigned int mkname(unsigned int i, unsigned int len, char *buf)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char id[16];
	unsigned int n = 0, k;

	do {
		id[n++] = digits[i % 36];
		i /= 36;
	} while (i);
	for (k = 0; k < n; k++) {
		buf[k] = id[n - 1 - k];
	}
	if (len > n) {
		buf[n++] = '_';
		for (k = n; k < len; k++) {
			buf[k] = (char)('A' + (k * 7 + len) % 26);
		}
		n = len;
	}
	buf[n] = 0;
	return n;
}

static int new_inode(struct xfs_inode *parent, uint16_t mode, uint32_t rdev,
		     uint32_t nlink, struct xfs_inode **ipp)
{
	struct xfs_icreate_args args;

	memset(&args, 0, sizeof(args));
	args.mode = mode;
	args.nlink = nlink;
	args.rdev = rdev;
	return libxfs_inode_create(tp, parent, &args, ipp);
}

/* File types, one hard-linked inode of each kind. */
struct target {
	const char	*name;
	uint16_t	mode;
	uint8_t		ftype;
	uint32_t	rdev;
	struct xfs_inode *ip;
	uint32_t	links;
};

static struct target targets[] = {
	{ "t_reg",  XFS_IFREG | 0644, XFS_DIR3_FT_REG_FILE, 0, NULL, 0 },
	{ "t_chr",  XFS_IFCHR | 0600, XFS_DIR3_FT_CHRDEV, (1u << 18) | 3, NULL, 0 },
	{ "t_blk",  XFS_IFBLK | 0600, XFS_DIR3_FT_BLKDEV, (7u << 18) | 1, NULL, 0 },
	{ "t_fifo", XFS_IFIFO | 0644, XFS_DIR3_FT_FIFO, 0, NULL, 0 },
	{ "t_sock", XFS_IFSOCK | 0755, XFS_DIR3_FT_SOCK, 0, NULL, 0 },
	{ "t_lnk",  XFS_IFLNK | 0777, XFS_DIR3_FT_SYMLINK, 0, NULL, 0 },
};
#define NTARGETS	(sizeof(targets) / sizeof(targets[0]))

static struct xfs_inode *root;

/* Add a subdirectory name of dp (nlink 2, ".." = dp); dp->i_nlink++. */
static int mksubdir(struct xfs_inode *dp, const char *mpath, const char *name,
		    struct xfs_inode **ipp)
{
	struct xfs_inode *ip;
	int error;

	error = new_inode(dp, XFS_IFDIR | 0755, 0, 2, &ip);
	if (!error) {
		error = libxfs_dir_init(tp, ip, dp->i_ino);
	}
	if (!error) {
		error = libxfs_dir_createname(tp, dp, (const unsigned char *)name,
					      (unsigned int)strlen(name),
					      ip->i_ino, XFS_DIR3_FT_DIR);
	}
	if (!error) {
		dp->i_nlink++;
		error = libxfs_trans_log_inode(tp, dp);
	}
	if (error) {
		libxfs_irele(ip);
		return error;
	}
	if (mpath) {
		fprintf(man, "E %s ", mpath);
		put_hex(name, strlen(name));
		fprintf(man, " %llu\n", (unsigned long long)ip->i_ino);
	}
	*ipp = ip;
	return 0;
}

/* ---- directories ---- */

static const char *fmt_name(enum xfs_dir_fmt f)
{
	switch (f) {
	case XFS_DIR_FMT_SF: return "shortform";
	case XFS_DIR_FMT_BLOCK: return "block";
	case XFS_DIR_FMT_LEAF: return "leaf";
	case XFS_DIR_FMT_NODE: return "node";
	}
	return "?";
}

static int count_ent(struct xfs_inode *dp, const struct xfs_dir_ent *de,
		     void *priv)
{
	(void)dp;
	(void)de;
	(*(unsigned int *)priv)++;
	return 0;
}

/* Directory /dN with N entries; expect format dc->fmt. */
struct dir_case {
	unsigned int		n;
	enum xfs_dir_fmt	fmt;
	unsigned int		namelen;	/* 0: 1..255 in turn */
	unsigned int		freeblks;	/* free index blocks (node) */
};

/* Name length of entry i of a directory case. */
static unsigned int case_namelen(const struct dir_case *dc, unsigned int i)
{
	return dc->namelen ? dc->namelen : i % 255 + 1;
}

/* Free index blocks of node directory dp. */
static unsigned int count_free_blocks(struct xfs_inode *dp)
{
	const struct xfs_da_geometry *geo = &mp->m_dir_geo;
	struct xfs_bmbt_irec map[8];
	unsigned int n = 8, i, blocks = 0;

	if (libxfs_bmapi_read(dp, XFS_DATA_FORK, geo->freeblk,
			      (uint64_t)geo->freeblk - geo->leafblk, map, &n)) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!xfs_bmap_is_hole(&map[i])) {
			blocks += (unsigned int)(map[i].br_blockcount /
						 geo->fsbcount);
		}
	}
	return blocks;
}

static void test_dir(const struct dir_case *dc)
{
	unsigned int n = dc->n;
	enum xfs_dir_fmt want = dc->fmt;
	struct xfs_inode *dp, *sub;
	char path[32], name[300];
	unsigned int i, len, subdirs = 0, seen = 0;
	enum xfs_dir_fmt fmt = 0;
	struct timespec t0, t1, c0, c1;
	uint64_t ino;
	uint8_t ft;
	int error;

	snprintf(path, sizeof(path), "d%u", n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	error = tx_begin(64);
	if (!error) {
		error = mksubdir(root, "/", path, &dp);
	}
	if (error) {
		CHECK(0, "mkdir /%s: %d", path, error);
		if (tp) {
			xfs_trans_cancel(tp);
			tp = NULL;
		}
		return;
	}
	fprintf(man, "D /%s\n", path);
	for (i = 0; i < n && !error; i++) {
		if (i % 128 == 127) {
			error = tx_commit();
			if (!error) {
				error = tx_begin(256);
			}
			if (error) {
				break;
			}
		}
		len = mkname(i, case_namelen(dc, i), name);
		if (n >= 20 && i % 397 == 11) {
			error = mksubdir(dp, NULL, name, &sub);
			if (!error) {
				ino = sub->i_ino;
				libxfs_irele(sub);
				subdirs++;
			}
		} else {
			struct target *t = &targets[i % NTARGETS];

			ino = t->ip->i_ino;
			error = libxfs_dir_createname(tp, dp,
					(const unsigned char *)name, len, ino,
					t->ftype);
			if (!error) {
				t->links++;
			}
		}
		if (!error) {
			fprintf(man, "E /%s ", path);
			put_hex(name, len);
			fprintf(man, " %llu\n", (unsigned long long)ino);
		}
	}
	CHECK(error == 0, "/%s: %u entries added (%u subdirectories): %d", path,
	      i, subdirs, error);
	if (!error && n > 0) {
		len = mkname(n / 2, case_namelen(dc, n / 2), name);
		error = libxfs_dir_createname(tp, dp, (const unsigned char *)name,
					      len, root->i_ino, XFS_DIR3_FT_DIR);
		CHECK(error == -EEXIST, "/%s: adding an existing name: %d", path,
		      error);
		error = 0;
	}
	if (!error) {
		error = tx_commit();
	} else if (tp) {
		xfs_trans_cancel(tp);
		tp = NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	CHECK(error == 0, "/%s: committed in %.2f s (%.2f s of CPU)", path,
	      (double)(t1.tv_sec - t0.tv_sec) +
	      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	      (double)(c1.tv_sec - c0.tv_sec) +
	      (double)(c1.tv_nsec - c0.tv_nsec) / 1e9);
	error = libxfs_dir_format(mp, dp, &fmt);
	CHECK(error == 0 && fmt == want, "/%s is %s (want %s), size %llu",
	      path, fmt_name(fmt), fmt_name(want),
	      (unsigned long long)dp->i_size);
	if (dc->freeblks) {
		unsigned int fb = count_free_blocks(dp);

		CHECK(fb == dc->freeblks, "/%s: %u free index blocks (want %u)",
		      path, fb, dc->freeblks);
	}
	error = libxfs_dir_iterate(mp, dp, count_ent, &seen);
	CHECK(error == 0 && seen == n + 2,
	      "/%s: our reader lists %u entries (want %u): %d", path, seen,
	      n + 2, error);
	for (i = 0; i < n; i += (n > 100 ? n / 50 : 1)) {
		len = mkname(i, case_namelen(dc, i), name);
		error = libxfs_dir_lookup(mp, dp, (const uint8_t *)name, len,
					  &ino, &ft);
		if (error) {
			break;
		}
	}
	CHECK(error == 0, "/%s: sampled names found by lookup: %d", path,
	      error);
	libxfs_irele(dp);
}

static void test_dir_errors(void)
{
	static unsigned char longname[256];
	int error;

	memset(longname, 'x', sizeof(longname));
	if (tx_begin(8)) {
		CHECK(0, "transaction");
		return;
	}
	error = libxfs_dir_createname(tp, root, longname, 256, root->i_ino,
				      XFS_DIR3_FT_DIR);
	CHECK(error == -ENAMETOOLONG, "256-byte name: -ENAMETOOLONG (%d)",
	      error);
	error = libxfs_dir_createname(tp, root, (const unsigned char *)"..", 2,
				      root->i_ino, XFS_DIR3_FT_DIR);
	CHECK(error == -EEXIST, "\"..\": -EEXIST (%d)", error);
	error = libxfs_dir_createname(tp, root, (const unsigned char *)"a/b", 3,
				      root->i_ino, XFS_DIR3_FT_DIR);
	CHECK(error == -EINVAL, "name with '/': -EINVAL (%d)", error);
	xfs_trans_cancel(tp);
	tp = NULL;
}

/* ---- symlinks ---- */

static void mktarget(unsigned int len, char *buf)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789/._-";
	unsigned int k;

	for (k = 0; k < len; k++) {
		buf[k] = chars[(k * 7 + len) % 40];
	}
	buf[len] = 0;
}

static void test_symlinks(void)
{
	struct xfs_inode *dp, *ip;
	char target[1100], got[1100], name[16];
	unsigned int len, inl = 0, rmt = 0, bad = 0;
	int error;

	error = tx_begin(16);
	if (!error) {
		error = mksubdir(root, "/", "links", &dp);
	}
	if (error) {
		CHECK(0, "mkdir /links: %d", error);
		return;
	}
	fprintf(man, "D /links\n");
	for (len = 1; len < XFS_SYMLINK_MAXLEN && !error; len++) {
		if (len % 64 == 0) {
			error = tx_commit();
			if (!error) {
				error = tx_begin(128);
			}
			if (error) {
				break;
			}
		}
		mktarget(len, target);
		snprintf(name, sizeof(name), "s%u", len);
		error = new_inode(dp, XFS_IFLNK | 0777, 0, 1, &ip);
		if (!error) {
			error = libxfs_symlink_write(tp, ip, target, len);
		}
		if (!error) {
			error = libxfs_dir_createname(tp, dp,
					(const unsigned char *)name,
					(unsigned int)strlen(name), ip->i_ino,
					XFS_DIR3_FT_SYMLINK);
		}
		if (error) {
			libxfs_irele(ip);
			break;
		}
		if (ip->i_df.if_format == XFS_DINODE_FMT_LOCAL) {
			inl++;
		} else {
			rmt++;
		}
		fprintf(man, "E /links ");
		put_hex(name, strlen(name));
		fprintf(man, " %llu\nL /links/%s ", (unsigned long long)ip->i_ino,
			name);
		put_hex(target, len);
		fputc('\n', man);
		libxfs_irele(ip);
	}
	if (!error) {
		error = libxfs_symlink_write(tp, dp, "x", 1);
		CHECK(error == -EINVAL, "symlink target on a directory: -EINVAL");
		error = libxfs_symlink_write(tp, dp, target, XFS_SYMLINK_MAXLEN);
		CHECK(error == -ENAMETOOLONG, "a %u-byte target: -ENAMETOOLONG",
		      XFS_SYMLINK_MAXLEN);
		error = tx_commit();
	} else if (tp) {
		xfs_trans_cancel(tp);
		tp = NULL;
	}
	CHECK(error == 0, "symlinks of every length 1..%u: %u inline, %u remote",
	      XFS_SYMLINK_MAXLEN - 1, inl, rmt);
	// Read every one back through our reader.
	for (len = 1; len < XFS_SYMLINK_MAXLEN && !error; len++) {
		uint64_t ino;

		snprintf(name, sizeof(name), "s%u", len);
		mktarget(len, target);
		error = libxfs_dir_lookup(mp, dp, (const uint8_t *)name,
					  (unsigned int)strlen(name), &ino, NULL);
		if (!error) {
			error = libxfs_iget(mp, ino, 0, &ip);
		}
		if (!error) {
			int r = libxfs_readlink(mp, ip, got, sizeof(got));

			if (r != (int)len || memcmp(got, target, len)) {
				bad++;
			}
			libxfs_irele(ip);
		}
	}
	CHECK(error == 0 && bad == 0, "our reader reads every target back "
	      "(%u wrong): %d", bad, error);
	libxfs_irele(dp);
}

/* ---- xattrs ---- */

static const char *ns_name(unsigned int ns)
{
	return ns == XFS_ATTR_ROOT ? "trusted" :
	       ns == XFS_ATTR_SECURE ? "security" : "user";
}

static uint8_t valbuf[XFS_XATTR_SIZE_MAX];

static void mkvalue(unsigned int seed, unsigned int len)
{
	unsigned int k;

	for (k = 0; k < len; k++) {
		valbuf[k] = (uint8_t)(seed * 31 + k * 7 + (k >> 8));
	}
}

/* Add one attribute and note it in the manifest; check read-back. */
static int add_attr(struct xfs_inode *ip, const char *path, unsigned int ns,
		    const char *name, unsigned int valuelen, unsigned int seed)
{
	static uint8_t got[XFS_XATTR_SIZE_MAX];
	unsigned int len = sizeof(got);
	int error;

	mkvalue(seed, valuelen);
	error = libxfs_attr_set(tp, ip, ns, (const unsigned char *)name,
				(unsigned int)strlen(name), valbuf, valuelen);
	if (error) {
		return error;
	}
	error = libxfs_attr_get_tp(tp, ip, ns, (const uint8_t *)name,
				   (unsigned int)strlen(name), got, &len);
	if (error) {
		return error;
	}
	if (len != valuelen || memcmp(got, valbuf, len)) {
		return -EIO;
	}
	fprintf(man, "A %s %s ", path, ns_name(ns));
	put_hex(name, strlen(name));
	fputc(' ', man);
	put_hex(valbuf, valuelen);
	fputc('\n', man);
	return 0;
}

/* A file /attrs/NAME with count attributes made by fn. */
struct attr_case {
	const char	*name;
	uint16_t	mode;
	unsigned int	count;
	unsigned int	valuelen;	/* 0: varies */
	const char	*want;		/* aformat after: local/extents/btree */
	unsigned int	fill;		/* symlink target bytes / dir entries
					   before the first attribute */
};

static const char *afmt(const struct xfs_inode *ip)
{
	switch (ip->i_af.if_format) {
	case XFS_DINODE_FMT_LOCAL: return "local";
	case XFS_DINODE_FMT_EXTENTS: return "extents";
	case XFS_DINODE_FMT_BTREE: return "btree";
	}
	return "?";
}

static void test_attrs(void)
{
	static const struct attr_case cases[] = {
		{ "sf1",     XFS_IFREG | 0644, 1,    5,     "local" },
		{ "sf3ns",   XFS_IFREG | 0644, 3,    20,    "local" },
		{ "sf-max",  XFS_IFREG | 0644, 10,   20,    "local" },
		{ "leaf11",  XFS_IFREG | 0644, 11,   20,    "extents" },
		{ "node60",  XFS_IFREG | 0644, 60,   0,     "extents" },
		{ "node600", XFS_IFREG | 0644, 600,  0,     "extents" },
		{ "rmt3100", XFS_IFREG | 0644, 1,    3100,  "extents" },
		{ "rmt64k",  XFS_IFREG | 0644, 3,    65536, "extents" },
		{ "empty",   XFS_IFREG | 0644, 2,    1,     "local" },
		{ "dir",     XFS_IFDIR | 0755, 40,   0,     "extents" },
		{ "lnk",     XFS_IFLNK | 0777, 5,    8,     "local" },
		// Inline data the new attr fork leaves no room for: the
		// symlink goes remote, the directory becomes a block.
		{ "lnk300",  XFS_IFLNK | 0777, 3,    8,     "local", 300 },
		{ "dirsf19", XFS_IFDIR | 0755, 3,    8,     "local", 19 },
		// Extent lists the attr fork squeezes: 20 extents (fits
		// the inode alone, becomes a bmbt), 60 (a bmbt already).
		{ "ext20",   XFS_IFREG | 0644, 12,   20,    "extents", 20 },
		{ "ext60",   XFS_IFREG | 0644, 12,   20,    "extents", 60 },
	};
	struct xfs_inode *dp, *ip;
	unsigned int c, i;
	char path[64], name[1100];
	uint8_t fill_fmt;
	int error;

	error = tx_begin(16);
	if (!error) {
		error = mksubdir(root, "/", "attrs", &dp);
	}
	if (!error) {
		error = tx_commit();
	}
	if (error) {
		CHECK(0, "mkdir /attrs: %d", error);
		return;
	}
	fprintf(man, "D /attrs\n");
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct attr_case *ac = &cases[c];

		snprintf(path, sizeof(path), "/attrs/%s", ac->name);
		error = tx_begin(64);
		if (!error) {
			if ((ac->mode & XFS_IFMT) == XFS_IFDIR) {
				error = mksubdir(dp, NULL, ac->name, &ip);
				for (i = 0; i < ac->fill && !error; i++) {
					snprintf(name, sizeof(name), "entry%03u",
						 i);
					error = libxfs_dir_createname(tp, ip,
						(const unsigned char *)name, 8,
						targets[0].ip->i_ino,
						targets[0].ftype);
					targets[0].links++;
				}
			} else {
				error = new_inode(dp, ac->mode, 0, 1, &ip);
				for (i = 0; !error && i < ac->fill &&
				     (ac->mode & XFS_IFMT) == XFS_IFREG; i++) {
					struct xfs_bmbt_irec map;
					int nmap = 1;

					// Every other block: one extent each.
					error = libxfs_bmapi_write(tp, ip, 2 * i,
							1, 0, &map, &nmap);
					ip->i_size = (2 * i + 1) *
						(uint64_t)mp->m_sb.sb_blocksize;
				}
				if (!error &&
				    (ac->mode & XFS_IFMT) == XFS_IFLNK) {
					mktarget(ac->fill ? ac->fill : 10, name);
					if (!ac->fill) {
						memcpy(name, "some/where", 11);
					}
					error = libxfs_symlink_write(tp, ip,
						name, (unsigned int)strlen(name));
				}
				if (!error) {
					error = libxfs_dir_createname(tp, dp,
						(const unsigned char *)ac->name,
						(unsigned int)strlen(ac->name),
						ip->i_ino,
						xfs_mode_to_ftype(ac->mode));
				}
			}
		}
		if (error) {
			CHECK(0, "%s: create: %d", path, error);
			if (tp) {
				xfs_trans_cancel(tp);
				tp = NULL;
			}
			continue;
		}
		fprintf(man, "E /attrs ");
		put_hex(ac->name, strlen(ac->name));
		fprintf(man, " %llu\n", (unsigned long long)ip->i_ino);
		if ((ac->mode & XFS_IFMT) == XFS_IFLNK) {
			mktarget(ac->fill ? ac->fill : 10, name);
			if (!ac->fill) {
				memcpy(name, "some/where", 11);
			}
			fprintf(man, "L %s ", path);
			put_hex(name, strlen(name));
			fputc('\n', man);
		}
		if ((ac->mode & XFS_IFMT) == XFS_IFDIR && ac->fill) {
			fprintf(man, "D %s\n", path);
			for (i = 0; i < ac->fill; i++) {
				snprintf(name, sizeof(name), "entry%03u", i);
				fprintf(man, "E %s ", path);
				put_hex(name, 8);
				fprintf(man, " %llu\n",
					(unsigned long long)targets[0].ip->i_ino);
			}
		}
		fill_fmt = ip->i_df.if_format;
		fprintf(man, "X %s\n", path);
		for (i = 0; i < ac->count && !error; i++) {
			unsigned int ns = i % 3 == 1 ? XFS_ATTR_ROOT :
					  i % 3 == 2 ? XFS_ATTR_SECURE : 0;
			unsigned int vlen = ac->valuelen ? ac->valuelen :
					    (i * 37) % 300;

			if (ac->valuelen == 1) {
				vlen = 0;	/* "empty": zero-length values */
			}
			if ((ac->mode & XFS_IFMT) == XFS_IFLNK) {
				// Linux keeps user.* off symlinks.
				ns = i % 2 ? XFS_ATTR_ROOT : XFS_ATTR_SECURE;
			}
			if (c < 3) {
				snprintf(name, sizeof(name), "n%03u", i);
			} else {
				mkname(i, i % 60 + 1, name);
			}
			if (i % 64 == 63) {
				error = tx_commit();
				if (!error) {
					error = tx_begin(64);
				}
				if (error) {
					break;
				}
			}
			error = add_attr(ip, path, ns, name, vlen, c * 1000 + i);
		}
		if (!error && ac->count) {
			unsigned int ns = (ac->count - 1) % 3 == 1 ? XFS_ATTR_ROOT :
					  (ac->count - 1) % 3 == 2 ?
					  XFS_ATTR_SECURE : 0;

			if ((ac->mode & XFS_IFMT) == XFS_IFLNK) {
				ns = (ac->count - 1) % 2 ? XFS_ATTR_ROOT :
							   XFS_ATTR_SECURE;
			}

			// The last name again, same namespace: refused.
			error = libxfs_attr_set(tp, ip, ns,
					(const unsigned char *)name,
					(unsigned int)strlen(name), "x", 1);
			error = error == -EEXIST ? 0 : (error ? error : -EINVAL);
		}
		if (!error) {
			error = tx_commit();
		} else if (tp) {
			xfs_trans_cancel(tp);
			tp = NULL;
		}
		// "extents": not shortform (a btree when blocks are many).
		if (ac->fill && (ac->mode & XFS_IFMT) == XFS_IFREG) {
			uint64_t blocks = 0;

			libxfs_bmap_count_blocks(ip, XFS_DATA_FORK, &blocks);
			CHECK(ip->i_df.if_format == XFS_DINODE_FMT_BTREE &&
			      blocks == ac->fill,
			      "%s: %u-extent data fork made room (format %u -> "
			      "%u, %llu blocks mapped)", path, ac->fill,
			      fill_fmt, ip->i_df.if_format,
			      (unsigned long long)blocks);
		} else if (ac->fill) {
			CHECK(fill_fmt == XFS_DINODE_FMT_LOCAL &&
			      ip->i_df.if_format == XFS_DINODE_FMT_EXTENTS,
			      "%s: inline data moved out for the attr fork "
			      "(data fork %u -> %u)", path, fill_fmt,
			      ip->i_df.if_format);
		}
		CHECK(error == 0 && (!strcmp(afmt(ip), ac->want) ||
				     (!strcmp(ac->want, "extents") &&
				      !strcmp(afmt(ip), "btree"))),
		      "%s: %u attrs, fork %s (want %s), forkoff %u: %d", path,
		      ac->count, afmt(ip), ac->want, ip->i_forkoff, error);
		if (!error && strcmp(afmt(ip), "local")) {
			struct xfs_buf *bp;
			unsigned int magic = 0;

			if (!libxfs_da_read_buf(ip, XFS_ATTR_FORK, 0, 0,
						&xfs_da3_anyblock_buf_ops, &bp)) {
				magic = be16_to_cpu(((struct xfs_da_blkinfo *)
						     bp->b_addr)->magic);
				libxfs_buf_relse(bp);
			}
			CHECK(magic == (ac->count >= 40 ? XFS_DA3_NODE_MAGIC :
					XFS_ATTR3_LEAF_MAGIC),
			      "%s: attr block 0 is a %s", path,
			      magic == XFS_DA3_NODE_MAGIC ? "dabtree node" :
			      magic == XFS_ATTR3_LEAF_MAGIC ? "leaf" : "?");
		}
		libxfs_irele(ip);
	}
	libxfs_irele(dp);
}


/* Is the reference xfs_repair -n clean on image?  (Output shown if not.) */
static int repair_clean(const char *image, const char *when)
{
	int rc = t_run("%s -n '%s' > '%s' 2>&1", REF_REPAIR, image,
		       t_path("repair.out"));

	if (rc != 0) {
		t_run("head -40 '%s'", t_path("repair.out"));
	}
	CHECK(rc == 0, "reference xfs_repair -n is clean %s (exit %d)", when,
	      rc);
	return rc;
}

/* ---- 8-byte inode numbers in shortform directories ---- */

/* Inode number of path (components separated by '/') in mount m. */
static int lookup_path(struct xfs_mount *m, const char *path, uint64_t *inop)
{
	char buf[128], *save = NULL, *c;
	struct xfs_inode *ip;
	uint64_t ino = m->m_sb.sb_rootino;
	int error = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	for (c = strtok_r(buf, "/", &save); c && !error;
	     c = strtok_r(NULL, "/", &save)) {
		error = libxfs_iget(m, ino, 0, &ip);
		if (!error) {
			error = libxfs_dir_lookup(m, ip, (const uint8_t *)c,
						  (unsigned int)strlen(c), &ino,
						  NULL);
			libxfs_irele(ip);
		}
	}
	*inop = ino;
	return error;
}

/*
 * On a 4 TiB sparse image the kernel makes i8/dK/{f,sub} (K = 0..7, the
 * odd K in an AG whose inode numbers pass 2^32).  We add links to the
 * i8/dK/f into i8/d0/sub (small parent: goes to 8-byte numbers at the
 * first big one), i8/d1/sub (big parent: 8-byte from the start) and
 * i8/d2/sub (48 links: becomes a block directory).
 */
static void test_i8(const char *top)
{
	static const char *subs[] = { "/i8/d0/sub", "/i8/d1/sub", "/i8/d2/sub" };
	const char *bimg = t_path("big.img");
	unsigned int k, s, n, links[8] = { 0 }, i8[3] = { 0 };
	struct xfs_inode *dp, *fp;
	struct xfs_mount *bmp;
	uint64_t fino[8], ino;
	FILE *f, *saved = man;
	char name[32];
	int error, rc;

	if (t_mkfs(bimg, "4t", "-K -l size=64m")) {
		CHECK(0, "i8: reference mkfs of a 4 TiB sparse image");
		return;
	}
	rc = t_run("d=$(mktemp -d) && mount -o loop '%s' $d 2>/dev/null && "
		   "python3 -c \"import os,sys\nos.mkdir(sys.argv[1]+'/i8')\n"
		   "for k in range(8):\n d=sys.argv[1]+'/i8/d%%d'%%k\n os.mkdir(d)\n"
		   " open(d+'/f','w').close()\n os.mkdir(d+'/sub')\n"
		   " print(os.stat(d+'/f').st_ino)\" $d > '%s'; r=$?; "
		   "umount $d 2>/dev/null; rmdir $d; exit $r", bimg,
		   t_path("big.inos"));
	if (rc != 0) {
		printf("# skip: 8-byte inode numbers (cannot loop-mount to "
		       "populate the image)\n");
		return;
	}
	f = fopen(t_path("big.inos"), "r");
	for (k = 0; f && k < 8; k++) {
		unsigned long long v;

		if (fscanf(f, "%llu", &v) != 1) {
			break;
		}
		fino[k] = v;
	}
	if (f) {
		fclose(f);
	}
	CHECK(k == 8 && fino[1] > 0xffffffffULL && fino[0] <= 0xffffffffULL,
	      "i8: the kernel made files with inode numbers %llu and %llu",
	      k == 8 ? (unsigned long long)fino[0] : 0ULL,
	      k == 8 ? (unsigned long long)fino[1] : 0ULL);
	if (k != 8) {
		return;
	}
	man = fopen(t_path("big.manifest"), "w");
	error = libxfs_mount(bimg, 0, &bmp);
	if (error || !man) {
		CHECK(0, "i8: mount: %d", error);
		goto out;
	}
	for (s = 0; s < 3 && !error; s++) {
		error = lookup_path(bmp, subs[s], &ino);
		if (!error) {
			error = xfs_trans_alloc(bmp, 32, &tp);
		}
		if (!error) {
			error = libxfs_trans_iget(bmp, tp, ino, &dp);
			if (error) {
				xfs_trans_cancel(tp);
			}
		}
		if (error) {
			break;
		}
		fprintf(man, "D %s\n", subs[s]);
		n = s == 2 ? 48 : 8;
		for (k = 0; k < n && !error; k++) {
			snprintf(name, sizeof(name),
				 s == 2 ? "link-%u-to-some-file" : "f%u", k);
			error = libxfs_dir_createname(tp, dp,
					(const unsigned char *)name,
					(unsigned int)strlen(name), fino[k % 8],
					XFS_DIR3_FT_REG_FILE);
			links[k % 8]++;
			fprintf(man, "E %s ", subs[s]);
			put_hex(name, strlen(name));
			fprintf(man, " %llu\n", (unsigned long long)fino[k % 8]);
			if (s < 2 && dp->i_df.if_format == XFS_DINODE_FMT_LOCAL) {
				i8[s] = ((uint8_t *)dp->i_df.if_data)[1];
			}
		}
		if (!error) {
			error = tx_commit();
		} else {
			xfs_trans_cancel(tp);
			tp = NULL;
		}
		if (s == 2) {
			i8[2] = dp->i_df.if_format;
		}
		libxfs_irele(dp);
	}
	CHECK(error == 0 && i8[0] == 4 && i8[1] == 5 &&
	      i8[2] == XFS_DINODE_FMT_EXTENTS,
	      "i8: i8count %u (small parent), %u (big parent), third dir "
	      "format %u: %d", i8[0], i8[1], i8[2], error);
	// Link counts of the files we linked to.
	if (!error) {
		error = xfs_trans_alloc(bmp, 0, &tp);
	}
	for (k = 0; k < 8 && !error; k++) {
		error = libxfs_trans_iget(bmp, tp, fino[k], &fp);
		if (!error) {
			fp->i_nlink += links[k];
			error = libxfs_trans_log_inode(tp, fp);
			libxfs_irele(fp);
		}
	}
	if (!error) {
		error = tx_commit();
	}
	CHECK(error == 0, "i8: link counts: %d", error);
	error = libxfs_umount(bmp);
	CHECK(error == 0, "i8: unmount: %d", error);
	fclose(man);
	man = NULL;
	repair_clean(bimg, "(i8 image)");
	rc = t_run("python3 '%s/tests/u_libxfs_dirw/kcheck.py' '%s' '%s'", top,
		   bimg, t_path("big.manifest"));
	CHECK(rc == 0 || rc == 77, "i8: the kernel sees the 8-byte entries");
out:
	if (man) {
		fclose(man);
	}
	man = saved;
	unlink(bimg);
}


/* ---- ASCII case-insensitive directories (-n version=ci) ---- */

static void test_ci(void)
{
	const char *cimg = t_path("ci.img");
	struct xfs_inode *rp, *fp, *dp;
	unsigned int i, links = 0;
	char name[32], cmd[512], out[64];
	int error, dup = 0;
	FILE *f;

	if (t_mkfs(cimg, "1g", "-n version=ci")) {
		CHECK(0, "ci: reference mkfs -n version=ci");
		return;
	}
	error = libxfs_mount(cimg, 0, &mp);
	if (error) {
		CHECK(0, "ci: mount: %d", error);
		return;
	}
	error = tx_begin(64);
	if (!error) {
		error = libxfs_trans_iget(mp, tp, mp->m_sb.sb_rootino, &rp);
	}
	if (!error) {
		error = new_inode(rp, XFS_IFREG | 0644, 0, 1, &fp);
		if (error) {
			libxfs_irele(rp);
		}
	}
	if (error) {
		CHECK(0, "ci: set-up: %d", error);
		goto out_umount;
	}
	error = mksubdir(rp, NULL, "Dir", &dp);
	// Names differing in case only are one name; 300 of them make a
	// leaf directory.
	for (i = 0; i < 300 && !error; i++) {
		snprintf(name, sizeof(name), "File_Name_%u", i);
		error = libxfs_dir_createname(tp, dp, (const unsigned char *)name,
					      (unsigned int)strlen(name),
					      fp->i_ino, XFS_DIR3_FT_REG_FILE);
		links++;
		if (!error && i % 50 == 7) {
			snprintf(name, sizeof(name), "fILE_nAME_%u", i);
			dup += libxfs_dir_createname(tp, dp,
					(const unsigned char *)name,
					(unsigned int)strlen(name), fp->i_ino,
					XFS_DIR3_FT_REG_FILE) == -EEXIST;
		}
		if (!error && i % 100 == 99) {
			error = tx_commit();
			if (!error) {
				error = tx_begin(64);
			}
		}
	}
	if (!error) {
		error = libxfs_dir_createname(tp, rp, (const unsigned char *)"f", 1,
					      fp->i_ino, XFS_DIR3_FT_REG_FILE);
		dup += libxfs_dir_createname(tp, rp, (const unsigned char *)"DIR",
					     3, fp->i_ino,
					     XFS_DIR3_FT_REG_FILE) == -EEXIST;
	}
	if (!error) {
		fp->i_nlink = 1 + links;
		error = libxfs_trans_log_inode(tp, fp);
	}
	if (!error) {
		error = tx_commit();
	} else if (tp) {
		xfs_trans_cancel(tp);
		tp = NULL;
	}
	CHECK(error == 0 && dup == 7,
	      "ci: 300 names, the 7 case variants refused (-EEXIST %d): %d",
	      dup, error);
	libxfs_irele(dp);
	libxfs_irele(fp);
	libxfs_irele(rp);
out_umount:
	libxfs_umount(mp);
	mp = NULL;
	repair_clean(cimg, "(ci image)");
	snprintf(cmd, sizeof(cmd),
		 "%s -r -c 'path /Dir' -c ls '%s' 2>/dev/null | wc -l", REF_DB,
		 cimg);
	f = popen(cmd, "r");
	out[0] = 0;
	if (f) {
		if (!fgets(out, sizeof(out), f)) {
			out[0] = 0;
		}
		pclose(f);
	}
	CHECK(strtoul(out, NULL, 10) == 302, "ci: xfs_db ls /Dir: %lu entries",
	      strtoul(out, NULL, 10));
	unlink(cimg);
}

/* ---- the whole image ---- */

static int setup_targets(void)
{
	unsigned int i;
	int error;

	error = tx_begin(16);
	for (i = 0; i < NTARGETS && !error; i++) {
		struct target *t = &targets[i];

		error = new_inode(root, t->mode, t->rdev, 1, &t->ip);
		if (!error && (t->mode & XFS_IFMT) == XFS_IFLNK) {
			error = libxfs_symlink_write(tp, t->ip, "t_reg", 5);
		}
		if (!error) {
			error = libxfs_dir_createname(tp, root,
					(const unsigned char *)t->name,
					(unsigned int)strlen(t->name),
					t->ip->i_ino, t->ftype);
		}
	}
	if (!error) {
		error = tx_commit();
	}
	return error;
}

static int finish_targets(void)
{
	unsigned int i;
	int error;

	error = tx_begin(0);
	for (i = 0; i < NTARGETS && !error; i++) {
		targets[i].ip->i_nlink = 1 + targets[i].links;
		error = libxfs_trans_log_inode(tp, targets[i].ip);
	}
	if (!error) {
		error = tx_commit();
	}
	for (i = 0; i < NTARGETS; i++) {
		libxfs_irele(targets[i].ip);
	}
	return error;
}

/* The reference xfs_db must agree on formats and list what we put in. */
static void db_checks(const struct dir_case *dirs, unsigned int ndirs)
{
	char cmds[256], buf[256], out[64];
	unsigned int i, lines;
	FILE *f;

	for (i = 0; i < ndirs; i++) {
		snprintf(cmds, sizeof(cmds), "-c 'path /d%u' -c 'p core.format'",
			 dirs[i].n);
		buf[0] = 0;
		t_db_field(img, cmds, "core.format", buf, sizeof(buf));
		CHECK(dirs[i].fmt == XFS_DIR_FMT_SF ? !strcmp(buf, "1 (local)") :
		      !strcmp(buf, "2 (extents)") || !strcmp(buf, "3 (btree)"),
		      "xfs_db: /d%u core.format = %s", dirs[i].n, buf);
		snprintf(cmds, sizeof(cmds),
			 "%s -r -c 'path /d%u' -c ls '%s' 2>/dev/null | wc -l",
			 REF_DB, dirs[i].n, img);
		lines = 0;
		f = popen(cmds, "r");
		if (f && fgets(out, sizeof(out), f)) {
			lines = (unsigned int)strtoul(out, NULL, 10);
		}
		if (f) {
			pclose(f);
		}
		CHECK(lines == dirs[i].n + 2,
		      "xfs_db ls /d%u: %u entries (want %u)", dirs[i].n, lines,
		      dirs[i].n + 2);
	}
}

/*
 * One image: mkfs with opts, every writer, then the judges.  Directory
 * sizes differ by geometry so that each reaches the format given.
 */
static void run_image(const char *label, const char *size, const char *opts,
		      const struct dir_case *dirs, unsigned int ndirs,
		      const char *top)
{
	unsigned int i;
	int error, rc;

	printf("# image %s: mkfs.xfs %s\n", label, opts);
	img = t_path("dirw.img");
	if (t_mkfs(img, size, opts)) {
		CHECK(0, "%s: reference mkfs", label);
		return;
	}
	for (i = 0; i < NTARGETS; i++) {
		targets[i].ip = NULL;
		targets[i].links = 0;
	}
	man = fopen(t_path("manifest"), "w");
	error = libxfs_mount(img, 0, &mp);
	CHECK(error == 0 && man, "%s: mount the reference image: %d", label,
	      error);
	if (error || !man) {
		return;
	}
	fprintf(man, "D /\n");
	error = tx_begin(0);
	if (!error) {
		error = libxfs_trans_iget(mp, tp, mp->m_sb.sb_rootino, &root);
	}
	if (!error) {
		error = tx_commit();
	}
	if (!error) {
		error = setup_targets();
	}
	CHECK(error == 0, "root and one inode of each file type: %d", error);
	if (error) {
		return;
	}
	test_dir_errors();
	for (i = 0; i < ndirs; i++) {
		test_dir(&dirs[i]);
	}
	test_symlinks();
	test_attrs();
	for (i = 0; i < NTARGETS; i++) {
		fprintf(man, "E / ");
		put_hex(targets[i].name, strlen(targets[i].name));
		fprintf(man, " %llu\n", (unsigned long long)targets[i].ip->i_ino);
	}
	error = finish_targets();
	CHECK(error == 0, "link counts of the hard-linked targets: %d", error);
	libxfs_irele(root);
	error = libxfs_umount(mp);
	CHECK(error == 0, "unmount: %d", error);
	fclose(man);
	man = NULL;
	repair_clean(img, "after our writes");
	db_checks(dirs, ndirs);

	rc = t_run("python3 '%s/tests/u_libxfs_dirw/kcheck.py' '%s' '%s'", top,
		   img, t_path("manifest"));
	if (rc == 77) {
		printf("# skip: kernel check (cannot loop-mount here)\n");
	} else {
		CHECK(rc == 0, "the kernel sees what we wrote and changes it");
		if (rc == 0) {
			repair_clean(img, "after the kernel changed the tree");
		}
	}
	unlink(img);
}

int main(void)
{
	static const struct dir_case dirs4k[] = {
		{ 0, XFS_DIR_FMT_SF }, { 5, XFS_DIR_FMT_SF },
		{ 20, XFS_DIR_FMT_BLOCK }, { 100, XFS_DIR_FMT_LEAF },
		{ 1000, XFS_DIR_FMT_NODE }, { 20000, XFS_DIR_FMT_NODE, 0, 1 },
		// 255-byte names, 14 a block: past the 2,016 data blocks one
		// free index block covers.
		{ 28500, XFS_DIR_FMT_NODE, 255, 2 },
	};
	// 1 KiB blocks, 8 KiB directory blocks: dir blocks of 8 fs blocks.
	static const struct dir_case dirs1k[] = {
		{ 5, XFS_DIR_FMT_SF }, { 100, XFS_DIR_FMT_BLOCK },
		{ 400, XFS_DIR_FMT_LEAF }, { 3000, XFS_DIR_FMT_NODE },
	};
	const char *top = getenv("TOP");

	t_require_reference();
	t_setup_dir();
	if (!top) {
		top = ".";
	}
	run_image("4k", "1g", "-m uuid=5ee4c0de-1234-4321-8888-0123456789ab",
		  dirs4k, sizeof(dirs4k) / sizeof(dirs4k[0]), top);
	run_image("1k/8k", "1g", "-b size=1024 -n size=8192",
		  dirs1k, sizeof(dirs1k) / sizeof(dirs1k[0]), top);
	test_i8(top);
	test_ci();
	printf("# %d failures\n", t_failures);
	return t_failures ? 1 : 0;
}
