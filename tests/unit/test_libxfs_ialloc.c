/*
 * test_libxfs_ialloc.c: inode allocation on images made by the
 * reference mkfs.xfs in several geometries (4k, 1k blocks, no finobt,
 * rmapbt, 1k inodes, sparse inodes with nearly full AGs).  Each run
 * places a burst of chunks with libxfs_ialloc_chunk_at (enough to split
 * the inobt and finobt), then creates directories (which rotate across
 * AGs) and thousands of files under them (which stay in their parent's
 * AG), filling those chunks again (the finobt shrinks back).  Checked
 * against the reference tools: xfs_repair -n reports nothing but the
 * disconnected inodes we made (no directories exist yet to link them),
 * xfs_db's AGI and superblock counters match ours and the inodes read
 * back.  Also: -ENOSPC with the image untouched when no AG has room for
 * a chunk; misaligned chunk_at refused.  Placement runs ("place-*")
 * replay the tree a reference mkfs -p made (small directories, empty
 * files) on a plain reference image of the same geometry: every inode
 * number and every AG header and inode btree must come out the same.
 * The "threads" run creates from six threads at once (two pairs share
 * an AG) and is also built with TSan.
 *
 * Usage: test_libxfs_ialloc [config...]  (default: all)
 */
#include <pthread.h>
#include <time.h>

#include "test_libxfs_util.h"

struct cfg {
	const char	*name;
	const char	*opts;
	unsigned int	files;		/* created besides the chunk burst */
	bool		sparse_fill;	/* fill the fs, punch sparse-sized holes */
	unsigned int	threads;	/* create from this many threads at once */
};

static const struct cfg cfgs[] = {
	{ "4k", "", 3000, false },
	{ "nosparse", "-i sparse=0", 3000, false },
	{ "1k", "-b size=1024", 3000, false },
	{ "finobt0", "-m finobt=0", 3000, false },
	{ "rmapbt", "-m rmapbt=1", 3000, false },
	{ "isize1024", "-i size=1024", 3000, false },
	{ "sparse", "-i sparse=1 -m finobt=1,reflink=0,rmapbt=0", 0, true },
	{ "sparse_rmap", "-i sparse=1 -m finobt=1,reflink=0,rmapbt=1", 0, true },
	{ "threads", "-m rmapbt=1", 9000, false, 6 },
};

/* Placement runs: same tree as the reference mkfs -p, same geometry. */
static const struct {
	const char	*name;
	const char	*opts;
} places[] = {
	{ "place-4k", "" },
	{ "place-finobt0", "-m finobt=0" },
	{ "place-1k", "-b size=1024" },
	{ "place-sparse", "-i sparse=1" },
	{ "place-nosparse", "-i sparse=0" },
	{ "place-nosparse-1k", "-i sparse=0 -b size=1024" },
};

static struct xfs_mount *mp;
static char img[512];

/* Inodes we created (sorted later), and how many per AG. */
static uint64_t *inos;
static size_t ninos, cap;
static uint32_t per_ag[64];

static const struct xfs_icreate_args file_args = {
	.mode = XFS_IFREG | 0644, .uid = 1, .gid = 2, .nlink = 1,
};
static const struct xfs_icreate_args dir_args = {
	.mode = XFS_IFDIR | 0755, .uid = 1, .gid = 2, .nlink = 2,
};

static uint32_t ino_agno(uint64_t ino)
{
	return xfs_ino_to_agno(mp->m_sb.sb_agblklog, mp->m_sb.sb_inopblog,
			       ino);
}

static pthread_mutex_t note_lock = PTHREAD_MUTEX_INITIALIZER;
/* Threads: the AG this thread's inodes must be in, and misses. */
static __thread uint32_t t_expect_ag = UINT32_MAX;
static __thread unsigned int t_wrong_ag;

