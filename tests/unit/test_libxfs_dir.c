/*
 * test_libxfs_dir.c: directories, extended attributes and symlinks read
 * through libxfs compared with what the kernel reports.  Images are
 * populated through a loop mount by tests/u_libxfs_dir/populate.py (which
 * also prints the kernel's view: readdir + lstat, listxattr/getxattr,
 * readlink): 4k blocks with every directory and attr format (hash
 * collisions spanning leaves included); 1k blocks with 8k directory
 * blocks on fragmented free space (discontiguous directory blocks,
 * multi-extent symlinks and remote values); a 4 TiB sparse image whose
 * inode numbers pass 2^32 (8-byte shortform inodes).  An ASCII-CI image,
 * which today's kernel refuses to mount, is made with a mkfs protofile
 * and described by the reference xfs_db.  Directory listings must also
 * equal the reference `xfs_db ls` byte for byte.  Then the blocks are damaged (in the buffer cache, in the inode's
 * fork copy, and with the reference blocktrash) and only errors may come
 * back.  Needs root and loop mounts; prints "# skip" and passes without.
 * LIBXFS_TEST_IMAGES=DIR keeps the populated images there for reuse;
 * LIBXFS_TEST_SEED=N damages other bytes than the default run.
 */
#include "test_libxfs_util.h"
#include "test_libxfs_dir.h"
#include "test_libxfs_dir_fuzz.h"

struct image {
	const char	*kind;		/* "ci" goes through a mkfs protofile */
	const char	*size;
	const char	*mkfs_opts;
	const char	*mkfs_env;
	const char	*mnt_opts;
	char		img[512];
	char		man[512];
};

static struct image images[] = {
	{ "main", "512m", "", "", "" },
	{ "multi", "64m", "-b size=1024 -n size=8192 -m reflink=0,finobt=0",
	  "TEST_DIR=/nonexistent TEST_DEV=/nonexistent QA_CHECK_FS=xfs ",
	  ",ikeep" },
	{ "ci", "64m", "-n version=ci",
	  "TEST_DIR=/nonexistent TEST_DEV=/nonexistent QA_CHECK_FS=xfs ", "" },
	{ "big", "4t", "-K -l size=64m", "", "" },
};
#define NIMAGES	(sizeof(images) / sizeof(images[0]))

static struct xfs_mount *mp;
static const struct image *cur_img;

/* Totals over an image, for the summary checks. */
static struct totals {
	unsigned int	dirs, dir_bad, fmt_seen[5], attrs, attr_bad;
	unsigned int	links, link_bad, inline_links, remote_links;
	unsigned int	discontig, i8dirs, big_inos, files, bmap_bad;
	unsigned int	ls_same, ls_diff;
	uint64_t	entries, lookups, values, remote_values, ci_lookups;
} tot;

/* ---- building the images ---- */

static const char *top_dir(void)
{
	static char top[512];
	const char *env = getenv("TOP");
	ssize_t n;
	int i;

	if (env && *env) {
		return env;
	}
	// build/<variant>/tests/unit/<binary>: four levels below the top.
	n = readlink("/proc/self/exe", top, sizeof(top) - 1);
	if (n <= 0) {
		return ".";
	}
	top[n] = 0;
	for (i = 0; i < 5; i++) {
		char *s = strrchr(top, '/');

		if (!s) {
			return ".";
		}
		*s = 0;
	}
	return top;
}

/*
 * 0 built (or reused), 1 cannot mount here, 2 cannot make the sparse
 * file (the 4 TiB one, on small filesystems), -1 failure.
 */
