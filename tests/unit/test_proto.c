/*
 * test_proto.c: unit test for mkfs.xfs -p sources (mkfs/proto_*.c): the
 * -p argument, the protofile parser (the manual page's example, modes,
 * comments, slashes_are_spaces, every error) and the host directory
 * walker (sorted order, types, modes, owners, times, hard links, xattrs,
 * link counts).  The mkfs sources are compiled into this program (unit
 * tests link only libxfs and libfrog).  Prints "ok - ..." / "not ok -
 * ..." per check and exits 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mkfs/proto_parse.c"
#include "mkfs/proto_tree.c"
#include "mkfs/proto_walk.c"
#include "mkfs/proto_acl.c"

const char *progname = "mkfs.xfs";

static int failures;
static char tmpdir[256];

static void check(bool cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond) {
		failures++;
	}
}

/* Text form of a tree, one line per node, for comparisons. */
struct dump {
	char	*buf;
	size_t	len;
	size_t	cap;
};

static void dump_add(struct dump *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->buf = realloc(d->buf, d->cap);
	}
	memcpy(d->buf + d->len, s, n + 1);
	d->len += n;
}

static int dump_node(struct proto_node *node, void *priv)
{
	struct dump *d = priv;
	char line[8192], *path = proto_node_path(node);
	const char *src = node->source ? strrchr(node->source, '/') : NULL;

	if (node->link) {
		char *lp = proto_node_path(node->link);

		snprintf(line, sizeof(line), "%s => %s\n", path, lp);
		free(lp);
	} else {
		snprintf(line, sizeof(line), "%s %o %u:%u n%u%s%s%s%s",
			 path, node->mode, node->uid, node->gid, node->nlink,
			 src ? " src=" : "", src ? src + 1 : "",
			 node->target ? " -> " : "",
			 node->target ? node->target : "");
		if (S_ISBLK(node->mode) || S_ISCHR(node->mode)) {
			snprintf(line + strlen(line),
				 sizeof(line) - strlen(line), " %u,%u",
				 node->major, node->minor);
		}
		for (uint32_t i = 0; i < node->nxattrs; i++) {
			snprintf(line + strlen(line),
				 sizeof(line) - strlen(line), " x%u:%s=%u",
				 node->xattrs[i].ns,
				 (char *)node->xattrs[i].name,
				 node->xattrs[i].valuelen);
		}
		strcat(line, "\n");
	}
	dump_add(d, line);
	free(path);
	return 0;
}

static char *dump_tree(struct proto_tree *tree)
{
	struct dump d = { 0 };

	dump_add(&d, "");
	proto_tree_walk(tree, dump_node, &d);
	return d.buf;
}

static int parse(const char *text, bool slashes, struct proto_tree **treep)
{
	return proto_parse_buf(text, strlen(text), "proto", slashes, treep);
}