static void note_ino(uint64_t ino)
{
	if (t_expect_ag != UINT32_MAX && ino_agno(ino) != t_expect_ag) {
		t_wrong_ag++;
	}
	pthread_mutex_lock(&note_lock);
	if (ninos == cap) {
		cap = cap ? cap * 2 : 4096;
		inos = realloc(inos, cap * sizeof(*inos));
	}
	inos[ninos++] = ino;
	per_ag[ino_agno(ino)]++;
	pthread_mutex_unlock(&note_lock);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- the chunk burst ---- */

/* Place chunks from the end of AG agno downwards; returns how many. */
static unsigned int chunk_burst(uint32_t agno, unsigned int want)
{
	uint32_t step = mp->m_ialloc_blks > mp->m_cluster_align ?
			mp->m_ialloc_blks : mp->m_cluster_align;
	uint32_t agbno = libxfs_ag_block_count(mp, agno);
	unsigned int done = 0, tries = 0;
	struct xfs_trans *tp;
	int error;

	agbno -= agbno % step;
	while (done < want && agbno >= step && tries < want * 4) {
		agbno -= step;
		tries++;
		if (xfs_trans_alloc(mp, mp->m_ialloc_blks + 32, &tp)) {
			break;
		}
		error = libxfs_ialloc_chunk_at(tp, agno, agbno);
		if (error) {
			xfs_trans_cancel(tp);
			if (error != -ENOSPC) {
				CHECK(0, "chunk_at %u/%u: %d", agno, agbno,
				      error);
				break;
			}
			continue;
		}
		if (xfs_trans_commit(tp) == 0) {
			done++;
		}
	}
	return done;
}

static void test_chunk_at_refusals(void)
{
	struct xfs_trans *tp;

	xfs_trans_alloc(mp, 64, &tp);
	CHECK(libxfs_ialloc_chunk_at(tp, 0, mp->m_ialloc_blks + 1) ==
	      -EINVAL, "chunk_at: a misaligned block is refused");
	CHECK(libxfs_ialloc_chunk_at(tp, mp->m_sb.sb_agcount, 0) == -EINVAL,
	      "chunk_at: an AG beyond the last is refused");
	CHECK(libxfs_ialloc_chunk_at(tp, 0, 0) == -ENOSPC,
	      "chunk_at: blocks in use (AG headers): -ENOSPC");
	xfs_trans_cancel(tp);
}

/* ---- creating ---- */

#define PER_TRANS	32

/*
 * Until directories can be written (libxfs_dir_init), a new directory
 * gets an empty shortform body by hand: count 0, 4-byte parent.
 */
static int make_empty_dir(struct xfs_trans *tp, struct xfs_inode *ip,
			  uint64_t parent)
{
	uint8_t sf[6] = { 0, 0 };
	int error;

	put_unaligned_be32((uint32_t)parent, sf + 2);
	error = libxfs_ifork_realloc(ip, XFS_DATA_FORK, sizeof(sf));
	if (error) {
		return error;
	}
	memcpy(ip->i_df.if_data, sf, sizeof(sf));
	ip->i_df.if_format = XFS_DINODE_FMT_LOCAL;
	ip->i_size = sizeof(sf);
	return libxfs_trans_log_inode(tp, ip);
}

/* Create n inodes under dp, PER_TRANS per transaction reserving resv
 * blocks; only committed ones are noted. */
static int create_many(struct xfs_inode *dp, const struct xfs_icreate_args *a,
		       unsigned int n, uint64_t *last, unsigned int resv)
{
	struct xfs_trans *tp = NULL;
	struct xfs_inode *ip;
	uint64_t pending[PER_TRANS];
	unsigned int i, npend = 0, k;
	int error = 0;

	for (i = 0; i < n; i++) {
		if (!tp) {
			error = xfs_trans_alloc(mp, resv, &tp);
			if (error) {
				return error;
			}
			npend = 0;
		}
		error = libxfs_inode_create(tp, dp, a, &ip);
		if (!error && (a->mode & XFS_IFMT) == XFS_IFDIR) {
			error = make_empty_dir(tp, ip, dp->i_ino);
			if (error) {
				libxfs_irele(ip);
			}
		}
		if (error) {
			xfs_trans_cancel(tp);
			return error;
		}
		pending[npend++] = ip->i_ino;
		libxfs_irele(ip);
		if (npend == PER_TRANS || i + 1 == n) {
			error = xfs_trans_commit(tp);
			tp = NULL;
			if (error) {
				return error;
			}
			for (k = 0; k < npend; k++) {
				note_ino(pending[k]);
			}
			*last = pending[npend - 1];
		}
	}
	return 0;
}

/*
 * Directories (rotating across AGs) and files under each; directories
 * in AG extra_ag get extra files each.
 */
static void create_tree(unsigned int ndirs, unsigned int files,
			uint32_t extra_ag, unsigned int extra)
{
	struct xfs_inode *root = NULL, *dp;
	unsigned int d, agcount = mp->m_sb.sb_agcount, bad_dir = 0;
	unsigned int bad_file = 0, nfiles = 0;
	uint64_t dino, last = 0;
	int error = 0;

	error = libxfs_iget(mp, mp->m_sb.sb_rootino, 0, &root);
	for (d = 0; d < ndirs && !error; d++) {
		uint32_t before = (uint32_t)ninos + 1;
		unsigned int n = files / ndirs;

		error = create_many(root, &dir_args, 1, &dino, 64);
		if (error) {
			break;
		}
		if (ino_agno(dino) != d % agcount) {
			bad_dir++;
		}
		error = libxfs_iget(mp, dino, 0, &dp);
		if (error) {
			break;
		}
		if (ino_agno(dino) == extra_ag) {
			n += extra;
		}
		error = create_many(dp, &file_args, n, &last, 64);
		libxfs_irele(dp);
		nfiles += n;
		for (; before < ninos; before++) {
			if (ino_agno(inos[before]) != ino_agno(dino)) {
				bad_file++;
			}
		}
	}
	libxfs_irele(root);
	CHECK(!error, "created %u directories and %u files (error %d)",
	      ndirs, nfiles, error);
	CHECK(bad_dir == 0, "directory k went to AG k mod %u (%u did not)",
	      agcount, bad_dir);
	CHECK(bad_file == 0, "files went to their parent's AG (%u did not)",
	      bad_file);
}

/* ---- several threads at once ---- */

struct worker {
	pthread_t	th;
	uint64_t	dir;
	unsigned int	n;
	unsigned int	wrong_ag;
	int		error;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	struct xfs_inode *dp;
	uint64_t last = 0;

	w->error = libxfs_iget(mp, w->dir, 0, &dp);
	if (w->error) {
		return NULL;
	}
	t_expect_ag = ino_agno(w->dir);
	w->error = create_many(dp, &file_args, w->n, &last, 64);
	w->wrong_ag = t_wrong_ag;
	libxfs_irele(dp);
	return NULL;
}

/*
 * Directories made first (rotating over the AGs), then one thread per
 * directory creating files in it, all at once: threads whose
 * directories share an AG contend for its AGI.
 */
static void create_threaded(unsigned int nthreads, unsigned int files)
{
	struct worker w[16];
	struct xfs_inode *root;
	unsigned int t, bad = 0, wrong = 0;
	int error;

	memset(w, 0, sizeof(w));
	error = libxfs_iget(mp, mp->m_sb.sb_rootino, 0, &root);
	for (t = 0; t < nthreads && !error; t++) {
		error = create_many(root, &dir_args, 1, &w[t].dir, 64);
		w[t].n = files / nthreads;
	}
	libxfs_irele(root);
	for (t = 0; t < nthreads && !error; t++) {
		if (pthread_create(&w[t].th, NULL, worker_main, &w[t])) {
			error = -EAGAIN;
			break;
		}
	}
	nthreads = t;
	for (t = 0; t < nthreads; t++) {
		pthread_join(w[t].th, NULL);
		bad += w[t].error != 0;
		wrong += w[t].wrong_ag;
	}
	CHECK(!error && bad == 0, "%u threads created %u files each at once "
	      "(%u failed)", nthreads, files / nthreads, bad);
	CHECK(wrong == 0, "each thread's files stayed in its directory's AG "
	      "(%u did not)", wrong);
}

/* ---- checks against the reference ---- */

struct agi_counts {
	uint32_t	count, freecount, level, free_level;
};

static void read_agis(struct agi_counts *c)
{
	uint32_t agno;

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_buf *bp;
		const struct xfs_agi *agi;

		if (libxfs_read_agi(mp, agno, 0, &bp)) {
			memset(&c[agno], 0xff, sizeof(c[agno]));
			continue;
		}
		agi = bp->b_addr;
		c[agno].count = be32_to_cpu(agi->agi_count);
		c[agno].freecount = be32_to_cpu(agi->agi_freecount);
		c[agno].level = be32_to_cpu(agi->agi_level);
		c[agno].free_level = be32_to_cpu(agi->agi_free_level);
		libxfs_buf_relse(bp);
	}
}