static int build_image(struct image *im, const char *dir)
{
	const char *py = access("/usr/bin/python3", X_OK) == 0 ?
			 "/usr/bin/python3" : "python3";
	char mnt[600], ok[600];
	int rc;

	snprintf(im->img, sizeof(im->img), "%s/%s.img", dir, im->kind);
	snprintf(im->man, sizeof(im->man), "%s/%s.manifest", dir, im->kind);
	snprintf(ok, sizeof(ok), "%s/%s.ok", dir, im->kind);
	snprintf(mnt, sizeof(mnt), "%s/mnt-%s", dir, im->kind);
	if (access(ok, F_OK) == 0) {
		return 0;
	}
	if (strcmp(im->kind, "ci") == 0) {
		// The kernel refuses ascii-ci: the reference mkfs fills it.
		rc = t_run("%s '%s/tests/u_libxfs_dir/populate.py' proto > "
			   "'%s.proto' && rm -f '%s' && truncate -s %s '%s' && "
			   "%s%s -q -f %s -p '%s.proto' '%s' >/dev/null 2>&1 && "
			   "%s '%s/tests/u_libxfs_dir/populate.py' dbman '%s' > "
			   "'%s' && touch '%s'", py, top_dir(), im->man, im->img,
			   im->size, im->img, im->mkfs_env, REF_MKFS,
			   im->mkfs_opts, im->man, im->img, py, top_dir(),
			   im->img, im->man, ok);
		return rc == 0 ? 0 : -1;
	}
	// (Blocktrashed copies of an older image go too.)
	if (t_run("rm -f '%s' '%s'-trash-* && truncate -s %s '%s'", im->img,
		  im->img, im->size, im->img) != 0) {
		return 2;	/* no room for a sparse file that size */
	}
	if (t_run("%s%s -q -f %s '%s' >/dev/null 2>&1", im->mkfs_env, REF_MKFS,
		  im->mkfs_opts, im->img) != 0) {
		return -1;
	}
	if (t_run("mkdir -p '%s' && mount -o loop%s '%s' '%s' >/dev/null 2>&1",
		  mnt, im->mnt_opts, im->img, mnt) != 0) {
		return 1;
	}
	rc = t_run("%s '%s/tests/u_libxfs_dir/populate.py' '%s' %s > '%s'", py,
		   top_dir(), mnt, im->kind, im->man);
	if (t_run("umount '%s'", mnt) != 0) {
		t_run("sleep 1; umount '%s' || umount -l '%s'", mnt, mnt);
	}
	if (rc != 0) {
		return -1;
	}
	return t_run("touch '%s'", ok) == 0 ? 0 : -1;
}

/* ---- helpers ---- */

static int resolve(const uint8_t *path, unsigned int len, uint64_t *ino)
{
	uint64_t cur = mp->m_sb.sb_rootino;
	unsigned int i = 0, j;
	int error;

	while (i < len) {
		struct xfs_inode *dp;

		for (j = i; j < len && path[j] != '/'; j++) {
		}
		if (j > i) {
			error = libxfs_iget(mp, cur, 0, &dp);
			if (error) {
				return error;
			}
			error = libxfs_dir_lookup(mp, dp, path + i, j - i, &cur,
						  NULL);
			libxfs_irele(dp);
			if (error) {
				return error;
			}
		}
		i = j + 1;
	}
	*ino = cur;
	return 0;
}

/* ---- directories ---- */

static const char *const ftype_names[] = {
	"unknown", "regular", "directory", "chardev", "blkdev", "fifo",
	"socket", "symlink", "whiteout",
};

/* One line as the reference `xfs_db ls` prints it. */
static void ls_line(struct buf *b, const struct xfs_dir_ent *de)
{
	char head[128];
	bool bad = memchr(de->name, '/', de->namelen) ||
		   memchr(de->name, 0, de->namelen);

	snprintf(head, sizeof(head), "%-10u %-18llu %-14s 0x%08x %3u ",
		 de->cookie, (unsigned long long)de->ino,
		 de->ftype < 9 ? ftype_names[de->ftype] : "unknown",
		 libxfs_dir_hashname(mp, de->name, de->namelen), de->namelen);
	buf_add(b, head, strlen(head));
	buf_add(b, de->name, de->namelen);
	buf_add(b, bad ? " (corrupt)\n" : " (good)\n", bad ? 11 : 8);
}

/*
 * What the reference `xfs_db ls` prints.  Besides the line format, it has
 * a quirk to reproduce: in leaf and node directories each hole of one
 * directory block in the data segment makes it list the next data block
 * once more (a 2-block hole: that block three times).  So lines are kept
 * per data block and written out 1 + (blocks skipped before it) times.
 */
struct dir_got {
	struct entset	ents;
	struct buf	ls;
	struct buf	blk;		/* lines of the current data block */
	uint32_t	db;		/* its directory block number */
	unsigned int	copies;		/* times the reference prints it */
};

static void ls_flush(struct dir_got *g)
{
	unsigned int i;

	for (i = 0; i < g->copies; i++) {
		buf_add(&g->ls, g->blk.data, g->blk.len);
	}
	g->blk.len = 0;
	g->copies = 0;
}