static void write_file(const char *name, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

/* Check that text parses to want (a dump). */
static void parse_ok(const char *text, bool slashes, const char *want,
		     const char *what)
{
	struct proto_tree *tree = NULL;
	char *got = NULL;
	int error;

	error = parse(text, slashes, &tree);
	if (!error) {
		got = dump_tree(tree);
	}
	check(!error && !strcmp(got, want), what);
	if (!error && strcmp(got, want)) {
		printf("# got:\n%s# want:\n%s", got, want);
	}
	if (error) {
		printf("# error %d\n", error);
	}
	free(got);
	proto_tree_free(tree);
}

static void parse_fails(const char *text, int want, const char *what)
{
	struct proto_tree *tree = NULL;
	int error = parse(text, false, &tree);

	check(error == want && !tree, what);
	if (error != want) {
		printf("# error %d, wanted %d\n", error, want);
	}
	proto_tree_free(tree);
}

static void test_protofile(void)
{
	char text[4096], want[4096], longname[300];

	write_file("sh", "#!/bin/sh\n");
	write_file("data", "0123456789");

	// The manual page's example (with real sources).
	snprintf(text, sizeof(text),
		 "/stand/diskboot\n4872 110\nd--777 3 1\n"
		 "usr d--777 3 1\n"
		 "sh ---755 3 1 %s/sh\n"
		 "ken d--755 6 1\n$\n"
		 "b0 b--644 3 1 0 0\n"
		 "c0 c--644 3 1 4 64\n"
		 "fifo p--644 3 1\n"
		 "slink l--644 3 1 /a/symbolic/link\n"
		 ": This is a comment line\n$\n$\n", tmpdir);
	parse_ok(text, false,
		 "/ 40777 3:1 n3\n"
		 "/usr 40777 3:1 n3\n"
		 "/usr/sh 100755 3:1 n1 src=sh\n"
		 "/usr/ken 40755 6:1 n2\n"
		 "/usr/b0 60644 3:1 n1 0,0\n"
		 "/usr/c0 20644 3:1 n1 4,64\n"
		 "/usr/fifo 10644 3:1 n1\n"
		 "/usr/slink 120644 3:1 n1 -> /a/symbolic/link\n",
		 "manual page example");

	// Modes: setuid, setgid, a fourth digit for the sticky bit, sockets.
	snprintf(text, sizeof(text),
		 "x 0 0 d--1777 0 0\n"
		 "a -ug755 1 2 %s/data\n"
		 "b -u-4755 0 0 %s/data\n"
		 "t d--1777 0 0 $\n"
		 "s s--600 0 0 $\n", tmpdir, tmpdir);
	parse_ok(text, false,
		 "/ 41777 0:0 n3\n"
		 "/a 106755 1:2 n1 src=data\n"
		 "/b 104755 0:0 n1 src=data\n"
		 "/t 41777 0:0 n2\n"
		 "/s 140600 0:0 n1\n",
		 "modes: setuid, setgid, sticky, socket");

	// Comments anywhere, tokens split by any white space, no final $.
	snprintf(text, sizeof(text),
		 "boot : the boot image\n1 2 : counts\n"
		 "d--755 0 0 : root\n"
		 "\tdir\td--700\t5\t6 :comment\n"
		 "  f ---600 7 8 %s/data:comment\n", tmpdir);
	parse_ok(text, false,
		 "/ 40755 0:0 n3\n"
		 "/dir 40700 5:6 n2\n"
		 "/dir/f 100600 7:8 n1 src=data\n",
		 "comments, tabs, end of file closes directories");

	// slashes_are_spaces.
	parse_ok("x 0 0 d--755 0 0 my/dir d--755 0 0 a/b/c p--644 0 0 $ "
		 "l l--777 0 0 /x/y $\n", true,
		 "/ 40755 0:0 n3\n"
		 "/my dir 40755 0:0 n2\n"
		 "/my dir/a b c 10644 0:0 n1\n"
		 "/l 120777 0:0 n1 -> /x/y\n",
		 "slashes_are_spaces=1 (names only)");

	// Errors.
	parse_fails("", -EINVAL, "empty protofile");
	parse_fails("boot 1", -EINVAL, "no inode count");
	parse_fails("boot 1 2", -EINVAL, "no root");
	parse_fails("x 0 0 p--755 0 0 $", -ENOTDIR,
		    "root not a directory");
	parse_fails("x 0 0 d--755 0 0 a x--644 0 0 $", -EINVAL,
		    "bad type character");
	parse_fails("x 0 0 d--755 0 0 a ---6a4 0 0 $", -EINVAL,
		    "bad octal digit");
	parse_fails("x 0 0 d--755 0 0 a ug-644 0 0 $", -EINVAL,
		    "type must come first");
	parse_fails("x 0 0 d--755 0 0 a ---64 0 0 $", -EINVAL,
		    "too few digits");
	parse_fails("x 0 0 d--755 0 0 a ---12345 0 0 $", -EINVAL,
		    "too many digits");
	parse_fails("x 0 0 d--755 0 0 a p--644 abc 0 $", -EINVAL,
		    "bad uid");
	parse_fails("x 0 0 d--755 0 0 a p--644 0 -1 $", -EINVAL,
		    "negative gid");
	parse_fails("x 0 0 d--755 0 0 a p--644 0", -EINVAL,
		    "end of file inside an entry");
	parse_fails("x 0 0 d--755 0 0 a ---644 0 0 /nonexistent/file $",
		    -ENOENT, "missing source file");
	parse_fails("x 0 0 d--755 0 0 a ---644 0 0 / $", -EISDIR,
		    "directory as source file");
	parse_fails("x 0 0 d--755 0 0 a p--644 0 0 a p--644 0 0 $", -EEXIST,
		    "duplicate name");
	parse_fails("x 0 0 d--755 0 0 . p--644 0 0 $", -EINVAL,
		    "reserved name");
	parse_fails("x 0 0 d--755 0 0 c c--644 0 0 16384 0 $", -ERANGE,
		    "device major too large");
	parse_fails("x 0 0 d--755 0 0 c c--644 0 0 0 262144 $", -ERANGE,
		    "device minor too large");
	memset(longname, 'n', 256);
	longname[256] = '\0';
	snprintf(text, sizeof(text), "x 0 0 d--755 0 0 %s p--644 0 0 $",
		 longname);
	parse_fails(text, -ENAMETOOLONG, "name of 256 bytes");
	longname[255] = '\0';
	snprintf(text, sizeof(text), "x 0 0 d--755 0 0 %s p--644 0 0 $",
		 longname);
	snprintf(want, sizeof(want), "/ 40755 0:0 n2\n/%s 10644 0:0 n1\n",
		 longname);
	parse_ok(text, false, want, "name of 255 bytes");
	{
		char big[1100];

		memset(big, 't', 1024);
		big[1024] = '\0';
		snprintf(text, sizeof(text),
			 "x 0 0 d--755 0 0 l l--777 0 0 %s $", big);
		parse_fails(text, -ENAMETOOLONG, "symlink target of 1024 bytes");
	}
}

static void test_opts(void)
{
	struct mkfs_proto_opts o;

	check(!proto_opts_parse(&o, "/some/proto") &&
	      !strcmp(o.path, "/some/proto") && !o.slashes_are_spaces &&
	      !o.atime, "bare path");
	proto_opts_free(&o);
	check(!proto_opts_parse(&o, "/a,b=c") && !strcmp(o.path, "/a,b=c"),
	      "bare path with comma and =");
	proto_opts_free(&o);
	check(!proto_opts_parse(&o, "file=/x,slashes_are_spaces=1") &&
	      !strcmp(o.path, "/x") && o.slashes_are_spaces && !o.atime,
	      "file= and slashes_are_spaces=1");
	proto_opts_free(&o);
	check(!proto_opts_parse(&o, "atime=1,file=/d,ir") &&
	      !strcmp(o.path, "/d,ir") && o.atime,
	      "atime=1, file= with a comma");
	proto_opts_free(&o);
	check(proto_opts_parse(&o, "file=/x,atime=2") == -EINVAL,
	      "atime=2 rejected");
	check(proto_opts_parse(&o, "file=") == -EINVAL, "empty file=");
	check(proto_opts_parse(&o, "atime=1") == -EINVAL, "no file=");
	check(proto_opts_parse(&o, "file=/x,slashes_are_spaces=") == -EINVAL,
	      "slashes_are_spaces needs a value");
}

static void mk(const char *rel, mode_t mode, const char *content)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/tree/%s", tmpdir, rel);
	if (S_ISDIR(mode)) {
		mkdir(path, mode & 07777);
	} else if (S_ISREG(mode)) {
		int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

		if (fd >= 0) {
			if (content && write(fd, content, strlen(content)) < 0) {
				perror(path);
			}
			close(fd);
		}
	} else if (S_ISFIFO(mode)) {
		mkfifo(path, mode & 07777);
	}
	chmod(path, mode & 07777);
}