/*
 * xfs_repair -n: nothing but our disconnected inodes.  Every line that
 * names one of our inodes in a "disconnected inode" or "would move"
 * message is dropped, so are the phase headers; anything left fails.
 */
static void check_repair(const char *label)
{
	char line[1024], cmd[1200];
	unsigned int other = 0, disc = 0, shown = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "/usr/sbin/xfs_repair -n '%s' 2>&1", img);
	f = popen(cmd, "r");
	if (!f) {
		CHECK(0, "%s: run xfs_repair", label);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long ino;

		if (sscanf(line, "disconnected inode %llu, would move to "
			   "lost+found", &ino) == 1 ||
		    sscanf(line, "disconnected dir inode %llu, would move to "
			   "lost+found", &ino) == 1) {
			if (bsearch(&ino, inos, ninos, sizeof(*inos),
				    cmp_u64)) {
				disc++;
				continue;
			}
		}
		// The image file's host filesystem, not the image.
		if (strcmp(line, "Cannot get host filesystem geometry.\n") ==
		    0 || strcmp(line, "Repair may fail if there is a sector "
				"size mismatch between\n") == 0 ||
		    strcmp(line, "the image and the host filesystem.\n") ==
		    0) {
			continue;
		}
		if (strncmp(line, "Phase ", 6) == 0 ||
		    strncmp(line, "        - ", 10) == 0 ||
		    strstr(line, "No modify flag set, skipping")) {
			// Progress lines (the "- " lines) can carry an error
			// only in phases we check through their headers.
			if (strstr(line, "rror") || strstr(line, "orrupt")) {
				goto bad;
			}
			continue;
		}
bad:
		other++;
		if (shown++ < 20) {
			printf("# repair: %s", line);
		}
	}
	pclose(f);
	CHECK(other == 0 && disc == ninos,
	      "%s: xfs_repair -n reports only our %zu disconnected inodes "
	      "(%u reported, %u other lines)", label, ninos, disc, other);
}