static int dir_collect(struct xfs_inode *dp, const struct xfs_dir_ent *de,
		       void *priv)
{
	struct dir_got *g = priv;
	uint32_t db = (uint32_t)(((uint64_t)de->dataptr << 3) >>
				 mp->m_dir_geo.blklog);

	entset_add(&g->ents, de->name, de->namelen, de->ino, de->ftype, NULL,
		   0);
	if (!g->copies || db != g->db) {
		unsigned int copies = g->copies ? db - g->db : 1;

		ls_flush(g);
		g->db = db;
		g->copies = copies;
	}
	ls_line(&g->blk, de);
	return 0;
}

static void compare_ls(const struct rec *r, const struct buf *ours)
{
	char cmd[1024];
	struct buf ref = { 0 };

	snprintf(cmd, sizeof(cmd), "%s -r -c 'inode %llu' -c ls '%s' 2>&1",
		 REF_DB, (unsigned long long)r->ino, cur_img->img);
	if (buf_popen(&ref, cmd) != 0) {
		tot.ls_diff++;
		return;
	}
	if (ref.len == ours->len && memcmp(ref.data, ours->data, ref.len) == 0) {
		tot.ls_same++;
	} else {
		tot.ls_diff++;
		printf("# %s: xfs_db ls differs for inode %llu:\n", cur_img->kind,
		       (unsigned long long)r->ino);
		buf_show_diff(&ref, ours);
	}
	free(ref.data);
}

static const char *const fmt_names[] = { "?", "sf", "block", "leaf", "node" };

/* Count directory blocks of dp made of pieces that are not adjacent. */
static unsigned int count_discontig(struct xfs_inode *dp)
{
	struct xfs_bmbt_irec maps[XFS_DA_MAX_MAPS];
	unsigned int fsbcount = mp->m_dir_geo.fsbcount, n, i, found = 0;
	struct extlist l = { 0 };
	uint64_t da, next = 0;
	size_t x;

	if (fsbcount < 2 ||
	    libxfs_bmap_walk(dp, XFS_DATA_FORK, extlist_add, &l)) {
		return 0;
	}
	for (x = 0; x < l.n; x++) {
		uint64_t end = l.v[x].br_startoff + l.v[x].br_blockcount;

		for (da = l.v[x].br_startoff / fsbcount * fsbcount; da < end;
		     da += fsbcount) {
			if (da < next ||
			    libxfs_da_map_block(dp, XFS_DATA_FORK, da, maps,
						&n)) {
				continue;
			}
			next = da + fsbcount;
			for (i = 1; i < n; i++) {
				if (maps[i].br_startblock !=
				    maps[i - 1].br_startblock +
				    maps[i - 1].br_blockcount) {
					found++;
					break;
				}
			}
		}
	}
	free(l.v);
	return found;
}