static void test_walk(void)
{
	struct proto_tree *tree = NULL;
	char path[512], path2[512], *got;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool root = geteuid() == 0, xattrs;
	struct timespec ts[2] = { { 1000, 5 }, { 2000000000, 123456789 } };
	int error, s, cwd;
	size_t bigsize = 65536;
	char bx[128];

	snprintf(path, sizeof(path), "%s/tree", tmpdir);
	mkdir(path, 0755);
	chmod(path, 0750);
	mk("zdir", S_IFDIR | 01777, NULL);
	mk("adir", S_IFDIR | 0700, NULL);
	mk("adir/sub", S_IFDIR | 02755, NULL);
	mk("adir/sub/file", S_IFREG | 06755, "hello");
	mk("b", S_IFREG | 0644, "0123456789");
	mk("fifo", S_IFIFO | 0640, NULL);
	snprintf(path, sizeof(path), "%s/tree/b", tmpdir);
	snprintf(path2, sizeof(path2), "%s/tree/adir/hardb", tmpdir);
	if (link(path, path2) < 0) {
		perror("link");
	}
	snprintf(path2, sizeof(path2), "%s/tree/zdir/hardb2", tmpdir);
	if (link(path, path2) < 0) {
		perror("link");
	}
	utimensat(AT_FDCWD, path, ts, 0);
	snprintf(path, sizeof(path), "%s/tree/link", tmpdir);
	if (symlink("adir/sub/file", path) < 0) {
		perror("symlink");
	}
	// Bind by a relative name: sun_path is short.
	cwd = open(".", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/tree", tmpdir);
	strcpy(sun.sun_path, "sock");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s >= 0 && (chdir(path) < 0 ||
		       bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0)) {
		perror("bind");
	}
	if (s >= 0) {
		close(s);
	}
	chmod("sock", 0755);
	if (cwd >= 0 && fchdir(cwd) < 0) {
		perror("fchdir");
	}
	if (cwd >= 0) {
		close(cwd);
	}
	if (root) {
		snprintf(path, sizeof(path), "%s/tree/null", tmpdir);
		mknod(path, S_IFCHR | 0666, makedev(1, 3));
		chmod(path, 0666);
		snprintf(path, sizeof(path), "%s/tree/loop", tmpdir);
		mknod(path, S_IFBLK | 0660, makedev(7, 300));
		chmod(path, 0660);
		chown(path, 12, 34);
	}
	snprintf(path, sizeof(path), "%s/tree/b", tmpdir);
	// The host file system may not take 64 KiB values (ext4 without
	// ea_inode): fall back to a value that fits a block.
	xattrs = !setxattr(path, "user.one", "1", 1, 0);
	if (xattrs) {
		static char big[65536];

		memset(big, 'v', sizeof(big));
		if (setxattr(path, "user.big", big, bigsize, 0) < 0) {
			bigsize = 1000;
			xattrs = !setxattr(path, "user.big", big, bigsize, 0);
		}
	}
	if (xattrs && root) {
		setxattr(path, "trusted.t", "tt", 2, 0);
	}

	snprintf(path, sizeof(path), "%s/tree", tmpdir);
	error = proto_walk_dir(path, true, &tree);
	check(!error, "walk a tree");
	if (error) {
		return;
	}
	got = dump_tree(tree);
	{
		char want[4096];
		uid_t u = geteuid();
		gid_t g = getegid();

		snprintf(bx, sizeof(bx), " x0:big=%zu x0:one=1%s", bigsize,
			 root ? " x2:t=2" : "");
		if (!xattrs) {
			bx[0] = '\0';
		}

		snprintf(want, sizeof(want),
			 "/ 40750 %u:%u n4\n"
			 "/adir 40700 %u:%u n3\n"
			 "/adir/hardb 100644 %u:%u n3 src=hardb%s\n"
			 "/adir/sub 42755 %u:%u n2\n"
			 "/adir/sub/file 106755 %u:%u n1 src=file\n"
			 "/b => /adir/hardb\n"
			 "/fifo 10640 %u:%u n1\n"
			 "/link 120777 %u:%u n1 -> adir/sub/file\n"
			 "%s"
			 "%s"
			 "/sock 140755 %u:%u n1\n"
			 "/zdir 41777 %u:%u n2\n"
			 "/zdir/hardb2 => /adir/hardb\n",
			 u, g, u, g, u, g, bx, u, g, u, g, u, g, u, g,
			 root ? "/loop 60660 12:34 n1 7,300\n" : "",
			 root ? "/null 20666 0:0 n1 1,3\n" : "",
			 u, g, u, g);
		check(!strcmp(got, want), "walked tree: order, types, modes, links");
		if (strcmp(got, want)) {
			printf("# got:\n%s# want:\n%s", got, want);
		}
	}
	free(got);
	{
		struct proto_node *h = tree->root->kids[0]->kids[0];

		check(h->has_mtime && h->mtime.sec == 2000000000 &&
		      h->mtime.nsec == 123456789 && h->has_atime &&
		      h->atime.sec == 1000 && h->atime.nsec == 5,
		      "mtime and atime (atime=1)");
		check(tree->nfiles == 8 + (root ? 2 : 0) &&
		      tree->nbytes == 15, "totals");
	}
	proto_tree_free(tree);

	error = proto_walk_dir(path, false, &tree);
	check(!error && !tree->root->kids[0]->kids[0]->has_atime,
	      "no atime without atime=1");
	proto_tree_free(tree);

	check(proto_walk_dir("/nonexistent/dir", false, &tree) == -ENOENT &&
	      !tree, "missing directory");

	// A symlink target longer than XFS allows.
	{
		char big[2000];

		memset(big, 'q', 1500);
		big[1500] = '\0';
		snprintf(path, sizeof(path), "%s/tree/zdir/longlink", tmpdir);
		if (symlink(big, path) < 0) {
			perror("symlink");
		}
		snprintf(path, sizeof(path), "%s/tree", tmpdir);
		check(proto_walk_dir(path, false, &tree) == -ENAMETOOLONG,
		      "symlink target too long");
		snprintf(path, sizeof(path), "%s/tree/zdir/longlink", tmpdir);
		unlink(path);
	}
	if (!root) {
		snprintf(path, sizeof(path), "%s/tree/adir/sub/file", tmpdir);
		chmod(path, 0);
		snprintf(path, sizeof(path), "%s/tree", tmpdir);
		check(proto_walk_dir(path, false, &tree) == -EACCES,
		      "unreadable file");
		snprintf(path, sizeof(path), "%s/tree/adir/sub/file", tmpdir);
		chmod(path, 0644);
	}
}