static void check_db_counters(const char *label, const struct agi_counts *c,
			      uint32_t agcount)
{
	uint64_t icount = 0, ifree = 0;
	uint32_t agno, bad = 0;
	char cmds[128];

	for (agno = 0; agno < agcount; agno++) {
		snprintf(cmds, sizeof(cmds), "-c 'agi %u' -c 'p count'", agno);
		if (t_db_u64(img, cmds, "count") != c[agno].count) {
			bad++;
		}
		snprintf(cmds, sizeof(cmds), "-c 'agi %u' -c 'p freecount'",
			 agno);
		if (t_db_u64(img, cmds, "freecount") != c[agno].freecount) {
			bad++;
		}
		icount += c[agno].count;
		ifree += c[agno].freecount;
	}
	CHECK(bad == 0, "%s: xfs_db agi count/freecount agree in every AG",
	      label);
	CHECK(t_db_u64(img, "-c 'sb 0' -c 'p icount'", "icount") == icount &&
	      t_db_u64(img, "-c 'sb 0' -c 'p ifree'", "ifree") == ifree,
	      "%s: xfs_db sb icount %llu ifree %llu", label,
	      (unsigned long long)icount, (unsigned long long)ifree);
}

/* Read every created inode back (inobt says allocated, mode right). */
static void check_readback(const char *label)
{
	size_t i, bad = 0;
	char cmds[128], buf[64];

	for (i = 0; i < ninos; i++) {
		struct xfs_inode *ip;

		if (libxfs_iget(mp, inos[i], LIBXFS_IGET_UNTRUSTED, &ip)) {
			bad++;
			continue;
		}
		if (ip->i_uid != 1 || ip->i_gid != 2 ||
		    !(ip->i_flags2 & XFS_DIFLAG2_BIGTIME) ||
		    ip->i_next_unlinked != NULLAGINO) {
			bad++;
		}
		libxfs_irele(ip);
	}
	CHECK(bad == 0, "%s: all %zu inodes read back as allocated with "
	      "their attributes (%zu bad)", label, ninos, bad);
	snprintf(cmds, sizeof(cmds), "-c 'inode %llu' -c 'p v3.crc'",
		 (unsigned long long)inos[ninos - 1]);
	CHECK(t_db_field(img, cmds, "v3.crc", buf, sizeof(buf)) == 0 &&
	      strstr(buf, "(correct)"), "%s: xfs_db: inode %llu crc %s",
	      label, (unsigned long long)inos[ninos - 1], buf);
}

/* ---- ENOSPC ---- */