static void check_dir(struct rec *r)
{
	struct dir_got g = { 0 };
	struct xfs_inode *dp;
	enum xfs_dir_fmt fmt = 0;
	uint64_t ino = 0;
	unsigned int i, bad = 0;
	int error;

	tot.dirs++;
	error = resolve(r->path, r->pathlen, &ino);
	if (error || ino != r->ino) {
		CHECK(0, "%s %s: path resolves to %llu (%d), manifest %llu",
		      cur_img->kind, r->pathstr, (unsigned long long)ino, error,
		      (unsigned long long)r->ino);
		tot.dir_bad++;
		return;
	}
	error = libxfs_iget(mp, ino, LIBXFS_IGET_UNTRUSTED, &dp);
	if (error) {
		CHECK(0, "%s %s: iget %d", cur_img->kind, r->pathstr, error);
		tot.dir_bad++;
		return;
	}
	error = libxfs_dir_format(mp, dp, &fmt);
	if (!error && fmt >= XFS_DIR_FMT_SF && fmt <= XFS_DIR_FMT_NODE) {
		tot.fmt_seen[fmt]++;
	}
	if (strcmp(r->fmt, "-") != 0 && (error || strcmp(fmt_names[fmt],
							 r->fmt) != 0)) {
		printf("# %s %s: format %s (%d), expected %s\n", cur_img->kind,
		       r->pathstr, error ? "?" : fmt_names[fmt], error, r->fmt);
		bad++;
	}
	error = libxfs_dir_iterate(mp, dp, dir_collect, &g);
	ls_flush(&g);
	bad += error != 0;
	bad += entset_compare(&g.ents, &r->ents, false, r->pathstr);
	tot.entries += g.ents.n;
	// Every name the kernel listed, through the hash.
	for (i = 0; i < r->ents.n; i++) {
		const struct ent *e = &r->ents.v[i];
		uint64_t lino;
		uint8_t ft;

		tot.lookups++;
		error = libxfs_dir_lookup(mp, dp, e->name, e->namelen, &lino,
					  &ft);
		if (error || lino != e->ino || ft != e->ftype) {
			if (bad++ < 5) {
				printf("# lookup %.*s: %d ino %llu ft %u\n",
				       (int)e->namelen, e->name, error,
				       (unsigned long long)lino, ft);
			}
		}
		if (xfs_has_asciici(mp)) {
			uint8_t name[256];
			unsigned int k;

			// Any case finds the entry.
			for (k = 0; k < e->namelen; k++) {
				name[k] = isupper(e->name[k]) ?
					  (uint8_t)tolower(e->name[k]) :
					  (uint8_t)toupper(e->name[k]);
			}
			error = libxfs_dir_lookup(mp, dp, name, e->namelen,
						  &lino, &ft);
			bad += error != 0 || lino != e->ino;
			tot.ci_lookups++;
		}
		if (i < 64) {
			uint8_t name[300];

			memcpy(name, e->name, e->namelen);
			memcpy(name + e->namelen, "\001no", 3);
			bad += libxfs_dir_lookup(mp, dp, name, e->namelen + 3,
						 &lino, &ft) != -ENOENT;
		}
	}
	tot.discontig += count_discontig(dp);
	if (dp->i_df.if_format == XFS_DINODE_FMT_LOCAL &&
	    ((uint8_t *)dp->i_df.if_data)[1] != 0) {
		tot.i8dirs++;
	}
	for (i = 0; i < g.ents.n; i++) {
		tot.big_inos += g.ents.v[i].ino > 0xffffffffULL;
	}
	compare_ls(r, &g.ls);
	CHECK(bad == 0 && error == 0, "%s %s: %s, %zu entries as listed by "
	      "populate.py, every name found by lookup", cur_img->kind,
	      r->pathstr, fmt_names[fmt], g.ents.n);
	tot.dir_bad += bad != 0;
	entset_free(&g.ents);
	free(g.ls.data);
	free(g.blk.data);
	libxfs_irele(dp);
}

/* ---- attributes ---- */

struct attr_got {
	struct entset	ents;
	int		error;
};

static int attr_collect(struct xfs_inode *ip, const struct xfs_attr_ent *ae,
			void *priv)
{
	struct attr_got *g = priv;
	uint8_t *v = NULL;

	if (ae->flags & XFS_ATTR_INCOMPLETE) {
		return 0;
	}
	if (ae->remote) {
		v = malloc(ae->valuelen + 1);
		g->error = libxfs_attr_rmtval_get(mp, ip, ae->valueblk,
						  ae->valuelen, v);
		tot.remote_values++;
	}
	entset_add(&g->ents, ae->name, ae->namelen, 0,
		   ae->flags & XFS_ATTR_NSP_ONDISK_MASK,
		   ae->remote ? v : ae->value, ae->valuelen);
	free(v);
	return g->error;
}

static const char *attr_fmt(struct xfs_inode *ip)
{
	struct xfs_buf *bp;
	uint16_t magic;

	if (ip->i_af.if_format == XFS_DINODE_FMT_LOCAL) {
		return "sf";
	}
	if (libxfs_da_read_buf(ip, XFS_ATTR_FORK, 0, 0, NULL, &bp)) {
		return "?";
	}
	magic = get_unaligned_be16((uint8_t *)bp->b_addr + 8);
	libxfs_buf_relse(bp);
	return magic == XFS_ATTR3_LEAF_MAGIC ? "leaf" :
	       magic == XFS_DA3_NODE_MAGIC ? "node" : "?";
}