/* A host ACL (version 2, entries tag/perm/id little-endian) to XFS's. */
static void test_acl(void)
{
	static const unsigned char host[] = {
		2, 0, 0, 0,
		0x01, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,	/* user_obj rw- */
		0x02, 0, 4, 0, 0xd2, 0x04, 0, 0,	/* user 1234 r-- */
		0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,	/* group_obj r-- */
		0x10, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,	/* mask rw- */
		0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,	/* other --- */
	};
	static const unsigned char want[] = {
		0, 0, 0, 5,
		0, 0, 0, 0x01, 0xff, 0xff, 0xff, 0xff, 0, 6, 0, 0,
		0, 0, 0, 0x02, 0, 0, 0x04, 0xd2, 0, 4, 0, 0,
		0, 0, 0, 0x04, 0xff, 0xff, 0xff, 0xff, 0, 4, 0, 0,
		0, 0, 0, 0x10, 0xff, 0xff, 0xff, 0xff, 0, 6, 0, 0,
		0, 0, 0, 0x20, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
	};
	unsigned char out[128], bad[sizeof(host)];
	size_t len = 0;

	check(!strcmp(proto_acl_xfs_name("system.posix_acl_access"),
		      "SGI_ACL_FILE") &&
	      !strcmp(proto_acl_xfs_name("system.posix_acl_default"),
		      "SGI_ACL_DEFAULT") &&
	      !proto_acl_xfs_name("system.other") &&
	      !proto_acl_xfs_name("user.posix_acl_access"),
	      "ACL attribute names");
	check(!proto_acl_to_xfs(host, sizeof(host), out, sizeof(out), &len) &&
	      len == sizeof(want) && !memcmp(out, want, len),
	      "ACL converted to XFS's form");
	check(proto_acl_to_xfs(host, sizeof(host), out, sizeof(want) - 1,
			       &len) == -E2BIG, "ACL: no room");
	check(proto_acl_to_xfs(host, sizeof(host) - 1, out, sizeof(out),
			       &len) == -EINVAL, "ACL: torn entry");
	check(proto_acl_to_xfs(host, 3, out, sizeof(out), &len) == -EINVAL,
	      "ACL: no header");
	memcpy(bad, host, sizeof(host));
	bad[0] = 1;
	check(proto_acl_to_xfs(bad, sizeof(bad), out, sizeof(out), &len) ==
	      -EINVAL, "ACL: version 1");
	memcpy(bad, host, sizeof(host));
	bad[4 + 8] = 0x40;
	check(proto_acl_to_xfs(bad, sizeof(bad), out, sizeof(out), &len) ==
	      -EINVAL, "ACL: unknown tag");
	check(!proto_acl_to_xfs(host, 4, out, sizeof(out), &len) && len == 4 &&
	      !memcmp(out, "\0\0\0\0", 4), "ACL: no entries");
}

int main(void)
{
	char cmd[300];
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_proto.XXXXXX",
		 base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_opts();
	test_protofile();
	test_walk();
	test_acl();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0) {
		printf("# could not remove %s\n", tmpdir);
	}
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