/* Allocate until -ENOSPC; then check the failing attempt changed nothing. */
static void fill_to_enospc(const char *label, uint64_t limit)
{
	struct t_fileprint before = { 0 }, after = { 0 };
	struct xfs_inode *root, *ip;
	struct xfs_trans *tp;
	uint64_t last;
	int error = 0;

	if (libxfs_iget(mp, mp->m_sb.sb_rootino, 0, &root)) {
		CHECK(0, "%s: root", label);
		return;
	}
	while (!error && ninos < limit) {
		error = create_many(root, &file_args, PER_TRANS, &last, 0);
	}
	// A batch that failed gave its free inodes back: use them one by one.
	if (error == -ENOSPC) {
		do {
			error = create_many(root, &file_args, 1, &last, 0);
		} while (!error && ninos < limit);
	}
	CHECK(error == -ENOSPC, "%s: allocation ends with -ENOSPC after %zu "
	      "inodes (error %d)", label, ninos, error);
	libxfs_irele(root);
	libxfs_umount(mp);
	t_fingerprint(img, &before);
	libxfs_mount(img, 0, &mp);
	libxfs_iget(mp, mp->m_sb.sb_rootino, 0, &root);
	error = xfs_trans_alloc(mp, 0, &tp);
	if (!error) {
		error = libxfs_inode_create(tp, root, &file_args, &ip);
		if (!error) {
			note_ino(ip->i_ino);
			libxfs_irele(ip);
			xfs_trans_commit(tp);
		} else {
			xfs_trans_cancel(tp);
		}
	}
	libxfs_irele(root);
	CHECK(error == -ENOSPC, "%s: one more: -ENOSPC again", label);
	libxfs_umount(mp);
	t_fingerprint(img, &after);
	CHECK(before.crc == after.crc, "%s: the failed attempt left the "
	      "image untouched", label);
	libxfs_mount(img, 0, &mp);
}

/* ---- sparse: a full filesystem with holes punched by the kernel ---- */

/*
 * Phase 1: fill the filesystem with one preallocated file (leaving a few
 * blocks for its bmbt) and punch 250 holes, each a chunk long but
 * straddling two chunks: no aligned full chunk fits anywhere while
 * aligned sparse pieces do (the allocator wants minlen + alignment - 1
 * blocks in one extent).  Phase 2 (after we used those): cut the file's
 * end (room for the kernel's extent splits), then punch the next
 * straddling hole after each first one, which frees the other half of
 * chunks we allocated half of, so their sparse records must grow.
 */
static int punch_sparse_holes(int phase)
{
	FILE *f = fopen(t_path("punch.py"), "w");
	int st;

	if (!f) {
		return -1;
	}
	fprintf(f,
"import ctypes, os, re, subprocess, sys\n"
"mnt, phase, nholes, holes_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]\n"
"libc = ctypes.CDLL(None, use_errno=True)\n"
"libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long]\n"
"subprocess.run(['xfs_io', '-x', '-c', 'resblks 0', mnt], check=True, stdout=subprocess.DEVNULL)\n"
"st = os.statvfs(mnt)\n"
"bs = st.f_frsize\n"
"path = os.path.join(mnt, 'fill')\n"
"geo = subprocess.run(['xfs_db', '-r', '-c', 'sb 0', '-c', 'p agblocks inoalignmt', os.environ['IMG']], capture_output=True, text=True).stdout\n"
"g = dict(re.findall(r'(\\w+) = (\\d+)', geo))\n"
"agblocks, align = int(g['agblocks']), int(g['inoalignmt'])\n"
"def extents():\n"
"    out = subprocess.run(['xfs_io', '-c', 'bmap', path], capture_output=True, text=True).stdout\n"
"    for m in re.finditer(r'\\[(\\d+)\\.\\.(\\d+)\\]: (\\d+)\\.\\.(\\d+)', out):\n"
"        foff, fend, d0, d1 = (int(x) for x in m.groups())\n"
"        yield foff * 512 // bs, d0 * 512 // bs, (d1 + 1) * 512 // bs\n"
"fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)\n"
"done = 0\n"
"if phase == '1':\n"
"    # Fill all but a few blocks (for the file's bmbt), then punch holes a\n"
"    # chunk long straddling two chunks, seven chunks apart.\n"
"    off, size = 0, (st.f_bavail - 64) * bs\n"
"    while size >= bs:\n"
"        if libc.fallocate(fd, 0, off, size) == 0:\n"
"            off += size\n"
"        else:\n"
"            size = size // 2 // bs * bs\n"
"    os.fsync(fd)\n"
"    holes = []\n"
"    for fb0, b0, b1 in list(extents()):\n"
"        b = b0 + (-(b0 %% agblocks)) %% align + align // 2\n"
"        while b + align <= b1 and done < nholes:\n"
"            if (b %% agblocks) + 3 * align <= agblocks:\n"
"                if libc.fallocate(fd, 3, (fb0 + b - b0) * bs, align * bs) == 0:\n"
"                    holes.append(b)\n"
"                    done += 1\n"
"            b += align * 7\n"
"    open(holes_file, 'w').write(''.join('%%d\\n' %% b for b in holes))\n"
"else:\n"
"    # The next straddling hole after each first one: the chunk whose\n"
"    # first half was taken gets its second half back, so its sparse\n"
"    # record grows.\n"
"    # We left the filesystem full: give the kernel room to split the\n"
"    # file's extents by cutting its end.\n"
"    os.ftruncate(fd, max(0, os.fstat(fd).st_size - 256 * bs))\n"
"    ext = list(extents())\n"
"    for b in (int(x) for x in open(holes_file)):\n"
"        t = b + align\n"
"        for fb0, b0, b1 in ext:\n"
"            if b0 <= t and t + align <= b1:\n"
"                if libc.fallocate(fd, 3, (fb0 + t - b0) * bs, align * bs) == 0:\n"
"                    done += 1\n"
"                break\n"
"os.close(fd)\n"
"print('phase', phase, done, 'holes')\n");
	fclose(f);
	st = t_run("mkdir -p %s && mount -o loop '%s' %s || exit 1; "
		   "IMG='%s' python3 %s %s %d 250 %s >%s 2>&1; st=$?; "
		   "umount %s; exit $st", t_path("mnt"), img, t_path("mnt"),
		   img, t_path("punch.py"), t_path("mnt"), phase,
		   t_path("holes.txt"), t_path("punch.log"), t_path("mnt"));
	t_run("sed 's/^/# /' %s", t_path("punch.log"));
	return st;
}