static void check_attrs(struct rec *r)
{
	static uint8_t val[XFS_XATTR_SIZE_MAX + 16];
	struct attr_got g = { 0 };
	struct xfs_inode *ip;
	const char *fmt;
	unsigned int i, bad = 0, len;
	int error;

	tot.attrs++;
	error = libxfs_iget(mp, r->ino, 0, &ip);
	if (error) {
		CHECK(0, "%s %s: iget %d", cur_img->kind, r->pathstr, error);
		tot.attr_bad++;
		return;
	}
	fmt = attr_fmt(ip);
	if (strcmp(r->fmt, "-") != 0 && strcmp(fmt, r->fmt) != 0) {
		printf("# attr fork of %s is %s, expected %s\n", r->pathstr,
		       fmt, r->fmt);
		bad++;
	}
	error = libxfs_attr_iterate(mp, ip, attr_collect, &g);
	bad += error != 0;
	bad += entset_compare(&g.ents, &r->ents, true, r->pathstr);
	for (i = 0; i < r->ents.n; i++) {
		const struct ent *e = &r->ents.v[i];

		len = sizeof(val);
		error = libxfs_attr_get(mp, ip, e->ftype, e->name, e->namelen,
					val, &len);
		tot.values++;
		if (error || len != e->vlen || memcmp(val, e->val, len) != 0) {
			printf("# get %.*s: %d len %u/%u\n", (int)e->namelen,
			       e->name, error, len, e->vlen);
			bad++;
		}
		len = 0;
		bad += libxfs_attr_get(mp, ip, e->ftype, e->name, e->namelen,
				       NULL, &len) != 0 || len != e->vlen;
		if (e->vlen > 0) {
			len = e->vlen - 1;
			bad += libxfs_attr_get(mp, ip, e->ftype, e->name,
					       e->namelen, val, &len) != -ERANGE ||
			       len != e->vlen;
		}
		if (i < 16) {
			uint8_t name[300];

			memcpy(name, e->name, e->namelen);
			memcpy(name + e->namelen, "_no", 3);
			len = sizeof(val);
			bad += libxfs_attr_get(mp, ip, e->ftype, name,
					       e->namelen + 3, val, &len) !=
			       -ENODATA;
		}
	}
	CHECK(bad == 0, "%s %s: %s attr fork, %zu attributes and values as "
	      "the kernel reads them", cur_img->kind, r->pathstr, fmt,
	      g.ents.n);
	tot.attr_bad += bad != 0;
	entset_free(&g.ents);
	libxfs_irele(ip);
}

/* ---- symlinks and block maps ---- */

static void check_link(const struct rec *r)
{
	char buf[XFS_SYMLINK_MAXLEN + 1];
	struct xfs_inode *ip;
	int n, small;

	tot.links++;
	if (libxfs_iget(mp, r->ino, 0, &ip)) {
		tot.link_bad++;
		CHECK(0, "%s %s: iget", cur_img->kind, r->pathstr);
		return;
	}
	if (ip->i_df.if_format == XFS_DINODE_FMT_LOCAL) {
		tot.inline_links++;
	} else {
		tot.remote_links++;
	}
	n = libxfs_readlink(mp, ip, buf, sizeof(buf));
	small = libxfs_readlink(mp, ip, buf, r->vlen);
	if (n != (int)r->vlen || memcmp(buf, r->val, r->vlen) != 0 ||
	    small != -ERANGE) {
		tot.link_bad++;
		CHECK(0, "%s %s: readlink %d (%d with a short buffer)",
		      cur_img->kind, r->pathstr, n, small);
	}
	libxfs_irele(ip);
}

static void check_file(const struct rec *r)
{
	struct xfs_inode *ip;
	unsigned int bad;

	tot.files++;
	if (libxfs_iget(mp, r->ino, 0, &ip)) {
		tot.bmap_bad++;
		return;
	}
	bad = bmap_crosscheck(ip, XFS_DATA_FORK, 400);
	CHECK(bad == 0, "%s %s: %s fork of %llu extents, 400 random "
	      "libxfs_bmapi_read ranges agree with the extent walk",
	      cur_img->kind, r->pathstr,
	      ip->i_df.if_format == XFS_DINODE_FMT_BTREE ? "btree" : "extents",
	      (unsigned long long)ip->i_df.if_nextents);
	tot.bmap_bad += bad != 0;
	libxfs_irele(ip);
}

static void check_record(struct rec *r, void *priv)
{
	switch (r->type) {
	case 'D':
		check_dir(r);
		break;
	case 'X':
		check_attrs(r);
		break;
	case 'L':
		check_link(r);
		break;
	case 'F':
		check_file(r);
		break;
	}
}