/* Inobt records with holes (returned) and without (*full). */
static unsigned int count_sparse_records(unsigned int *full)
{
	unsigned int n = 0;

	*full = 0;
	uint32_t agno;

	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		struct xfs_btree_cur *cur;
		struct xfs_buf *bp;
		const void *rec;
		int stat;

		if (libxfs_read_agi(mp, agno, 0, &bp)) {
			continue;
		}
		if (libxfs_btree_init_agi_cursor(mp, bp, &xfs_inobt_ops, 0,
						 &cur) == 0) {
			int error = libxfs_btree_goto_first(cur, &stat);

			while (!error && stat) {
				struct xfs_inobt_irec r;

				libxfs_btree_get_rec(cur, &rec, &stat);
				xfs_inobt_get_irec(mp, rec, &r);
				n += r.ir_holemask != 0;
				*full += r.ir_holemask == 0;
				error = libxfs_btree_increment(cur, &stat);
			}
			libxfs_btree_del_cursor(cur);
		}
		libxfs_buf_relse(bp);
	}
	return n;
}

/* ---- placement: the same tree as the reference mkfs -p makes ---- */

#define REF_UUID	"-m uuid=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

/* A tree of small (shortform) directories and empty files. */
static int write_proto(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int d, s, i;

	if (!f) {
		return -1;
	}
	fprintf(f, "/dev/null\n0 0\nd--755 0 0\n");
	for (d = 0; d < 12; d++) {
		fprintf(f, "d%u d--755 0 0\n", d);
		for (i = 0; i < 6; i++) {
			fprintf(f, "f%u ---644 0 0 /dev/null\n", i);
		}
		for (s = 0; s < 10; s++) {
			fprintf(f, "s%u d--755 0 0\n", s);
			for (i = 0; i < 9; i++) {
				fprintf(f, "g%u ---644 0 0 /dev/null\n", i);
			}
			fprintf(f, "$\n");
		}
		fprintf(f, "$\n");
	}
	for (i = 0; i < 15; i++) {
		fprintf(f, "t%u ---644 0 0 /dev/null\n", i);
	}
	fprintf(f, "$\n");
	return fclose(f);
}

/* Create what the protofile describes under dp; print "ino path" lines. */
static int replay_proto(FILE *proto, FILE *out, struct xfs_inode *dp,
			const char *prefix)
{
	char line[512], name[256], mode[16], path[1024];
	struct xfs_inode *ip;
	uint64_t ino;
	int error;

	while (fgets(line, sizeof(line), proto)) {
		if (line[0] == '$') {
			return 0;
		}
		if (sscanf(line, "%255s %15s", name, mode) != 2) {
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "%s%s", prefix, name);
		error = create_many(dp, mode[0] == 'd' ? &dir_args : &file_args,
				    1, &ino, 64);
		if (error) {
			return error;
		}
		if (mode[0] != 'd') {
			fprintf(out, "%llu %s\n", (unsigned long long)ino, path);
			continue;
		}
		fprintf(out, "%llu %s/.\n", (unsigned long long)ino, path);
		error = libxfs_iget(mp, ino, 0, &ip);
		if (error) {
			return error;
		}
		strcat(path, "/");
		error = replay_proto(proto, out, ip, path);
		libxfs_irele(ip);
		if (error) {
			return error;
		}
	}
	return 0;
}

/* The AG headers and inode btree roots as xfs_db prints them. */
static int dump_ags(const char *image, const char *out, uint32_t agcount,
		    bool finobt)
{
	char cmds[4096] = "";
	size_t n = 0;
	uint32_t agno;

	for (agno = 0; agno < agcount && n < sizeof(cmds) - 200; agno++) {
		n += (size_t)snprintf(cmds + n, sizeof(cmds) - n,
				      " -c 'agi %u' -c p -c 'addr root' -c p",
				      agno);
		if (finobt) {
			n += (size_t)snprintf(cmds + n, sizeof(cmds) - n,
					      " -c 'agi %u' -c 'addr free_root'"
					      " -c p", agno);
		}
		n += (size_t)snprintf(cmds + n, sizeof(cmds) - n,
				      " -c 'agf %u' -c p", agno);
	}
	return t_run("%s -r %s '%s' >%s 2>&1", REF_DB, cmds, image, out);
}

static void test_placement(const char *name, const char *opts)
{
	char mopts[512], ours[600], ref[600], img_ref[512];
	uint32_t agcount;
	bool finobt, same;
	FILE *proto, *out;
	struct xfs_inode *root;
	int error;

	snprintf(img, sizeof(img), "%s", t_path("place.img"));
	snprintf(img_ref, sizeof(img_ref), "%s", t_path("place-ref.img"));
	if (write_proto(t_path("place.proto"))) {
		CHECK(0, "%s: write the protofile", name);
		return;
	}
	snprintf(mopts, sizeof(mopts), REF_UUID " %s -p %s", opts,
		 t_path("place.proto"));
	if (t_mkfs(img_ref, "512m", mopts)) {
		CHECK(0, "%s: reference mkfs -p", name);
		return;
	}
	snprintf(mopts, sizeof(mopts), REF_UUID " %s", opts);
	if (t_mkfs(img, "512m", mopts) || libxfs_mount(img, 0, &mp)) {
		CHECK(0, "%s: reference mkfs and mount", name);
		return;
	}
	// The reference made its root directory with the rotor's first AG.
	mp->m_agirotor = 1;
	ninos = 0;
	proto = fopen(t_path("place.proto"), "r");
	out = fopen(t_path("place.ours"), "w");
	error = libxfs_iget(mp, mp->m_sb.sb_rootino, 0, &root);
	if (!error && proto && out) {
		char skip[256];

		// Past the boot image, sizes and root lines.
		if (!fgets(skip, sizeof(skip), proto) ||
		    !fgets(skip, sizeof(skip), proto) ||
		    !fgets(skip, sizeof(skip), proto)) {
			error = -EINVAL;
		} else {
			error = replay_proto(proto, out, root, "");
		}
		libxfs_irele(root);
	}
	if (proto) {
		fclose(proto);
	}
	if (out) {
		fclose(out);
	}
	agcount = mp->m_sb.sb_agcount;
	finobt = xfs_has_finobt(mp);
	CHECK(!error && libxfs_umount(mp) == 0, "%s: replayed the tree, "
	      "%zu inodes (error %d)", name, ninos, error);
	mp = NULL;
	snprintf(ours, sizeof(ours), "%s", t_path("place.ours"));
	snprintf(ref, sizeof(ref), "%s", t_path("place.ref"));
	t_run("sort -k2 -o %s %s", ours, ours);
	t_run("%s -r -c 'blockget -n' -c ncheck '%s' | awk '{print $1, $2}' "
	      "| sort -k2 >%s", REF_DB, img_ref, ref);
	CHECK(t_run("cmp -s %s %s", ref, ours) == 0, "%s: every inode number "
	      "is the one the reference mkfs -p chose", name);
	dump_ags(img_ref, t_path("agref.txt"), agcount, finobt);
	dump_ags(img, t_path("agours.txt"), agcount, finobt);
	same = t_run("cmp -s %s %s", t_path("agref.txt"),
		     t_path("agours.txt")) == 0;
	CHECK(same, "%s: AGI, AGF, inobt and finobt of every AG print "
	      "exactly as the reference's, CRCs included", name);
	if (!same) {
		t_run("diff %s %s | head -20 | sed 's/^/# /'",
		      t_path("agref.txt"), t_path("agours.txt"));
	}
}

/* ---- one configuration ---- */