static void check_image(const struct image *im)
{
	int error;

	cur_img = im;
	memset(&tot, 0, sizeof(tot));
	error = libxfs_mount(im->img, LIBXFS_MOUNT_RDONLY | LIBXFS_MOUNT_QUIET,
			     &mp);
	CHECK(error == 0, "%s: mount %s", im->kind, im->img);
	if (error) {
		return;
	}
	error = manifest_walk(im->man, check_record, NULL);
	CHECK(error == 0, "%s: manifest read (%d)", im->kind, error);
	CHECK(tot.ls_diff == 0 && tot.ls_same == tot.dirs,
	      "%s: %u of %u directory listings equal the reference xfs_db ls "
	      "(its repeat-after-hole quirk modelled)",
	      im->kind, tot.ls_same, tot.dirs);
	CHECK(tot.dir_bad == 0 && tot.attr_bad == 0 && tot.link_bad == 0 &&
	      tot.bmap_bad == 0, "%s: %u dirs (%llu entries, %llu lookups), "
	      "%u attr forks (%llu values, %llu remote), %u symlinks, %u maps",
	      im->kind, tot.dirs, (unsigned long long)tot.entries,
	      (unsigned long long)tot.lookups, tot.attrs,
	      (unsigned long long)tot.values,
	      (unsigned long long)tot.remote_values, tot.links, tot.files);
	if (strcmp(im->kind, "main") == 0) {
		CHECK(tot.fmt_seen[1] && tot.fmt_seen[2] && tot.fmt_seen[3] &&
		      tot.fmt_seen[4] && tot.inline_links && tot.remote_links,
		      "main: sf %u, block %u, leaf %u, node %u dirs; %u inline "
		      "and %u remote symlinks", tot.fmt_seen[1],
		      tot.fmt_seen[2], tot.fmt_seen[3], tot.fmt_seen[4],
		      tot.inline_links, tot.remote_links);
		fuzz_synthetic_sf(mp);
	} else if (strcmp(im->kind, "multi") == 0) {
		CHECK(tot.discontig > 0 && mp->m_dir_geo.fsbcount == 8,
		      "multi: %u directory blocks of 8 fs blocks read from "
		      "discontiguous pieces", tot.discontig);
	} else if (strcmp(im->kind, "ci") == 0) {
		CHECK(xfs_has_asciici(mp) && tot.ci_lookups > 3000,
		      "ci: %llu lookups with the case of every letter flipped",
		      (unsigned long long)tot.ci_lookups);
	} else {
		CHECK(tot.i8dirs > 0 && tot.big_inos > 0,
		      "big: %u shortform dirs with 8-byte inode numbers, %u "
		      "entries above 2^32", tot.i8dirs, tot.big_inos);
	}
	if (strcmp(im->kind, "main") == 0 || strcmp(im->kind, "multi") == 0) {
		static const unsigned int seeds[] = { 11, 22, 33, 44 };
		char dir[512], *slash;

		fuzz_image(mp, im->man);
		fault_image(im->img, im->man);
		snprintf(dir, sizeof(dir), "%s", im->img);
		slash = strrchr(dir, '/');
		if (slash) {
			*slash = 0;
		}
		trash_image(im->img, dir, seeds,
			    strcmp(im->kind, "main") == 0 ? 4 : 2);
	}
	libxfs_umount(mp);
	mp = NULL;
}

int main(void)
{
	const char *keep = getenv("LIBXFS_TEST_IMAGES");
	unsigned int i;
	int built[NIMAGES];

	t_require_reference();
	if (getenv("LIBXFS_TEST_SEED")) {
		// Other damage than the default run's (for soak runs).
		t_rng = strtoull(getenv("LIBXFS_TEST_SEED"), NULL, 0) | 1;
		trash_seed_base = (unsigned int)(t_rng % 100000) * 100;
		printf("# seed %llu\n", (unsigned long long)t_rng);
	}
	if (geteuid() != 0) {
		printf("# skip: needs root to loop-mount images\n");
		return 0;
	}
	t_setup_dir();
	if (keep && *keep) {
		t_run("mkdir -p '%s'", keep);
	}
	for (i = 0; i < NIMAGES; i++) {
		built[i] = build_image(&images[i], keep && *keep ? keep : t_dir);
		if (built[i] == 1) {
			printf("# skip: cannot loop-mount an XFS image here\n");
			return 0;
		}
		if (built[i] == 2) {
			printf("# %s image skipped: no %s sparse file here\n",
			       images[i].kind, images[i].size);
			continue;
		}
		CHECK(built[i] == 0, "%s image populated",
		      images[i].kind);
	}
	for (i = 0; i < NIMAGES; i++) {
		if (built[i] == 0) {
			check_image(&images[i]);
		}
	}
	printf("# %d failure(s)\n", t_failures);
	return t_failures != 0;
}