static void run_cfg(const struct cfg *c)
{
	struct agi_counts before[64], after[64];
	unsigned int burst = 0, agno, split = 0, fsplit = 0;
	char label[64];
	uint64_t used_before = 0, used_after = 0;
	uint32_t agcount;

	snprintf(label, sizeof(label), "%s", c->name);
	ninos = 0;
	memset(per_ag, 0, sizeof(per_ag));
	snprintf(img, sizeof(img), "%s", t_path("ialloc.img"));
	if (t_mkfs(img, "512m", c->opts) != 0) {
		CHECK(0, "%s: reference mkfs %s", label, c->opts);
		return;
	}
	if (c->sparse_fill && punch_sparse_holes(1) != 0) {
		CHECK(0, "%s: fill the filesystem and punch holes", label);
		return;
	}
	if (libxfs_mount(img, 0, &mp) != 0) {
		CHECK(0, "%s: mount", label);
		return;
	}
	read_agis(before);
	if (c->threads) {
		create_threaded(c->threads, c->files);
	} else if (!c->sparse_fill) {
		test_chunk_at_refusals();
		agno = mp->m_sb.sb_agcount - 1;
		burst = chunk_burst(agno, mp->m_inobt_mxr[0] + 8);
		read_agis(after);
		CHECK(burst == mp->m_inobt_mxr[0] + 8 &&
		      after[agno].level > before[agno].level &&
		      (!xfs_has_finobt(mp) ||
		       after[agno].free_level > before[agno].free_level),
		      "%s: %u chunks placed at chosen blocks in AG %u; inobt "
		      "height %u -> %u, finobt %u -> %u", label, burst, agno,
		      before[agno].level, after[agno].level,
		      before[agno].free_level, after[agno].free_level);
		// Enough files in that AG to fill the burst's chunks again.
		create_tree(mp->m_sb.sb_agcount * 3, c->files, agno,
			    burst * 64 / 3 + 64);
	} else {
		unsigned int sp1, full1, sp2, full2;

		fill_to_enospc(label, 200000);
		sp1 = count_sparse_records(&full1);
		CHECK(sp1 > 0, "%s: sparse chunks were allocated (%u records "
		      "with holes, %u without)", label, sp1, full1);
		libxfs_umount(mp);
		mp = NULL;
		if (punch_sparse_holes(2) != 0 || libxfs_mount(img, 0, &mp)) {
			CHECK(0, "%s: punch the second holes, mount", label);
			return;
		}
		fill_to_enospc(label, 400000);
		sp2 = count_sparse_records(&full2);
		CHECK(full2 > full1, "%s: sparse records grew into full ones "
		      "(%u with holes, %u without)", label, sp2, full2);
	}
	read_agis(after);
	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		used_before += before[agno].count - before[agno].freecount;
		used_after += after[agno].count - after[agno].freecount;
		split += after[agno].level > 1;
		fsplit += after[agno].free_level > 1;
	}
	CHECK(used_after == used_before + ninos, "%s: the AGIs count %llu "
	      "more inodes in use (created %zu)", label,
	      (unsigned long long)(used_after - used_before), ninos);
	printf("# %s: %zu inodes; AGs with inobt height > 1: %u, finobt: "
	       "%u; per AG:", label, ninos, split, fsplit);
	for (agno = 0; agno < mp->m_sb.sb_agcount; agno++) {
		printf(" %u", per_ag[agno]);
	}
	printf("\n");
	qsort(inos, ninos, sizeof(*inos), cmp_u64);
	{
		size_t i, dup = 0;

		for (i = 1; i < ninos; i++) {
			dup += inos[i] == inos[i - 1];
		}
		CHECK(dup == 0, "%s: no inode handed out twice", label);
	}
	agcount = mp->m_sb.sb_agcount;
	CHECK(libxfs_umount(mp) == 0, "%s: unmount", label);
	mp = NULL;
	check_db_counters(label, after, agcount);
	if (libxfs_mount(img, 0, &mp) == 0) {
		check_readback(label);
		libxfs_umount(mp);
		mp = NULL;
	}
	check_repair(label);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int j;

	t_require_reference();
	t_setup_dir();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		bool run = argc < 2;

		for (j = 1; j < argc; j++) {
			run |= strcmp(argv[j], cfgs[i].name) == 0;
		}
		if (run) {
			run_cfg(&cfgs[i]);
		}
	}
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		bool run = argc < 2;

		for (j = 1; j < argc; j++) {
			run |= strcmp(argv[j], places[i].name) == 0;
		}
		if (run) {
			test_placement(places[i].name, places[i].opts);
		}
	}
	free(inos);
	printf("%s\n", t_failures ? "FAILED" : "all passed");
	return t_failures ? 1 : 0;
}
